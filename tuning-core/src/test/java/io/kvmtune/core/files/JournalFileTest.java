package io.kvmtune.core.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalFileTest {

    @TempDir
    Path dir;

    @Test
    void linesAppendedAreReadBackInOrderFromAFileOnlyItsOwnerReads() throws Exception {
        Path journal = dir.resolve("j");

        int first = JournalFile.append(journal, "{\"a\":1}");
        int second = JournalFile.append(journal, "{\"b\":\"é\"}");

        assertThat(JournalFile.read(journal)).isEqualTo(new JournalFile.Lines(List.of("{\"a\":1}", "{\"b\":\"é\"}"),
                first + second));
        assertThat(second).as("UTF-8 bytes and the newline").isEqualTo(11);
        assertThat(JournalFile.size(journal)).isEqualTo(first + second);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(journal))).isEqualTo("rw-------");
    }

    @Test
    void aLastLineWithoutItsNewlineIsLeftOut() throws Exception {
        Path journal = dir.resolve("j");
        Files.writeString(journal, "done\nhalf");

        assertThat(JournalFile.read(journal)).isEqualTo(new JournalFile.Lines(List.of("done"), 5));
        assertThat(JournalFile.size(journal)).isEqualTo(9);
    }

    @Test
    void aMissingFileHasNoLines() throws Exception {
        assertThat(JournalFile.read(dir.resolve("none"))).isEqualTo(JournalFile.Lines.NONE);
        assertThat(JournalFile.size(dir.resolve("none"))).isZero();
    }

    @Test
    void aLineBreakInALineIsRefused() {
        assertThatThrownBy(() -> JournalFile.append(dir.resolve("j"), "one\ntwo"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line break");
        assertThat(dir.resolve("j")).doesNotExist();
    }
}
