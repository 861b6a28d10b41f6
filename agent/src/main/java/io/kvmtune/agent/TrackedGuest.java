package io.kvmtune.agent;

import io.kvmtune.core.apply.PinnedThread;
import io.kvmtune.core.apply.ThreadPin;
import io.kvmtune.core.qemu.QemuGuest;
import io.kvmtune.core.qemu.QemuThread;
import io.kvmtune.core.qemu.ThreadIdentity;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A QEMU with a kept plan, as the agent follows it: the threads it watches, those still to be
 * tuned, and when each new thread was born. Used by the agent's event thread only.
 */
final class TrackedGuest {

    final ThreadIdentity process;
    final KeptPlan kept;
    /** Watched threads by tid, in tid order for stable status output. */
    final Map<Integer, TunedThread> tuned = new TreeMap<>();
    /** Named threads not tuned yet (another applier held the guest, or applying failed), by tid. */
    final Map<Integer, QemuThread> pending = new TreeMap<>();
    /** Fork timestamps ({@code CLOCK_MONOTONIC}) of threads not tuned yet, by tid. */
    final Map<Integer, Long> bornAtNs = new HashMap<>();
    /**
     * Pins taken on threads as they were born, by tid, until they are named and tuned: who a
     * thread is gets read while QEMU is still naming it, not after, when its vCPU waits for it.
     */
    private final Map<Integer, PinnedThread> bornPins = new HashMap<>();
    /**
     * vCPUs tuned before libvirt placed them, by tid: until libvirt has, the emulator cpuset stays
     * wide and realtime runtime is given ahead in the groups they pass through; the apply after
     * libvirt placed them all narrows and gives back.
     */
    final Map<Integer, QemuThread> awaitingPlacement = new TreeMap<>();
    /** The last drift seen per tid, so a drift left in place (report mode) is counted once. */
    final Map<Integer, Drift> lastDrift = new HashMap<>();
    /** The last failure to apply per tid, so a retry that fails alike is not logged again. */
    final Map<Integer, String> lastFailure = new HashMap<>();
    /** The last failure of the apply after libvirt placed the vCPUs, so one that fails alike is not logged again. */
    String lastPlacementFailure;
    /**
     * Until when ({@code System.nanoTime()}) the guest is starting or got a new vCPU: libvirt
     * moves threads between its cgroups then, which on cgroup v1 resets their affinity, and
     * creates the vCPU groups a realtime vCPU needs; the agent checks such a guest every few
     * milliseconds meanwhile.
     */
    long settleUntilNs;
    /** Failed attempts to clean up after the exited QEMU (libvirt may be removing its groups meanwhile). */
    int cleanupFailures;
    /** When ({@code System.nanoTime()}) the next cleanup attempt is due, after a failed one. */
    long nextCleanupNs;

    TrackedGuest(ThreadIdentity process, KeptPlan kept) {
        this.process = process;
        this.kept = kept;
    }

    int pid() {
        return process.tid();
    }

    String name() {
        return kept.name();
    }

    /** The guest as {@code Applier} takes it, listing just {@code threads}. */
    QemuGuest with(List<QemuThread> threads) {
        return new QemuGuest(process, Optional.of(kept.name()), threads);
    }

    /** Holds thread {@code born.identity()}, just born, until it is named and tuned. */
    void born(PinnedThread born) {
        PinnedThread earlier = bornPins.put(born.identity().tid(), born);
        if (earlier != null) {
            earlier.pin().close();
        }
    }

    /** Who thread {@code tid} is, as read at its birth; empty when its birth was not seen. */
    Optional<ThreadIdentity> bornAs(int tid) {
        return Optional.ofNullable(bornPins.get(tid)).map(PinnedThread::identity);
    }

    /**
     * The pin taken on {@code identity}'s thread at its birth, handed over to the caller (who
     * closes it); empty when there is none. One of an earlier thread under the same id is closed.
     */
    Optional<ThreadPin> takeBornPin(ThreadIdentity identity) {
        PinnedThread born = bornPins.remove(identity.tid());
        if (born == null) {
            return Optional.empty();
        }
        if (born.identity().equals(identity)) {
            return Optional.of(born.pin());
        }
        born.pin().close();
        return Optional.empty();
    }

    /**
     * Whether a thread born into this guest less than {@code graceNs} before {@code nowNs}
     * ({@code CLOCK_MONOTONIC}, as the kernel stamps its events) is still to be named.
     */
    boolean awaitingName(long nowNs, long graceNs) {
        for (int tid : bornPins.keySet()) {
            Long born = bornAtNs.get(tid);
            if (born != null && nowNs - born < graceNs) {
                return true;
            }
        }
        return false;
    }

    /** The threads held since their birth or with a fork time kept, named or not. */
    Set<Integer> bornTids() {
        Set<Integer> tids = new HashSet<>(bornAtNs.keySet());
        tids.addAll(bornPins.keySet());
        return tids;
    }

    void forget(int tid) {
        TunedThread t = tuned.remove(tid);
        if (t != null) {
            t.pin().close();
        }
        PinnedThread born = bornPins.remove(tid);
        if (born != null) {
            born.pin().close();
        }
        pending.remove(tid);
        awaitingPlacement.remove(tid);
        bornAtNs.remove(tid);
        lastDrift.remove(tid);
        lastFailure.remove(tid);
    }

    boolean settling(long nowNs) {
        return nowNs - settleUntilNs < 0;
    }
}
