package io.kvmtune.agent;

import io.kvmtune.lab.KernelLab;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The agent's event path in the kernel lab (tuning-core's {@link KernelLab}): {@link AgentLabCheck}
 * inside Debian's 6.1 kernel with cgroup v2, and inside 6.1 PREEMPT_RT, where the cgroup layout
 * and the scheduler differ from the build host's (cgroup v1 hybrid, not RT). One scenario each,
 * with only the lab's environment check beside it, to keep the lab's share of a build small.
 */
class AgentKernelLabIT {

    private static final List<String> TESTS = List.of(AgentLabCheck.class.getName());

    private static KernelLab lab;

    @BeforeAll
    static void openTheLab() throws Exception {
        lab = KernelLab.open();
    }

    @Test
    void theEventPathOnCgroupV2() throws Exception {
        lab.run("agent-cgroup-v2", "amd64", TESTS, Duration.ofMinutes(5));
    }

    @Test
    void theEventPathOnPreemptRt() throws Exception {
        lab.run("agent-preempt-rt", "rt-amd64", TESTS, Duration.ofMinutes(5));
    }
}
