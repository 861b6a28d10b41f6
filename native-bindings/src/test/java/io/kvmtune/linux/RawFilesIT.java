package io.kvmtune.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole-file reads and listings through raw system calls, against the files java.nio sees. */
class RawFilesIT {

    @TempDir
    Path dir;

    @Test
    void readsWhatJavaNioReads() throws Exception {
        Path status = Path.of("/proc/self/status");

        assertThat(new String(RawFiles.read(status.toString()).orElseThrow(), StandardCharsets.UTF_8))
                .startsWith("Name:").contains("Pid:\t" + ProcessHandle.current().pid());
        assertThat(RawFiles.read("/proc/self/cgroup")).get()
                .isEqualTo(Files.readAllBytes(Path.of("/proc/self/cgroup")));
    }

    @Test
    void readsAFileLongerThanTheFirstReadWhole() throws Exception {
        byte[] content = new byte[3 * 4096 + 17];
        new Random(7).nextBytes(content);
        Path file = Files.write(dir.resolve("long"), content);

        assertThat(RawFiles.read(file.toString())).get().isEqualTo(content);
        assertThat(RawFiles.read(Files.write(dir.resolve("empty"), new byte[0]).toString())).get()
                .isEqualTo(new byte[0]);
    }

    @Test
    void readsAtOnceWhatTheKernelMakesAtOnceAsWholeAsJavaNio() throws Exception {
        for (String file : List.of("/proc/self/cgroup", "/proc/thread-self/cgroup", "/proc/self/cmdline",
                "/sys/fs/cgroup/cpuset/cpuset.cpus", "/sys/fs/cgroup/cgroup.controllers")) {
            if (Files.exists(Path.of(file))) {
                assertThat(RawFiles.readAtOnce(file)).as(file).get().isEqualTo(Files.readAllBytes(Path.of(file)));
            }
        }
        // its numbers change from one read to the next; its lines do not
        assertThat(new String(RawFiles.readAtOnce("/proc/self/status").orElseThrow(), StandardCharsets.UTF_8).lines()
                .map(line -> line.substring(0, line.indexOf(':'))))
                .containsExactlyElementsOf(Files.readAllLines(Path.of("/proc/self/status")).stream()
                        .map(line -> line.substring(0, line.indexOf(':'))).toList());
        byte[] content = new byte[3 * 4096 + 17];
        new Random(11).nextBytes(content);
        Path file = Files.write(dir.resolve("long"), content);

        assertThat(RawFiles.readAtOnce(file.toString())).as("longer than the first read").get().isEqualTo(content);
        assertThat(RawFiles.readAtOnce(Files.write(dir.resolve("page"), new byte[4096]).toString())).get()
                .isEqualTo(new byte[4096]);
        assertThat(RawFiles.readAtOnce(Files.write(dir.resolve("empty"), new byte[0]).toString())).get()
                .isEqualTo(new byte[0]);
        assertThat(RawFiles.readAtOnce(dir.resolve("absent").toString())).isEmpty();
    }

    @Test
    void aFileOrTaskThatIsGoneIsEmptyAndOtherFailuresAreErrors() throws Exception {
        Process done = new ProcessBuilder("true").start();
        done.waitFor();

        assertThat(RawFiles.read(dir.resolve("absent").toString())).isEmpty();
        assertThat(RawFiles.read("/proc/" + done.pid() + "/stat")).isEmpty();
        assertThatThrownBy(() -> RawFiles.read(dir.toString()))
                .isInstanceOfSatisfying(LinuxException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EISDIR))
                .hasMessageStartingWith("read(" + dir + "): EISDIR");
    }

    @Test
    void listsEntriesWithTheirTypes() throws Exception {
        Files.createDirectory(dir.resolve("vcpu0"));
        Files.createDirectory(dir.resolve("machine.slice"));
        Files.writeString(dir.resolve("cpu.rt_runtime_us"), "0\n");
        for (int i = 0; i < 300; i++) { // more than one getdents64 call's worth
            Files.writeString(dir.resolve("control-file-with-a-long-name-" + i), "");
        }

        var entries = RawFiles.entries(dir.toString()).orElseThrow();

        assertThat(entries).hasSize(303).doesNotContain(new DirectoryEntry(".", DirectoryEntry.Type.DIRECTORY));
        assertThat(entries).filteredOn(e -> e.type() == DirectoryEntry.Type.DIRECTORY).extracting(DirectoryEntry::name)
                .containsExactlyInAnyOrder("vcpu0", "machine.slice");
        assertThat(entries).contains(new DirectoryEntry("cpu.rt_runtime_us", DirectoryEntry.Type.OTHER));
    }

    @Test
    void listsACgroupfsDirectory() throws Exception {
        Path root = Path.of("/sys/fs/cgroup");
        var entries = RawFiles.entries(root.toString()).orElseThrow();

        try (var nio = Files.list(root)) {
            assertThat(entries).extracting(DirectoryEntry::name)
                    .containsExactlyInAnyOrderElementsOf(nio.map(p -> p.getFileName().toString()).toList());
        }
        assertThat(entries).allSatisfy(e -> assertThat(e.type() == DirectoryEntry.Type.DIRECTORY)
                .as(e.name()).isEqualTo(Files.isDirectory(root.resolve(e.name()))));
    }

    @Test
    void aDirectoryThatIsGoneIsEmptyAndAFileIsNoDirectory() throws Exception {
        Path file = Files.writeString(dir.resolve("tasks"), "1\n");

        assertThat(RawFiles.entries(dir.resolve("absent").toString())).isEmpty();
        assertThatThrownBy(() -> RawFiles.entries(file.toString()))
                .isInstanceOfSatisfying(LinuxException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOTDIR));
    }
}
