package io.kvmtune.core.claims;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvmtune.core.cpu.CpuSet;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ledger shared by separate JVMs, as concurrent libvirt hook processes share it. */
class ClaimsLedgerProcessesIT {

    @TempDir
    Path dir;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void killEverythingStarted() throws InterruptedException {
        for (Process p : started) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private Process worker(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElseThrow(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), ClaimWorker.class.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        started.add(p);
        return p;
    }

    @Test
    void twentyGuestsClaimingInParallelProcessesNeverShareAPcpu() throws Exception {
        Path ledgerFile = dir.resolve("claims.json");
        // 20 guests x 2 pCPUs from a pool of 44: every guest fits, with little slack to hide a race.
        List<Process> workers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            workers.add(worker("claim", ledgerFile.toString(), "uuid-" + i, "2", "4-47"));
        }
        List<CpuSet> printed = new ArrayList<>();
        for (Process w : workers) {
            assertThat(w.waitFor(120, TimeUnit.SECONDS)).as("worker finished").isTrue();
            assertThat(w.exitValue()).isZero();
            printed.add(CpuSet.parse(new String(w.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip()));
        }

        List<Claim> claims = ClaimsLedger.at(ledgerFile).read();
        assertThat(claims).hasSize(20);
        CpuSet union = CpuSet.empty();
        for (Claim c : claims) {
            assertThat(c.pcpus().size()).isEqualTo(2);
            assertThat(union.intersects(c.pcpus())).as("pCPU of %s claimed twice", c.domainName()).isFalse();
            union = union.union(c.pcpus());
        }
        assertThat(union.size()).isEqualTo(40);
        assertThat(claims).extracting(Claim::pcpus).containsExactlyInAnyOrderElementsOf(printed);
    }

    @Test
    void aWriterKilledWithSigkillAtAnyPointLeavesAReadableLedgerAndNoStuckLock() throws Exception {
        Path ledgerFile = dir.resolve("claims.json");
        for (int round = 0; round < 5; round++) {
            Process churn = worker("churn", ledgerFile.toString());
            BufferedReader out = new BufferedReader(new InputStreamReader(churn.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("ready");
            Thread.sleep(ThreadLocalRandom.current().nextInt(5, 150));
            churn.destroyForcibly(); // SIGKILL on Linux
            assertThat(churn.waitFor(10, TimeUnit.SECONDS)).isTrue();

            ClaimsLedger ledger = ClaimsLedger.at(ledgerFile);
            List<Claim> claims = ledger.read();
            assertThat(claims).isNotEmpty();
            // The next writer gets the lock (the kernel dropped the dead writer's) and sees a consistent ledger.
            Process next = worker("claim", ledgerFile.toString(), "after-kill-" + round, "1", "2000-2047");
            assertThat(next.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(next.exitValue()).isZero();
            assertThat(ledger.read()).extracting(Claim::domainUuid).contains("after-kill-" + round);
        }
    }
}
