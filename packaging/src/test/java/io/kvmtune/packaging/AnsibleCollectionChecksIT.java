package io.kvmtune.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvmtune.packaging.AnsibleTools.Run;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The collection's own checks, on its installed copy: {@code ansible-lint} (production profile) and
 * the modules' unit tests ({@code tests/unit}, a stand-in kvmtune). Changes nothing on the host.
 */
class AnsibleCollectionChecksIT {

    @TempDir
    Path tmp;

    @Test
    void ansibleLintPassesWithTheProductionProfile() throws Exception {
        AnsibleTools.assumeInstalled("ansible-lint");
        Run run = AnsibleTools.run(new ProcessBuilder("ansible-lint", "--nocolor", "--profile", "production")
                .directory(AnsibleTools.REPO.resolve("ansible").toFile()).redirectErrorStream(true));
        assertThat(run.status()).as(run.output()).isZero();
        assertThat(run.output()).contains("Passed with production profile: 0 failure(s), 0 warning(s)");
    }

    @Test
    void theModulesUnitTestsPass() throws Exception {
        AnsibleTools.assumeInstalled("ansible-galaxy", "/usr/bin/python3");
        Path collections = AnsibleTools.install(tmp);
        Run run = AnsibleTools.run(new ProcessBuilder("/usr/bin/python3", "-m", "unittest", "discover", "-s", "tests/unit", "-v")
                .directory(AnsibleTools.installed(collections).toFile()).redirectErrorStream(true));
        assertThat(run.status()).as(run.output()).isZero();
        assertThat(run.output()).contains("Ran 5 tests", "OK");
    }
}
