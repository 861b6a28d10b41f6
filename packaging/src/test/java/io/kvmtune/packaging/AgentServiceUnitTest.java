package io.kvmtune.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvmtune.cli.Cli;
import io.kvmtune.core.apply.RecordStore;
import io.kvmtune.core.spec.IniConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The shipped systemd unit of the agent agrees with what the agent does: it runs the packaged
 * command's {@code agent run} as root, keeps the capabilities the agent's system calls need and
 * no more, may write its state and libvirt's cgroups, and sets none of the hardening options
 * that would take away what it needs. (DebianPackageIT runs {@code systemd-analyze verify} on the
 * installed unit and the agent with the unit's capabilities.)
 */
class AgentServiceUnitTest {

    static final Path UNIT = Path.of("src/deb/root/lib/systemd/system/kvmtune-agent.service");
    /** What the agent's system calls need; the unit's comment says which needs which. */
    static final Set<String> CAPABILITIES = Set.of("CAP_NET_ADMIN", "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_PTRACE");

    private static IniConfig unit() throws IOException {
        return IniConfig.parse(Files.readString(UNIT), UNIT.toString());
    }

    private static String service(String key) throws IOException {
        return unit().get("Service", key).orElse("");
    }

    @Test
    void itRunsThePackagedCommandsAgentAsRoot() throws IOException {
        assertThat(service("ExecStart")).isEqualTo("/usr/bin/kvmtune agent run");
        var agent = Cli.create(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()))
                .getSubcommands().get("agent");
        assertThat(agent.getSubcommands()).containsKey("run");
        // the launcher gives `agent run` the agent's JVM settings (small heap, C1 only, no AOT cache)
        assertThat(Files.readString(Path.of("../launcher/src/dist/bin/kvmtune"))).contains("= \"agent run\" ]");
        for (String key : List.of("User", "Group", "DynamicUser")) {
            assertThat(unit().get("Service", key)).as(key + ": the agent runs as root").isEmpty();
        }
        assertThat(service("Type")).isEqualTo("simple");
    }

    @Test
    void itKeepsExactlyTheCapabilitiesTheAgentUses() throws IOException {
        assertThat(Set.of(service("CapabilityBoundingSet").split("\\s+"))).isEqualTo(CAPABILITIES);
        assertThat(service("NoNewPrivileges")).isEqualTo("yes");
        assertThat(service("AmbientCapabilities")).isEmpty();
    }

    @Test
    void itMayWriteItsStateAndLibvirtsCgroupsAndNothingElseOfTheSystem() throws IOException {
        assertThat(Path.of("/run").resolve(service("RuntimeDirectory"))).isEqualTo(RecordStore.DEFAULT_DIR);
        assertThat(service("RuntimeDirectoryPreserve")).as("the hook's state of running guests outlives the agent")
                .isEqualTo("yes");
        assertThat(service("ProtectSystem")).isEqualTo("strict");
        assertThat(service("ReadWritePaths").split("\\s+")).contains("/sys/fs/cgroup");
        assertThat(service("ProtectControlGroups")).isIn("", "no");
    }

    @Test
    void noHardeningOptionTakesAwayWhatTheAgentNeeds() throws IOException {
        assertThat(service("RestrictRealtime")).as("it sets SCHED_FIFO").isIn("", "no");
        assertThat(service("MemoryDenyWriteExecute")).as("the JVM compiles code").isIn("", "no");
        assertThat(service("PrivateNetwork")).as("the connector reports the initial namespaces").isIn("", "no");
        assertThat(service("PrivateUsers")).isIn("", "no");
        assertThat(service("SystemCallFilter")).as("none: sched_setattr and the netlink calls must stay").isEmpty();
        assertThat(service("RestrictAddressFamilies").split("\\s+"))
                .as("status socket and syslog, the connector, the metrics endpoint")
                .contains("AF_UNIX", "AF_NETLINK", "AF_INET", "AF_INET6");
    }
}
