package io.kvmtune.core.spec;

import static io.kvmtune.core.spec.RequestFixture.error;
import static io.kvmtune.core.spec.RequestFixture.parse;
import static io.kvmtune.core.spec.RequestFixture.specs;
import static org.assertj.core.api.Assertions.assertThat;

import io.kvmtune.core.InvalidInputException;
import io.kvmtune.core.cpu.CpuSet;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * nova-semantics.md §3: CPU policies and their flavor/image precedence
 * ({@code get_cpu_policy_constraint}, {@code get_cpu_thread_policy_constraint}), emulator threads
 * policies, {@code resources:PCPU/VCPU} and {@code hw:cpu_dedicated_mask}
 * ({@code get_dedicated_cpu_constraint}, {@code numa_get_constraints}).
 */
class CpuPolicyRequestTest {

    @Test
    void defaultPolicyIsSharedWithNothingPinned() {
        TuningRequest r = parse(4);
        assertThat(r.cpuPolicy()).isEqualTo(CpuPolicy.SHARED);
        assertThat(r.pinnedVcpus()).isEqualTo(CpuSet.empty());
        assertThat(r.source(RequestSetting.CPU_POLICY)).isEqualTo("default shared (no hw:cpu_policy)");
    }

    @Test
    void dedicatedPinsEveryVcpu() {
        TuningRequest r = parse(6, "hw:cpu_policy=dedicated");
        assertThat(r.pinnedVcpus()).isEqualTo(CpuSet.range(0, 5));
        assertThat(r.source(RequestSetting.PINNED_VCPUS)).isEqualTo("hw:cpu_policy=dedicated");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Dedicated", "DEDICATED", "pinned", "", " dedicated"})
    void invalidFlavorPolicyValue_InvalidCPUAllocationPolicy(String value) {
        InvalidInputException e = error(2, "hw:cpu_policy=" + value);
        assertThat(e.code()).isEqualTo("InvalidCPUAllocationPolicy");
        assertThat(e.key()).isEqualTo("hw:cpu_policy");
        assertThat(e.getMessage()).contains("dedicated, shared, mixed");
    }

    @Test
    void invalidImagePolicyValue_InvalidRequest() {
        // Nova's ImageMeta.from_dict cannot coerce the enum; compute/api.py reports "Invalid image metadata".
        InvalidInputException e = error(2, Map.of(), specs("hw_cpu_policy=exclusive"));
        assertThat(e.code()).isEqualTo("InvalidRequest");
        assertThat(e.key()).isEqualTo("hw_cpu_policy");
        assertThat(e.getMessage()).contains("Invalid image metadata").contains("dedicated, shared, mixed");
        assertThat(error(2, Map.of(), specs("hw_cpu_thread_policy=Isolate")).code()).isEqualTo("InvalidRequest");
    }

    @ParameterizedTest(name = "flavor {0} + image {1} -> {2}")
    @CsvSource({
            "dedicated, shared, DEDICATED", "dedicated, mixed, DEDICATED", "dedicated, dedicated, DEDICATED",
            "mixed, shared, MIXED", "mixed, mixed, MIXED", "shared, shared, SHARED",
            ", dedicated, DEDICATED", ", shared, SHARED"})
    void flavorPolicyWinsAndImageMayOnlyAddOne_get_cpu_policy_constraint(String flavor, String image, CpuPolicy expected) {
        Map<String, String> f = flavor == null ? specs() : specs("hw:cpu_policy=" + flavor);
        if (expected == CpuPolicy.MIXED) {
            f.put("hw:cpu_dedicated_mask", "0");
        }
        assertThat(parse(2, f, specs("hw_cpu_policy=" + image)).cpuPolicy()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "flavor {0} + image {1} is forbidden")
    @CsvSource({"mixed, dedicated", "shared, dedicated", "shared, mixed"})
    void imagePinningAgainstTheFlavor_ImageCPUPinningForbidden(String flavor, String image) {
        InvalidInputException e = error(2, specs("hw:cpu_policy=" + flavor, "hw:cpu_dedicated_mask=0"),
                specs("hw_cpu_policy=" + image));
        assertThat(e.code()).isEqualTo("ImageCPUPinningForbidden");
        assertThat(e.key()).isEqualTo("hw_cpu_policy");
        assertThat(e.value()).isEqualTo(image);
    }

    // --- thread policy ---

    @Test
    void threadPolicyNeedsPinning_CPUThreadPolicyConfigurationInvalid() {
        InvalidInputException e = error(2, "hw:cpu_thread_policy=isolate");
        assertThat(e.code()).isEqualTo("CPUThreadPolicyConfigurationInvalid");
        assertThat(e.key()).isEqualTo("hw:cpu_thread_policy");
    }

    @Test
    void imageThreadPolicyRefinesAnUnsetOrPreferFlavorPolicy_get_cpu_thread_policy_constraint() {
        assertThat(parse(2, specs("hw:cpu_policy=dedicated"), specs("hw_cpu_thread_policy=isolate")).threadPolicy())
                .contains(CpuThreadPolicy.ISOLATE);
        // flavor prefer is kept: Nova takes "flavor_policy or image_policy" (kind 11 of issue 17).
        assertThat(parse(2, specs("hw:cpu_policy=dedicated", "hw:cpu_thread_policy=prefer"),
                specs("hw_cpu_thread_policy=require")).threadPolicy()).contains(CpuThreadPolicy.PREFER);
        assertThat(parse(2, specs("hw:cpu_policy=dedicated", "hw:cpu_thread_policy=isolate"),
                specs("hw_cpu_thread_policy=isolate")).threadPolicy()).contains(CpuThreadPolicy.ISOLATE);
    }

    @Test
    void imageThreadPolicyAgainstAStricterFlavorPolicy_ImageCPUThreadPolicyForbidden() {
        InvalidInputException e = error(2, specs("hw:cpu_policy=dedicated", "hw:cpu_thread_policy=isolate"),
                specs("hw_cpu_thread_policy=prefer"));
        assertThat(e.code()).isEqualTo("ImageCPUThreadPolicyForbidden");
        assertThat(e.key()).isEqualTo("hw_cpu_thread_policy");
    }

    @Test
    void invalidThreadPolicy_InvalidCPUThreadAllocationPolicy() {
        assertThat(error(2, "hw:cpu_policy=dedicated", "hw:cpu_thread_policy=Isolate").code())
                .isEqualTo("InvalidCPUThreadAllocationPolicy");
    }

    @Test
    void isolateThreadPolicyForbidsRequiringTheHyperthreadingTrait_InvalidRequest() {
        InvalidInputException e = error(2, "hw:cpu_policy=dedicated", "hw:cpu_thread_policy=isolate",
                "trait:HW_CPU_HYPERTHREADING=required");
        assertThat(e.code()).isEqualTo("InvalidRequest");
        assertThat(e.key()).isEqualTo("trait:HW_CPU_HYPERTHREADING");
    }

    // --- emulator threads policy ---

    @ParameterizedTest
    @ValueSource(strings = {"pool", "Share", "isolated", ""})
    void emulatorPolicyIsShareOrIsolate_InvalidEmulatorThreadsPolicy(String value) {
        InvalidInputException e = error(2, "hw:cpu_policy=dedicated", "hw:emulator_threads_policy=" + value);
        assertThat(e.code()).isEqualTo("InvalidEmulatorThreadsPolicy");
        assertThat(e.getMessage()).contains("share, isolate");
    }

    @Test
    void isolateNeedsDedicatedOrMixed_BadRequirementEmulatorThreadsPolicy() {
        InvalidInputException e = error(2, "hw:emulator_threads_policy=isolate");
        assertThat(e.code()).isEqualTo("BadRequirementEmulatorThreadsPolicy");
        assertThat(e.key()).isEqualTo("hw:emulator_threads_policy");
        assertThat(parse(2, "hw:cpu_policy=dedicated", "hw:emulator_threads_policy=isolate").emulatorThreadsPolicy())
                .contains(EmulatorThreadsPolicy.ISOLATE);
        assertThat(parse(2, "hw:cpu_policy=mixed", "hw:cpu_dedicated_mask=0", "hw:emulator_threads_policy=isolate")
                .emulatorThreadsPolicy()).contains(EmulatorThreadsPolicy.ISOLATE);
    }

    @Test
    void shareIsAcceptedWithAnyPolicy() {
        TuningRequest r = parse(2, "hw:emulator_threads_policy=share");
        assertThat(r.cpuPolicy()).isEqualTo(CpuPolicy.SHARED);
        assertThat(r.emulatorThreadsPolicy()).contains(EmulatorThreadsPolicy.SHARE);
        assertThat(r.source(RequestSetting.EMULATOR_THREADS_POLICY)).isEqualTo("hw:emulator_threads_policy=share");
    }

    @Test
    void emulatorPolicyIsFlavorOnly() {
        assertThat(parse(2, specs("hw:cpu_policy=dedicated"), specs("hw_emulator_threads_policy=isolate"))
                .emulatorThreadsPolicy()).isEmpty();
    }

    // --- resources:PCPU / resources:VCPU ---

    @Test
    void resourcesPcpuImpliesDedicated() {
        TuningRequest r = parse(4, "resources:PCPU=4");
        assertThat(r.cpuPolicy()).isEqualTo(CpuPolicy.DEDICATED);
        assertThat(r.source(RequestSetting.CPU_POLICY)).isEqualTo("resources:PCPU=4 (implies dedicated)");
    }

    @Test
    void resourcesPcpuMustEqualVcpus_InvalidRequest() {
        InvalidInputException e = error(4, "resources:PCPU=3");
        assertThat(e.code()).isEqualTo("InvalidRequest");
        assertThat(e.key()).isEqualTo("resources:PCPU");
        assertThat(e.getMessage()).contains("exactly 4");
    }

    @Test
    void resourcesPcpuWithIsolateMustBeVcpusPlusOne_InvalidRequest() {
        assertThat(parse(4, "resources:PCPU=5", "hw:emulator_threads_policy=isolate").cpuPolicy()).isEqualTo(CpuPolicy.DEDICATED);
        InvalidInputException e = error(4, "resources:PCPU=4", "hw:emulator_threads_policy=isolate");
        assertThat(e.code()).isEqualTo("InvalidRequest");
        assertThat(e.getMessage()).contains("exactly 5").contains("isolate");
    }

    @Test
    void numberedResourceGroupsAreSummed() {
        assertThat(parse(4, "resources1:PCPU=2", "resources2:PCPU=2").cpuPolicy()).isEqualTo(CpuPolicy.DEDICATED);
        assertThat(error(4, "resources1:PCPU=2", "resources2:PCPU=1").code()).isEqualTo("InvalidRequest");
    }

    @Test
    void resourcesWithAnExplicitPolicy_InvalidRequest() {
        assertThat(error(4, "hw:cpu_policy=dedicated", "resources:PCPU=4").code()).isEqualTo("InvalidRequest");
        assertThat(error(4, specs("resources:VCPU=4"), specs("hw_cpu_policy=shared")).code()).isEqualTo("InvalidRequest");
    }

    @Test
    void resourcesVcpuAndPcpuTogether_InvalidRequest() {
        assertThat(error(4, "resources:PCPU=4", "resources:VCPU=4").getMessage()).contains("cannot both");
    }

    @Test
    void resourcesVcpuImpliesShared() {
        assertThat(parse(4, "resources:VCPU=4").cpuPolicy()).isEqualTo(CpuPolicy.SHARED);
    }

    // --- hw:cpu_dedicated_mask ---

    @Test
    void dedicatedMaskPinsItsVcpusInAMixedGuest() {
        TuningRequest r = parse(4, "hw:cpu_policy=mixed", "hw:cpu_dedicated_mask=^0");
        assertThat(r.cpuPolicy()).isEqualTo(CpuPolicy.MIXED);
        assertThat(r.pinnedVcpus()).isEqualTo(CpuSet.of(1, 2, 3));
        assertThat(r.realtimeVcpus()).isEmpty();
        assertThat(r.source(RequestSetting.PINNED_VCPUS)).isEqualTo("hw:cpu_dedicated_mask=^0");
        assertThat(parse(4, "hw:cpu_policy=mixed", "hw:cpu_dedicated_mask=2-3").pinnedVcpus()).isEqualTo(CpuSet.of(2, 3));
    }

    @ParameterizedTest
    @ValueSource(strings = {"hw:cpu_policy=dedicated", "hw:cpu_policy=shared", "x:y=z"})
    void dedicatedMaskNeedsMixed_RequiredMixedInstancePolicy(String policy) {
        InvalidInputException e = error(4, policy, "hw:cpu_dedicated_mask=0-1");
        assertThat(e.code()).isEqualTo("RequiredMixedInstancePolicy");
        assertThat(e.key()).isEqualTo("hw:cpu_dedicated_mask");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0-3", "^0-3", "^0-7", "0-7"})
    void dedicatedMaskMustLeaveOnePinnedAndOneFloatingVcpu_InvalidMixedInstanceDedicatedMask(String mask) {
        InvalidInputException e = error(4, "hw:cpu_policy=mixed", "hw:cpu_dedicated_mask=" + mask);
        assertThat(e.code()).isEqualTo("InvalidMixedInstanceDedicatedMask");
        assertThat(e.getMessage()).contains("at least one pinned and one floating");
    }

    @Test
    void dedicatedMaskWithinTheFlavor_InvalidMixedInstanceDedicatedMask() {
        InvalidInputException e = error(4, "hw:cpu_policy=mixed", "hw:cpu_dedicated_mask=2-5");
        assertThat(e.code()).isEqualTo("InvalidMixedInstanceDedicatedMask");
        assertThat(e.getMessage()).contains("outside the flavor's vCPUs 0-3");
    }

    @Test
    void dedicatedMaskIsCheckedBeforeThePolicy_numa_get_constraints() {
        assertThat(error(4, "hw:cpu_policy=dedicated", "hw:cpu_dedicated_mask=0-3").code())
                .isEqualTo("InvalidMixedInstanceDedicatedMask");
    }

    @Test
    void vcpuCountMustBePositive() {
        InvalidInputException e = error(0);
        assertThat(e.code()).isEqualTo("Invalid");
        assertThat(e.key()).isEqualTo("vcpus");
    }

    @Test
    void sourcesCiteEverySettingOfAFullRequest() {
        TuningRequest r = parse(8, specs("hw:cpu_policy=dedicated", "hw:cpu_thread_policy=prefer", "hw:cpu_realtime=yes",
                        "hw:cpu_realtime_mask=^0-1", "hw:emulator_threads_policy=isolate", "hw:mem_page_size=1GiB",
                        "hw:locked_memory=true", "hw:numa_nodes=2"),
                specs("hw_time_hpet=true", "hw_architecture=amd64"));
        assertThat(r.sources()).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                Map.entry(RequestSetting.VCPUS, "vcpus=8"),
                Map.entry(RequestSetting.CPU_POLICY, "hw:cpu_policy=dedicated"),
                Map.entry(RequestSetting.CPU_THREAD_POLICY, "hw:cpu_thread_policy=prefer"),
                Map.entry(RequestSetting.PINNED_VCPUS, "hw:cpu_policy=dedicated"),
                Map.entry(RequestSetting.REALTIME, "hw:cpu_realtime=yes"),
                Map.entry(RequestSetting.REALTIME_MASK, "hw:cpu_realtime_mask=^0-1"),
                Map.entry(RequestSetting.EMULATOR_THREADS_POLICY, "hw:emulator_threads_policy=isolate"),
                Map.entry(RequestSetting.MEM_PAGE_SIZE, "hw:mem_page_size=1GiB"),
                Map.entry(RequestSetting.LOCKED_MEMORY, "hw:locked_memory=true"),
                Map.entry(RequestSetting.NUMA_NODES, "hw:numa_nodes=2"),
                Map.entry(RequestSetting.HPET, "hw_time_hpet=true"),
                Map.entry(RequestSetting.GUEST_ARCH, "hw_architecture=amd64")));
        assertThat(r.realtimeVcpus()).contains(CpuSet.range(2, 7));
        assertThat(r.memPageSize().map(MemPageSize::kib)).isEqualTo(Optional.of(1048576L));
        assertThat(r.lockedMemory()).isTrue();
        assertThat(r.numaNodes()).hasValue(2);
        assertThat(r.hpet()).isTrue();
        assertThat(r.guestArch()).isEqualTo("x86_64");
    }
}
