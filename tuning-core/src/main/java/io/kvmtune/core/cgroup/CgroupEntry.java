package io.kvmtune.core.cgroup;

import java.util.List;

/**
 * One line of {@code /proc/<tid>/cgroup}: the group a task belongs to in one hierarchy.
 *
 * @param hierarchyId the hierarchy's id; 0 is the unified (v2) hierarchy
 * @param controllers the v1 controllers bound to the hierarchy ({@code cpu}, {@code cpuset},
 *     {@code name=systemd}); empty for v2
 * @param path the group's path from the hierarchy's root, starting with {@code /}
 */
public record CgroupEntry(int hierarchyId, List<String> controllers, String path) {

    public CgroupEntry {
        controllers = List.copyOf(controllers);
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("cgroup path must start with '/': " + path);
        }
    }

    /** True for the unified hierarchy's line ({@code 0::/path}). */
    public boolean unified() {
        return hierarchyId == 0 && controllers.isEmpty();
    }

    /** The directory name a v1 hierarchy is usually mounted under: its controllers joined by commas. */
    String mountName() {
        return String.join(",", controllers);
    }
}
