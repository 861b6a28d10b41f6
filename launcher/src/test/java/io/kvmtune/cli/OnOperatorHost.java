package io.kvmtune.cli;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * An integration test on the partitioned {@link OperatorHost}: opened before each test (which is
 * skipped, saying why, where the host cannot run such guests) and closed after it, giving back
 * every guest and every piece of state the test left. A subclass's own {@code @BeforeEach} runs
 * after the host is open.
 */
abstract class OnOperatorHost {

    @TempDir
    Path dir;

    OperatorHost host;

    @BeforeEach
    final void openHost() {
        host = OperatorHost.open(dir);
    }

    @AfterEach
    final void closeHost() {
        if (host != null) {
            host.close();
        }
    }
}
