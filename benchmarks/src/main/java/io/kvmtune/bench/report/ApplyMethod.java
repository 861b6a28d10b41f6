package io.kvmtune.bench.report;

import java.util.Arrays;

/** The ways of applying a placement that {@code benchmarks/compare-apply.sh} compares, with the ids it records. */
public enum ApplyMethod {

    C_LOOP("c-loop", "C loop: sched_setaffinity + sched_setattr per thread (the floor; loop time only)"),
    C_LOOP_READ_BACK("c-loop-read-back", "C loop, also reading both back per thread (loop time only)"),
    C_LOOP_APPLY_SYSCALLS("c-loop-apply-syscalls", "C making every system call of the in-process apply: identity"
            + " checks, read-back, record of the same size (apply_checked time only)"),
    IN_PROCESS("in-process", "kvmtune in-process apply, one warm JVM (Applier.apply time)"),
    COLD_CLI("cold-cli", "kvmtune apply from a cold JVM (bin/kvmtune as installed, whole command)"),
    SHELL_HOOK("shell-hook", "shell hook: taskset -p + chrt -p per thread (whole script)"),
    TUNA("tuna", "tuna -t ... -c ... -m / -p POLICY:PRIO (one tuna command)");

    private final String id;
    private final String description;

    ApplyMethod(String id, String description) {
        this.id = id;
        this.description = description;
    }

    public String id() {
        return id;
    }

    public String description() {
        return description;
    }

    public static ApplyMethod ofId(String id) {
        return Arrays.stream(values()).filter(m -> m.id.equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown apply method '" + id + "'; known: "
                        + Arrays.stream(values()).map(ApplyMethod::id).toList()));
    }
}
