package io.kvmtune.hostprep;

import io.kvmtune.core.MissingComponentException;
import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.spec.HostPolicy;
import io.kvmtune.hostprep.check.CheckReport;
import io.kvmtune.hostprep.check.Partition;
import io.kvmtune.hostprep.check.ReadinessChecks;
import io.kvmtune.hostprep.inventory.HostInventory;
import io.kvmtune.hostprep.inventory.InventoryReader;
import io.kvmtune.hostprep.inventory.ToolVersions;
import io.kvmtune.hostprep.suggest.BootParameters;
import io.kvmtune.hostprep.suggest.NovaConfSuggestion;
import io.kvmtune.hostprep.sys.EffectiveUid;
import io.kvmtune.hostprep.sys.Fact;
import io.kvmtune.hostprep.tune.HostTuner;
import io.kvmtune.hostprep.tune.TunableOptions;
import io.kvmtune.hostprep.tune.TunablePlan;
import io.kvmtune.hostprep.tune.TunablePlanner;
import io.kvmtune.hostprep.tune.TuneResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

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

    /**
     * A host described by a /proc, /sys, /dev and /etc tree below {@code root} (a test fixture).
     * A tree has no binaries to ask for versions, so libvirt and QEMU read as not installed.
     */
    public static HostPrep under(Path root) {
        return new HostPrep(InventoryReader.under(root, new ToolVersions(Optional.empty(), Optional.empty())));
    }

    /** The directory standing for {@code /}: {@code /} itself on a live host. */
    public Path root() {
        return reader.fs().root();
    }

    /** {@link #DEFAULT_BACKUP} below this host's root. */
    public Path defaultBackup() {
        return reader.fs().resolve(DEFAULT_BACKUP.toString());
    }

    /**
     * Refuses to go on unless this process runs as root. {@code apply} and {@code restore} call it
     * first, so that a user without the right learns it before the backup is written rather than
     * from a rolled-back write.
     *
     * @param action what was asked, for the message ({@code hostprep apply})
     * @throws MissingComponentException code {@code PermissionDenied} (exit 4) when the effective
     *     uid is not 0 or cannot be read
     */
    public void requireRoot(String action) {
        OptionalInt uid = EffectiveUid.of(reader.fs());
        if (uid.isEmpty() || uid.getAsInt() != 0) {
            throw new MissingComponentException("PermissionDenied", action + " writes kernel settings and needs root ("
                    + (uid.isPresent() ? "effective uid is " + uid.getAsInt() : "cannot read the effective uid") + ")");
        }
    }

    /** Everything, libvirt's CPU models included (the other calls skip those: no check uses them). */
    public HostInventory inventory() {
        return reader.read();
    }

    /**
     * The partition from {@code --dedicated}/{@code --housekeeping}, else from the host
     * configuration's {@code cpu_dedicated_set}/{@code cpu_shared_set}; housekeeping defaults to
     * the online CPUs outside the dedicated set. With no dedicated CPU given anywhere the
     * dedicated set is empty: {@link #check} reports it, {@link #plan} and {@link #suggest} reject it.
     *
     * @throws io.kvmtune.core.InvalidInputException when no CPU is left for housekeeping
     */
    public Partition partition(Optional<CpuSet> dedicated, Optional<CpuSet> housekeeping, HostPolicy policy) {
        CpuSet online = Fact.read(reader.fs(), "/sys/devices/system/cpu/online", CpuSet::parse).value()
                .orElse(CpuSet.empty());
        return Partition.resolve(dedicated, housekeeping, policy, online);
    }

    public CheckReport check(Partition partition) {
        return ReadinessChecks.run(reader.readForChecks(), partition);
    }

    /** The diff {@code apply} would make ({@code --check}): reads only. */
    public TunablePlan plan(Partition partition, TunableOptions options) {
        return TunablePlanner.plan(reader.readForChecks(), partition.requireDedicated(), options, reader.fs());
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

    /** What {@link #restore} would put back; writes nothing. */
    public TuneResult restoreCheck(Path backup) throws IOException {
        return new HostTuner(reader.fs()).restoreCheck(backup);
    }

    public Suggestions suggest(Partition partition) {
        partition.requireDedicated();
        HostInventory inv = reader.readForChecks();
        return new Suggestions(BootParameters.suggest(inv, partition), NovaConfSuggestion.suggest(inv, partition));
    }
}
