package io.kvmtune.core.cgroup;

import java.util.Optional;

/**
 * One cgroup directory, named independently of where cgroupfs is mounted so that a saved record
 * stays meaningful to another process and a test can point the same names at a fake tree.
 *
 * @param hierarchy the hierarchy's directory below the cgroup root: {@code cpuset} or
 *     {@code cpu,cpuacct} for v1, {@code unified} for a hybrid host's v2, {@code ""} when v2 is
 *     mounted at the root itself
 * @param path the group's path inside the hierarchy, {@code /} for its root
 * @param v2 whether this is a unified (v2) hierarchy, whose rules differ (threaded groups,
 *     {@code cgroup.threads} instead of {@code tasks}, no RT runtime)
 */
public record CgroupGroup(String hierarchy, String path, boolean v2) {

    public CgroupGroup {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("cgroup path must start with '/': " + path);
        }
        if (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (path.contains("/../") || path.endsWith("/..") || hierarchy.contains("/")) {
            throw new IllegalArgumentException("cgroup names must stay inside the cgroup root: " + hierarchy + path);
        }
    }

    /** The hierarchy's root group. */
    public boolean isRoot() {
        return path.equals("/");
    }

    /** The last path component ({@code vcpu0}), empty for the root. */
    public String name() {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** The enclosing group, or empty for the root. */
    public Optional<CgroupGroup> parent() {
        if (isRoot()) {
            return Optional.empty();
        }
        int slash = path.lastIndexOf('/');
        return Optional.of(new CgroupGroup(hierarchy, slash == 0 ? "/" : path.substring(0, slash), v2));
    }

    /** A group directly inside this one. */
    public CgroupGroup child(String childName) {
        if (childName.isEmpty() || childName.contains("/") || childName.equals("..") || childName.equals(".")) {
            throw new IllegalArgumentException("not a cgroup name: '" + childName + "'");
        }
        return new CgroupGroup(hierarchy, isRoot() ? "/" + childName : path + "/" + childName, v2);
    }

    /** A control file of this group. */
    public CgroupFile file(String fileName) {
        return new CgroupFile(this, fileName);
    }

    /**
     * The group as {@code /proc/<pid>/cgroup} names it, for tables: {@code cpuset:/machine/vcpu0} on
     * a v1 hierarchy, {@code /machine.slice/...} on v2; the root shows as {@code cpuset:/} or {@code /}.
     */
    public String procName() {
        return hierarchy.isEmpty() ? path : hierarchy + ":" + path;
    }

    /** The directory relative to the cgroup root, for messages: {@code cpu/machine/qemu-1-x.libvirt-qemu/vcpu0}. */
    @Override
    public String toString() {
        return hierarchy.isEmpty() ? path.substring(1) : isRoot() ? hierarchy : hierarchy + path;
    }
}
