package io.kvmtune.core.claims;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of {@link ClaimsLedger#claim}: the new claim (empty for a guest that pins nothing), and the stale claims of vanished
 * guests that were reclaimed in the same transaction (so that the caller can log them).
 */
public record ClaimResult(Optional<Claim> claim, List<Claim> reclaimed) {

    public ClaimResult {
        reclaimed = List.copyOf(reclaimed);
    }
}
