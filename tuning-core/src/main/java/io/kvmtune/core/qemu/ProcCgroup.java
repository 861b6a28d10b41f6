package io.kvmtune.core.qemu;

import java.util.ArrayList;
import java.util.List;

/**
 * One line of {@code /proc/<pid>/cgroup}: the task's group in one hierarchy.
 *
 * @param hierarchyId 0 for the cgroup v2 unified hierarchy, else the v1 hierarchy number
 * @param controllers the v1 controllers bound to it ({@code cpu}, {@code cpuset},
 *     {@code name=systemd}); empty for v2
 * @param path the group, relative to the hierarchy's mount point, starting with {@code /}
 */
public record ProcCgroup(int hierarchyId, List<String> controllers, String path) {

    public ProcCgroup {
        controllers = List.copyOf(controllers);
    }

    public boolean isUnified() {
        return hierarchyId == 0 && controllers.isEmpty();
    }

    /**
     * Parses the whole file: lines {@code ID:CONTROLLERS:PATH}. The path is everything after the
     * second colon, since group names may contain colons.
     *
     * @throws ProcFormatException for a line without two colons or with a bad id
     */
    public static List<ProcCgroup> parseAll(String text) {
        List<ProcCgroup> groups = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            int first = line.indexOf(':');
            int second = first < 0 ? -1 : line.indexOf(':', first + 1);
            if (second < 0) {
                throw new ProcFormatException("cgroup: \"" + ProcStat.abbreviate(line) + "\" is not ID:CONTROLLERS:PATH");
            }
            int id;
            try {
                id = Integer.parseInt(line.substring(0, first));
            } catch (NumberFormatException e) {
                throw new ProcFormatException("cgroup: hierarchy id in \"" + ProcStat.abbreviate(line) + "\" is not a number");
            }
            if (id < 0) {
                throw new ProcFormatException("cgroup: hierarchy id in \"" + ProcStat.abbreviate(line) + "\" is negative");
            }
            String controllers = line.substring(first + 1, second);
            groups.add(new ProcCgroup(id, controllers.isEmpty() ? List.of() : List.of(controllers.split(",")),
                    line.substring(second + 1)));
        }
        return List.copyOf(groups);
    }
}
