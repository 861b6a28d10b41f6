package io.kvmtune.cli;

import io.kvmtune.cli.hook.HookSettings;
import io.kvmtune.core.apply.Applier;
import io.kvmtune.core.apply.ApplyRecord;
import io.kvmtune.core.apply.CommandLineCheck;
import io.kvmtune.core.apply.ThreadTargets;
import io.kvmtune.core.json.Json;
import io.kvmtune.core.libvirt.StartSettings;
import io.kvmtune.core.plan.TuningPlan;
import io.kvmtune.core.qemu.DiscoveredGuest;
import io.kvmtune.core.qemu.DiscoveryException;
import io.kvmtune.core.qemu.ProcFs;
import io.kvmtune.core.qemu.QemuCommandLine;
import io.kvmtune.core.qemu.ThreadIdentity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kvmtune verify}: compare a running QEMU with its plan; exit 1 and one line per
 * difference on drift. Without {@code --plan} the plan saved by {@code apply} is used; either
 * way the guest's threads are discovered now (through the QMP socket apply was given, if any),
 * so a vCPU plugged in since the apply and not tuned is a difference, and a planned vCPU that is
 * not plugged in is listed as absent ({@code absent_vcpus}), which is not one. The HPET and guest CPU of the plan are compared with the QEMU's
 * command line ({@link CommandLineCheck}), and for a libvirt domain the CPU model its definition
 * asks for with QEMU's; what that cannot decide is listed under {@code not_compared} in the JSON
 * output, and what it found as planned under {@code compared_equal}.
 */
@Command(name = "verify", description = "Compare the running state with the plan (default: the one saved at apply); exit 1 on drift.")
final class VerifyCommand extends Subcommand {

    @ArgGroup(exclusive = true, multiplicity = "1")
    TargetOptions target;

    @Option(names = "--plan", paramLabel = "FILE", description = "A plan written by kvmtune plan --format json.")
    Path plan;

    @Override
    ExitStatus run() {
        HookSettings paths = hostState();
        Applier applier = Applier.system(paths.records());
        int pid;
        try {
            pid = target.pid(paths);
        } catch (DiscoveryException e) {
            if (!e.code().equals("DomainNotRunning")) {
                throw e;
            }
            // Not a missing component: the guest is not running as planned, which is what verify reports.
            return notRunning(e.getMessage());
        }
        List<String> differences = new ArrayList<>();
        Optional<CommandLineCheck> startup;
        List<Integer> absent = List.of();
        if (plan == null) {
            Optional<ApplyRecord> saved = applier.record(pid);
            if (saved.isEmpty()) {
                applier.verify(pid); // throws NoApplyRecord
            }
            ApplyRecord record = saved.orElseThrow();
            startup = commandLine(new ProcFs(paths.procRoot()), record.process())
                    .map(c -> CommandLineCheck.of(record.plan(), c, definition(paths, c)));
            if (startup.isPresent()) {
                // Discovered again, so that vCPUs plugged in since the apply are compared too.
                DiscoveredGuest now = target.discover(paths, record.qmpSocket().map(Path::of), true);
                differences.addAll(applier.verify(pid, now.guest()));
                absent = ThreadTargets.absentVcpus(record.plan(), now.guest());
            } else {
                differences.addAll(applier.verify(pid)); // the QEMU has exited: says so
            }
        } else {
            Optional<Path> qmp = applier.record(pid).flatMap(ApplyRecord::qmpSocket).map(Path::of);
            DiscoveredGuest found = target.discover(paths, qmp, true);
            TuningPlan planned = InputFiles.plan("--plan", plan);
            differences.addAll(applier.verify(planned, found.guest()));
            startup = Optional.of(CommandLineCheck.of(planned, found.commandLine(),
                    definition(paths, found.commandLine())));
            absent = ThreadTargets.absentVcpus(planned, found.guest());
        }
        startup.ifPresent(c -> differences.addAll(c.differences()));
        if (format() == OutputFormat.JSON) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("pid", pid);
            m.put("as_planned", differences.isEmpty());
            m.put("differences", differences);
            m.put("absent_vcpus", absent);
            m.put("not_compared", startup.map(CommandLineCheck::notCompared).orElse(List.of()));
            m.put("compared_equal", startup.map(CommandLineCheck::equal).orElse(List.of()));
            out().println(Json.pretty(m));
        } else if (differences.isEmpty()) {
            out().println("QEMU pid " + pid + " is as planned" + absentNote(absent));
        } else {
            differences.forEach(out()::println);
            if (!absent.isEmpty()) {
                out().println(absentNote(absent).strip());
            }
        }
        return differences.isEmpty() ? ExitStatus.OK : ExitStatus.DIFFERENCE;
    }

    /**
     * What the libvirt domain of this QEMU asks for, from its definition
     * ({@code /etc/libvirt/qemu/NAME.xml}); libvirt's live XML shows a host-model CPU already
     * expanded into a named model, so only the definition tells an asked-for model from a derived one.
     */
    private static Optional<StartSettings> definition(HookSettings paths, QemuCommandLine commandLine) {
        Optional<Path> file = commandLine.name().filter(n -> n.matches("[A-Za-z0-9._+-]+"))
                .map(n -> paths.libvirtConfigDir().resolve(n + ".xml")).filter(Files::isRegularFile);
        try {
            return file.map(f -> StartSettings.read(InputFiles.bytes("definition", f)));
        } catch (RuntimeException e) {
            return Optional.empty(); // an unreadable definition leaves the CPU compared as before
        }
    }

    private ExitStatus notRunning(String why) {
        if (format() == OutputFormat.JSON) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("pid", null);
            m.put("as_planned", false);
            m.put("differences", List.of(why));
            m.put("absent_vcpus", List.of());
            m.put("not_compared", List.of());
            m.put("compared_equal", List.of());
            out().println(Json.pretty(m));
        } else {
            out().println(why);
        }
        return ExitStatus.DIFFERENCE;
    }

    /** Planned vCPUs that are not plugged in: absent, not a difference. */
    private static String absentNote(List<Integer> absent) {
        return absent.isEmpty() ? "" : " (planned vCPU " + absent.stream().map(String::valueOf)
                .collect(java.util.stream.Collectors.joining(", ")) + " not plugged in: absent, not a difference)";
    }

    /**
     * The command line of {@code process}, when it is still that process after reading it; when
     * it is not, the thread check has said so already.
     */
    private static Optional<QemuCommandLine> commandLine(ProcFs proc, ThreadIdentity process) {
        Optional<List<String>> argv = proc.cmdline(process.tid());
        return argv.isPresent() && proc.stillSame(process) ? argv.map(QemuCommandLine::parse) : Optional.empty();
    }
}
