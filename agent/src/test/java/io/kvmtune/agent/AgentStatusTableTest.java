package io.kvmtune.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvmtune.core.json.Json;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AgentStatusTableTest {

    @Test
    void showsEachWatchedAndPendingThreadTheLastDriftAndTheCounters() {
        AgentStatus status = new AgentStatus(42, 0, "repair", List.of(new AgentStatus.Guest("web1", 5151, "", "record",
                List.of(new AgentStatus.Thread(5160, "CPU 1/KVM", "vcpu1", "3", "fifo:1")), List.of(5170))),
                Optional.empty(), Map.of("repairs", 2L, "guests", 1L));

        String table = AgentStatusTable.render(Json.pretty(status));

        assertThat(table).startsWith("agent pid 42, drift = repair\n");
        assertThat(table).containsPattern("web1 +5151 +record +5160 +CPU 1/KVM +vcpu1 +3 +fifo:1");
        assertThat(table).containsPattern("web1 +5151 +record +5170 +\\(pending\\)");
        assertThat(table).contains("last drift: none").contains("counters: guests 1, repairs 2");
    }
}
