package io.kvmtune.core.qemu;

/**
 * A process or thread as the kernel knows it: its id together with its start time, so that an
 * id the kernel has since given to another task is never mistaken for the one that was found.
 *
 * @param tid the process or thread id
 * @param startTime field 22 of {@code /proc/<tid>/stat}: clock ticks after boot when it started
 */
public record ThreadIdentity(int tid, long startTime) {

    public ThreadIdentity {
        if (tid <= 0) {
            throw new IllegalArgumentException("thread id must be positive: " + tid);
        }
    }

    // Written out rather than generated: a record's own equals and hashCode are bootstrapped
    // through invokedynamic (ObjectMethods) on first use, which the JDK's AOT cache cannot keep,
    // and this record is the key of every thread lookup a cold `kvmtune apply` makes: ~10 ms.
    @Override
    public boolean equals(Object o) {
        return o instanceof ThreadIdentity other && tid == other.tid && startTime == other.startTime;
    }

    @Override
    public int hashCode() {
        return 31 * tid + Long.hashCode(startTime);
    }

    @Override
    public String toString() {
        return tid + "@" + startTime;
    }
}
