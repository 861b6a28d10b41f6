package io.kvmtune.hostprep;

import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.spec.HostPolicy;
import io.kvmtune.hostprep.check.CheckReport;
import io.kvmtune.hostprep.check.Partition;
import io.kvmtune.hostprep.check.ReadinessChecks;
import io.kvmtune.hostprep.inventory.HostInventory;
import io.kvmtune.hostprep.inventory.InventoryReader;
import io.kvmtune.hostprep.suggest.BootParameters;
import io.kvmtune.hostprep.suggest.NovaConfSuggestion;
import io.kvmtune.hostprep.sys.Fact;
import io.kvmtune.hostprep.tune.HostTuner;
import io.kvmtune.hostprep.tune.TunableOptions;
import io.kvmtune.hostprep.tune.TunablePlan;
import io.kvmtune.hostprep.tune.TunablePlanner;
import io.kvmtune.hostprep.tune.TuneResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Host preparation as a library: what {@code kvmtune hostprep inventory|check|plan|apply|restore}
 * calls. Every call reads the host afresh.
 */
public final class HostPrep {

    /** Where {@code apply} records the values it replaces. */
    public static final Path DEFAULT_BACKUP = Path.of("/var/lib/kvmtune/hostprep-backup.json");

    private final InventoryReader reader;

    public HostPrep(InventoryReader reader) {
        this.reader = reader;
    }

    /** This host. */
    public static HostPrep live() {
        return new HostPrep(InventoryReader.live());
    }

    public HostInventory inventory() {
        return reader.read();
    }

    /**
     * The partition from {@code --dedicated}/{@code --housekeeping}, else from the host
     * configuration's {@code cpu_dedicated_set}/{@code cpu_shared_set}; housekeeping defaults to
     * the online CPUs outside the dedicated set.
     *
     * @throws io.kvmtune.core.InvalidInputException when no dedicated CPU is given anywhere, or none
     *     is left for housekeeping
     */
    public Partition partition(Optional<CpuSet> dedicated, Optional<CpuSet> housekeeping, HostPolicy policy) {
        CpuSet online = Fact.read(reader.fs(), "/sys/devices/system/cpu/online", CpuSet::parse).value()
                .orElse(CpuSet.empty());
        return Partition.resolve(dedicated, housekeeping, policy, online);
    }

    public CheckReport check(Partition partition) {
        return ReadinessChecks.run(reader.read(), partition);
    }

    /** The diff {@code apply} would make ({@code --check}): reads only. */
    public TunablePlan plan(Partition partition, TunableOptions options) {
        return TunablePlanner.plan(reader.read(), partition, options, reader.fs());
    }

    /** Plans and applies, recording originals in {@code backup} first. */
    public TuneResult apply(Partition partition, TunableOptions options, Path backup) throws IOException {
        return apply(plan(partition, options), backup);
    }

    /** Applies a plan (possibly narrowed with {@link TunablePlan#only}). */
    public TuneResult apply(TunablePlan plan, Path backup) throws IOException {
        return new HostTuner(reader.fs()).apply(plan, backup);
    }

    public TuneResult restore(Path backup) throws IOException {
        return new HostTuner(reader.fs()).restore(backup);
    }

    public Suggestions suggest(Partition partition) {
        HostInventory inv = reader.read();
        return new Suggestions(BootParameters.suggest(inv, partition), NovaConfSuggestion.suggest(inv, partition));
    }
}
