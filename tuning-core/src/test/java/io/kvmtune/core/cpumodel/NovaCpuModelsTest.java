package io.kvmtune.core.cpumodel;

import static io.kvmtune.core.cpumodel.CpuModelReportTest.host;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvmtune.core.InvalidInputException;
import io.kvmtune.core.plan.CpuFeature;
import io.kvmtune.core.spec.CpuMode;
import io.kvmtune.core.spec.HostPolicy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nova's {@code _get_cpu_model_mapping}, rule 4 of {@code _check_cpu_compatibility} and trait matching (§5). */
class NovaCpuModelsTest {

    @TempDir
    Path dir;

    CpuMap map;
    NovaCpuModels x86;

    @BeforeEach
    void readMap() {
        map = CpuMapReader.read(FakeCpuMap.standard(dir), "x86");
        x86 = new NovaCpuModels("x86_64", Optional.of(map),
                Optional.of(host("Intel", 6, 15, "fpu", "sse2", "pni", "sse4.1", "tsc-deadline")));
    }

    static HostPolicy custom(List<String> models, CpuFeature... flags) {
        HostPolicy d = HostPolicy.defaults();
        return new HostPolicy(d.dedicatedSet(), d.sharedSet(), "kvm", Optional.of(CpuMode.CUSTOM), models,
                List.of(flags), 1);
    }

    /** §5 model name resolution: {@code PENRYN} is written as libvirt spells it. */
    @Test
    void modelNamesAreMatchedIgnoringCaseAndWrittenInLibvirtsSpelling() {
        assertThat(x86.resolve("OLDLAKE")).isEqualTo("Oldlake");
        assertThat(x86.resolve("newlake-ibrs")).isEqualTo("Newlake-IBRS");
        assertThat(x86.resolveNames(custom(List.of("BASIC", "oldLake"))).cpuModels()).containsExactly("basic", "Oldlake");
    }

    /** §5 model name resolution: an unknown name is InvalidCPUInfo. */
    @Test
    void anUnknownModelNameIsInvalidCpuInfoNamingTheOptionAndValue() {
        assertThatThrownBy(() -> x86.resolve("Pentium9000"))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.code()).isEqualTo("InvalidCPUInfo");
                    assertThat(e.key()).isEqualTo("libvirt.cpu_models");
                    assertThat(e.value()).isEqualTo("Pentium9000");
                })
                .hasMessageContaining("libvirt.cpu_models: Configured CPU model: Pentium9000 is not correct,"
                        + " or your host CPU arch (x86_64) does not support this model. Please correct your config"
                        + " and try again.");
    }

    @Test
    void namesPassThroughUncheckedOnAarch64AndS390x() {
        for (String machine : List.of("aarch64", "s390x")) {
            NovaCpuModels other = new NovaCpuModels(machine, Optional.empty(), Optional.empty());
            assertThat(other.resolve("Whatever-V9")).isEqualTo("Whatever-V9");
            assertThat(other.checkCompatibility(custom(List.of("Whatever-V9"))).cpuModels()).containsExactly("Whatever-V9");
        }
    }

    @Test
    void ppc64NamesAreResolvedAgainstThePpc64Map() {
        NovaCpuModels ppc = new NovaCpuModels("ppc64le", Optional.of(CpuMapReader.read(dir, "ppc64")), Optional.empty());

        assertThat(ppc.checkCompatibility(custom(List.of("power9"))).cpuModels()).containsExactly("POWER9");
        assertThatThrownBy(() -> ppc.resolve("POWER99")).isInstanceOf(InvalidInputException.class);
    }

    /** §5 start-up rule 4: each model with the extra flags must run on the host. */
    @Test
    void compatibleModelsAndFlagsPassAndComeBackResolved() {
        HostPolicy checked = x86.checkCompatibility(custom(List.of("BASIC", "oldlake"),
                new CpuFeature("tsc-deadline", "require"), new CpuFeature("sse4_1", "require")));

        assertThat(checked.cpuModels()).containsExactly("basic", "Oldlake");
        assertThat(checked.extraFlags()).extracting(CpuFeature::name).containsExactly("tsc-deadline", "sse4_1");
    }

    @Test
    void aModelTheHostCannotRunIsInvalidCpuInfoNamingModelFlagsAndMissingFeatures() {
        assertThatThrownBy(() -> x86.checkCompatibility(custom(List.of("basic", "newlake"), new CpuFeature("pni", "require"))))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.code()).isEqualTo("InvalidCPUInfo");
                    assertThat(e.key()).isEqualTo("libvirt.cpu_models");
                    assertThat(e.value()).isEqualTo("Newlake");
                })
                .hasMessageContaining("Configured CPU model: newlake and CPU Flags [+pni] are not compatible with host CPU")
                .hasMessageContaining("lacks [avx2]");
    }

    @Test
    void aRequiredExtraFlagTheHostLacksFailsEvenForAModelItCanRun() {
        assertThatThrownBy(() -> x86.checkCompatibility(custom(List.of("basic"), new CpuFeature("avx2", "require"))))
                .hasMessageContaining("Configured CPU model: basic and CPU Flags [+avx2] are not compatible with host CPU")
                .hasMessageContaining("lacks [avx2]");
    }

    @Test
    void aDisabledFlagTakesItsFeatureOutOfTheComparison() {
        HostPolicy checked = x86.checkCompatibility(custom(List.of("Newlake"), new CpuFeature("avx2", "disable")));

        assertThat(checked.cpuModels()).containsExactly("Newlake");
    }

    @Test
    void anExtraFlagLibvirtDoesNotKnowIsInvalidCpuInfoNamingTheFlag() {
        assertThatThrownBy(() -> x86.checkCompatibility(custom(List.of("basic"), new CpuFeature("warp", "require"))))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.code()).isEqualTo("InvalidCPUInfo");
                    assertThat(e.key()).isEqualTo("libvirt.cpu_model_extra_flags");
                    assertThat(e.value()).isEqualTo("warp");
                });
    }

    /** Nova compares only KVM guests' models: TCG emulates the whole CPU, whatever the host lacks. */
    @Test
    void underVirtTypeQemuModelsAreResolvedButNotCompared_test_compare_cpu_virt_type_qemu() {
        HostPolicy kvm = custom(List.of("basic", "newlake"));
        HostPolicy qemu = new HostPolicy(kvm.dedicatedSet(), kvm.sharedSet(), "qemu", kvm.cpuMode(), kvm.cpuModels(),
                kvm.extraFlags(), kvm.realtimePriority());

        CpuModelCheck checked = x86.check(qemu);

        assertThat(checked.policy().cpuModels()).containsExactly("basic", "Newlake");
        assertThat(checked.models().notes()).singleElement().satisfies(r -> assertThat(r.decision())
                .isEqualTo("compatibility of the CPU models with the host CPU not checked: virt_type=qemu emulates"
                        + " the guest CPU in software, as Nova's _compare_cpu skips it"));
        assertThatThrownBy(() -> x86.check(kvm)).hasMessageContaining("lacks [avx2]");
    }

    @Test
    void withoutModelsNothingIsCompared() {
        HostPolicy hostModel = HostPolicy.defaults();

        assertThat(x86.checkCompatibility(hostModel)).isEqualTo(hostModel);
    }

    /** §5 guest CPU element: with required CPU traits, the first model whose features have every flag. */
    @Test
    void requiredCpuTraitsPickTheFirstModelHavingEveryFlag() {
        List<String> models = List.of("basic", "Oldlake", "Newlake", "Zen");

        assertThat(x86.modelForFlavor(models, Map.of())).isEqualTo("basic");
        assertThat(x86.modelForFlavor(models, Map.of("trait:HW_CPU_X86_AVX2", "required"))).isEqualTo("Newlake");
        assertThat(x86.modelForFlavor(models, Map.of("trait1:HW_CPU_X86_SHA", "required",
                "trait:HW_CPU_X86_SSE2", "required"))).isEqualTo("Zen");
        assertThat(x86.modelForFlavor(models, Map.of("trait:HW_CPU_X86_AVX2", "forbidden"))).isEqualTo("basic");
    }

    /** §5 guest CPU element: no model with every flag is "No CPU model match traits". */
    @Test
    void noModelMatchingTheTraitsIsInvalidCpuInfo() {
        assertThatThrownBy(() -> x86.modelForFlavor(List.of("basic", "Oldlake"), Map.of("trait:HW_CPU_X86_AVX2", "required")))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.code()).isEqualTo("InvalidCPUInfo"))
                .hasMessageContaining("No CPU model match traits")
                .hasMessageContaining("[avx2]");
    }

    @Test
    void novaTraitQuirksAreKept() {
        assertThat(CpuTraits.requiredFeatures(Map.of("trait:HW_CPU_X86_SSE3", "required")))
                .as("Nova maps SSE3 to sse3, a name libvirt's baseline never reports").containsExactly("sse3");
        assertThat(CpuTraits.requiredFeatures(Map.of("trait:HW_CPU_X86_SVM", "required", "trait:HW_CPU_X86_VMX",
                "required", "trait:CUSTOM_FOO", "required", "hw:cpu_policy", "dedicated"))).isEmpty();
    }

    /** test_cpu_models_*: without libvirt's map, names are checked against QEMU's own list and the plan says so. */
    @Test
    void withoutLibvirtsMapNamesAreMatchedAgainstQemusList_test_get_cpu_model_mapping() {
        NovaCpuModels qemu = new NovaCpuModels("x86_64", Optional.empty(),
                QemuCpuModelNames.parse("Available CPUs:\nx86 Penryn                (alias configured by machine type)\n"
                        + "x86 Penryn-v1             Intel Core 2 Duo P9xxx (Penryn Class Core 2)\n\nRecognized CPUID flags:\n"
                        + "  pcid\n"),
                Optional.empty(), "/proc/cpuinfo");

        CpuModelCheck checked = qemu.check(custom(List.of("penryn")));

        assertThat(checked.policy().cpuModels()).containsExactly("Penryn");
        assertThat(checked.models().notes()).singleElement().satisfies(r -> assertThat(r.decision())
                .contains("libvirt's CPU map is not installed").contains("qemu-system-x86_64 -cpu help"));
        assertThatThrownBy(() -> qemu.check(custom(List.of("FooLake"))))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.code()).isEqualTo("InvalidCPUInfo"));
    }

    /** Rule 4 needs the host's CPU: a declared topology without one is planned with a reason, not refused. */
    @Test
    void anUnknownHostCpuSkipsTheComparisonAndSaysSo_test_check_cpu_compatibility() {
        NovaCpuModels unknown = new NovaCpuModels("x86_64", Optional.of(map), java.util.Set.of(), Optional.empty(),
                "declared in fleet.json");

        CpuModelCheck checked = unknown.check(custom(List.of("newlake"), new CpuFeature("avx512f", "require")));

        assertThat(checked.policy().cpuModels()).containsExactly("Newlake");
        assertThat(checked.models().notes()).singleElement().satisfies(r -> assertThat(r.decision())
                .isEqualTo("compatibility of the CPU models with the host CPU not checked: declared in fleet.json"
                        + " gives no CPU vendor and flags"));
    }

    /** A declared host CPU is compared like this host's: vendor string and /proc/cpuinfo flag names. */
    @Test
    void aDeclaredHostCpuIsComparedWithItsLinuxFlagNames() {
        HostCpu declared = DeclaredHostCpu.parse("""
                {"online": "0-1", "nodes": [{"id": 0, "cpus": "0-1"}],
                 "cpu_vendor": "GenuineIntel", "cpu_flags": "fpu sse2 pni sse4_1"}""", map).orElseThrow();
        NovaCpuModels other = new NovaCpuModels("x86_64", Optional.of(map), java.util.Set.of(), Optional.of(declared),
                "declared");

        assertThat(declared.vendor()).contains("Intel");
        assertThat(other.check(custom(List.of("OLDLAKE"))).policy().cpuModels()).containsExactly("Oldlake");
        assertThatThrownBy(() -> other.check(custom(List.of("Newlake"))))
                .hasMessageContaining("The host CPU (declared) lacks [avx2]");
        assertThat(DeclaredHostCpu.parse("{\"online\": \"0\"}", map)).isEmpty();
    }

    /** {@code _match_cpu_model_by_flags} through the planner's interface: trait names, not spec keys. */
    @Test
    void theTraitChoiceTakesTraitNames_test_get_guest_cpu_config_custom_with_traits() {
        NovaCpuModels avx2Host = new NovaCpuModels("x86_64", Optional.of(map),
                Optional.of(host("Intel", 6, 85, "fpu", "sse2", "pni", "sse4.1", "avx2")));
        CpuModelCheck checked = avx2Host.check(custom(List.of("basic", "oldlake", "newlake")));

        assertThat(checked.models().choice().modelFor(checked.policy().cpuModels(), java.util.Set.of("HW_CPU_X86_AVX2")))
                .isEqualTo("Newlake");
        assertThat(checked.models().notes()).singleElement().satisfies(r -> assertThat(r.decision())
                .startsWith("CPU models [basic, Oldlake, Newlake] with the extra flags checked against the host CPU"));
    }
}
