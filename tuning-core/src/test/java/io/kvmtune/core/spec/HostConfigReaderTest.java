package io.kvmtune.core.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvmtune.core.InvalidInputException;
import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.plan.CpuFeature;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.assertj.core.api.ObjectAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * nova-semantics.md §1 config wrappers and {@code _check_cpu_set_configuration}, §5 start-up
 * rules 1-3 ({@code _check_cpu_compatibility}), §2 {@code realtime_scheduler_priority} (1..99, our
 * choice per §8.9), oslo.config's INI syntax, and the {@code --config} lookup order of CLI.md.
 */
class HostConfigReaderTest {

    private static final CpuSet ONLINE = CpuSet.range(0, 15);

    private static HostPolicy read(String text) {
        return HostConfigReader.parse(text, "nova.conf", ONLINE);
    }

    private static ObjectAssert<InvalidInputException> failure(String text) {
        return assertThatThrownBy(() -> read(text)).asInstanceOf(InstanceOfAssertFactories.type(InvalidInputException.class));
    }

    @Test
    void emptyFileGivesTheBuiltInDefaults() {
        assertThat(read("")).isEqualTo(HostPolicy.defaults());
        assertThat(HostConfigReader.read(IniConfig.empty(), ONLINE)).isEqualTo(HostPolicy.defaults());
    }

    @Test
    void readsEverySettingKvmtuneUses() {
        HostPolicy p = read("""
                [DEFAULT]
                debug = true
                [compute]
                cpu_dedicated_set = 4-15
                cpu_shared_set = 0-3
                [libvirt]
                virt_type = kvm
                cpu_mode = custom
                cpu_models = PENRYN, IvyBridge
                cpu_model_extra_flags = +PCID, -vmx,ssbd
                realtime_scheduler_priority = 50
                [unrelated]
                x = y
                """);
        assertThat(p.dedicatedSet()).contains(CpuSet.range(4, 15));
        assertThat(p.sharedSet()).contains(CpuSet.range(0, 3));
        assertThat(p.virtType()).isEqualTo("kvm");
        assertThat(p.cpuMode()).contains(CpuMode.CUSTOM);
        assertThat(p.cpuModels()).containsExactly("PENRYN", "IvyBridge");
        assertThat(p.extraFlags()).containsExactly(new CpuFeature("pcid", "require"), new CpuFeature("vmx", "disable"),
                new CpuFeature("ssbd", "require"));
        assertThat(p.realtimePriority()).isEqualTo(50);
    }

    // --- §1 sets ---

    @ParameterizedTest
    @ValueSource(strings = {"[compute]\ncpu_shared_set = ^0,0", "[compute]\ncpu_dedicated_set = ,", "[DEFAULT]\nvcpu_pin_set = ^1"})
    void aSetThatParsesEmptyIsInvalid_NoCpusAvailableAfterParsing(String text) {
        failure(text).satisfies(e -> {
            assertThat(e.code()).isEqualTo("Invalid");
            assertThat(e.getMessage()).contains("No CPUs available after parsing").contains("nova.conf:2");
        });
    }

    @Test
    void malformedSetNamesSectionKeyAndElement() {
        failure("[compute]\ncpu_dedicated_set = 4-x").satisfies(e -> {
            assertThat(e.code()).isEqualTo("Invalid");
            assertThat(e.key()).isEqualTo("compute.cpu_dedicated_set");
            assertThat(e.value()).isEqualTo("4-x");
            assertThat(e.getMessage()).contains("Invalid range expression '4-x'");
        });
    }

    @Test
    void sharedAndDedicatedSetsMustBeDisjoint_check_cpu_set_configuration() {
        failure("[compute]\ncpu_dedicated_set = 2-7\ncpu_shared_set = 0-2").satisfies(e -> {
            assertThat(e.code()).isEqualTo("InvalidConfiguration");
            assertThat(e.key()).isEqualTo("compute.cpu_shared_set");
            assertThat(e.getMessage()).contains("disjoint").contains("both hold 2");
        });
    }

    @Test
    void reservedHostCpusGoesWithNeitherSet_check_cpu_set_configuration() {
        failure("[DEFAULT]\nreserved_host_cpus = 2\n[compute]\ncpu_shared_set = 0-1")
                .satisfies(e -> assertThat(e.key()).isEqualTo("DEFAULT.reserved_host_cpus"));
        failure("[DEFAULT]\nreserved_host_cpus = 2\nvcpu_pin_set = 2-15")
                .satisfies(e -> assertThat(e.code()).isEqualTo("InvalidConfiguration"));
        assertThat(read("[DEFAULT]\nreserved_host_cpus = 0\n[compute]\ncpu_shared_set = 0-1").sharedSet()).isPresent();
        assertThat(read("[DEFAULT]\nreserved_host_cpus = 2").dedicatedSet()).isEmpty();
    }

    @Test
    void vcpuPinSetDoesNotGoWithCpuDedicatedSet_check_cpu_set_configuration() {
        failure("[DEFAULT]\nvcpu_pin_set = 2-15\n[compute]\ncpu_dedicated_set = 4-15").satisfies(e -> {
            assertThat(e.code()).isEqualTo("InvalidConfiguration");
            assertThat(e.key()).isEqualTo("DEFAULT.vcpu_pin_set");
        });
    }

    @Test
    void legacyVcpuPinSetIsKeptApartAndMayOverlapTheSharedSet() {
        HostPolicy p = read("[DEFAULT]\nvcpu_pin_set = 2-15\n[compute]\ncpu_shared_set = 0-3");
        assertThat(p.vcpuPinSet()).contains(CpuSet.range(2, 15));
        assertThat(p.dedicatedSet()).as("the planner gives vcpu_pin_set Nova's meaning (NovaCpuSets)").isEmpty();
        assertThat(p.sharedSet()).contains(CpuSet.range(0, 3));
    }

    /** oslo.config reads {@code cpu_shared_set =} as the empty string, which Nova's options treat as unset. */
    @Test
    void aBlankOptionIsUnset() {
        HostPolicy p = read("[DEFAULT]\nvcpu_pin_set =\n[compute]\ncpu_shared_set =\ncpu_dedicated_set = \n"
                + "[libvirt]\ncpu_mode =\nrealtime_scheduler_priority =\n");
        assertThat(p).isEqualTo(HostPolicy.defaults());
    }

    @Test
    void packingOfHostNumaCellsIsReadWithNovasDefaultOff() {
        assertThat(read("[compute]\ncpu_dedicated_set = 0-3").packNumaCells()).isFalse();
        assertThat(read("[compute]\npacking_host_numa_cells_allocation_strategy = True").packNumaCells()).isTrue();
        failure("[compute]\npacking_host_numa_cells_allocation_strategy = maybe")
                .satisfies(e -> assertThat(e.key()).isEqualTo("compute.packing_host_numa_cells_allocation_strategy"));
    }

    @Test
    void sharedSetCpusMustBeOnline_get_vcpu_available() {
        failure("[compute]\ncpu_shared_set = 14-17").satisfies(e -> {
            assertThat(e.code()).isEqualTo("Invalid");
            assertThat(e.key()).isEqualTo("compute.cpu_shared_set");
            assertThat(e.getMessage()).contains("16-17 that are not online");
        });
        failure("[DEFAULT]\nvcpu_pin_set = 0-31").satisfies(e -> assertThat(e.key()).isEqualTo("DEFAULT.vcpu_pin_set"));
        assertThat(read("[compute]\ncpu_dedicated_set = 8-31").dedicatedSet()).contains(CpuSet.range(8, 31));
    }

    // --- §5 rules 1-3 ---

    @ParameterizedTest
    @ValueSource(strings = {"host-model", "host-passthrough", "custom"})
    void rule1_explicitCpuModeNeedsKvmOrQemu(String mode) {
        failure("[libvirt]\nvirt_type = lxc\ncpu_mode = " + mode + "\ncpu_models = Penryn").satisfies(e -> {
            assertThat(e.code()).isEqualTo("Invalid");
            assertThat(e.key()).isEqualTo("libvirt.cpu_mode");
            assertThat(e.getMessage()).contains("virt_type=lxc");
        });
        assertThat(read("[libvirt]\nvirt_type = qemu\ncpu_mode = " + mode + (mode.equals("custom") ? "\ncpu_models = Penryn" : ""))
                .cpuMode()).contains(CpuMode.valueOf(mode.toUpperCase().replace('-', '_')));
    }

    @Test
    void rule1_modeNoneIsFineWithAnyVirtType() {
        assertThat(read("[libvirt]\nvirt_type = lxc\ncpu_mode = none").cpuMode()).contains(CpuMode.NONE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu_mode = host-model\n", "cpu_mode = none\n", ""})
    void rule2_cpuModelsOnlyWithCustom(String mode) {
        failure("[libvirt]\n" + mode + "cpu_models = Penryn").satisfies(e -> {
            assertThat(e.code()).isEqualTo("Invalid");
            assertThat(e.key()).isEqualTo("libvirt.cpu_models");
            assertThat(e.getMessage()).contains("only used when cpu_mode=custom");
        });
    }

    @Test
    void rule2_deprecatedCpuModelNameIsReadAndCheckedToo() {
        assertThat(read("[libvirt]\ncpu_mode = custom\ncpu_model = Nehalem").cpuModels()).containsExactly("Nehalem");
        failure("[libvirt]\ncpu_model = Nehalem").satisfies(e -> assertThat(e.key()).isEqualTo("libvirt.cpu_model"));
        assertThat(read("[libvirt]\ncpu_mode = custom\ncpu_model = Nehalem\ncpu_models = Haswell").cpuModels())
                .containsExactly("Haswell");
    }

    @Test
    void rule3_customNeedsAModel() {
        failure("[libvirt]\ncpu_mode = custom").satisfies(e -> {
            assertThat(e.code()).isEqualTo("Invalid");
            assertThat(e.getMessage()).contains("required when cpu_mode=custom");
        });
    }

    @Test
    void optionValuesOutsideTheirChoices_InvalidConfiguration() {
        failure("[libvirt]\ncpu_mode = host_model").satisfies(e -> assertThat(e.key()).isEqualTo("libvirt.cpu_mode"));
        failure("[libvirt]\nvirt_type = xen").satisfies(e -> assertThat(e.key()).isEqualTo("libvirt.virt_type"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "100", "-1", "high", "1.5"})
    void realtimePriorityIs1To99_ourChoice(String value) {
        failure("[libvirt]\nrealtime_scheduler_priority = " + value).satisfies(e -> {
            assertThat(e.code()).isEqualTo("InvalidConfiguration");
            assertThat(e.key()).isEqualTo("libvirt.realtime_scheduler_priority");
            assertThat(e.getMessage()).contains("from 1 to 99");
        });
    }

    @Test
    void extraFlagsAreLowerCasedAndContradictionsRefused() {
        assertThat(read("[libvirt]\ncpu_model_extra_flags = PCID,+pcid").extraFlags()).containsExactly(new CpuFeature("pcid", "require"));
        failure("[libvirt]\ncpu_model_extra_flags = +pcid,-PCID").satisfies(e -> assertThat(e.getMessage()).contains("both requires and disables pcid"));
        failure("[libvirt]\ncpu_model_extra_flags = +").satisfies(e -> assertThat(e.key()).isEqualTo("libvirt.cpu_model_extra_flags"));
        failure("[libvirt]\ncpu_model_extra_flags = --pcid").satisfies(e -> assertThat(e.value()).isEqualTo("--pcid"));
    }

    // --- oslo.config INI syntax ---

    @Test
    void iniSyntaxAsOsloReadsIt() {
        IniConfig c = IniConfig.parse("""
                # comment
                ; another
                [compute]
                cpu_shared_set: 0-1
                cpu_dedicated_set = 2-3
                cpu_dedicated_set = "4-5"
                [libvirt]
                cpu_models = Penryn,
                  IvyBridge
                x = a # not a comment
                [compute]
                extra = 'quoted'
                """, "f.conf");
        assertThat(c.get("compute", "cpu_shared_set")).contains("0-1");
        assertThat(c.get("compute", "cpu_dedicated_set")).contains("4-5");
        assertThat(c.where("compute", "cpu_dedicated_set")).isEqualTo("f.conf:6");
        assertThat(c.get("libvirt", "cpu_models")).contains("Penryn,\nIvyBridge");
        assertThat(c.get("libvirt", "x")).contains("a # not a comment");
        assertThat(c.get("compute", "extra")).contains("quoted");
        assertThat(c.get("compute", "missing")).isEmpty();
    }

    @Test
    void continuationLinesJoinListValues() {
        assertThat(read("[libvirt]\ncpu_mode = custom\ncpu_models = Penryn,\n\tIvyBridge\n").cpuModels())
                .containsExactly("Penryn", "IvyBridge");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[compute\nx=1", "[]\n", "[compute]\njust words", "[compute]\n= value", "key = before any section",
            "  indented first line", "[compute]\n# c\n  continuation after comment"})
    void malformedLinesNameFileAndLine(String text) {
        assertThatThrownBy(() -> IniConfig.parse(text, "bad.conf"))
                .asInstanceOf(InstanceOfAssertFactories.type(InvalidInputException.class))
                .satisfies(e -> {
                    assertThat(e.code()).isEqualTo("InvalidConfiguration");
                    assertThat(e.key()).startsWith("bad.conf:");
                });
    }
}
