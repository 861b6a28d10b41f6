package io.kvmtune.core.spec;

import static io.kvmtune.core.spec.RequestFixture.error;
import static io.kvmtune.core.spec.RequestFixture.failure;
import static io.kvmtune.core.spec.RequestFixture.parse;
import static io.kvmtune.core.spec.RequestFixture.specs;
import static org.assertj.core.api.Assertions.assertThat;

import io.kvmtune.core.DoesNotFitException;
import io.kvmtune.core.InvalidInputException;
import io.kvmtune.core.KvmtuneException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * nova-semantics.md §4 (HPET and the guest architecture), the memory rules of §2
 * ({@code get_locked_memory_constraint}, {@code _get_numa_pagesize_constraint}), NUMA node counts,
 * and §6 (the flavor API validators' key and value checks).
 */
class GuestFeatureRequestTest {

    // --- §4 HPET ---

    @Test
    void hpetIsOffByDefault() {
        TuningRequest r = parse(2);
        assertThat(r.hpet()).isFalse();
        assertThat(r.source(RequestSetting.HPET)).isEqualTo("default off: no hw_time_hpet");
    }

    @ParameterizedTest
    @CsvSource({"true, true", "True, true", "yes, true", "1, true", "on, true", "y, true", "t, true",
            "false, false", "no, false", "0, false", "OFF, false"})
    void hpetReadsOsloBooleans(String value, boolean expected) {
        assertThat(parse(2, Map.of(), specs("hw_time_hpet=" + value)).hpet()).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"blah", "", "enabled", "2"})
    void unrecognisableHpetBooleanIsAnError_kvmtuneDifference(String value) {
        InvalidInputException e = error(2, Map.of(), specs("hw_time_hpet=" + value));
        assertThat(e.code()).isEqualTo("Invalid");
        assertThat(e.key()).isEqualTo("hw_time_hpet");
        assertThat(e.value()).isEqualTo(value);
    }

    @Test
    void hpetIsAnImagePropertyOnly() {
        assertThat(error(2, "hw:time_hpet=true").code()).isEqualTo("ValidationError");
        assertThat(parse(2, "hpet:x=true").hpet()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"aarch64", "ppc64le", "s390x", "armv7l"})
    void hpetOnANonX86GuestIsRefused_HpetUnsupported(String arch) {
        InvalidInputException e = error(2, Map.of(), specs("hw_time_hpet=true", "hw_architecture=" + arch));
        assertThat(e.code()).isEqualTo("HpetUnsupported");
        assertThat(e.key()).isEqualTo("hw_time_hpet");
        assertThat(e.getMessage()).contains(arch).contains("hw_architecture=" + arch);
        assertThat(parse(2, Map.of(), specs("hw_time_hpet=false", "hw_architecture=" + arch)).hpet()).isFalse();
    }

    @Test
    void hpetFollowsTheHostArchitectureWhenTheImageNamesNone() {
        TuningRequest r = RequestParser.parse(Map.of(), specs("hw_time_hpet=yes"), 2, "amd64", "kvm");
        assertThat(r.hpet()).isTrue();
        assertThat(r.guestArch()).isEqualTo("x86_64");
    }

    @Test
    void hpetOnANonX86HostWithoutImageArchitectureIsRefused() {
        try {
            RequestParser.parse(Map.of(), specs("hw_time_hpet=yes"), 2, "aarch64", "kvm");
            throw new AssertionError("accepted");
        } catch (InvalidInputException e) {
            assertThat(e.code()).isEqualTo("HpetUnsupported");
            assertThat(e.getMessage()).contains("host architecture aarch64");
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"i386, i686", "i486, i686", "i586, i686", "x86_32, i686", "x86_32p, i686", "amd64, x86_64",
            "AMD64, x86_64", "X86_64, x86_64", "i686, i686", "aarch64, aarch64"})
    void architectureNamesAreCanonicalised_Architecture_canonicalize(String name, String canonical) {
        TuningRequest r = parse(2, Map.of(), specs("hw_architecture=" + name));
        assertThat(r.guestArch()).isEqualTo(canonical);
        assertThat(r.source(RequestSetting.GUEST_ARCH)).isEqualTo("hw_architecture=" + name);
    }

    @Test
    void unknownArchitectureIsRejected_InvalidArchitectureName() {
        InvalidInputException e = error(2, Map.of(), specs("architecture=x86-64"));
        assertThat(e.code()).isEqualTo("InvalidArchitectureName");
        assertThat(e.key()).isEqualTo("architecture");
    }

    @Test
    void guestArchitecturePrecedence_emulationThenHwArchitectureThenLegacyThenHost() {
        assertThat(parse(2, Map.of(), specs("hw_emulation_architecture=aarch64", "hw_architecture=x86_64")).guestArch())
                .isEqualTo("aarch64");
        assertThat(parse(2, Map.of(), specs("hw_architecture=i386", "architecture=aarch64")).guestArch()).isEqualTo("i686");
        TuningRequest legacy = parse(2, Map.of(), specs("architecture=amd64"));
        assertThat(legacy.guestArch()).isEqualTo("x86_64");
        assertThat(legacy.source(RequestSetting.GUEST_ARCH)).isEqualTo("architecture=amd64");
        TuningRequest host = parse(2);
        assertThat(host.guestArch()).isEqualTo("x86_64");
        assertThat(host.source(RequestSetting.GUEST_ARCH)).isEqualTo("host architecture x86_64");
        assertThat(error(2, Map.of(), specs("hw_time_hpet=1", "hw_emulation_architecture=aarch64")).code())
                .isEqualTo("HpetUnsupported");
    }

    @ParameterizedTest
    @CsvSource({"qemu, kvm", "kvm, kvm", "QEMU, kvm", "qemu, qemu"})
    void hypervisorTypeThisHostRunsIsAccepted(String hypervisorType, String virtType) {
        assertThat(RequestParser.parse(Map.of(), specs("hypervisor_type=" + hypervisorType, "hw_time_hpet=true"), 2,
                "x86_64", virtType).hpet()).isTrue();
    }

    @Test
    void hypervisorTypeThisHostDoesNotRun_DoesNotFit() {
        KvmtuneException e = failure(2, Map.of(), specs("hypervisor_type=xen"));
        assertThat(e).isInstanceOf(DoesNotFitException.class);
        assertThat(e.key()).isEqualTo("hypervisor_type");
        KvmtuneException tcg;
        try {
            RequestParser.parse(Map.of(), specs("hypervisor_type=kvm"), 2, "x86_64", "qemu");
            throw new AssertionError("accepted");
        } catch (DoesNotFitException thrown) {
            tcg = thrown;
        }
        assertThat(tcg.getMessage()).contains("virt_type=qemu");
    }

    @Test
    void unknownHypervisorType_InvalidHypervisorVirtType() {
        assertThat(error(2, Map.of(), specs("hypervisor_type=kvm2")).code()).isEqualTo("InvalidHypervisorVirtType");
    }

    // --- memory ---

    @Test
    void lockedMemoryNeedsAPageSize_LockMemoryForbidden() {
        InvalidInputException e = error(2, "hw:locked_memory=true");
        assertThat(e.code()).isEqualTo("LockMemoryForbidden");
        assertThat(e.key()).isEqualTo("hw:locked_memory");
        assertThat(error(2, Map.of(), specs("hw_locked_memory=yes")).key()).isEqualTo("hw_locked_memory");
        assertThat(parse(2, "hw:locked_memory=true", "hw:mem_page_size=small").lockedMemory()).isTrue();
        assertThat(parse(2, "hw:locked_memory=false").lockedMemory()).isFalse();
    }

    @Test
    void flavorAndImageMustAgreeOnLockedMemory_FlavorImageLockedMemoryConflict() {
        InvalidInputException e = error(2, specs("hw:locked_memory=true", "hw:mem_page_size=large"),
                specs("hw_locked_memory=false"));
        assertThat(e.code()).isEqualTo("FlavorImageLockedMemoryConflict");
        assertThat(e.key()).isEqualTo("hw_locked_memory");
        TuningRequest agree = parse(2, specs("hw:locked_memory=1", "hw:mem_page_size=large"), specs("hw_locked_memory=yes"));
        assertThat(agree.lockedMemory()).isTrue();
        assertThat(agree.source(RequestSetting.LOCKED_MEMORY)).isEqualTo("hw:locked_memory=1");
    }

    @Test
    void imageMayLockMemoryWhenTheFlavorSetsAPageSize() {
        TuningRequest r = parse(2, specs("hw:mem_page_size=2048"), specs("hw_locked_memory=true"));
        assertThat(r.lockedMemory()).isTrue();
        assertThat(r.source(RequestSetting.LOCKED_MEMORY)).isEqualTo("hw_locked_memory=true");
    }

    @ParameterizedTest
    @ValueSource(strings = {"large", "small", "any", "2048", "4", "2MB", "1GiB", "2Mb", "1Gbit", "2048KiB"})
    void pageSizePatternAccepts_hw_mem_page_size(String value) {
        assertThat(parse(2, "hw:mem_page_size=" + value).memPageSize().map(MemPageSize::value)).contains(value);
    }

    /** Nova's flavor API pattern lets these through; _get_numa_pagesize_constraint (oslo's IEC units) does not. */
    @ParameterizedTest
    @ValueSource(strings = {"2M", "1Ti", "2048k", "2048kB"})
    void pageSizesThePatternAcceptsButNovaCannotRead_MemoryPageSizeInvalid(String value) {
        InvalidInputException e = error(2, "hw:mem_page_size=" + value);
        assertThat(e.code()).isEqualTo("MemoryPageSizeInvalid");
        assertThat(e.key()).isEqualTo("hw:mem_page_size");
    }

    @ParameterizedTest
    @ValueSource(strings = {"huge", "Large", "2 MB", "MB", "-1", "2XB", "1GiBs", "", "2mb"})
    void pageSizePatternRejects_ValidationError(String value) {
        InvalidInputException e = error(2, "hw:mem_page_size=" + value);
        assertThat(e.code()).isEqualTo("ValidationError");
        assertThat(e.key()).isEqualTo("hw:mem_page_size");
    }

    @Test
    void imagePageSizeOnlyNarrowsAFlavorLargeOrAny_MemoryPageSizeForbidden() {
        assertThat(parse(2, specs("hw:mem_page_size=large"), specs("hw_mem_page_size=1GiB")).memPageSize()
                .map(MemPageSize::kib)).contains(1048576L);
        assertThat(parse(2, specs("hw:mem_page_size=any"), specs("hw_mem_page_size=small")).memPageSize()
                .map(MemPageSize::kind)).contains(MemPageSize.Kind.SMALL);
        assertThat(error(2, Map.of(), specs("hw_mem_page_size=2MB")).code()).isEqualTo("MemoryPageSizeForbidden");
        assertThat(error(2, specs("hw:mem_page_size=small"), specs("hw_mem_page_size=2MB")).code())
                .isEqualTo("MemoryPageSizeForbidden");
        assertThat(error(2, specs("hw:mem_page_size=large"), specs("hw_mem_page_size=huge")).code())
                .isEqualTo("MemoryPageSizeInvalid");
    }

    // --- NUMA nodes ---

    @Test
    void numaNodesFromFlavorOrImage() {
        assertThat(parse(4, "hw:numa_nodes=2").numaNodes()).hasValue(2);
        assertThat(parse(4, Map.of(), specs("hw_numa_nodes=4")).numaNodes()).hasValue(4);
        assertThat(parse(4).numaNodes()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "two", "", "+2", "1.5"})
    void numaNodesIsAnIntegerOfAtLeastOne_ValidationError(String value) {
        assertThat(error(4, "hw:numa_nodes=" + value).code()).isEqualTo("ValidationError");
    }

    @Test
    void numaNodesInBothFlavorAndImage_ImageNUMATopologyForbidden() {
        assertThat(error(4, specs("hw:numa_nodes=2"), specs("hw_numa_nodes=2")).code()).isEqualTo("ImageNUMATopologyForbidden");
    }

    @Test
    void numaNodesMustDivideTheVcpus_ImageNUMATopologyAsymmetric() {
        InvalidInputException e = error(6, "hw:numa_nodes=4");
        assertThat(e.code()).isEqualTo("ImageNUMATopologyAsymmetric");
        assertThat(e.key()).isEqualTo("hw:numa_nodes");
    }

    @Test
    void handMadeNumaLayoutsAreRefusedRatherThanIgnored() {
        assertThat(error(4, "hw:numa_nodes=2", "hw:numa_cpus.0=0-2", "hw:numa_cpus.1=3").code()).isEqualTo("Unsupported");
        assertThat(error(4, Map.of(), specs("hw_numa_mem.0=1024")).key()).isEqualTo("hw_numa_mem.0");
    }

    // --- §6 validators: keys ---

    @Test
    void unknownKeyInTheHwNamespaceIsRejected_ValidationError() {
        InvalidInputException e = error(2, "hw:cpu_realtime_maks=^0");
        assertThat(e.code()).isEqualTo("ValidationError");
        assertThat(e.key()).isEqualTo("hw:cpu_realtime_maks");
    }

    @Test
    void theRealtimeGuidesMisspelledEmulatorKeyIsRejectedWithAHint() {
        assertThat(error(2, "hw:emulator_thread_policy=isolate").getMessage()).contains("did you mean hw:emulator_threads_policy");
    }

    @Test
    void keysOutsideTheHwNamespaceAreNotValidated() {
        assertThat(parse(2, "hw_rng:allowed=maybe", "aggregate_instance_extra_specs:rt=x", "quota:cpu_shares=abc",
                "no_namespace", "hw_video:ram_max_mb=z").cpuPolicy()).isEqualTo(CpuPolicy.SHARED);
    }

    @Test
    void novasOtherHwKeysAreAccepted() {
        assertThat(parse(2, "hw:watchdog_action=reset", "hw:pci_numa_affinity_policy=socket", "hw:boot_menu=yes",
                "hw:cpu_sockets=1", "hw:serial_port_count=0").vcpus()).isEqualTo(2);
        assertThat(error(2, "hw:boot_menu=maybe").code()).isEqualTo("ValidationError");
        assertThat(error(2, "hw:cpu_sockets=0").code()).isEqualTo("ValidationError");
    }

    @Test
    void theFirstBadKeyInSortedOrderIsReported() {
        InvalidInputException e = error(2, specs("hw:pmu=maybe", "hw:boot_menu=maybe", "hw:cpu_policy=x"), Map.of());
        assertThat(e.key()).isEqualTo("hw:boot_menu");
    }
}
