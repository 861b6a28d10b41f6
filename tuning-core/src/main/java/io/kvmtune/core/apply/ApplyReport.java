package io.kvmtune.core.apply;

import io.kvmtune.core.json.JsonWritable;
import io.kvmtune.core.qemu.ThreadIdentity;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an apply did (or, for a dry run, would do): per thread and per cgroup file, before and
 * after, with whether each changed.
 *
 * @param process the QEMU process
 * @param dryRun whether nothing was actually changed
 * @param threads one entry per thread of the guest
 * @param cgroupFiles the cgroup files kvmtune manages for this guest (realtime runtimes first, then cpusets)
 * @param memory memory locking, when the plan asks for locked memory
 * @param warnings things the operator should know that did not fail the apply
 * @param record where the record for {@code verify} and {@code restore} was saved (empty for a dry run)
 * @param realtime the realtime runtime each of the guest's realtime vCPU groups got (cgroup v1
 *     with RT group scheduling only)
 */
public record ApplyReport(ThreadIdentity process, boolean dryRun, List<ThreadChange> threads,
        List<FileChange> cgroupFiles, Optional<MemoryReport> memory, List<String> warnings, Optional<Path> record,
        List<RtGrant> realtime) implements JsonWritable {

    public ApplyReport {
        threads = List.copyOf(threads);
        cgroupFiles = List.copyOf(cgroupFiles);
        warnings = List.copyOf(warnings);
        realtime = List.copyOf(realtime);
    }

    /** When a realtime vCPU group got less than a full CPU: why, and the remedy. */
    public Optional<String> realtimeNote() {
        return realtime.stream().allMatch(RtGrant::fullCpu) ? Optional.empty() : Optional.of(RtGrant.LESS_THAN_A_CPU_NOTE);
    }

    /** Whether anything changed: false when the same plan is applied a second time. */
    public boolean changed() {
        return threads.stream().anyMatch(ThreadChange::changed) || cgroupFiles.stream().anyMatch(FileChange::changed)
                || memory.map(MemoryReport::changed).orElse(false);
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pid", process.tid());
        m.put("dry_run", dryRun);
        m.put("changed", changed());
        m.put("threads", threads);
        m.put("cgroup_files", cgroupFiles);
        m.put("memory", memory.orElse(null));
        m.put("warnings", warnings);
        m.put("record", record.map(Path::toString).orElse(null));
        m.put("realtime", realtime);
        m.put("realtime_note", realtimeNote().orElse(null));
        return m;
    }
}
