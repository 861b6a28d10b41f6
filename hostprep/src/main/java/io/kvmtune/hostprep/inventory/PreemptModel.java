package io.kvmtune.hostprep.inventory;

import java.util.regex.Pattern;

/**
 * The kernel's preemption model as {@code /proc/version} (the build's {@code UTS_VERSION}) names it.
 * The version string cannot tell {@code none} from {@code voluntary}; the kernel config can.
 */
public enum PreemptModel {
    /** {@code PREEMPT_RT}: fully preemptible, sleeping spinlocks, threaded interrupts. */
    RT,
    /** {@code PREEMPT_DYNAMIC}: chosen at boot ({@code preempt=}) or in debugfs {@code sched/preempt}. */
    DYNAMIC,
    /** {@code PREEMPT_LAZY}. */
    LAZY,
    /** {@code PREEMPT}: full preemption of kernel code. */
    FULL,
    /** No preemption tag: {@code none} or {@code voluntary}. */
    NONE_OR_VOLUNTARY;

    private static final Pattern RT_TAG = Pattern.compile("\\bPREEMPT_RT\\b");
    private static final Pattern DYNAMIC_TAG = Pattern.compile("\\bPREEMPT_DYNAMIC\\b");
    private static final Pattern LAZY_TAG = Pattern.compile("\\bPREEMPT_LAZY\\b");
    private static final Pattern FULL_TAG = Pattern.compile("\\bPREEMPT\\b");

    public static PreemptModel fromVersion(String procVersion) {
        // An RT kernel may also say PREEMPT_DYNAMIC in other builds; RT wins.
        if (RT_TAG.matcher(procVersion).find()) {
            return RT;
        }
        if (DYNAMIC_TAG.matcher(procVersion).find()) {
            return DYNAMIC;
        }
        if (LAZY_TAG.matcher(procVersion).find()) {
            return LAZY;
        }
        if (FULL_TAG.matcher(procVersion).find()) {
            return FULL;
        }
        return NONE_OR_VOLUNTARY;
    }
}
