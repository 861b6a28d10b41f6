package io.kvmtune.core.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kvmtune.core.testing.WaitingThread;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcFsTest {

    @TempDir
    Path root;

    @Test
    void readsAProcessAndItsThreads() {
        FakeProc fake = new FakeProc(root)
                .process(100, "qemu-system-x86", 500, "/opt/fake/bin/qemu-system-x86_64",
                        List.of("/opt/fake/bin/qemu-system-x86_64", "-name", "guest=a b,debug-threads=on", ""))
                .thread(100, 102, "CPU 0/KVM", 510)
                .thread(100, 101, "call_rcu", 505);
        ProcFs proc = fake.procFs();

        assertThat(proc.taskIds(100)).containsExactly(100, 101, 102);
        assertThat(proc.taskStat(100, 102)).get().extracting(ProcStat::comm).isEqualTo("CPU 0/KVM");
        assertThat(proc.stat(102)).get().extracting(ProcStat::startTime).isEqualTo(510L);
        assertThat(proc.status(100)).get().extracting(ProcStatus::tgid).isEqualTo(100);
        assertThat(proc.taskStatus(100, 101)).get().extracting(ProcStatus::tgid).isEqualTo(100);
        assertThat(proc.cmdline(100)).contains(List.of("/opt/fake/bin/qemu-system-x86_64", "-name", "guest=a b,debug-threads=on", ""));
        assertThat(proc.exe(100)).contains(Path.of("/opt/fake/bin/qemu-system-x86_64"));
        assertThat(proc.cgroups(100)).get().asList().hasSize(2);
        assertThat(proc.taskCgroups(100, 101)).isEmpty();
        assertThat(proc.pids()).containsExactly(100, 101, 102);
    }

    @Test
    void reportsVanishedTasksAsGoneNotAsErrors() {
        ProcFs proc = new FakeProc(root).process(100, "q", 1, "/bin/q", List.of("q")).vanishedThread(100, 105).procFs();

        assertThat(proc.taskIds(100)).containsExactly(100, 105);
        assertThat(proc.taskStat(100, 105)).isEmpty();
        assertThat(proc.stat(999)).isEmpty();
        assertThat(proc.status(999)).isEmpty();
        assertThat(proc.cmdline(999)).isEmpty();
        assertThat(proc.exe(999)).isEmpty();
        assertThat(proc.cgroups(999)).isEmpty();
        assertThat(proc.taskIds(999)).isEmpty();
    }

    @Test
    void kernelThreadsHaveAnEmptyCommandLineAndNoExecutable() {
        ProcFs proc = new FakeProc(root).kernelThread(7, "kvm-pit/100", 3).procFs();

        assertThat(proc.cmdline(7)).contains(List.of());
        assertThat(proc.exe(7)).isEmpty();
    }

    @Test
    void stillSameHoldsOnlyForTheSameTaskAtTheSameStartTime() {
        ProcFs proc = new FakeProc(root).process(100, "q", 500, "/bin/q", List.of("q")).thread(100, 101, "w", 505).procFs();

        assertThat(proc.stillSame(new ThreadIdentity(100, 500))).isTrue();
        assertThat(proc.stillSame(new ThreadIdentity(101, 505))).isTrue();
        assertThat(proc.stillSame(new ThreadIdentity(101, 504))).as("id reused by a later task").isFalse();
        assertThat(proc.stillSame(new ThreadIdentity(103, 505))).as("exited").isFalse();
    }

    @Test
    void stillSameAgreesWithTheKernelForThisProcess() {
        ProcFs proc = ProcFs.system();
        int self = (int) ProcessHandle.current().pid();
        ThreadIdentity me = proc.stat(self).orElseThrow().identity();

        assertThat(proc.stillSame(me)).isTrue();
        assertThat(proc.stillSame(new ThreadIdentity(self, me.startTime() + 1))).isFalse();
        assertThat(proc.taskIds(self)).contains(self);
    }

    @Test
    void anOpenStatRereadsTheStartTimeAndOpensNothingForAMissingTask() {
        ProcFs proc = new FakeProc(root).process(100, "q", 500, "/bin/q", List.of("q")).thread(100, 101, "w", 505).procFs();

        try (PinnedStat stat = proc.openStat(101).orElseThrow()) {
            assertThat(stat.startTime()).hasValue(505);
            assertThat(stat.startTime()).as("read again through the same open file").hasValue(505);
        }
        assertThat(proc.openStat(103)).isEmpty();
    }

    @Test
    void anOpenStatFindsTheStartTimeInALineWithEveryFieldAtItsWidest() {
        StringBuilder line = new StringBuilder("4194304 (").append("a) b".repeat(16)).append(") S");
        for (int field = 4; field <= 52; field++) {
            line.append(' ').append(field == 22 ? "9223372036854775807" : "18446744073709551615");
        }
        ProcFs proc = new FakeProc(root).file("7/stat", line.append('\n').toString()).procFs();

        try (PinnedStat stat = proc.openStat(7).orElseThrow()) {
            assertThat(stat.startTime()).hasValue(Long.MAX_VALUE);
        }
    }

    @Test
    void anOpenStatOfAThreadThatExitedReadsNothingThoughTheFileStaysOpen() throws Exception {
        ProcFs proc = ProcFs.system();
        try (WaitingThread thread = WaitingThread.start("kvmtune-pinned");
                PinnedStat stat = proc.openStat(thread.tid()).orElseThrow()) {
            long startTime = proc.stat(thread.tid()).orElseThrow().startTime();
            assertThat(stat.startTime()).hasValue(startTime);

            thread.exit(() -> stat.startTime().isPresent());

            assertThat(stat.startTime()).as("the task is gone, whatever the id names now").isEmpty();
        }
    }

    @Test
    void childrenAreReadFromTheTaskOfTheSameIdAndSorted() {
        ProcFs proc = new FakeProc(root).kernelThread(2, "kthreadd", 1).file("2/task/2/children", "9 3 120 ").procFs();

        assertThat(proc.children(2)).contains(List.of(3, 9, 120));
        assertThat(proc.children(77)).isEmpty();
    }

    @Test
    void kthreaddsChildrenOnThisHostAreKernelThreads() {
        ProcFs proc = ProcFs.system();
        assumeTrue(proc.stat(2).map(s -> s.comm().equals("kthreadd")).orElse(false),
                "pid 2 is not kthreadd here (a pid namespace without the host's kernel threads)");
        assumeTrue(proc.children(2).isPresent(),
                "this kernel has no CONFIG_PROC_CHILDREN (/proc/PID/task/TID/children)");

        List<Integer> children = proc.children(2).orElseThrow();

        assertThat(children).isNotEmpty();
        // a kernel thread may exit between the two reads; those that are still there are kernel threads
        assertThat(children).allSatisfy(pid -> proc.stat(pid).ifPresent(s -> assertThat(s.isKernelThread()).isTrue()));
    }
}
