package io.kvmtune.core.files;

import static java.nio.file.attribute.PosixFilePermission.GROUP_READ;
import static java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE;
import static java.nio.file.attribute.PosixFilePermission.OTHERS_READ;
import static java.nio.file.attribute.PosixFilePermission.OWNER_READ;
import static java.nio.file.attribute.PosixFilePermission.OWNER_WRITE;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {

    @TempDir
    Path dir;

    @Test
    void replacesTheContentAndLeavesNoTemporaryFileBehind() throws Exception {
        Path target = dir.resolve("state/record.json");
        AtomicFile.write(target, "old".getBytes(StandardCharsets.UTF_8));
        AtomicFile.write(target, "new".getBytes(StandardCharsets.UTF_8));
        assertThat(Files.readString(target)).isEqualTo("new");
        try (var files = Files.list(target.getParent())) {
            assertThat(files).containsExactly(target);
        }
    }

    @Test
    void ownerOnlyByDefault() throws Exception {
        Path target = dir.resolve("private/record.json");
        AtomicFile.write(target, new byte[] {1});
        assertThat(Files.getPosixFilePermissions(target)).containsExactlyInAnyOrder(OWNER_READ, OWNER_WRITE);
        assertThat(Files.getPosixFilePermissions(target.getParent())).doesNotContain(GROUP_READ, OTHERS_READ);
    }

    @Test
    void readableByEveryoneWhenAsked() throws Exception {
        Path target = dir.resolve("shared/claims.json");
        AtomicFile.write(target, new byte[] {1}, AtomicFile.Readers.EVERYONE);
        assertThat(Files.getPosixFilePermissions(target)).contains(OWNER_READ, OWNER_WRITE, OTHERS_READ);
        assertThat(Files.getPosixFilePermissions(target.getParent())).contains(OTHERS_READ, OTHERS_EXECUTE);
    }

    @Test
    void replaceDoesTheSameWithoutSyncingTheDirectory() throws Exception {
        Path target = dir.resolve("records/qemu-2.json");

        AtomicFile.replace(target, "first".getBytes(StandardCharsets.UTF_8));
        AtomicFile.replace(target, "second".getBytes(StandardCharsets.UTF_8));

        assertThat(Files.readString(target)).isEqualTo("second");
        try (Stream<Path> files = Files.list(target.getParent())) {
            assertThat(files).containsExactly(target);
        }
    }

    @Test
    void replaceSaysWhichVersionOfTheFileItPutInPlace() throws Exception {
        Path target = dir.resolve("records/qemu-3.json");

        FileVersion first = AtomicFile.replace(target, "first".getBytes(StandardCharsets.UTF_8));
        assertThat(FileVersion.of(target)).contains(first);

        FileVersion second = AtomicFile.replace(target, "first".getBytes(StandardCharsets.UTF_8));
        assertThat(second).as("the same content is still another file").isNotEqualTo(first);
        assertThat(FileVersion.of(target)).contains(second);
        assertThat(FileVersion.of(dir.resolve("records/none.json"))).isEmpty();
    }
}
