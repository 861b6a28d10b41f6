package io.kvmtune.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file kept open and read again at any offset: a real thread's stat, and plain files. */
class OpenFileIT {

    @TempDir
    Path dir;

    @Test
    void readsAThreadsStatAgainWhileItLivesAndFailsWithEsrchOnceItHasExited() throws Exception {
        int tid;
        OpenFile stat;
        byte[] buffer = new byte[512];
        try (ParkedThread thread = new ParkedThread("kvmtune-openfile")) {
            tid = thread.tid();
            stat = OpenFile.open("/proc/" + tid + "/stat").orElseThrow();
            for (int i = 0; i < 2; i++) {
                int n = stat.readAt(buffer, 0, buffer.length, 0);
                assertThat(new String(buffer, 0, n, StandardCharsets.US_ASCII)).startsWith(tid + " (kvmtune-openfil");
            }
        }
        try (stat) {
            Path task = Path.of("/proc/self/task", Integer.toString(tid));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (Files.exists(task) && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertThatThrownBy(() -> stat.readAt(buffer, 0, buffer.length, 0))
                    .isInstanceOfSatisfying(LinuxException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ESRCH));
        }
    }

    @Test
    void readsAtTheOffsetGivenIntoThePlaceGivenAndZeroAtTheEnd() throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "0123456789");
        byte[] into = new byte[8];
        try (OpenFile open = OpenFile.open(file.toString()).orElseThrow()) {
            assertThat(open.readAt(into, 2, 4, 6)).isEqualTo(4);
            assertThat(new String(into, 2, 4, StandardCharsets.US_ASCII)).isEqualTo("6789");
            assertThat(open.readAt(into, 0, 8, 10)).isZero();
            assertThat(open.readAt(into, 0, 3, 0)).isEqualTo(3);
        }
    }

    @Test
    void aMissingFileIsEmptyAClosedOneIsRefusedAndClosingTwiceIsHarmless() throws Exception {
        assertThat(OpenFile.open(dir.resolve("absent").toString())).isEmpty();
        assertThat(OpenFile.open("/proc/" + ParkedThread.exitedTid() + "/stat")).isEmpty();

        OpenFile open = OpenFile.open(Files.writeString(dir.resolve("f"), "x").toString()).orElseThrow();
        open.close();
        open.close();
        assertThatThrownBy(() -> open.readAt(new byte[1], 0, 1, 0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }
}
