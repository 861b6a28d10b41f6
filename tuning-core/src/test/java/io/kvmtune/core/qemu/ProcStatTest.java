package io.kvmtune.core.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvmtune.linux.SchedPolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ProcStatTest {

    /** Captured from a QEMU 7.2 main thread on Linux 6.18. */
    private static final String QEMU_MAIN = "11417 (qemu-system-x86) S 1 11415 11415 0 -1 138412480 2625 0 0 0 1 2 0 0 20 0 8 0 "
            + "44679 666132480 5061 18446744073709551615 94367705747456 94367711607893 140731108684208 0 0 0 268444224 "
            + "3674112 16963 0 0 0 17 1 0 0 0 0 0 94367714719992 94367719924144 94368081608704 140731108690241 "
            + "140731108690448 140731108690448 140731108691932 0";

    @Test
    void readsTheFieldsOfARealQemuStatLine() {
        ProcStat stat = ProcStat.parse(QEMU_MAIN);

        assertThat(stat.pid()).isEqualTo(11417);
        assertThat(stat.comm()).isEqualTo("qemu-system-x86");
        assertThat(stat.state()).isEqualTo('S');
        assertThat(stat.ppid()).isEqualTo(1);
        assertThat(stat.flags()).isEqualTo(138412480L);
        assertThat(stat.startTime()).isEqualTo(44679L);
        assertThat(stat.processor()).isEqualTo(1);
        assertThat(stat.rtPriority()).isZero();
        assertThat(stat.schedPolicy()).contains(SchedPolicy.OTHER);
        assertThat(stat.isKernelThread()).isFalse();
        assertThat(stat.identity()).isEqualTo(new ThreadIdentity(11417, 44679));
    }

    @Test
    void takesCommUpToTheLastParenthesisSoNamesWithSpacesSlashesAndParenthesesSurvive() {
        String line = FakeProc.statLine(42, "CPU 0/KVM) R 7 (", 'R', 3, 0, 99, 2, 1, 1);

        ProcStat stat = ProcStat.parse(line);

        assertThat(stat.comm()).isEqualTo("CPU 0/KVM) R 7 (");
        assertThat(stat.state()).isEqualTo('R');
        assertThat(stat.ppid()).isEqualTo(3);
        assertThat(stat.startTime()).isEqualTo(99);
        assertThat(stat.rtPriority()).isEqualTo(1);
        assertThat(stat.schedPolicy()).contains(SchedPolicy.FIFO);
        assertThat(startTime(line)).isEqualTo(99);
    }

    @Test
    void recognisesKernelThreadsAndThreadsThatRefuseAffinity() {
        ProcStat pit = ProcStat.parse(FakeProc.statLine(9, "kvm-pit/11417", 'S', 2,
                ProcStat.PF_KTHREAD | ProcStat.PF_NO_SETAFFINITY, 5, 0, 0, 0));

        assertThat(pit.isKernelThread()).isTrue();
        assertThat(pit.refusesAffinity()).isTrue();
    }

    @Test
    void reportsAnUnknownPolicyNumberAsEmptyNotAsAnError() {
        ProcStat ext = ProcStat.parse(FakeProc.statLine(9, "x", 'S', 2, 0, 5, 0, 0, 7));

        assertThat(ext.policy()).isEqualTo(7);
        assertThat(ext.schedPolicy()).isEmpty();
    }

    @Test
    void namesTheFieldThatIsMissingOrMalformed() {
        assertThatThrownBy(() -> ProcStat.parse("12 no parentheses S 1"))
                .isInstanceOf(ProcFormatException.class).hasMessageContaining("no (comm) field");
        assertThatThrownBy(() -> ProcStat.parse("12 (x) S 1 2 3"))
                .isInstanceOf(ProcFormatException.class).hasMessageContaining("expected at least 41");
        assertThatThrownBy(() -> ProcStat.parse(FakeProc.statLine(1, "x", 'S', 1, 0, 5, 0, 0, 0).replace(" 5 666132480", " -5 666132480")))
                .isInstanceOf(ProcFormatException.class).hasMessageContaining("field 22 (starttime)");
        assertThatThrownBy(() -> ProcStat.parse(FakeProc.statLine(1, "x", 'S', 1, 0, 5, 0, 0, 0).replace(") S ", ") SS ")))
                .isInstanceOf(ProcFormatException.class).hasMessageContaining("field 3 (state)");
        assertThatThrownBy(() -> startTime("1 (x) S 1 2"))
                .isInstanceOf(ProcFormatException.class).hasMessageContaining("field 22");
    }

    @Test
    void rejectsNumbersBeyondTheirFieldsRange() {
        String huge = FakeProc.statLine(1, "x", 'S', 1, 0, 5, 0, 0, 0).replace(") S 1 ", ") S 99999999999 ");

        assertThatThrownBy(() -> ProcStat.parse(huge)).isInstanceOf(ProcFormatException.class)
                .hasMessageContaining("field 4 (ppid)");
    }

    @Test
    void agreesWithTheKernelAboutThisProcess() throws IOException {
        byte[] read = Files.readAllBytes(Path.of("/proc/thread-self/stat"));
        String line = new String(read, StandardCharsets.UTF_8).strip();

        ProcStat stat = ProcStat.parse(line);

        assertThat(ProcFs.system().taskIds((int) ProcessHandle.current().pid())).contains(stat.pid());
        assertThat(stat.state()).as("the reading thread is running").isEqualTo('R');
        assertThat(stat.isKernelThread()).isFalse();
        assertThat(ProcStat.parseStartTime(read, read.length)).as("the line as read, newline and all")
                .isEqualTo(stat.startTime());
    }

    private static long startTime(String line) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        return ProcStat.parseStartTime(bytes, bytes.length);
    }
}
