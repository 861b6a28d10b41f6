package io.kvmtune.cli;

import static io.kvmtune.cli.CommandRun.kvmtune;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kvmtune.core.cpumodel.CpuMapReader;
import io.kvmtune.core.json.Json;
import io.kvmtune.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nova's CPU-model rules on the planning paths (plan, xml): names in libvirt's spelling, unknown
 * names and incompatible models refused as {@code InvalidCPUInfo}, required traits choosing the
 * model. The host is declared, so the verdicts do not depend on this machine's CPU; the names come
 * from this machine's libvirt map.
 */
class CpuModelRulesTest {

    /** A Penryn-class Intel host: Penryn runs, with pcid, but there is no vmx and no avx2. */
    private static final String PENRYN_HOST = """
            {"online": "0-3", "nodes": [{"id": 0, "cpus": "0-3"}], "arch": "x86_64",
             "cpu_vendor": "GenuineIntel",
             "cpu_flags": "fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2 ht syscall nx lm constant_tsc pni ssse3 cx16 sse4_1 pcid lahf_lm"}
            """;

    @TempDir
    Path dir;

    Path penrynHost;
    Path unknownHost;

    @BeforeEach
    void hosts() throws Exception {
        assumeTrue(Files.isRegularFile(CpuMapReader.DEFAULT_ROOT.resolve("index.xml")),
                "libvirt's CPU map is not installed here (" + CpuMapReader.DEFAULT_ROOT + ")");
        penrynHost = Files.writeString(dir.resolve("penryn.json"), PENRYN_HOST);
        unknownHost = Files.writeString(dir.resolve("fleet.json"),
                "{\"online\": \"0-3\", \"nodes\": [{\"id\": 0, \"cpus\": \"0-3\"}], \"arch\": \"x86_64\"}");
    }

    /** test_get_guest_cpu_config_custom_upper_case: the model is written as libvirt spells it. */
    @Test
    void aModelNamedInAnyCaseIsWrittenInLibvirtsSpelling_test_get_guest_cpu_config_custom_upper_case() throws Exception {
        JsonObject plan = plan(penrynHost, "PENRYN", "+pcid");

        assertThat(plan.object("cpu").string("model")).isEqualTo("Penryn");
        assertThat(plan.object("cpu").objects("features")).singleElement()
                .satisfies(f -> assertThat(f.string("name")).isEqualTo("pcid"));
        CommandRun xml = run("xml", penrynHost, "penryn", "+pcid");
        assertThat(xml.status()).as(xml.err()).isZero();
        assertThat(xml.out()).contains("<model>Penryn</model>").doesNotContain(">penryn<");
    }

    /** test_cpu_models_with_unknown_name / _get_cpu_model_mapping: an unknown name is InvalidCPUInfo. */
    @Test
    void anUnknownModelIsInvalidCpuInfo_test_get_cpu_model_mapping() throws Exception {
        CommandRun run = run("plan", penrynHost, "FooLake", "");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("InvalidCPUInfo").contains("Configured CPU model: FooLake is not correct");
    }

    /** _check_cpu_compatibility rule 4: a flag the host lacks is refused when planning, not at virsh start. */
    @Test
    void aFlagTheHostLacksIsInvalidCpuInfo_test_check_cpu_compatibility_incompatible_flags() throws Exception {
        CommandRun vmx = run("plan", penrynHost, "Penryn", "+vmx");
        CommandRun unknown = run("xml", penrynHost, "Penryn", "+nosuchflag");

        assertThat(vmx.status()).isEqualTo(2);
        assertThat(vmx.err()).contains("InvalidCPUInfo").contains("Configured CPU model: Penryn and CPU Flags [+vmx]")
                .contains("lacks [vmx]");
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.err()).contains("InvalidCPUInfo").contains("nosuchflag");
    }

    /** A declared topology without the host's CPU is planned; the reasons say nothing was compared. */
    @Test
    void anotherHostWithoutItsCpuIsPlannedWithAReasonSayingSo() throws Exception {
        JsonObject plan = plan(unknownHost, "penryn", "+vmx");

        assertThat(plan.object("cpu").string("model")).isEqualTo("Penryn");
        assertThat(plan.objects("reasons")).anySatisfy(r -> assertThat(r.string("decision"))
                .startsWith("compatibility of the CPU models with the host CPU not checked"));
    }

    /** test_get_guest_cpu_config_custom_with_traits: the first configured model having every required trait. */
    @Test
    void requiredTraitsChooseTheFirstModelHavingThem_test_get_guest_cpu_config_custom_with_traits() throws Exception {
        JsonObject plan = plan(unknownHost, "Penryn,Haswell-noTSX,Skylake-Client", "",
                "--flavor-spec", "trait:HW_CPU_X86_AVX2=required");
        CommandRun none = run("plan", unknownHost, "Penryn,Nehalem", "", "--flavor-spec",
                "trait:HW_CPU_X86_AVX2=required");

        assertThat(plan.object("cpu").string("model")).isEqualTo("Haswell-noTSX");
        assertThat(none.status()).isEqualTo(2);
        assertThat(none.err()).contains("InvalidCPUInfo").contains("No CPU model match traits");
    }

    private JsonObject plan(Path topology, String models, String flags, String... more) throws Exception {
        CommandRun run = run("plan", topology, models, flags, concat(more, "--format", "json"));
        assertThat(run.status()).as(run.err()).isZero();
        return Json.parseObject(run.out());
    }

    private CommandRun run(String command, Path topology, String models, String flags, String... more) throws Exception {
        Path conf = Files.writeString(dir.resolve("kvmtune.conf"), "[libvirt]\ncpu_mode = custom\ncpu_models = " + models
                + "\ncpu_model_extra_flags = " + flags + "\n");
        List<String> args = new ArrayList<>(List.of(command, "--vcpus", "2", "--config", conf.toString(), "--topology",
                topology.toString(), "--claims", "none"));
        args.addAll(List.of(more));
        return kvmtune(args.toArray(String[]::new));
    }

    private static String[] concat(String[] a, String... b) {
        List<String> all = new ArrayList<>(List.of(a));
        all.addAll(List.of(b));
        return all.toArray(String[]::new);
    }
}
