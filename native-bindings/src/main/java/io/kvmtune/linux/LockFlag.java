package io.kvmtune.linux;

import io.kvmtune.linux.lib.kvmtune_linux_h;

/** What {@link Memory#lockAll} locks: the {@code MCL_*} flags of {@code <sys/mman.h>}. */
public enum LockFlag {
    /** {@code MCL_CURRENT}: every page mapped now, faulted in at once. */
    CURRENT(kvmtune_linux_h.MCL_CURRENT()),
    /** {@code MCL_FUTURE}: every page mapped from now on. */
    FUTURE(kvmtune_linux_h.MCL_FUTURE()),
    /** {@code MCL_ONFAULT} (Linux 4.4): with CURRENT or FUTURE, lock pages when first touched instead of at once. */
    ONFAULT(kvmtune_linux_h.MCL_ONFAULT());

    private final int value;

    LockFlag(int value) {
        this.value = value;
    }

    /** The {@code MCL_*} bit. */
    public int value() {
        return value;
    }
}
