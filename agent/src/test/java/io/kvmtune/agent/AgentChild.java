package io.kvmtune.agent;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** An agent in a JVM of its own, for tests that kill it: {@code AgentChild STATE_DIR}. */
public final class AgentChild {

    private AgentChild() {
    }

    public static void main(String[] args) {
        Path state = Path.of(args[0]);
        Agent agent = Agent.start(new AgentSettings(Optional.empty(), DriftMode.REPAIR, HotplugRuntime.AHEAD, AgentSettings.DEFAULT_EVENT_PRIORITY, Duration.ofMillis(100), state,
                state.resolve("libvirt"), Path.of("/proc"), state.resolve("claims.json")), System.err);
        agent.run();
    }
}
