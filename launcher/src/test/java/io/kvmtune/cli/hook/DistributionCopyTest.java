package io.kvmtune.cli.hook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvmtune.core.InvalidInputException;
import io.kvmtune.core.MissingComponentException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** hook install's copy of a checkout's distribution: what it copies, what it refuses, what uninstall removes. */
class DistributionCopyTest {

    @TempDir
    Path checkout;

    @TempDir
    Path local;

    private Path dir;

    @BeforeEach
    void fakeCheckout() throws IOException {
        Files.createDirectories(checkout.resolve("launcher/src/dist/bin"));
        Files.createDirectories(checkout.resolve("launcher/target"));
        Files.createDirectories(checkout.resolve("scripts"));
        Files.writeString(checkout.resolve("launcher/src/dist/bin/kvmtune"), "#!/bin/sh\n");
        Files.writeString(checkout.resolve("launcher/target/kvmtune.jar"), "jar v1");
        Files.writeString(checkout.resolve("scripts/find-jdk"), "#!/bin/sh\n");
        dir = local.resolve("lib/kvmtune");
    }

    @Test
    void copiesTheLauncherJarAndFindJdkAndReplacesAnEarlierCopy() throws IOException {
        DistributionCopy copy = new DistributionCopy(dir);
        copy.install(checkout);

        assertThat(copy.command()).isEqualTo(dir.resolve("bin/kvmtune")).isExecutable();
        assertThat(dir.resolve("lib/find-jdk")).isExecutable();
        assertThat(dir.resolve("lib/kvmtune.jar")).hasContent("jar v1");

        Files.writeString(checkout.resolve("launcher/target/kvmtune.jar"), "jar v2");
        copy.install(checkout);
        assertThat(dir.resolve("lib/kvmtune.jar")).hasContent("jar v2");
        try (var left = Files.list(dir.resolve("lib"))) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("kvmtune.jar", "find-jdk");
        }
    }

    @Test
    void uninstallRemovesOnlyACopyItMade() throws IOException {
        DistributionCopy copy = new DistributionCopy(dir);
        assertThat(copy.uninstall()).isFalse();
        copy.install(checkout);

        assertThat(copy.uninstall()).isTrue();
        assertThat(dir).doesNotExist();

        Files.createDirectories(dir);
        Files.writeString(dir.resolve("someone-elses"), "x");
        assertThat(copy.uninstall()).isFalse();
        assertThat(dir.resolve("someone-elses")).exists();
    }

    @Test
    void aDirectoryWithOtherFilesIsNotTakenOver() throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("someone-elses"), "x");

        assertThatThrownBy(() -> new DistributionCopy(dir).install(checkout)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("not written by kvmtune hook install");
    }

    @Test
    void anUnbuiltCheckoutIsAMissingComponent() throws IOException {
        Files.delete(checkout.resolve("launcher/target/kvmtune.jar"));

        assertThatThrownBy(() -> new DistributionCopy(dir).install(checkout)).isInstanceOf(MissingComponentException.class)
                .hasMessageContaining("kvmtune.jar is missing");
        assertThat(dir).doesNotExist();
    }
}
