package io.kvmtune.core.qemu;

/**
 * What a QEMU thread does for its guest, in libvirt's terms: a vCPU, an IO thread, or one of the
 * emulator threads (every other thread of the process: main loop, call_rcu, monitor IO thread,
 * workers, vhost tasks).
 */
public sealed interface ThreadRole extends Comparable<ThreadRole> {

    /** Short label for tables: {@code vcpu3}, {@code iothread1}, {@code emulator}. */
    String label();

    /** vCPUs by index, then IO threads by id, then the emulator threads, all equal. */
    @Override
    default int compareTo(ThreadRole other) {
        return switch (this) {
            case Vcpu v -> other instanceof Vcpu o ? Integer.compare(v.index(), o.index()) : -1;
            case IoThread io -> other instanceof IoThread o ? io.id().compareTo(o.id()) : other instanceof Vcpu ? 1 : -1;
            case Emulator _ -> other instanceof Emulator ? 0 : 1;
        };
    }

    /** The thread running guest vCPU {@code index} (QEMU's {@code cpu-index}). */
    record Vcpu(int index) implements ThreadRole {
        @Override
        public String label() {
            return "vcpu" + index;
        }
    }

    /** The thread of the {@code -object iothread,id=...} named {@code id}. */
    record IoThread(String id) implements ThreadRole {
        @Override
        public String label() {
            return id.startsWith("iothread") ? id : "iothread:" + id;
        }
    }

    /** Any other thread of the QEMU process. */
    record Emulator() implements ThreadRole {
        @Override
        public String label() {
            return "emulator";
        }
    }
}
