package io.kvmtune.core.apply;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * How to apply a plan.
 *
 * @param strict fail (and change nothing) when the plan asks for locked memory and the guest's
 *     memory is not locked, instead of reporting it as a warning
 * @param raiseMemlock raise the QEMU's RLIMIT_MEMLOCK when the plan asks for locked memory
 * @param memlockBytes the limit to raise it to; empty for unlimited (what libvirt sets for
 *     {@code <locked/>})
 * @param rtRuntimeUs realtime runtime per period for each realtime vCPU cgroup that has none;
 *     empty for an equal share of what is free along its ancestors
 * @param qmpSocket the QMP socket used to discover the threads, kept in the record for later commands
 * @param dryRun read everything and report what would change, change nothing, save nothing
 * @param observer hears of each completed step
 */
public record ApplyOptions(boolean strict, boolean raiseMemlock, OptionalLong memlockBytes, OptionalLong rtRuntimeUs,
        Optional<String> qmpSocket, boolean dryRun, StepObserver observer) {

    public ApplyOptions {
        Objects.requireNonNull(observer, "observer");
        if (memlockBytes.isPresent() && memlockBytes.getAsLong() <= 0) {
            throw new IllegalArgumentException("memlock limit must be positive: " + memlockBytes.getAsLong());
        }
        if (rtRuntimeUs.isPresent() && rtRuntimeUs.getAsLong() <= 0) {
            throw new IllegalArgumentException("realtime runtime must be positive: " + rtRuntimeUs.getAsLong());
        }
    }

    /** Not strict, no RLIMIT_MEMLOCK change, equal share of realtime runtime, no QMP, for real. */
    public static ApplyOptions defaults() {
        return new ApplyOptions(false, false, OptionalLong.empty(), OptionalLong.empty(), Optional.empty(), false,
                StepObserver.NONE);
    }

    public ApplyOptions withStrict(boolean value) {
        return new ApplyOptions(value, raiseMemlock, memlockBytes, rtRuntimeUs, qmpSocket, dryRun, observer);
    }

    /** Raise RLIMIT_MEMLOCK to unlimited (empty) or to {@code bytes}. */
    public ApplyOptions withRaisedMemlock(OptionalLong bytes) {
        return new ApplyOptions(strict, true, bytes, rtRuntimeUs, qmpSocket, dryRun, observer);
    }

    public ApplyOptions withRtRuntimeUs(long value) {
        return new ApplyOptions(strict, raiseMemlock, memlockBytes, OptionalLong.of(value), qmpSocket, dryRun, observer);
    }

    public ApplyOptions withQmpSocket(String path) {
        return new ApplyOptions(strict, raiseMemlock, memlockBytes, rtRuntimeUs, Optional.of(path), dryRun, observer);
    }

    public ApplyOptions withDryRun(boolean value) {
        return new ApplyOptions(strict, raiseMemlock, memlockBytes, rtRuntimeUs, qmpSocket, value, observer);
    }

    public ApplyOptions withObserver(StepObserver value) {
        return new ApplyOptions(strict, raiseMemlock, memlockBytes, rtRuntimeUs, qmpSocket, dryRun, value);
    }
}
