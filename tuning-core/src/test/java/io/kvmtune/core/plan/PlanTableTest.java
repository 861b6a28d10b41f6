package io.kvmtune.core.plan;

import static io.kvmtune.core.plan.Hosts.policy;
import static io.kvmtune.core.topology.TestTopologies.host;
import static org.assertj.core.api.Assertions.assertThat;

import io.kvmtune.core.cpu.CpuSet;
import org.junit.jupiter.api.Test;

class PlanTableTest {

    @Test
    void showsOneRowPerVcpuThenTheGuestSettingsThenTheReasons() {
        TuningPlan plan = Planner.plan(Requests.mixed(3, "1-2").realtime("hw:cpu_realtime_mask=1-2", CpuSet.of(1, 2))
                .build(), policy("4-7", "0-3"), host(1, 8, 1), CpuSet.empty());

        String table = PlanTable.format(plan);

        assertThat(table).startsWith("""
                vCPU  pCPUs  pinned  policy  priority
                0     0-3    no      other   0
                1     4      yes     fifo    1
                2     5      yes     fifo    1

                realtime:               vCPUs 1-2 fifo priority 1
                emulator:               0-3 (non-realtime-vcpus)
                isolated emulator pCPU: none
                reserved pCPUs:         none
                memory:                 locked, nosharepages
                hpet:                   false (<timer name='hpet' present='no'/>)
                cpu:                    host-model

                reasons:
                """);
        for (Reason r : plan.reasons()) {
            assertThat(table).contains("  " + r.decision() + "  [" + r.because() + "]\n");
        }
    }
}
