package io.kvmtune.cli.hook;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvmtune.cli.Main;
import io.kvmtune.core.claims.Claim;
import io.kvmtune.core.claims.ClaimsLedger;
import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.testing.ChildJvms;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Concurrent libvirt starts: the real hook entry point in separate JVMs, one per domain. */
class HookPrepareProcessesIT {

    @TempDir
    Path dir;

    @RegisterExtension
    final ChildJvms jvms = new ChildJvms();

    /** The hook's state directory: the kept plans go there, never into the host's /run/kvmtune. */
    private Path state() {
        return dir.resolve("run");
    }

    private Process prepare(Path config, Path ledger, int i) throws Exception {
        String name = "guest-" + i;
        String uuid = String.format("00000000-0000-4000-8000-%012d", i);
        Process p = jvms.start(ChildJvms.command(List.of("--enable-native-access=ALL-UNNAMED",
                        "-Dkvmtune.claims=" + ledger, "-Dkvmtune.config=" + config, "-Dkvmtune.root=" + dir,
                        "-Dkvmtune.state=" + state(), "-Dkvmtune.syslog=" + dir.resolve("no-syslog")),
                        Main.class, List.of("hook", name, "prepare", "begin", "-"))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(dir.resolve(name + ".err").toFile()));
        p.getOutputStream().write(("<domain type='kvm'><name>" + name + "</name><uuid>" + uuid + "</uuid>"
                + "<vcpu>2</vcpu><cpu mode='host-model'/><clock offset='utc'><timer name='hpet' present='no'/></clock>"
                + "<metadata><k:tuning xmlns:k='https://kvmtune.io/xmlns/tuning/1.0'>"
                + "<k:flavor-spec key='hw:cpu_policy'>dedicated</k:flavor-spec>"
                + "</k:tuning></metadata></domain>").getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        return p;
    }

    @Test
    void twentyParallelPrepareHooksNeverClaimAPcpuTwice() throws Exception {
        // 20 guests x 2 dedicated vCPUs on 44 dedicated pCPUs: all fit, with little slack.
        Path config = FakeHost.write(dir, 48, "4-47", "0-3");
        Path ledger = state().resolve("claims.json");
        List<Process> hooks = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            hooks.add(prepare(config, ledger, i));
        }
        for (int i = 0; i < hooks.size(); i++) {
            assertThat(hooks.get(i).waitFor(180, TimeUnit.SECONDS)).isTrue();
            assertThat(hooks.get(i).exitValue()).as(Files.readString(dir.resolve("guest-" + i + ".err"))).isZero();
            assertThat(Files.readString(dir.resolve("guest-" + i + ".err"))).contains("claimed pCPUs");
        }

        List<Claim> claims = ClaimsLedger.at(ledger).read();
        assertThat(claims).hasSize(20);
        CpuSet union = CpuSet.empty();
        for (Claim c : claims) {
            assertThat(c.pcpus().size()).isEqualTo(2);
            assertThat(union.intersects(c.pcpus())).as("a pCPU of %s is claimed twice", c.domainName()).isFalse();
            union = union.union(c.pcpus());
        }
        assertThat(CpuSet.range(4, 47).containsAll(union)).isTrue();
        try (var kept = Files.list(state().resolve("domains"))) {
            assertThat(kept).as("one kept plan per prepared guest").hasSize(20);
        }
    }

    @Test
    void theTwentyThirdGuestDoesNotFitAndItsStartIsStoppedWithExitFive() throws Exception {
        Path config = FakeHost.write(dir, 48, "4-47", "0-3");
        Path ledger = state().resolve("claims.json");
        for (int i = 0; i < 22; i++) {
            assertThat(prepare(config, ledger, i).waitFor(120, TimeUnit.SECONDS)).isTrue();
        }
        Process last = prepare(config, ledger, 22);
        assertThat(last.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(last.exitValue()).isEqualTo(5);
        assertThat(Files.readString(dir.resolve("guest-22.err"))).startsWith("kvmtune: DoesNotFit: guest-22 prepare: ")
                .hasLineCount(1);
    }
}
