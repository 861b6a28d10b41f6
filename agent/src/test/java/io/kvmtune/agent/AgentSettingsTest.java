package io.kvmtune.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvmtune.core.InvalidInputException;
import io.kvmtune.core.spec.IniConfig;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AgentSettingsTest {

    private static AgentSettings of(String conf) {
        return AgentSettings.of(IniConfig.parse(conf, "kvmtune.conf"), Path.of("/run/kvmtune"),
                Path.of("/run/libvirt/qemu"), Path.of("/proc"), Path.of("/run/kvmtune/claims.json"));
    }

    @Test
    void defaultsServeMetricsOnLoopbackRepairDriftAndCheckEverySecond() {
        AgentSettings s = of("");
        assertThat(s.metricsListen()).contains(new InetSocketAddress("127.0.0.1", 9477));
        assertThat(s.drift()).isEqualTo(DriftMode.REPAIR);
        assertThat(s.checkInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.hotplugRuntime()).isEqualTo(HotplugRuntime.AHEAD);
        assertThat(s.eventPriority()).as("SCHED_FIFO 1").isEqualTo(1);
        assertThat(s.statusSocket()).isEqualTo(Path.of("/run/kvmtune/agent.sock"));
    }

    @Test
    void theAgentSectionSetsEachKey() {
        AgentSettings s = of("""
                [agent]
                metrics_listen = [::1]:9100
                drift = report
                check_interval_ms = 250
                hotplug_runtime = on_plug
                event_priority = 0
                """);
        assertThat(s.metricsListen()).contains(new InetSocketAddress("::1", 9100));
        assertThat(s.drift()).isEqualTo(DriftMode.REPORT);
        assertThat(s.checkInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(s.hotplugRuntime()).isEqualTo(HotplugRuntime.ON_PLUG);
        assertThat(s.eventPriority()).isZero();
        assertThat(of("[agent]\nevent_priority = 99\n").eventPriority()).isEqualTo(99);
    }

    @Test
    void anEmptyListenAddressTurnsMetricsOff() {
        assertThat(of("[agent]\nmetrics_listen =\n").metricsListen()).isEqualTo(Optional.empty());
    }

    @Test
    void badValuesNameTheirKey() {
        assertThatThrownBy(() -> of("[agent]\ndrift = fix\n")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("repair or report").extracting("key").isEqualTo("[agent] drift");
        assertThatThrownBy(() -> of("[agent]\nhotplug_runtime = later\n")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("ahead or on_plug").extracting("key").isEqualTo("[agent] hotplug_runtime");
        assertThatThrownBy(() -> of("[agent]\ncheck_interval_ms = 1\n")).isInstanceOf(InvalidInputException.class)
                .extracting("key").isEqualTo("[agent] check_interval_ms");
        assertThatThrownBy(() -> of("[agent]\ncheck_interval_ms = soon\n")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("whole number of milliseconds");
        assertThatThrownBy(() -> of("[agent]\nevent_priority = 100\n")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("between 0 and 99").extracting("key").isEqualTo("[agent] event_priority");
        assertThatThrownBy(() -> of("[agent]\nevent_priority = fifo\n")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("SCHED_FIFO priority, or 0 for none");
        assertThatThrownBy(() -> of("[agent]\nmetrics_listen = localhost:9477\n"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("not a name");
        assertThatThrownBy(() -> of("[agent]\nmetrics_listen = 127.0.0.1:70000\n"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("1..65535");
        assertThatThrownBy(() -> of("[agent]\nmetrics_listen = 9477\n"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("host:port");
    }
}
