package io.kvmtune.core.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvmtune.core.InvalidInputException;
import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.plan.Planner;
import io.kvmtune.core.plan.TuningPlan;
import io.kvmtune.core.spec.HostPolicy;
import io.kvmtune.core.spec.RequestParser;
import io.kvmtune.core.topology.DeclaredTopology;
import io.kvmtune.core.topology.HostTopology;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Nova's {@code _set_clock} and {@code _set_kvm_timers} for Windows guests ({@code os_type=windows}). */
class WindowsClockTest {

    private static final HostTopology HOST = DeclaredTopology.parse(
            "{\"online\": \"0-3\", \"nodes\": [{\"id\": 0, \"cpus\": \"0-3\"}], \"arch\": \"x86_64\"}");

    private static TuningPlan plan(Map<String, String> image, String virtType) {
        HostPolicy d = HostPolicy.defaults();
        HostPolicy host = new HostPolicy(d.dedicatedSet(), d.sharedSet(), virtType, d.cpuMode(), d.cpuModels(),
                d.extraFlags(), d.realtimePriority());
        return Planner.plan(RequestParser.parse(Map.of(), image, 2, "x86_64", virtType), host, HOST, CpuSet.empty());
    }

    /** Nova: offset localtime; timers pit, rtc, hpet (present no) and hypervclock (present yes), in that order. */
    @Test
    void aWindowsGuestGetsALocaltimeClockAndTheHypervClock_test_get_guest_config_windows_timer() {
        TuningPlan plan = plan(Map.of("os_type", "windows"), "kvm");

        assertThat(PlanXml.render(plan, "kvm")).contains("""
                <clock offset="localtime">
                  <timer name="pit" tickpolicy="delay"/>
                  <timer name="rtc" tickpolicy="catchup"/>
                  <timer name="hpet" present="no"/>
                  <timer name="hypervclock" present="yes"/>
                </clock>
                """);
        assertThat(plan.reasons()).anySatisfy(r -> {
            assertThat(r.decision()).isEqualTo("clock offset localtime, hypervclock timer present");
            assertThat(r.because()).isEqualTo("os_type=windows, virt_type=kvm");
        });
        assertThat(TuningPlan.fromJson(io.kvmtune.core.json.Json.write(plan)).clock()).isEqualTo(plan.clock());
    }

    @Test
    void otherGuestsKeepUtcAndNoTimerOutsideKvm() {
        assertThat(PlanXml.render(plan(Map.of("os_type", "Linux"), "kvm"), "kvm")).contains("<clock offset=\"utc\">")
                .doesNotContain("hypervclock");
        assertThat(PlanXml.render(plan(Map.of("os_type", "WINDOWS"), "qemu"), "qemu"))
                .contains("<clock offset=\"localtime\"/>");
    }

    @Test
    void anOsTypeNovaDoesNotKnowIsInvalidImageMetadata() {
        assertThatThrownBy(() -> plan(Map.of("os_type", "beos"), "kvm"))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.code()).isEqualTo("InvalidRequest");
                    assertThat(e.key()).isEqualTo("os_type");
                });
    }
}
