package io.kvmtune.core.spec;

/**
 * The settings of a {@link TuningRequest} whose origin the planner cites in its reasons. The
 * request records, for each, the key and value it came from ({@code hw:cpu_realtime_mask=^0}),
 * or how a default was reached.
 */
public enum RequestSetting {
    VCPUS,
    CPU_POLICY,
    CPU_THREAD_POLICY,
    PINNED_VCPUS,
    REALTIME,
    REALTIME_MASK,
    EMULATOR_THREADS_POLICY,
    LOCKED_MEMORY,
    MEM_PAGE_SIZE,
    MEMORY,
    NUMA_NODES,
    HPET,
    GUEST_ARCH,
    OS_TYPE
}
