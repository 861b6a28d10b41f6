package io.kvmtune.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** pidfd_open on a child process, checked against /proc/self/fdinfo. */
class PidfdIT {

    @Test
    void opensAPidfdThatTheKernelReportsForTheChild() throws Exception {
        try (ChildProcess child = ChildProcess.sleeper()) {
            Pidfd pidfd = Pidfd.open(child.pid());
            assertThat(pidfd.pid()).isEqualTo(child.pid());
            assertThat(Files.readSymbolicLink(Path.of("/proc/self/fd", Integer.toString(pidfd.fd()))))
                    .hasToString("anon_inode:[pidfd]");
            assertThat(Files.readAllLines(Path.of("/proc/self/fdinfo", Integer.toString(pidfd.fd()))))
                    .contains("Pid:\t" + child.pid());
            pidfd.close();
            pidfd.close(); // a second close does nothing
        }
    }

    @Test
    void aProcessThatHasExitedIsEsrch() throws Exception {
        Process done = new ProcessBuilder("true").start();
        done.waitFor();
        int pid = Math.toIntExact(done.pid());
        assertThatThrownBy(() -> Pidfd.open(pid))
                .isInstanceOfSatisfying(LinuxException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ESRCH))
                .hasMessage("pidfd_open(pid " + pid + "): ESRCH: No such process");
    }

    @Test
    void aThreadThatDoesNotLeadItsProcessIsRefused() throws Exception {
        // EINVAL before Linux 6.9; since then (thread pidfds need PIDFD_THREAD) ENOENT
        try (ParkedThread thread = new ParkedThread("kvmtune-pidfd-thread")) {
            int tid = thread.tid();
            assertThatThrownBy(() -> Pidfd.open(tid))
                    .isInstanceOfSatisfying(LinuxException.class, e -> assertThat(e.errno()).isIn(Errno.EINVAL, Errno.ENOENT));
        }
    }
}
