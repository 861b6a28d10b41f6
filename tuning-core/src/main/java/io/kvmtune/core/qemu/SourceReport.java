package io.kvmtune.core.qemu;

import java.util.Map;
import java.util.Optional;

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
        vcpus = Map.copyOf(vcpus);
        ioThreads = ioThreads.map(Map::copyOf);
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
