package io.kvmtune.core.qemu;

/**
 * What a QEMU thread does for its guest, in libvirt's terms: a vCPU, an IO thread, or one of the
 * emulator threads (every other thread of the process: main loop, call_rcu, monitor IO thread,
 * workers, vhost tasks).
 */
public sealed interface ThreadRole {

    /** Short label for tables: {@code vcpu3}, {@code iothread1}, {@code emulator}. */
    String label();

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
