package io.kvmtune.core.qemu;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What one source says about which host thread runs which vCPU and IO thread.
 *
 * @param source who says it
 * @param vcpus vCPU index to thread id
 * @param ioThreads IO thread id to thread id; empty when the source does not know IO threads
 *     (libvirt's status file)
 */
record SourceReport(ThreadSource source, Map<Integer, Integer> vcpus, Optional<Map<String, Integer>> ioThreads) {

    SourceReport {
        // Sorted, so that checks meet vCPUs and IO threads in a fixed order and report the same first difference.
        vcpus = Collections.unmodifiableMap(new TreeMap<>(vcpus));
        ioThreads = ioThreads.map(io -> Collections.unmodifiableMap(new TreeMap<>(io)));
    }

    /** How the source names itself in error messages. */
    String describe() {
        return switch (source) {
            case THREAD_NAMES -> "thread names";
            case QMP -> "QMP";
            case LIBVIRT_STATUS -> "libvirt's status file";
        };
    }
}
