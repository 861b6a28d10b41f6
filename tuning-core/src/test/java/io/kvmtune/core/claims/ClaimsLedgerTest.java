package io.kvmtune.core.claims;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvmtune.core.DoesNotFitException;
import io.kvmtune.core.InvalidInputException;
import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.qemu.ThreadIdentity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClaimsLedgerTest {

    @TempDir
    Path dir;

    private final Set<ThreadIdentity> running = new HashSet<>();
    private Instant now = Instant.parse("2025-01-01T00:00:00Z");

    private ClaimsLedger ledger() {
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now;
            }
        };
        return new ClaimsLedger(dir.resolve("run/claims.json"), running::contains, clock, Duration.ofMinutes(10));
    }

    @Test
    void aMissingLedgerReadsAsNoClaims() {
        assertThat(ledger().read()).isEmpty();
        assertThat(ledger().claimedPcpus(null)).isEqualTo(CpuSet.empty());
    }

    @Test
    void theChooserSeesOtherGuestsPcpusAndTheClaimIsPersisted() {
        ClaimsLedger ledger = ledger();
        ledger.claim("uuid-a", "a", taken -> CpuSet.of(2, 3));
        CpuSet[] seen = new CpuSet[1];
        ledger.claim("uuid-b", "b", taken -> {
            seen[0] = taken;
            return CpuSet.of(4);
        });

        assertThat(seen[0]).isEqualTo(CpuSet.of(2, 3));
        assertThat(ledger().read()).extracting(Claim::domainUuid).containsExactly("uuid-a", "uuid-b");
        assertThat(ledger().claimedPcpus("uuid-a")).isEqualTo(CpuSet.of(4));
    }

    @Test
    void claimingAgainForTheSameDomainReplacesItsEarlierClaim() {
        ClaimsLedger ledger = ledger();
        ledger.claim("uuid-a", "a", taken -> CpuSet.of(2, 3));
        ledger.claim("uuid-a", "a", taken -> {
            assertThat(taken).isEqualTo(CpuSet.empty());
            return CpuSet.of(5);
        });
        assertThat(ledger.read()).singleElement().extracting(Claim::pcpus).isEqualTo(CpuSet.of(5));
    }

    @Test
    void aChooserThatFailsLeavesTheLedgerAsItWas() throws Exception {
        ClaimsLedger ledger = ledger();
        ledger.claim("uuid-a", "a", taken -> CpuSet.of(1));
        String before = Files.readString(ledger.file());

        assertThatThrownBy(() -> ledger.claim("uuid-b", "b", taken -> {
            throw new DoesNotFitException("hw:cpu_policy", "dedicated", "no free pCPU");
        })).isInstanceOf(DoesNotFitException.class);

        assertThat(Files.readString(ledger.file())).isEqualTo(before);
    }

    @Test
    void aChooserThatReturnsAnotherGuestsPcpuIsRefused() {
        ClaimsLedger ledger = ledger();
        ledger.claim("uuid-a", "a", taken -> CpuSet.of(1, 2));
        assertThatThrownBy(() -> ledger.claim("uuid-b", "b", taken -> CpuSet.of(2, 3)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("pCPUs 2");
        assertThat(ledger.read()).hasSize(1);
    }

    @Test
    void aBoundClaimLivesExactlyAsLongAsItsProcess() {
        ClaimsLedger ledger = ledger();
        ThreadIdentity qemu = new ThreadIdentity(4242, 777);
        running.add(qemu);
        ledger.claim("uuid-a", "a", taken -> CpuSet.of(6));
        assertThat(ledger.bind("uuid-a", qemu)).get().extracting(Claim::process).isEqualTo(java.util.Optional.of(qemu));

        now = now.plus(Duration.ofDays(1));
        assertThat(ledger.claimedPcpus(null)).isEqualTo(CpuSet.of(6));

        running.remove(qemu);
        running.add(new ThreadIdentity(4242, 999)); // the pid reused by another process
        assertThat(ledger.claimedPcpus(null)).isEqualTo(CpuSet.empty());
        ClaimResult next = ledger.claim("uuid-b", "b", taken -> {
            assertThat(taken).isEqualTo(CpuSet.empty());
            return CpuSet.of(6);
        });
        assertThat(next.reclaimed()).extracting(Claim::domainUuid).containsExactly("uuid-a");
    }

    @Test
    void aPendingClaimExpiresAfterTheGracePeriod() {
        ClaimsLedger ledger = ledger();
        ledger.claim("uuid-a", "a", taken -> CpuSet.of(6));
        now = now.plus(Duration.ofMinutes(9));
        assertThat(ledger.claimedPcpus(null)).isEqualTo(CpuSet.of(6));
        now = now.plus(Duration.ofMinutes(2));
        assertThat(ledger.claimedPcpus(null)).isEqualTo(CpuSet.empty());
    }

    @Test
    void releaseReturnsTheClaimOnceAndBindingAnUnknownDomainDoesNothing() {
        ClaimsLedger ledger = ledger();
        ledger.claim("uuid-a", "a", taken -> CpuSet.of(6));
        assertThat(ledger.release("uuid-a")).get().extracting(Claim::pcpus).isEqualTo(CpuSet.of(6));
        assertThat(ledger.release("uuid-a")).isEmpty();
        assertThat(ledger.bind("uuid-x", new ThreadIdentity(1, 1))).isEmpty();
        assertThat(ledger.read()).isEmpty();
    }

    @Test
    void aCorruptLedgerIsReportedWithItsPath() throws Exception {
        Path file = dir.resolve("run/claims.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"version\": 1, \"claims\": [{\"uuid\": 3}]}");
        assertThatThrownBy(() -> ledger().read())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(file.toString())
                .extracting(e -> ((InvalidInputException) e).code()).isEqualTo("InvalidClaims");
    }

    @Test
    void aGuestThatPinsNothingHoldsNoClaim() {
        ClaimsLedger ledger = ledger();
        ledger.claim("uuid-a", "a", taken -> CpuSet.of(1));
        assertThat(ledger.claim("uuid-a", "a", taken -> CpuSet.empty()).claim()).isEmpty();
        assertThat(ledger.read()).isEmpty();
    }
}
