package io.kvmtune.core.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvmtune.core.InvalidInputException;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class DomainNameTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "a/b", "/etc/passwd", "..", "../x", "x..y", "a\nb", "tab\there", "nul\0", "del\u007f"})
    void namesThatCouldEscapeTheDirectoryOrTheLogLineAreRefused(String name) {
        assertThatThrownBy(() -> DomainName.fileIn(Path.of("/run/libvirt/qemu"), name, ".xml"))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).code()).isEqualTo("InvalidDomainName"))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n", "\t", "\0"));
    }

    @Test
    void ordinaryNamesBecomeAFileDirectlyInTheDirectory() {
        assertThat(DomainName.fileIn(Path.of("/run/libvirt/qemu"), "instance-0000002a.x_y", ".xml"))
                .isEqualTo(Path.of("/run/libvirt/qemu/instance-0000002a.x_y.xml"));
    }
}
