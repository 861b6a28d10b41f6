package io.kvmtune.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** CLI.md's --config rule: the given file, else /etc/kvmtune/kvmtune.conf, else /etc/nova/nova.conf, else defaults. */
class ConfigLocationTest {

    @Test
    void configLookupOrder_explicitThenKvmtuneConfThenNovaConfThenDefaults() {
        Path mine = Path.of("/tmp/my.conf");
        assertThat(ConfigLocation.resolve(Optional.of(mine), p -> false)).contains(mine);
        assertThat(ConfigLocation.resolve(Optional.empty(), p -> true)).contains(ConfigLocation.KVMTUNE_CONF);
        assertThat(ConfigLocation.resolve(Optional.empty(), Set.of(ConfigLocation.NOVA_CONF)::contains))
                .contains(ConfigLocation.NOVA_CONF);
        assertThat(ConfigLocation.resolve(Optional.empty(), p -> false)).isEmpty();
        assertThat(List.of(ConfigLocation.KVMTUNE_CONF, ConfigLocation.NOVA_CONF))
                .containsExactly(Path.of("/etc/kvmtune/kvmtune.conf"), Path.of("/etc/nova/nova.conf"));
    }
}
