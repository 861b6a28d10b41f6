package io.kvmtune.core.cpumodel;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvmtune.core.json.Json;
import io.kvmtune.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The runnable-model list of {@link CpuModelReport}, judged by what KVM offers guests
 * ({@link KvmOfferedCpu}, KVM_GET_SUPPORTED_CPUID), against libvirt's own verdict,
 * {@code virsh domcapabilities} mode custom {@code usable='yes'}, on this machine.
 *
 * <p>libvirt takes {@code usable} from QEMU ({@code query-cpu-definitions} unavailable-features),
 * and QEMU from what KVM offers guests, not from the kernel's flags. Every model on which the two
 * lists disagree must be explained by one of {@link Explanation}, each checked against evidence
 * taken from the same QEMU binary libvirt uses, started paused with {@code -machine none} and
 * asked over QMP. Any other difference fails the test. The kernel's view (/proc/cpuinfo) is
 * printed beside it: on a nested or paravirtual KVM it calls many more models runnable.
 */
class CpuModelsDomcapabilitiesIT {

    @TempDir
    Path tmp;

    /** The known reasons why kvmtune's KVM view and libvirt may disagree about a model. */
    enum Explanation {
        /**
         * libvirt lists only models its QEMU defines; its cpu_map keeps older or downstream ones
         * (pentiumpro, cpu64-rhel5/6, Icelake-Client) that this QEMU does not have. Evidence: the
         * model is absent from domcapabilities and from QEMU's query-cpu-definitions.
         */
        MODEL_NOT_IN_THIS_QEMU,
        /**
         * kvmtune reads KVM's CPUID offer only, not its feature MSRs, so a model needing an
         * MSR-defined feature (arch-capabilities bits such as rdctl-no, mds-no) is never runnable to
         * kvmtune. Evidence: every feature kvmtune reports missing is defined by MSR bits alone in
         * libvirt's map and enabled in QEMU's expansion of {@code host}.
         */
        KVM_FEATURE_MSRS_NOT_READ
    }

    record Difference(String model, boolean kvmtuneRunnable, String libvirt, Optional<Explanation> explanation,
            String evidence) {
    }

    @Test
    void runnableModelsAgreeWithDomcapabilitiesUpToExplainedDifferences() throws Exception {
        Assumptions.assumeTrue(onPath("virsh"), "virsh is not installed");
        Assumptions.assumeTrue(Files.exists(Path.of("/dev/kvm")), "/dev/kvm is missing: no KVM domain capabilities");
        Assumptions.assumeTrue(Files.isRegularFile(CpuMapReader.DEFAULT_ROOT.resolve("index.xml")),
                "libvirt's cpu_map is not installed");
        ensureLibvirtd();

        Document caps = parseXml(run(List.of("virsh", "-c", "qemu:///system", "domcapabilities", "--virttype", "kvm",
                "--arch", "x86_64")));
        String emulator = caps.getElementsByTagName("path").item(0).getTextContent().strip();
        Map<String, Boolean> usable = customModels(caps);
        assertThat(usable).as("domcapabilities lists custom models").isNotEmpty();

        CpuMap map = CpuMapReader.read(CpuMapReader.DEFAULT_ROOT, "x86");
        HostCpu kernel = HostCpuReader.read(Path.of("/"), map);
        Optional<HostCpu> offered = KvmOfferedCpu.read(map, kernel);
        Assumptions.assumeTrue(offered.isPresent(), "/dev/kvm does not answer KVM_GET_SUPPORTED_CPUID here");
        HostCpu host = offered.get();
        CpuModelReport report = CpuModelReport.of(map, host);
        System.out.println("runnable as KVM offers (kvmtune): " + report.runnableModels());
        System.out.println("runnable as /proc/cpuinfo lists (kernel): " + CpuModelReport.of(map, kernel).runnableModels());
        Qemu qemu = askQemu(emulator, map);

        List<Difference> differences = new ArrayList<>();
        for (ModelVerdict v : report.models()) {
            Boolean libvirtUsable = usable.get(v.name());
            if (libvirtUsable != null && libvirtUsable == v.runnable()) {
                continue;
            }
            if (libvirtUsable == null && !v.runnable()) {
                continue; // neither calls it runnable
            }
            differences.add(explain(v, libvirtUsable, map, qemu));
        }
        for (String model : usable.keySet()) {
            if (!map.models().containsKey(model) && usable.get(model)) {
                differences.add(new Difference(model, false, "usable", Optional.empty(),
                        "domcapabilities names a model libvirt's cpu_map lacks"));
            }
        }

        differences.forEach(d -> System.out.printf("%-28s kvmtune=%-5s libvirt=%-7s %s: %s%n", d.model(),
                d.kvmtuneRunnable(), d.libvirt(), d.explanation().map(Enum::name).orElse("UNEXPLAINED"), d.evidence()));
        assertThat(differences).as("differences no documented reason explains")
                .filteredOn(d -> d.explanation().isEmpty()).isEmpty();
        assertThat(report.runnableModels()).as("the models both call runnable")
                .containsAll(usable.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey)
                        .filter(m -> differences.stream().noneMatch(d -> d.model().equals(m))).toList());
    }

    private static Difference explain(ModelVerdict v, Boolean libvirtUsable, CpuMap map, Qemu qemu) {
        String libvirt = libvirtUsable == null ? "absent" : libvirtUsable ? "usable" : "no";
        if (libvirtUsable == null) {
            boolean absent = !qemu.definitions().containsKey(v.name());
            return new Difference(v.name(), v.runnable(), libvirt,
                    absent ? Optional.of(Explanation.MODEL_NOT_IN_THIS_QEMU) : Optional.empty(),
                    absent ? "not in query-cpu-definitions" : "QEMU defines it, yet domcapabilities omits it");
        }
        if (v.runnable()) {
            return new Difference(v.name(), true, libvirt, Optional.empty(), "QEMU unavailable-features "
                    + qemu.definitions().getOrDefault(v.name(), Set.of()) + " although KVM offers every feature");
        }
        boolean msrOnly = v.missing().stream().allMatch(f -> map.features().containsKey(f)
                && map.features().get(f).bits().stream().allMatch(b -> b.source() == CpuRegisterBits.Source.MSR));
        boolean qemuHasAll = qemu.hostModel().containsAll(v.missing());
        return new Difference(v.name(), false, libvirt,
                msrOnly && qemuHasAll ? Optional.of(Explanation.KVM_FEATURE_MSRS_NOT_READ) : Optional.empty(),
                "missing from KVM's CPUID offer " + v.missing() + " (MSR-defined only: " + msrOnly
                        + ", in QEMU's host model: " + qemuHasAll + ")");
    }

    /** What QEMU says: unavailable features per model (libvirt names) and the features of {@code -cpu host}. */
    record Qemu(Map<String, Set<String>> definitions, Set<String> hostModel) {
    }

    private Qemu askQemu(String emulator, CpuMap map) throws Exception {
        Path socket = tmp.resolve("qmp.sock");
        Process process = new ProcessBuilder(emulator, "-S", "-nodefaults", "-nographic", "-display", "none",
                "-machine", "none,accel=kvm", "-qmp", "unix:" + socket + ",server=on,wait=off")
                .redirectErrorStream(true).redirectOutput(tmp.resolve("qemu.log").toFile()).start();
        try {
            for (int i = 0; i < 100 && !Files.exists(socket) && process.isAlive(); i++) {
                Thread.sleep(50);
            }
            assertThat(Files.exists(socket)).as("QEMU's QMP socket; log: %s", Files.readString(tmp.resolve("qemu.log")))
                    .isTrue();
            try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.connect(UnixDomainSocketAddress.of(socket));
                var in = new java.io.BufferedReader(Channels.newReader(ch, StandardCharsets.UTF_8));
                in.readLine(); // greeting
                qmp(ch, in, "{\"execute\":\"qmp_capabilities\"}");
                Map<String, Set<String>> definitions = new LinkedHashMap<>();
                for (Object d : (List<?>) qmp(ch, in, "{\"execute\":\"query-cpu-definitions\"}")) {
                    JsonObject def = JsonObject.of(d, "$.return[]");
                    Set<String> unavailable = new TreeSet<>();
                    for (Object f : def.array("unavailable-features")) {
                        unavailable.add(libvirtName((String) f, map));
                    }
                    definitions.put(def.string("name"), unavailable);
                }
                JsonObject expansion = JsonObject.of(qmp(ch, in, "{\"execute\":\"query-cpu-model-expansion\","
                        + "\"arguments\":{\"type\":\"full\",\"model\":{\"name\":\"host\"}}}"), "$.return");
                Set<String> hostModel = new TreeSet<>();
                expansion.object("model").object("props").fields().forEach((prop, value) -> {
                    if (Boolean.TRUE.equals(value)) {
                        hostModel.add(libvirtName(prop, map));
                    }
                });
                return new Qemu(definitions, hostModel);
            }
        } finally {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    private static Object qmp(SocketChannel ch, java.io.BufferedReader in, String command) throws IOException {
        ch.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.UTF_8)));
        while (true) {
            String line = in.readLine();
            assertThat(line).as("QMP reply to %s", command).isNotNull();
            JsonObject reply = Json.parseObject(line);
            if (reply.has("return")) {
                return reply.get("return");
            }
            assertThat(reply.has("error")).as("QMP error for %s: %s", command, line).isFalse();
        }
    }

    /** QEMU spells features with '-' or '_' where libvirt may not; libvirt records most as aliases. */
    private static String libvirtName(String qemuName, CpuMap map) {
        return map.canonicalFeature(qemuName)
                .or(() -> map.canonicalFeature(qemuName.replace('-', '_')))
                .or(() -> LinuxCpuFlags.byName(qemuName, map))
                .orElse(qemuName);
    }

    private static Map<String, Boolean> customModels(Document caps) {
        Map<String, Boolean> out = new LinkedHashMap<>();
        NodeList modes = caps.getElementsByTagName("mode");
        for (int i = 0; i < modes.getLength(); i++) {
            Element mode = (Element) modes.item(i);
            if (!mode.getAttribute("name").equals("custom")) {
                continue;
            }
            NodeList models = mode.getElementsByTagName("model");
            for (int j = 0; j < models.getLength(); j++) {
                Element model = (Element) models.item(j);
                out.put(model.getTextContent().strip(), model.getAttribute("usable").equals("yes"));
            }
        }
        return out;
    }

    private static Document parseXml(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    private static void ensureLibvirtd() throws Exception {
        if (exitCode(List.of("virsh", "-c", "qemu:///system", "version")) == 0) {
            return;
        }
        Path script = List.of(Path.of("../scripts/start-libvirtd"), Path.of("/work/main/scripts/start-libvirtd")).stream()
                .filter(Files::isExecutable).findFirst().orElse(null);
        Assumptions.assumeTrue(script != null, "libvirtd is not running and scripts/start-libvirtd is not found");
        assertThat(exitCode(List.of(script.toString()))).as("start-libvirtd").isZero();
    }

    private static boolean onPath(String command) {
        Predicate<Path> executable = dir -> Files.isExecutable(dir.resolve(command));
        return java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
                .map(Path::of).anyMatch(executable);
    }

    private static int exitCode(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            return -1;
        }
        return p.exitValue();
    }

    private static String run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
        assertThat(p.exitValue()).as("%s: %s", command, out).isZero();
        return out;
    }
}
