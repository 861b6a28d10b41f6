package io.kvmtune.core.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelFileTest {

    @TempDir
    Path dir;

    @Test
    void readsAKernelFileThatReportsSizeZero() throws Exception {
        // /proc files stat as empty; the content comes only from reading
        assertThat(KernelFile.read(Path.of("/proc/self/stat"))).get().asString()
                .startsWith(ProcessHandle.current().pid() + " (");
    }

    @Test
    void readsFilesOfEveryLengthWhole() throws Exception {
        for (int length : new int[] {0, 1, 4095, 4096, 4097, 20_000}) {
            String text = "0123456789abcdef".repeat(length / 16 + 1).substring(0, length);
            Path file = Files.writeString(dir.resolve("f" + length), text);

            assertThat(KernelFile.read(file)).as("%d bytes", length).contains(text);
        }
    }

    @Test
    void aMissingFileIsEmptyAndOneThatCannotBeReadSaysWhy() throws Exception {
        assertThat(KernelFile.read(dir.resolve("gone"))).isEmpty();
        assertThat(KernelFile.read(dir.resolve("gone/stat"))).isEmpty();
        assertThatThrownBy(() -> KernelFile.read(dir)).isInstanceOf(IOException.class)
                .hasMessage("read(" + dir + "): EISDIR: Is a directory");
    }
}
