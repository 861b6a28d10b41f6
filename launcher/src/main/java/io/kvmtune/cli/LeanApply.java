package io.kvmtune.cli;

import io.kvmtune.cli.hook.HookSettings;
import io.kvmtune.cli.hook.NativeWarmup;
import io.kvmtune.core.apply.Applier;
import io.kvmtune.core.apply.ApplyOptions;
import io.kvmtune.core.plan.TuningPlan;
import io.kvmtune.core.qemu.DiscoveredGuest;
import java.io.PrintWriter;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code kvmtune apply --pid PID --plan FILE}, the call a script or shell hook makes as each guest
 * starts, run without picocli: building picocli's model of a command by reflection costs more
 * than the whole apply (its classes, compiled for Java 5, cannot be kept in the AOT cache).
 *
 * <p>It takes exactly that form, with {@code --format table|json}, {@code --dry-run},
 * {@code --strict} and {@code --force}, in any order, each at most once. Anything else (help,
 * {@code --qmp}, {@code --domain}, request options, {@code --opt=value}, a value it would have to
 * interpret) leaves the arguments to picocli, which parses every form and reports usage errors. The
 * work is {@link ApplyCommand}'s, in the same order (discover, read the plan, apply), through the
 * same {@link ApplyOutput} and {@link Failure#report}, so both ways print and exit alike: it
 * cleans up exited QEMUs' state and claims the plan's pCPUs in the default ledger.
 */
final class LeanApply {

    private static final Set<String> FLAGS = Set.of("--dry-run", "--strict", "--force");
    private static final Set<String> WITH_VALUE = Set.of("--pid", "--plan", "--format");

    private final int pid;
    private final Path plan;
    private final OutputFormat format;
    private final boolean dryRun;
    private final boolean strict;
    private final boolean force;

    private LeanApply(int pid, Path plan, OutputFormat format, boolean dryRun, boolean strict, boolean force) {
        this.pid = pid;
        this.plan = plan;
        this.format = format;
        this.dryRun = dryRun;
        this.strict = strict;
        this.force = force;
    }

    /** The call {@code args} make, or empty when they are for picocli. */
    static Optional<LeanApply> parse(String[] args) {
        if (args.length < 5 || !args[0].equals("apply")) {
            return Optional.empty();
        }
        Map<String, String> given = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            String option = args[i];
            String value;
            if (FLAGS.contains(option)) {
                value = "";
            } else if (WITH_VALUE.contains(option) && i + 1 < args.length && !args[i + 1].startsWith("-")) {
                value = args[++i];
            } else {
                return Optional.empty();
            }
            if (given.putIfAbsent(option, value) != null) {
                return Optional.empty();
            }
        }
        String pid = given.getOrDefault("--pid", "");
        String format = given.getOrDefault("--format", "table").toLowerCase(Locale.ROOT);
        if (!pid.matches("[0-9]{1,9}") || !given.containsKey("--plan") || !(format.equals("table") || format.equals("json"))) {
            return Optional.empty();
        }
        try {
            return Optional.of(new LeanApply(Integer.parseInt(pid), Path.of(given.get("--plan")),
                    format.equals("json") ? OutputFormat.JSON : OutputFormat.TABLE, given.containsKey("--dry-run"),
                    given.containsKey("--strict"), given.containsKey("--force")));
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
    }

    /** Applies the plan as {@link ApplyCommand} does; returns the exit status. */
    int run(PrintWriter out, PrintWriter err) {
        NativeWarmup.start();
        try {
            HookSettings paths = HookSettings.fromSystemProperties();
            if (!dryRun) {
                StaleCleanups.run(paths, Optional.of(paths.claimsFile()), err);
            }
            DiscoveredGuest found = paths.discovery().discover(pid, Optional.empty(), force);
            TuningPlan chosen = InputFiles.plan("--plan", plan);
            ApplyOptions options = ApplyOptions.defaults().withStrict(strict).withDryRun(dryRun);
            Applier applier = Applier.system(paths.records());
            if (dryRun) {
                return ApplyOutput.applyAndReport(applier, chosen, found.guest(), options, format, out, err).code();
            }
            return ApplyOutput.applyClaimedAndReport(applier, paths.ledger(), found, taken -> chosen, options, format,
                    out, err).code();
        } catch (RuntimeException e) {
            return Failure.report(e, out, err, format == OutputFormat.JSON);
        }
    }
}
