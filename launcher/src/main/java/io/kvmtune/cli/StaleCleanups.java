package io.kvmtune.cli;

import io.kvmtune.cli.hook.HookSettings;
import io.kvmtune.core.apply.StaleCleanup;
import io.kvmtune.core.apply.StaleState;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The cleanup of exited QEMUs' state that commands touching the ledger or realtime budgets run first. */
final class StaleCleanups {

    private StaleCleanups() {
    }

    /** Cleans up and writes one {@code kvmtune: cleaned up ...} line per cleanup to {@code err}. */
    static List<StaleCleanup> run(HookSettings paths, Optional<Path> claims, PrintWriter err) {
        List<StaleCleanup> done = StaleState.system(paths.stateDir(), claims).cleanUp();
        done.forEach(c -> err.println("kvmtune: cleaned up " + c));
        err.flush();
        return done;
    }
}
