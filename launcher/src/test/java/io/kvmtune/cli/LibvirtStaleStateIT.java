package io.kvmtune.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvmtune.core.apply.LibvirtTestDomain;
import io.kvmtune.core.claims.Claim;
import io.kvmtune.core.cpu.CpuSet;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code kvmtune apply --domain} on the real libvirtd (issue 13, item 8): the plan's pCPUs are
 * claimed for the QEMU, so the next plan does not get them; a QEMU killed with nobody restoring it
 * leaves its record, its claim and the realtime runtime given to libvirt's groups, and the next
 * kvmtune run that touches the ledger or the budgets, or {@code kvmtune restore --stale}, cleans
 * them up and says so.
 */
class LibvirtStaleStateIT extends OnOperatorHost {

    private Path config;

    @BeforeEach
    void configure() {
        config = host.config("");
    }

    private LibvirtTestDomain startGuest(String name, String uuid) {
        return host.start(name, "<uuid>" + uuid + "</uuid><vcpu placement='static'>2</vcpu>");
    }

    private CommandRun applyRealtime(String domain) {
        return host.kvmtune("apply", "--domain", domain, "--config", config.toString(),
                "--flavor-spec", "hw:cpu_policy=mixed", "--flavor-spec", "hw:cpu_realtime=yes",
                "--flavor-spec", "hw:cpu_realtime_mask=^0");
    }

    @Test
    void applyClaimsThePcpusAndTheStateOfAKilledQemuIsCleanedUpByTheNextRunAndByRestoreStale() {
        String uuidA = UUID.randomUUID().toString();
        LibvirtTestDomain a = startGuest("a", uuidA);
        int pidA = a.pid();
        long machineBefore = OperatorHost.rtRuntime("machine"); // libvirt makes the group at the first start

        CommandRun applied = applyRealtime(a.name());
        assertThat(applied.status()).as(applied.out() + applied.err()).isZero();

        Claim claim = host.claimOf(uuidA).orElseThrow(() -> new AssertionError("apply --domain took no claim"));
        assertThat(claim.pcpus()).isEqualTo(CpuSet.of(host.dedicated()));
        assertThat(claim.process()).map(p -> p.tid()).contains(pidA);
        CommandRun plan = host.kvmtune("plan", "--vcpus", "1", "--config", config.toString(), "--claims",
                host.claimsFile().toString(), "--flavor-spec", "hw:cpu_policy=dedicated");
        assertThat(plan.status()).as("the only dedicated pCPU is claimed: " + plan.out() + plan.err()).isEqualTo(5);
        assertThat(OperatorHost.rtRuntime("machine")).isGreaterThan(machineBefore);

        // Killed with no hook to restore it: record, claim and realtime runtime stay behind.
        assertThat(a.destroy().exitCode()).isZero();
        assertThat(host.recordFile(pidA)).exists();

        // The next apply cleans them up first, and says so.
        String uuidB = UUID.randomUUID().toString();
        LibvirtTestDomain b = startGuest("b", uuidB);
        CommandRun next = applyRealtime(b.name());
        assertThat(next.status()).as(next.out() + next.err()).isZero();
        assertThat(next.err()).contains("kvmtune: cleaned up apply record of QEMU pid " + pidA + ": QEMU has exited")
                .contains("kvmtune: cleaned up claim of domain " + a.name());
        assertThat(host.recordFile(pidA)).doesNotExist();
        assertThat(host.claimOf(uuidA)).isEmpty();
        assertThat(host.claimOf(uuidB)).map(Claim::pcpus).contains(CpuSet.of(host.dedicated()));

        int pidB = b.pid();
        assertThat(b.destroy().exitCode()).isZero();
        CommandRun stale = host.kvmtune("restore", "--stale");
        assertThat(stale.status()).as(stale.out() + stale.err()).isZero();
        assertThat(stale.err()).contains("cleaned up apply record of QEMU pid " + pidB)
                .contains("cleaned up claim of domain " + b.name());
        assertThat(host.recordFile(pidB)).doesNotExist();
        assertThat(host.claims()).isEmpty();
        assertThat(OperatorHost.rtRuntime("machine")).as("the realtime runtime is back").isEqualTo(machineBefore);

        CommandRun again = host.kvmtune("restore", "--stale");
        assertThat(again.status()).isZero();
        assertThat(again.out()).contains("nothing stale");
    }
}
