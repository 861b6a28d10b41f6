package io.kvmtune.bench;

import io.kvmtune.core.cgroup.CgroupFs;
import io.kvmtune.core.cgroup.CgroupGroup;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Listing the child groups of a cgroup, as sharing realtime runtime does for every group along a
 * realtime vCPU's chain (each budget counts its children's runtime): {@link CgroupFs#children},
 * which tells groups from control files by the entry types {@code getdents64} gives, beside
 * {@link Files#newDirectoryStream} with {@link Files#isDirectory} on each entry, a {@code stat}
 * per control file (some 15 to 20 in a v1 {@code cpu} group).
 *
 * <p>The group is the root of the {@code cpu} hierarchy (v1) or of the unified one. Both return
 * the children found, so the JIT cannot drop the listing.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--illegal-native-access=deny"})
@State(Scope.Thread)
public class CgroupListingBenchmark {

    private CgroupFs cgroups;
    private CgroupGroup group;
    private Path dir;

    @Setup
    public void setUp() {
        cgroups = CgroupFs.system();
        Path v1 = Path.of("/sys/fs/cgroup/cpu");
        group = Files.isDirectory(v1) ? new CgroupGroup("cpu", "/", false) : new CgroupGroup("", "/", true);
        dir = Files.isDirectory(v1) ? v1 : Path.of("/sys/fs/cgroup");
    }

    @Benchmark
    public List<CgroupGroup> cgroupFsChildren() {
        return cgroups.children(group);
    }

    @Benchmark
    public List<Path> directoryStreamAndStat() throws IOException {
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, Files::isDirectory)) {
            entries.forEach(children::add);
        }
        return children;
    }
}
