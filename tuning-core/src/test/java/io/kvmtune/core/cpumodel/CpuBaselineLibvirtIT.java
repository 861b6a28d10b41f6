package io.kvmtune.core.cpumodel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link CpuBaseline} against libvirt's own {@code virsh cpu-baseline} on the recorded host CPUs of
 * five Intel generations and one AMD, fleet by fleet.
 *
 * <p>Two libvirt answers are compared. {@code test:///default} runs libvirt's x86 baseline
 * without a daemon and keeps every shared feature, so its required features must be kvmtune's
 * extra flags plus the two sets kvmtune reports apart. {@code qemu:///system} with
 * {@code --migratable} (when libvirtd answers) is what a QEMU pool gets: it leaves out what
 * libvirt will not migrate and what QEMU never gives a guest, so its required features must be
 * exactly kvmtune's {@code cpu_model_extra_flags}.
 *
 * <p>The one difference, named in {@link #aMixedVendorPoolGetsAModelFromKvmtuneWhereLibvirtRefuses}:
 * libvirt refuses hosts of different vendors, kvmtune picks from models of any vendor.
 * {@code virsh hypervisor-cpu-baseline} is not compared: it answers what this machine's QEMU
 * and KVM can give, not what the pool's hosts share.
 */
class CpuBaselineLibvirtIT {

    /** Fleets of recorded hosts; every one of them has a common vendor. */
    static final Map<String, List<String>> FLEETS = fleets();

    @TempDir
    Path tmp;

    CpuMap map;

    @BeforeEach
    void installedMapAndVirsh() throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(CpuMapReader.DEFAULT_ROOT.resolve("index.xml")),
                "libvirt's cpu_map is not installed at " + CpuMapReader.DEFAULT_ROOT);
        Assumptions.assumeTrue(virsh("test:///default", "version").status() == 0, "virsh is not installed");
        map = CpuMapReader.read(CpuMapReader.DEFAULT_ROOT, "x86");
    }

    private static Map<String, List<String>> fleets() {
        Map<String, List<String>> fleets = new LinkedHashMap<>();
        fleets.put("sandybridge..icelake", List.of("core-i7-2600", "xeon-e5-2650-v3", "xeon-e5-2630-v4", "xeon-gold-6148",
                "ice-lake-server"));
        fleets.put("haswell..icelake", List.of("xeon-e5-2650-v3", "xeon-e5-2630-v4", "xeon-gold-6148", "ice-lake-server"));
        fleets.put("broadwell..icelake", List.of("xeon-e5-2630-v4", "xeon-gold-6148", "ice-lake-server"));
        fleets.put("skylake+icelake", List.of("xeon-gold-6148", "ice-lake-server"));
        fleets.put("haswell+broadwell", List.of("xeon-e5-2650-v3", "xeon-e5-2630-v4"));
        for (String one : List.of("core-i7-2600", "xeon-e5-2650-v3", "xeon-e5-2630-v4", "xeon-gold-6148",
                "ice-lake-server", "epyc-7601")) {
            fleets.put(one + " x2", List.of(one, one));
        }
        return fleets;
    }

    @Test
    void kvmtuneAgreesWithLibvirtsBaselineWithoutADaemon() throws Exception {
        List<String> sideBySide = new ArrayList<>();
        for (Map.Entry<String, List<String>> fleet : FLEETS.entrySet()) {
            CpuBaseline ours = baseline(fleet.getValue());
            LibvirtCpu theirs = LibvirtCpu.parse(virsh("test:///default", "cpu-baseline", concatenated(fleet.getValue()).toString()));
            TreeSet<String> everythingShared = new TreeSet<>(ours.extraFlags());
            everythingShared.addAll(ours.notMigratable());
            everythingShared.addAll(ours.notForGuests());
            sideBySide.add(fleet.getKey() + ": kvmtune " + ours.model().orElse("none") + " | libvirt " + theirs.model());
            assertThat(ours.model()).as(fleet.getKey()).contains(theirs.model());
            assertThat(theirs.disabled()).as(fleet.getKey() + ": libvirt disabled features").isEmpty();
            assertThat(everythingShared).as(fleet.getKey() + ": libvirt's required features").isEqualTo(theirs.required());
        }
        System.out.println(String.join("\n", sideBySide));
    }

    @Test
    void kvmtuneExtraFlagsAreLibvirtsMigratableQemuBaseline() throws Exception {
        Assumptions.assumeTrue(virsh("qemu:///system", "version").status() == 0,
                "libvirtd does not answer on qemu:///system (scripts/start-libvirtd starts it)");
        List<String> sideBySide = new ArrayList<>();
        for (Map.Entry<String, List<String>> fleet : FLEETS.entrySet()) {
            CpuBaseline ours = baseline(fleet.getValue());
            LibvirtCpu theirs = LibvirtCpu.parse(virsh("qemu:///system", "cpu-baseline", "--migratable",
                    concatenated(fleet.getValue()).toString()));
            sideBySide.add(String.format("%-22s kvmtune %s + %s%n%-22s libvirt %s + %s", fleet.getKey(),
                    ours.model().orElse("none"), String.join(",", ours.extraFlags()), "", theirs.model(),
                    String.join(",", theirs.required())));
            assertThat(ours.model()).as(fleet.getKey()).contains(theirs.model());
            assertThat(theirs.disabled()).as(fleet.getKey() + ": libvirt disabled features").isEmpty();
            assertThat(ours.extraFlags()).as(fleet.getKey() + ": libvirt's required features").isEqualTo(theirs.required());
        }
        Files.writeString(Path.of("target", "cpu-baseline-vs-libvirt.txt"), String.join("\n", sideBySide) + "\n");
        System.out.println(String.join("\n", sideBySide));
    }

    @Test
    void aMixedVendorPoolGetsAModelFromKvmtuneWhereLibvirtRefuses() throws Exception {
        List<String> fleet = List.of("xeon-gold-6148", "epyc-7601");
        Run theirs = virsh("test:///default", "cpu-baseline", concatenated(fleet).toString());
        assertThat(theirs.status()).isNotZero();
        assertThat(theirs.output()).contains("CPU vendors do not match");

        CpuBaseline ours = baseline(fleet);
        assertThat(ours.vendor()).isEmpty();
        assertThat(ours.model()).isPresent();
        CpuModelDefinition chosen = map.models().get(ours.model().orElseThrow());
        for (String host : fleet) {
            assertThat(LibvirtHostCpuXml.read(map, LibvirtHostCpuXml.fixture(host)).features())
                    .as("%s runs %s", host, chosen.name()).containsAll(chosen.features());
        }
    }

    private CpuBaseline baseline(List<String> fleet) {
        Map<String, HostCpu> hosts = new LinkedHashMap<>();
        for (int i = 0; i < fleet.size(); i++) {
            hosts.put(fleet.get(i) + "#" + i, LibvirtHostCpuXml.read(map, LibvirtHostCpuXml.fixture(fleet.get(i))));
        }
        return CpuBaseline.of(map, hosts);
    }

    /** The fleet's host CPUs in one file, as virsh takes them. */
    private Path concatenated(List<String> fleet) throws IOException {
        StringBuilder xml = new StringBuilder();
        for (String host : fleet) {
            xml.append(Files.readString(LibvirtHostCpuXml.fixture(host)));
        }
        Path file = Files.createTempFile(tmp, "fleet", ".xml");
        Files.writeString(file, xml);
        return file;
    }

    record Run(int status, String output) {
    }

    private static Run virsh(String uri, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("virsh", "-c", uri));
        command.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return new Run(-1, e.getMessage());
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            return new Run(-1, command + " did not finish in 60 s");
        }
        return new Run(p.exitValue(), out);
    }

    /** The model and feature policies of the {@code <cpu>} virsh printed. */
    record LibvirtCpu(String model, TreeSet<String> required, TreeSet<String> disabled) {

        private static final Pattern MODEL = Pattern.compile("<model[^>]*>([^<]+)</model>");
        private static final Pattern FEATURE = Pattern.compile("<feature policy='(\\w+)' name='([^']+)'/>");

        static LibvirtCpu parse(Run run) {
            assertThat(run.status()).as(run.output()).isZero();
            Matcher model = MODEL.matcher(run.output());
            assertThat(model.find()).as(run.output()).isTrue();
            TreeSet<String> required = new TreeSet<>();
            TreeSet<String> disabled = new TreeSet<>();
            Matcher feature = FEATURE.matcher(run.output());
            while (feature.find()) {
                (feature.group(1).equals("disable") ? disabled : required).add(feature.group(2));
            }
            return new LibvirtCpu(model.group(1), required, disabled);
        }
    }
}
