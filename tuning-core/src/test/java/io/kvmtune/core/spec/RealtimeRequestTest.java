package io.kvmtune.core.spec;

import static io.kvmtune.core.spec.RequestFixture.error;
import static io.kvmtune.core.spec.RequestFixture.parse;
import static io.kvmtune.core.spec.RequestFixture.specs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvmtune.core.InvalidInputException;
import io.kvmtune.core.cpu.CpuSet;
import java.util.Optional;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * nova-semantics.md §2 (realtime): Nova's {@code is_realtime_enabled},
 * {@code get_realtime_cpu_constraint} and the realtime checks of {@code numa_get_constraints},
 * with kvmtune's {@code ^0} default (REFERENCE.md decision 1), and the spawn-time check.
 */
class RealtimeRequestTest {

    private static final String DEDICATED = "hw:cpu_policy=dedicated";
    private static final String RT = "hw:cpu_realtime=yes";

    private static CpuSet rt(TuningRequest r) {
        return r.realtimeVcpus().orElseThrow();
    }

    // --- inputs ---

    @Test
    void realtimeIsAFlavorSettingOnly_is_realtime_enabled() {
        TuningRequest r = parse(4, specs(DEDICATED), specs("hw_cpu_realtime=yes", "hw_cpu_realtime_mask=^0"));
        assertThat(r.isRealtime()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "t", "true", "on", "y", "yes", "YES", "True", " on "})
    void realtimeTrueSpellings_bool_from_string(String value) {
        assertThat(parse(4, DEDICATED, "hw:cpu_realtime=" + value).isRealtime()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "f", "false", "off", "n", "no", "No"})
    void realtimeFalseIgnoresEveryMask_is_realtime_enabled(String value) {
        TuningRequest r = parse(2, specs(DEDICATED, "hw:cpu_realtime=" + value, "hw:cpu_realtime_mask=0-1"),
                specs("hw_cpu_realtime_mask=^0-9"));
        assertThat(r.isRealtime()).isFalse();
        assertThat(r.source(RequestSetting.REALTIME)).isEqualTo("hw:cpu_realtime=" + value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"garbage", "", "2", "enabled", "yes please"})
    void realtimeGarbageIsRejectedAsNovaApiValidatorDoes_strictBoolean(String value) {
        InvalidInputException e = error(4, DEDICATED, "hw:cpu_realtime=" + value);
        assertThat(e.code()).isEqualTo("ValidationError");
        assertThat(e.key()).isEqualTo("hw:cpu_realtime");
        assertThat(e.value()).isEqualTo(value);
        assertThat(e.getMessage()).contains("is not a boolean");
    }

    // --- computing the realtime set ---

    @Test
    void noMaskKeepsVcpu0NonRealtime_kvmtuneDefaultCaret0() {
        TuningRequest r = parse(4, DEDICATED, RT);
        assertThat(rt(r)).isEqualTo(CpuSet.of(1, 2, 3));
        assertThat(r.source(RequestSetting.REALTIME_MASK)).startsWith("default ^0");
    }

    @Test
    void noMaskOnOneVcpuLeavesNoRealtimeVcpuAndSaysWhatToSet() {
        InvalidInputException e = error(1, DEDICATED, RT, "hw:emulator_threads_policy=isolate");
        assertThat(e.code()).isEqualTo("RealtimeMaskNotFoundOrInvalid");
        assertThat(e.key()).isEqualTo("hw:cpu_realtime_mask");
        assertThat(e.value()).isNull();
        assertThat(e.getMessage()).contains("hw:cpu_realtime_mask=0");
        // The explicit mask makes it work, with the emulator threads offloaded.
        assertThat(rt(parse(1, DEDICATED, RT, "hw:emulator_threads_policy=isolate", "hw:cpu_realtime_mask=0")))
                .isEqualTo(CpuSet.of(0));
    }

    @Test
    void caretMaskExcludesAgainstAllVcpus_get_realtime_cpu_constraint() {
        assertThat(rt(parse(4, DEDICATED, RT, "hw:cpu_realtime_mask=^0-1"))).isEqualTo(CpuSet.of(2, 3));
        assertThat(rt(parse(8, DEDICATED, RT, "hw:cpu_realtime_mask=^0,^7"))).isEqualTo(CpuSet.range(1, 6));
    }

    @Test
    void caretMaskMayHoldPositiveItemsThatCannotReaddAnExclusion_get_realtime_cpu_constraint() {
        assertThat(rt(parse(4, DEDICATED, RT, "hw:cpu_realtime_mask=^0,2-3,1"))).isEqualTo(CpuSet.of(1, 2, 3));
        assertThat(rt(parse(4, DEDICATED, RT, "hw:cpu_realtime_mask=^0,0"))).isEqualTo(CpuSet.of(1, 2, 3));
    }

    @Test
    void caretIsTheFirstNonBlankCharacterOfAnImageMask_get_realtime_cpu_constraint() {
        TuningRequest r = parse(4, specs(DEDICATED, RT), specs("hw_cpu_realtime_mask= ^0"));
        assertThat(rt(r)).isEqualTo(CpuSet.of(1, 2, 3));
    }

    @Test
    void positiveMaskIsTakenLiterally_get_realtime_cpu_constraint() {
        assertThat(rt(parse(8, DEDICATED, RT, "hw:cpu_realtime_mask=2-7"))).isEqualTo(CpuSet.range(2, 7));
        assertThat(rt(parse(4, DEDICATED, RT, "hw:cpu_realtime_mask=0-2,^0"))).isEqualTo(CpuSet.of(1, 2));
    }

    @Test
    void nonEmptyImageMaskWinsOverFlavorMask_imageIsMoreSpecific() {
        TuningRequest r = parse(4, specs(DEDICATED, RT, "hw:cpu_realtime_mask=^0"), specs("hw_cpu_realtime_mask=^0-2"));
        assertThat(rt(r)).isEqualTo(CpuSet.of(3));
        assertThat(r.source(RequestSetting.REALTIME_MASK)).isEqualTo("hw_cpu_realtime_mask=^0-2");
    }

    @Test
    void emptyImageMaskFallsBackToFlavorMask() {
        TuningRequest r = parse(4, specs(DEDICATED, RT, "hw:cpu_realtime_mask=^0-1"), specs("hw_cpu_realtime_mask="));
        assertThat(rt(r)).isEqualTo(CpuSet.of(2, 3));
        assertThat(r.source(RequestSetting.REALTIME_MASK)).isEqualTo("hw:cpu_realtime_mask=^0-1");
    }

    @Test
    void imageMaskSkipsTheApiPatternButMustParse() {
        // Blanks and empty items are fine for the parser...
        assertThat(rt(parse(4, specs(DEDICATED, RT), specs("hw_cpu_realtime_mask=^ 0, ,")))).isEqualTo(CpuSet.of(1, 2, 3));
        // ...a malformed element is plain Invalid, naming the image key.
        InvalidInputException e = error(4, specs(DEDICATED, RT), specs("hw_cpu_realtime_mask=^0-"));
        assertThat(e.code()).isEqualTo("Invalid");
        assertThat(e.key()).isEqualTo("hw_cpu_realtime_mask");
        assertThat(e.getMessage()).contains("Invalid range expression '^0-'");
    }

    // --- the checks, in Nova's order ---

    @Test
    void checkA_emptySetIsRejected_get_realtime_cpu_constraint() {
        InvalidInputException e = error(3, DEDICATED, RT, "hw:cpu_realtime_mask=^0-2");
        assertThat(e.code()).isEqualTo("RealtimeMaskNotFoundOrInvalid");
        assertThat(e.key()).isEqualTo("hw:cpu_realtime_mask");
        assertThat(e.value()).isEqualTo("^0-2");
        assertThat(e.getMessage()).contains("leaves no realtime vCPU");
    }

    @Test
    void checkB_invalidEmulatorPolicyIsReportedEvenWhenTheMaskIsFine() {
        InvalidInputException e = error(4, DEDICATED, RT, "hw:cpu_realtime_mask=^0", "hw:emulator_threads_policy=pool");
        assertThat(e.code()).isEqualTo("InvalidEmulatorThreadsPolicy");
        assertThat(e.key()).isEqualTo("hw:emulator_threads_policy");
        assertThat(e.getMessage()).contains("share, isolate");
    }

    @Test
    void checkB_flavorValidationRunsFirst_soABadEmulatorPolicyWinsOverAnEmptyMask() {
        // Nova without API validation would report the empty mask (check a); kvmtune validates the
        // flavor as Nova's API does when the flavor is saved, which comes first.
        InvalidInputException e = error(3, DEDICATED, RT, "hw:cpu_realtime_mask=^0-2", "hw:emulator_threads_policy=pool");
        assertThat(e.code()).isEqualTo("InvalidEmulatorThreadsPolicy");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0-2", "^3", "0,1,2"})
    void checkC_allVcpusRealtimeWithoutEmulatorPolicyIsRejected_get_realtime_cpu_constraint(String mask) {
        InvalidInputException e = error(3, DEDICATED, RT, "hw:cpu_realtime_mask=" + mask);
        assertThat(e.code()).isEqualTo("RealtimeMaskNotFoundOrInvalid");
        assertThat(e.getMessage()).contains("every vCPU realtime").contains("hw:emulator_threads_policy");
    }

    @ParameterizedTest
    @ValueSource(strings = {"share", "isolate"})
    void checkC_allVcpusRealtimeIsAllowedWithOffloadedEmulatorThreads(String policy) {
        TuningRequest r = parse(3, DEDICATED, RT, "hw:cpu_realtime_mask=0-2", "hw:emulator_threads_policy=" + policy);
        assertThat(rt(r)).isEqualTo(CpuSet.range(0, 2));
    }

    @Test
    void checkD_vcpusOutsideTheFlavorAreRejected_get_realtime_cpu_constraint() {
        InvalidInputException e = error(3, DEDICATED, RT, "hw:cpu_realtime_mask=0-3,^0");
        assertThat(e.code()).isEqualTo("RealtimeMaskNotFoundOrInvalid");
        assertThat(e.getMessage()).contains("outside the flavor's vCPUs 0-2").contains("vCPUs 3 ");
        // Also with an emulator policy: the subset check is independent of it.
        assertThat(error(3, DEDICATED, RT, "hw:cpu_realtime_mask=5", "hw:emulator_threads_policy=isolate").code())
                .isEqualTo("RealtimeMaskNotFoundOrInvalid");
    }

    @Test
    void realtimeSetIsComputedBeforeThePolicyCheck_soSharedWithEmptyMaskReportsTheMask_numa_get_constraints() {
        assertThat(error(3, "hw:cpu_policy=shared", RT, "hw:cpu_realtime_mask=^0-2").code())
                .isEqualTo("RealtimeMaskNotFoundOrInvalid");
        assertThat(error(1, RT).code()).isEqualTo("RealtimeMaskNotFoundOrInvalid");
    }

    // --- policy requirement ---

    @ParameterizedTest
    @ValueSource(strings = {"hw:cpu_policy=shared", "x:no_policy=at_all"})
    void realtimeNeedsDedicatedOrMixed_noImplicitDedicatedPolicy_RealtimeConfigurationInvalid(String policy) {
        InvalidInputException e = error(4, policy, RT);
        assertThat(e.code()).isEqualTo("RealtimeConfigurationInvalid");
        assertThat(e.key()).isEqualTo("hw:cpu_realtime");
        assertThat(e.getMessage()).contains("hw:cpu_policy=dedicated or mixed");
    }

    @Test
    void realtimePolicyMayComeFromTheImageWhenTheFlavorHasNone() {
        TuningRequest r = parse(4, specs(RT), specs("hw_cpu_policy=dedicated"));
        assertThat(rt(r)).isEqualTo(CpuSet.of(1, 2, 3));
        assertThat(r.source(RequestSetting.CPU_POLICY)).isEqualTo("hw_cpu_policy=dedicated");
    }

    @Test
    void realtimePolicyMayBeImpliedByResourcesPcpu() {
        TuningRequest r = parse(4, RT, "resources:PCPU=4");
        assertThat(r.cpuPolicy()).isEqualTo(CpuPolicy.DEDICATED);
        assertThat(rt(r)).isEqualTo(CpuSet.of(1, 2, 3));
    }

    @Test
    void realtimeWithResourcesVcpuIsShared_RealtimeConfigurationInvalid() {
        assertThat(error(4, RT, "resources:VCPU=4").code()).isEqualTo("RealtimeConfigurationInvalid");
    }

    // --- mixed ---

    @Test
    void mixedRealtimePinsExactlyTheRealtimeVcpus() {
        TuningRequest r = parse(4, "hw:cpu_policy=mixed", RT, "hw:cpu_realtime_mask=^0-1");
        assertThat(r.pinnedVcpus()).isEqualTo(CpuSet.of(2, 3));
        assertThat(rt(r)).isEqualTo(CpuSet.of(2, 3));
        assertThat(r.source(RequestSetting.PINNED_VCPUS)).isEqualTo("hw:cpu_realtime_mask=^0-1");
    }

    @Test
    void mixedWithBothRealtimeAndDedicatedMask_RequiredMixedOrRealtimeCPUMask() {
        InvalidInputException e = error(4, "hw:cpu_policy=mixed", RT, "hw:cpu_realtime_mask=^0", "hw:cpu_dedicated_mask=0-1");
        assertThat(e.code()).isEqualTo("RequiredMixedOrRealtimeCPUMask");
        assertThat(e.getMessage()).contains("not both");
    }

    @Test
    void mixedWithNeitherMask_RequiredMixedOrRealtimeCPUMask() {
        assertThat(error(4, "hw:cpu_policy=mixed").code()).isEqualTo("RequiredMixedOrRealtimeCPUMask");
        assertThat(error(4, "hw:cpu_policy=mixed", "hw:cpu_realtime=no").code()).isEqualTo("RequiredMixedOrRealtimeCPUMask");
    }

    // --- flavor mask syntax (§6) ---

    @ParameterizedTest
    @ValueSource(strings = {"^0-1", "0", "1-2,^1", "^0,^2-3", "0-1-2"})
    void flavorMaskPatternAcceptsNovasSyntax(String mask) {
        try {
            parse(8, DEDICATED, RT, "hw:cpu_realtime_mask=" + mask);
        } catch (InvalidInputException e) {
            assertThat(e.code()).as("%s passes the pattern", mask).isNotEqualTo("ValidationError");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " 0", "0 ", "0,,1", "0,", ",0", "^", "^^0", "0-", "a", "\u0661", "0;1", "+1"})
    void flavorMaskPatternRejectsBlanksEmptyItemsAndNonDigits_ValidationError(String mask) {
        InvalidInputException e = error(8, DEDICATED, RT, "hw:cpu_realtime_mask=" + mask);
        assertThat(e.code()).isEqualTo("ValidationError");
        assertThat(e.key()).isEqualTo("hw:cpu_realtime_mask");
        assertThat(e.value()).isEqualTo(mask);
    }

    @Test
    void maskThePatternAcceptsButTheParserRejects_isPlainInvalid() {
        InvalidInputException e = error(8, DEDICATED, RT, "hw:cpu_realtime_mask=0-1-2");
        assertThat(e.code()).isEqualTo("Invalid");
        assertThat(e.key()).isEqualTo("hw:cpu_realtime_mask");
        assertThat(error(8, DEDICATED, RT, "hw:cpu_realtime_mask=3-1").getMessage()).contains("start 3 is above its end 1");
    }

    @Test
    void flavorMaskIsValidatedEvenWhenRealtimeIsOff() {
        assertThat(error(4, DEDICATED, "hw:cpu_realtime=no", "hw:cpu_realtime_mask=0,").code()).isEqualTo("ValidationError");
    }

    // --- spawn-time check with the host ---

    @Test
    void realtimeWithSharedEmulatorThreadsNeedsCpuSharedSet_RealtimeMaskNotFoundOrInvalidAtSpawn() {
        TuningRequest r = parse(4, DEDICATED, RT, "hw:emulator_threads_policy=share");
        assertThatThrownBy(() -> SpawnCheck.check(r, HostPolicy.defaults()))
                .asInstanceOf(InstanceOfAssertFactories.type(InvalidInputException.class))
                .satisfies(e -> {
                    assertThat(e.code()).isEqualTo("RealtimeMaskNotFoundOrInvalid");
                    assertThat(e.key()).isEqualTo("hw:emulator_threads_policy");
                    assertThat(e.getMessage()).contains("cpu_shared_set");
                });
    }

    @Test
    void spawnCheckPassesWithASharedSetOrAnotherPolicyOrWithoutRealtime() {
        HostPolicy withShared = new HostPolicy(Optional.empty(), Optional.of(CpuSet.of(0, 1)), "kvm",
                Optional.empty(), java.util.List.of(), java.util.List.of(), 1);
        assertThatCode(() -> SpawnCheck.check(parse(4, DEDICATED, RT, "hw:emulator_threads_policy=share"), withShared))
                .doesNotThrowAnyException();
        assertThatCode(() -> SpawnCheck.check(parse(4, DEDICATED, RT, "hw:emulator_threads_policy=isolate"),
                HostPolicy.defaults())).doesNotThrowAnyException();
        assertThatCode(() -> SpawnCheck.check(parse(4, DEDICATED, RT), HostPolicy.defaults())).doesNotThrowAnyException();
        assertThatCode(() -> SpawnCheck.check(parse(4, DEDICATED, "hw:emulator_threads_policy=share"),
                HostPolicy.defaults())).doesNotThrowAnyException();
    }
}
