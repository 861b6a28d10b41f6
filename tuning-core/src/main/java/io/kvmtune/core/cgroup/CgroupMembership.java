package io.kvmtune.core.cgroup;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Every group one task belongs to, parsed from {@code /proc/<tid>/cgroup}.
 *
 * <p>A thread's groups can differ from its process's: libvirt moves single threads into
 * {@code vcpuN} and {@code emulator} groups, so this is always read per thread.
 */
public record CgroupMembership(List<CgroupEntry> entries) {

    public CgroupMembership {
        entries = List.copyOf(entries);
    }

    /**
     * Parses the text of {@code /proc/<tid>/cgroup} ({@code ID:CONTROLLERS:PATH} per line).
     *
     * @throws IllegalArgumentException naming the line that is not in that form
     */
    public static CgroupMembership parse(String text) {
        List<CgroupEntry> entries = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            // The path is last and may itself contain ':', so split into at most three fields.
            String[] fields = line.split(":", 3);
            if (fields.length != 3) {
                throw new IllegalArgumentException("not a cgroup line (ID:CONTROLLERS:PATH): '" + line + "'");
            }
            int id;
            try {
                id = Integer.parseInt(fields[0]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("cgroup hierarchy id is not a number in '" + line + "'", e);
            }
            if (id < 0) {
                throw new IllegalArgumentException("negative cgroup hierarchy id in '" + line + "'");
            }
            List<String> controllers = fields[1].isEmpty() ? List.of() : Arrays.asList(fields[1].split(","));
            entries.add(new CgroupEntry(id, controllers, fields[2]));
        }
        return new CgroupMembership(entries);
    }

    /** The v1 hierarchy that {@code controller} is bound to, if any. */
    public Optional<CgroupEntry> v1(String controller) {
        return entries.stream().filter(e -> !e.unified() && e.controllers().contains(controller)).findFirst();
    }

    /** The unified (v2) hierarchy's line, if the kernel mounts one. */
    public Optional<CgroupEntry> unified() {
        return entries.stream().filter(CgroupEntry::unified).findFirst();
    }
}
