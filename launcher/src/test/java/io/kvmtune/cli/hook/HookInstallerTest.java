package io.kvmtune.cli.hook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvmtune.core.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HookInstallerTest {

    @TempDir
    Path hooks;

    /** Every file under the hooks dir with its content and permissions: "as found" means equal snapshots. */
    private Map<String, String> snapshot() throws Exception {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> s = Files.walk(hooks)) {
            for (Path p : s.toList()) {
                String perms = PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
                files.put(hooks.relativize(p).toString(),
                        perms + (Files.isRegularFile(p) ? ":" + Files.readString(p) : "/"));
            }
        }
        return files;
    }

    private Path executable(Path p, String content) throws Exception {
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    @Test
    void intoAnEmptyHooksDirItAsksForADaemonRestartAndUninstallLeavesItAsFound() throws Exception {
        Map<String, String> before = snapshot();
        HookInstaller installer = new HookInstaller(hooks);

        HookInstaller.Installed done = installer.install(Path.of("/opt/kvmtune/bin/kvmtune"));

        assertThat(done.daemonRestartNeeded()).isTrue();
        assertThat(done.script()).isEqualTo(hooks.resolve("qemu.d/50-kvmtune"));
        assertThat(Files.isExecutable(done.script())).isTrue();
        assertThat(Files.readString(done.script())).contains("exec '/opt/kvmtune/bin/kvmtune' hook \"$@\"");

        installer.uninstall();
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void anExistingMainQemuHookIsNeverTouchedAndNoRestartIsNeeded() throws Exception {
        executable(hooks.resolve("qemu"), "#!/bin/sh\necho theirs\n");
        Map<String, String> before = snapshot();
        HookInstaller installer = new HookInstaller(hooks);

        assertThat(installer.install(Path.of("/usr/bin/kvmtune")).daemonRestartNeeded()).isFalse();
        assertThat(Files.readString(hooks.resolve("qemu"))).isEqualTo("#!/bin/sh\necho theirs\n");

        installer.uninstall();
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void besideOtherQemuDHooksOnlyOurScriptComesAndGoes() throws Exception {
        executable(hooks.resolve("qemu.d/10-other"), "#!/bin/sh\n");
        Map<String, String> before = snapshot();
        HookInstaller installer = new HookInstaller(hooks);

        assertThat(installer.install(Path.of("/usr/bin/kvmtune")).daemonRestartNeeded()).isFalse();
        assertThat(installer.uninstall()).containsExactly(hooks.resolve("qemu.d/50-kvmtune"));
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void aNonExecutableQemuScriptDoesNotRegisterHooksSoARestartIsNeeded() throws Exception {
        Files.writeString(hooks.resolve("qemu"), "#!/bin/sh\n");
        assertThat(new HookInstaller(hooks).install(Path.of("/usr/bin/kvmtune")).daemonRestartNeeded()).isTrue();
    }

    @Test
    void reinstallingReplacesOurScriptButAForeignFileOfTheSameNameIsRefused() throws Exception {
        HookInstaller installer = new HookInstaller(hooks);
        installer.install(Path.of("/old/kvmtune"));
        HookInstaller.Installed again = installer.install(Path.of("/new/kvmtune"));
        assertThat(again.replacedOlderKvmtuneScript()).isTrue();
        assertThat(Files.readString(again.script())).contains("/new/kvmtune").doesNotContain("/old/");

        installer.uninstall();
        executable(hooks.resolve("qemu.d/50-kvmtune"), "#!/bin/sh\necho someone else\n");
        assertThatThrownBy(() -> installer.install(Path.of("/usr/bin/kvmtune")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("not written by kvmtune");
        assertThatThrownBy(installer::uninstall).isInstanceOf(InvalidInputException.class);
        assertThat(Files.readString(hooks.resolve("qemu.d/50-kvmtune"))).contains("someone else");
    }

    @Test
    void theInstalledScriptPassesArgumentsAndStdinToTheLauncherAndHoldsNoPipe() throws Exception {
        Path record = hooks.resolve("record");
        Path launcher = executable(hooks.resolve("bin/it's kvmtune"),
                "#!/bin/sh\nprintf '%s|' \"$@\" > '" + record + "'\ncat >> '" + record + "'\n");
        Path script = new HookInstaller(hooks).install(launcher).script();

        Process p = new ProcessBuilder(script.toString(), "vm 1", "started", "begin", "-").start();
        try {
            p.getOutputStream().write("<domain/>".getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
        } finally {
            p.destroyForcibly();
        }
        assertThat(Files.readString(record)).isEqualTo("hook|vm 1|started|begin|-|<domain/>");
    }
}
