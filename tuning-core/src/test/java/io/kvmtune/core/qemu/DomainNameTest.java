package io.kvmtune.core.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvmtune.core.InvalidInputException;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class DomainNameTest {

    @Test
    void aPlainNameBecomesOneFileInTheDirectory() {
        assertThat(new DomainName("rt-1.guest").file(Path.of("/run/libvirt/qemu"), ".xml"))
                .isEqualTo(Path.of("/run/libvirt/qemu/rt-1.guest.xml"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "../etc/shadow", "a/b", "..", "a..b", "tab\there", "nul\0", "del\u007f"})
    void refusesNamesThatCouldLeaveTheDirectory(String name) {
        assertThatThrownBy(() -> new DomainName(name))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.key()).isEqualTo("domain");
                    assertThat(e.value()).isEqualTo(name);
                })
                .hasMessageStartingWith("domain name ");
    }

    @Test
    void refusesNamesLongerThanAFileName() {
        assertThatThrownBy(() -> new DomainName("x".repeat(252))).hasMessageContaining("longer than 251 bytes");
    }
}
