package io.kvmtune.core.qemu;

import io.kvmtune.core.plan.CpuFeature;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * What a running QEMU was told on its command line ({@code /proc/<pid>/cmdline}) about the things
 * a tuning plan cares about, so that {@code verify} can compare them with the plan.
 *
 * @param argv the whole command line, program first
 * @param name the guest name ({@code -name guest=NAME} or {@code -name NAME})
 * @param debugThreads whether {@code -name ...,debug-threads=on} gave threads their names
 *     ({@code CPU 0/KVM}); without it every thread carries the program's name
 * @param uuid {@code -uuid}
 * @param machineType {@code -machine type=} / {@code -M}, empty when QEMU's default is used
 * @param hpet whether the guest has an HPET: {@code -no-hpet} and the {@code hpet} machine
 *     property, else QEMU's default (on for the x86 {@code pc} and {@code q35} machines); empty
 *     when not known (another machine or architecture)
 * @param cpuModel the {@code -cpu} model ({@code host}, {@code max}, {@code Skylake-Server}, ...)
 * @param cpuFeatures the boolean {@code -cpu} features in QEMU's spelling: {@code +pcid} and
 *     {@code pcid=on} require, {@code -pcid} and {@code pcid=off} disable; the last word counts
 * @param cpuProperties the other {@code -cpu} properties ({@code hv-vendor-id=...})
 * @param memLock {@code -overcommit mem-lock=on} (or {@code on-fault}): guest memory is locked
 * @param qmpSockets UNIX socket paths of QMP monitors: {@code -qmp unix:PATH}, and
 *     {@code -chardev socket,path=PATH} used by a {@code -mon mode=control}; sockets libvirt hands
 *     over as a file descriptor have no path and are not listed
 */
public record QemuCommandLine(List<String> argv, Optional<String> name, boolean debugThreads, Optional<String> uuid,
        Optional<String> machineType, Optional<Boolean> hpet, Optional<String> cpuModel, List<CpuFeature> cpuFeatures,
        Map<String, String> cpuProperties, boolean memLock, List<Path> qmpSockets) {

    public QemuCommandLine {
        argv = List.copyOf(argv);
        cpuFeatures = List.copyOf(cpuFeatures);
        cpuProperties = Map.copyOf(cpuProperties);
        qmpSockets = List.copyOf(qmpSockets);
    }

    /**
     * Reads the options kvmtune cares about and ignores the rest. Options may be spelled with
     * one or two dashes; where QEMU merges repeated options ({@code -machine}, {@code -name})
     * later values win, and the last {@code -cpu} replaces earlier ones.
     */
    public static QemuCommandLine parse(List<String> argv) {
        Map<String, String> machine = new HashMap<>();
        Map<String, String> name = new HashMap<>();
        Map<String, String> overcommit = new HashMap<>();
        Optional<String> uuid = Optional.empty();
        Optional<Boolean> hpet = Optional.empty();
        String cpu = null;
        List<String> qmpSpecs = new ArrayList<>();
        Map<String, Path> socketChardevs = new HashMap<>();
        List<String> controlMonitors = new ArrayList<>();

        for (int i = 1; i < argv.size(); i++) {
            String option = argv.get(i).startsWith("--") ? argv.get(i).substring(1) : argv.get(i);
            if (option.equals("-no-hpet")) {
                hpet = Optional.of(false);
                continue;
            }
            if (i + 1 >= argv.size()) {
                break;
            }
            String value = argv.get(i + 1);
            switch (option) {
                case "-machine", "-M" -> {
                    merge(machine, value, "type");
                    // Machine options merge, but -no-hpet and hpet= override each other in order.
                    String hpetValue = machine.remove("hpet");
                    if (hpetValue != null) {
                        hpet = QemuOptionValue.bool(hpetValue);
                    }
                }
                case "-name" -> merge(name, value, "guest");
                case "-overcommit" -> merge(overcommit, value, "");
                case "-uuid" -> uuid = Optional.of(value);
                case "-cpu" -> cpu = value;
                case "-qmp", "-qmp-pretty" -> qmpSpecs.add(value);
                case "-chardev" -> chardevSocket(value).ifPresent(c -> socketChardevs.put(c.getKey(), c.getValue()));
                case "-mon" -> {
                    QemuOptionValue mon = QemuOptionValue.parse(value);
                    if (mon.get("mode", "").orElse("readline").equals("control")) {
                        mon.get("chardev", "chardev").ifPresent(controlMonitors::add);
                    }
                }
                default -> {
                    continue;
                }
            }
            i++;
        }

        Optional<String> machineType = Optional.ofNullable(machine.get("type"));
        if (hpet.isEmpty() && defaultHasHpet(argv.isEmpty() ? "" : argv.getFirst(), machineType)) {
            hpet = Optional.of(true);
        }
        List<Path> qmpSockets = new ArrayList<>();
        for (String spec : qmpSpecs) {
            unixPath(spec).ifPresent(qmpSockets::add);
        }
        for (String chardev : controlMonitors) {
            Path p = socketChardevs.get(chardev);
            if (p != null) {
                qmpSockets.add(p);
            }
        }
        CpuOption cpuOption = CpuOption.parse(cpu);
        String memLock = overcommit.getOrDefault("mem-lock", "off");
        return new QemuCommandLine(argv, Optional.ofNullable(name.get("guest")),
                QemuOptionValue.bool(name.getOrDefault("debug-threads", "off")).orElse(false), uuid, machineType, hpet,
                cpuOption.model, cpuOption.features, cpuOption.properties,
                memLock.equals("on-fault") || QemuOptionValue.bool(memLock).orElse(false), qmpSockets);
    }

    /**
     * The most vCPUs this QEMU can have: {@code maxcpus} of the last {@code -smp}, else its vCPU
     * count ({@code -smp N} or {@code cpus=N}); empty without {@code -smp}. libvirt starts a domain
     * with {@code <vcpu current='1'>2</vcpu>} as {@code -smp 1,maxcpus=2,...}: vCPUs up to the
     * maximum can be plugged in while it runs.
     */
    public OptionalInt maxVcpus() {
        return smpCount(value -> value.get("maxcpus", "").or(() -> value.get("cpus", "cpus")));
    }

    /**
     * The vCPUs this QEMU starts with: {@code -smp N} or {@code cpus=N} of the last {@code -smp};
     * empty without {@code -smp}.
     */
    public OptionalInt vcpus() {
        return smpCount(value -> value.get("cpus", "cpus"));
    }

    private OptionalInt smpCount(Function<QemuOptionValue, Optional<String>> count) {
        String smp = null;
        for (int i = 1; i + 1 < argv.size(); i++) {
            String option = argv.get(i).startsWith("--") ? argv.get(i).substring(1) : argv.get(i);
            if (option.equals("-smp")) {
                smp = argv.get(++i);
            }
        }
        if (smp == null) {
            return OptionalInt.empty();
        }
        try {
            return count.apply(QemuOptionValue.parse(smp)).map(c -> OptionalInt.of(Integer.parseInt(c)))
                    .orElse(OptionalInt.empty());
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    private static void merge(Map<String, String> into, String value, String impliedKey) {
        QemuOptionValue parsed = QemuOptionValue.parse(value);
        parsed.implied().ifPresent(v -> into.put(impliedKey, v));
        into.putAll(parsed.items());
    }

    /**
     * QEMU 7.2's x86 {@code pc} and {@code q35} machines (and their versioned and distribution
     * variants, all named {@code pc-*}) have an HPET unless told otherwise; the default machine
     * of {@code qemu-system-x86_64} and {@code qemu-system-i386} is {@code pc}.
     */
    private static boolean defaultHasHpet(String program, Optional<String> machineType) {
        String binary = Path.of(program.isEmpty() ? "?" : program).getFileName().toString();
        boolean x86 = binary.equals("qemu-system-x86_64") || binary.equals("qemu-system-i386") || binary.equals("qemu-kvm");
        String type = machineType.orElse("pc");
        return x86 && (type.equals("pc") || type.startsWith("pc-") || type.equals("q35"));
    }

    /** {@code socket,id=X,path=P}: the id and the path of a UNIX socket chardev. */
    private static Optional<Map.Entry<String, Path>> chardevSocket(String value) {
        QemuOptionValue spec = QemuOptionValue.parse(value);
        if (!spec.get("backend", "backend").orElse("").equals("socket")) {
            return Optional.empty();
        }
        Optional<String> id = spec.get("id", "");
        Optional<String> path = spec.get("path", "");
        return id.isPresent() && path.isPresent() && !path.get().isEmpty()
                ? Optional.of(Map.entry(id.get(), Path.of(path.get())))
                : Optional.empty();
    }

    /** {@code unix:PATH[,options]} as {@code -qmp} takes it. */
    private static Optional<Path> unixPath(String spec) {
        if (!spec.startsWith("unix:")) {
            return Optional.empty();
        }
        String first = QemuOptionValue.split(spec.substring("unix:".length())).getFirst();
        return first.isEmpty() ? Optional.empty() : Optional.of(Path.of(first));
    }

    /** {@code -cpu MODEL[,+feat|-feat|feat=on|prop=value]...}. */
    private record CpuOption(Optional<String> model, List<CpuFeature> features, Map<String, String> properties) {

        static CpuOption parse(String value) {
            if (value == null) {
                return new CpuOption(Optional.empty(), List.of(), Map.of());
            }
            List<String> parts = QemuOptionValue.split(value);
            Map<String, String> policies = new LinkedHashMap<>();
            Map<String, String> properties = new LinkedHashMap<>();
            for (String part : parts.subList(1, parts.size())) {
                if (part.isEmpty()) {
                    continue;
                }
                int eq = part.indexOf('=');
                if (part.charAt(0) == '+' || part.charAt(0) == '-') {
                    put(policies, part.substring(1), part.charAt(0) == '+');
                } else if (eq < 0) {
                    put(policies, part, true);
                } else {
                    Optional<Boolean> on = QemuOptionValue.bool(part.substring(eq + 1));
                    if (on.isPresent()) {
                        put(policies, part.substring(0, eq), on.get());
                    } else {
                        properties.put(part.substring(0, eq), part.substring(eq + 1));
                    }
                }
            }
            List<CpuFeature> features = policies.entrySet().stream()
                    .filter(e -> !e.getKey().isEmpty())
                    .map(e -> new CpuFeature(e.getKey(), e.getValue()))
                    .toList();
            String model = parts.getFirst();
            return new CpuOption(model.isEmpty() ? Optional.empty() : Optional.of(model), features, properties);
        }

        private static void put(Map<String, String> policies, String feature, boolean on) {
            policies.remove(feature);
            policies.put(feature, on ? "require" : "disable");
        }
    }
}
