package io.kvmtune.core.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LockFileTest {

    @TempDir
    Path dir;

    @Test
    void makesTheFileAndTheDirectoriesItIsIn() throws Exception {
        Path file = dir.resolve("run/kvmtune/qemu-42.lock");

        try (FileChannel channel = LockFile.open(file); FileLock lock = channel.tryLock()) {
            assertThat(lock).isNotNull();
        }

        assertThat(file).isEmptyFile();
    }

    @Test
    void opensAFileThatExistsAsItIs() throws Exception {
        Path file = dir.resolve("rt-budgets.json.lock");
        Files.writeString(file, "left by an older kvmtune");

        try (FileChannel channel = LockFile.open(file)) {
            assertThat(channel.tryLock()).isNotNull();
        }

        assertThat(file).hasContent("left by an older kvmtune");
    }
}
