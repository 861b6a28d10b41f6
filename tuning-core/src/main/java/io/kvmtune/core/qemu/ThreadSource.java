package io.kvmtune.core.qemu;

/** Where thread discovery learnt which thread runs which vCPU or IO thread. */
public enum ThreadSource {
    /** Thread names ({@code CPU 0/KVM}, {@code IO iothread1}), set by {@code -name debug-threads=on}. */
    THREAD_NAMES,
    /** The QEMU monitor: {@code query-cpus-fast} and {@code query-iothreads}. */
    QMP,
    /** libvirt's status file {@code /run/libvirt/qemu/NAME.xml}. */
    LIBVIRT_STATUS
}
