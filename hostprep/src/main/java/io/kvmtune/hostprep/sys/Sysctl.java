package io.kvmtune.hostprep.sys;

/** Maps sysctl names ({@code kernel.timer_migration}) to their files under {@code /proc/sys}. */
public final class Sysctl {

    private Sysctl() {
    }

    public static String path(String name) {
        return "/proc/sys/" + name.replace('.', '/');
    }
}
