package io.kvmtune.linux;

import java.util.Locale;

/** Linux scheduling policies, with their values from {@code <linux/sched.h>}. */
public enum SchedPolicy {
    /** {@code SCHED_NORMAL}, called SCHED_OTHER by POSIX and chrt. */
    OTHER(0),
    FIFO(1),
    RR(2),
    BATCH(3),
    IDLE(5),
    DEADLINE(6);

    private final int value;

    SchedPolicy(int value) {
        this.value = value;
    }

    /** The kernel's number for this policy ({@code sched_attr.sched_policy}). */
    public int value() {
        return value;
    }

    /** True for the policies that take a static priority 1..99. */
    public boolean isRealtime() {
        return this == FIFO || this == RR;
    }

    /** The lower-case name used by chrt, libvirt's {@code scheduler} attribute and kvmtune's JSON. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The policy with kernel number {@code value}; {@code SCHED_RESET_ON_FORK} (0x40000000), which
     * the old API ORs into the policy, is ignored.
     *
     * @throws IllegalArgumentException for a number this enum does not know (such as SCHED_EXT, 7)
     */
    public static SchedPolicy ofValue(int value) {
        int policy = value & ~0x40000000;
        for (SchedPolicy p : values()) {
            if (p.value == policy) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown scheduling policy " + value);
    }

    /**
     * The policy named {@code label} (case-insensitive; {@code normal} is accepted for
     * {@code other}).
     *
     * @throws IllegalArgumentException naming the accepted labels
     */
    public static SchedPolicy ofLabel(String label) {
        String l = label.strip().toLowerCase(Locale.ROOT);
        if (l.equals("normal")) {
            return OTHER;
        }
        for (SchedPolicy p : values()) {
            if (p.label().equals(l)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown scheduling policy '" + label
                + "' (expected other, batch, idle, fifo, rr or deadline)");
    }
}
