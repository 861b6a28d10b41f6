package io.kvmtune.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CLI.md's --config rule: the given file, else /etc/kvmtune/kvmtune.conf when it holds host
 * settings, else /etc/nova/nova.conf, else an example kvmtune.conf, else defaults.
 */
class ConfigLocationTest {

    @TempDir
    Path dir;

    @Test
    void configLookupOrder_explicitThenKvmtuneConfThenNovaConfThenDefaults() {
        Path mine = Path.of("/tmp/my.conf");
        assertThat(ConfigLocation.resolve(Optional.of(mine), p -> false, p -> false)).contains(mine);
        assertThat(ConfigLocation.resolve(Optional.empty(), p -> true, p -> true)).contains(ConfigLocation.KVMTUNE_CONF);
        assertThat(ConfigLocation.resolve(Optional.empty(), Set.of(ConfigLocation.NOVA_CONF)::contains, p -> true))
                .contains(ConfigLocation.NOVA_CONF);
        assertThat(ConfigLocation.resolve(Optional.empty(), p -> false, p -> true)).isEmpty();
        assertThat(List.of(ConfigLocation.KVMTUNE_CONF, ConfigLocation.NOVA_CONF))
                .containsExactly(Path.of("/etc/kvmtune/kvmtune.conf"), Path.of("/etc/nova/nova.conf"));
    }

    @Test
    void aKvmtuneConfWithoutHostSettingsDoesNotHideNovaConf() {
        assertThat(ConfigLocation.resolve(Optional.empty(), p -> true, p -> false)).contains(ConfigLocation.NOVA_CONF);
        assertThat(ConfigLocation.resolve(Optional.empty(), Set.of(ConfigLocation.KVMTUNE_CONF)::contains, p -> false))
                .contains(ConfigLocation.KVMTUNE_CONF);
    }

    @Test
    void hostSettingsAreKeysOfDefaultComputeOrLibvirt() throws IOException {
        assertThat(ConfigLocation.holdsHostSettings(Files.writeString(dir.resolve("example.conf"),
                "# [compute]\n# cpu_dedicated_set = 2-7\n\n[agent]\n# drift = repair\n"))).isFalse();
        assertThat(ConfigLocation.holdsHostSettings(Files.writeString(dir.resolve("agent.conf"),
                "[agent]\ndrift = report\n"))).isFalse();
        assertThat(ConfigLocation.holdsHostSettings(Files.writeString(dir.resolve("set.conf"),
                "[compute]\ncpu_dedicated_set = 2-7\n"))).isTrue();
        assertThat(ConfigLocation.holdsHostSettings(Files.writeString(dir.resolve("libvirt.conf"),
                "[libvirt]\nrealtime_scheduler_priority = 50\n"))).isTrue();
        // Unparseable or unreadable: chosen, so that reading it says what is wrong.
        assertThat(ConfigLocation.holdsHostSettings(Files.writeString(dir.resolve("broken.conf"), "no section\n")))
                .isTrue();
        assertThat(ConfigLocation.holdsHostSettings(dir.resolve("missing.conf"))).isTrue();
    }
}
