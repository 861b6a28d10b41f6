package io.kvmtune.core.claims;

import io.kvmtune.core.DoesNotFitException;
import io.kvmtune.core.cpu.CpuSet;
import java.nio.file.Path;
import java.util.UUID;

/**
 * A separate JVM that uses the ledger the way a libvirt hook process does, for the multi-process
 * tests: {@code claim LEDGER UUID COUNT POOL} claims the COUNT lowest free pCPUs of POOL and
 * prints them; {@code churn LEDGER} claims and releases forever, until it is killed.
 */
public final class ClaimWorker {

    private ClaimWorker() {
    }

    public static void main(String[] args) {
        ClaimsLedger ledger = ClaimsLedger.at(Path.of(args[1]));
        switch (args[0]) {
            case "claim" -> {
                int count = Integer.parseInt(args[3]);
                CpuSet pool = CpuSet.parse(args[4]);
                try {
                    Claim claim = ledger.claim(args[2], "guest-" + args[2], taken -> lowestFree(pool.minus(taken), count))
                            .claim().orElseThrow();
                    System.out.println(claim.pcpus());
                } catch (DoesNotFitException e) {
                    System.out.println("does-not-fit");
                    System.exit(5);
                }
            }
            case "churn" -> {
                CpuSet pool = CpuSet.range(0, 1999);
                for (long i = 0; ; i++) {
                    String uuid = UUID.randomUUID().toString();
                    ledger.claim(uuid, "churn-" + i, taken -> lowestFree(pool.minus(taken), 1));
                    if (i == 0) {
                        System.out.println("ready");
                        System.out.flush();
                    }
                    if (i % 3 != 0) {
                        ledger.release(uuid);
                    }
                }
            }
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    private static CpuSet lowestFree(CpuSet free, int count) {
        if (free.size() < count) {
            throw new DoesNotFitException("pcpus", free.toString(), "only " + free.size() + " free pCPUs, need " + count);
        }
        return CpuSet.of(java.util.Arrays.copyOf(free.toArray(), count));
    }
}
