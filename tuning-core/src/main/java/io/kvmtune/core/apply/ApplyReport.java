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
 */
public record ApplyReport(ThreadIdentity process, boolean dryRun, List<ThreadChange> threads,
        List<FileChange> cgroupFiles, Optional<MemoryReport> memory, List<String> warnings, Optional<Path> record)
        implements JsonWritable {

    public ApplyReport {
        threads = List.copyOf(threads);
        cgroupFiles = List.copyOf(cgroupFiles);
        warnings = List.copyOf(warnings);
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
        return m;
    }
}
