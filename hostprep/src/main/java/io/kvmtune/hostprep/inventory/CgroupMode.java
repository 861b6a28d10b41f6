package io.kvmtune.hostprep.inventory;

/** How the host mounts cgroups. */
public enum CgroupMode {
    /** Only v1 controller hierarchies. */
    V1,
    /** v1 controllers plus a v2 hierarchy (systemd's {@code /sys/fs/cgroup/unified}). */
    HYBRID,
    /** The unified v2 hierarchy only. */
    V2,
    /** No cgroup file system mounted. */
    NONE
}
