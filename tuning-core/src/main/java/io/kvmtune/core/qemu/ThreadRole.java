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
        int byKind = Integer.compare(kind(), other.kind());
        if (byKind != 0) {
            return byKind;
        }
        return switch (this) {
            case Vcpu v -> Integer.compare(v.index(), ((Vcpu) other).index());
            case IoThread io -> io.id().compareTo(((IoThread) other).id());
            case Emulator _ -> 0;
        };
    }

    private int kind() {
        return switch (this) {
            case Vcpu _ -> 0;
            case IoThread _ -> 1;
            case Emulator _ -> 2;
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
