package io.kvmtune.core.apply;

import io.kvmtune.core.cgroup.CgroupFile;
import io.kvmtune.core.json.JsonObject;
import io.kvmtune.core.json.JsonWritable;
import io.kvmtune.core.qemu.ThreadIdentity;
import io.kvmtune.linux.ResourceLimit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Everything an apply is about to touch, as it was before: the state {@code restore} puts back.
 *
 * @param threads each thread's affinity and scheduling
 * @param cpusets the {@code cpuset.cpus} files to be written
 * @param rtRuntimes the {@code cpu.rt_runtime_us} files to be written, in the order they are
 *     written (ancestors first); only in records written before the realtime budget book, which
 *     takes them over when such a record is next read ({@code Applier})
 * @param memlock the process's RLIMIT_MEMLOCK, if it is to be raised
 */
public record Snapshot(List<ThreadSnapshot> threads, List<FileSnapshot> cpusets, List<FileSnapshot> rtRuntimes,
        Optional<ResourceLimit> memlock) implements JsonWritable {

    public Snapshot {
        threads = List.copyOf(threads);
        cpusets = List.copyOf(cpusets);
        rtRuntimes = List.copyOf(rtRuntimes);
    }

    /**
     * This (older) snapshot completed by a newer one: what this one holds stays, since it is the
     * state before kvmtune first touched the guest; what only the newer one holds is added. Used
     * when a guest is applied to again, so that {@code restore} still goes back to the start.
     */
    public Snapshot mergedWith(Snapshot newer) {
        Snapshot added = newer.beyond(this);
        return new Snapshot(concat(threads, added.threads), concat(cpusets, added.cpusets),
                concat(rtRuntimes, added.rtRuntimes), memlock.or(added::memlock));
    }

    /**
     * What this (newer) snapshot holds that {@code older} does not: all that
     * {@code older.mergedWith(this)} adds to {@code older}.
     */
    public Snapshot beyond(Snapshot older) {
        Set<ThreadIdentity> known = older.threads.stream().map(ThreadSnapshot::identity).collect(Collectors.toSet());
        return new Snapshot(threads.stream().filter(s -> !known.contains(s.identity())).toList(),
                filesBeyond(cpusets, older.cpusets), filesBeyond(rtRuntimes, older.rtRuntimes),
                older.memlock.isPresent() ? Optional.empty() : memlock);
    }

    /** Whether it holds nothing at all. */
    public boolean isEmpty() {
        return threads.isEmpty() && cpusets.isEmpty() && rtRuntimes.isEmpty() && memlock.isEmpty();
    }

    /** This snapshot without {@link #rtRuntimes}: once the realtime budget book holds them. */
    public Snapshot withoutRtRuntimes() {
        return new Snapshot(threads, cpusets, List.of(), memlock);
    }

    private static List<FileSnapshot> filesBeyond(List<FileSnapshot> newer, List<FileSnapshot> older) {
        Set<CgroupFile> known = older.stream().map(FileSnapshot::file).collect(Collectors.toSet());
        return newer.stream().filter(f -> !known.contains(f.file())).toList();
    }

    private static <T> List<T> concat(List<T> first, List<T> second) {
        if (second.isEmpty()) {
            return first;
        }
        List<T> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("threads", threads);
        m.put("cpusets", cpusets);
        m.put("rt_runtimes", rtRuntimes);
        m.put("memlock", memlock.map(LimitJson::write).orElse(null));
        return m;
    }

    public static Snapshot fromJson(JsonObject o) {
        return new Snapshot(o.objects("threads").stream().map(ThreadSnapshot::fromJson).toList(),
                o.objects("cpusets").stream().map(FileSnapshot::fromJson).toList(),
                o.objects("rt_runtimes").stream().map(FileSnapshot::fromJson).toList(),
                o.optObject("memlock").map(LimitJson::read));
    }
}
