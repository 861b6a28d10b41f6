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
        Set<ThreadIdentity> known = threads.stream().map(ThreadSnapshot::identity).collect(Collectors.toSet());
        List<ThreadSnapshot> t = new ArrayList<>(threads);
        newer.threads.stream().filter(s -> !known.contains(s.identity())).forEach(t::add);
        return new Snapshot(t, mergeFiles(cpusets, newer.cpusets), mergeFiles(rtRuntimes, newer.rtRuntimes),
                memlock.or(newer::memlock));
    }

    /** This snapshot without {@link #rtRuntimes}: once the realtime budget book holds them. */
    public Snapshot withoutRtRuntimes() {
        return new Snapshot(threads, cpusets, List.of(), memlock);
    }

    private static List<FileSnapshot> mergeFiles(List<FileSnapshot> older, List<FileSnapshot> newer) {
        Set<CgroupFile> known = older.stream().map(FileSnapshot::file).collect(Collectors.toSet());
        List<FileSnapshot> merged = new ArrayList<>(older);
        newer.stream().filter(f -> !known.contains(f.file())).forEach(merged::add);
        return merged;
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
