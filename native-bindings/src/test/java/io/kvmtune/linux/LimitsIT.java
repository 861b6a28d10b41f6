package io.kvmtune.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** prlimit on a child process, read back from /proc/<pid>/limits. */
class LimitsIT {

    /** CAP_SYS_RESOURCE, needed to raise a hard limit; this sandbox's root lacks it. */
    private static final int CAP_SYS_RESOURCE = 24;

    @Test
    void lowersAChildsLimitsAndReadsThemBackFromProcReturningTheOldOnes() throws Exception {
        try (ChildProcess child = ChildProcess.sleeper()) {
            int pid = child.pid();
            ResourceLimit memlock = Limits.get(pid, Rlimit.MEMLOCK);
            assertThat(memlock).isEqualTo(fromProc(pid, "Max locked memory"));

            assertThat(Limits.set(pid, Rlimit.MEMLOCK, new ResourceLimit(64 * 1024, 128 * 1024))).isEqualTo(memlock);
            assertThat(Proc.limits(pid, "Max locked memory")).containsExactly("65536", "131072");
            assertThat(Limits.get(pid, Rlimit.MEMLOCK)).isEqualTo(new ResourceLimit(65536, 131072));

            // the soft limit may rise up to the hard one without privilege
            assertThat(Limits.set(pid, Rlimit.MEMLOCK, ResourceLimit.of(128 * 1024)))
                    .isEqualTo(new ResourceLimit(65536, 131072));
            assertThat(Proc.limits(pid, "Max locked memory")).containsExactly("131072", "131072");

            ResourceLimit rttime = Limits.get(pid, Rlimit.RTTIME);
            assertThat(rttime).isEqualTo(fromProc(pid, "Max realtime timeout"));
            assertThat(Limits.set(pid, Rlimit.RTTIME, new ResourceLimit(200_000, 500_000))).isEqualTo(rttime);
            assertThat(Proc.limits(pid, "Max realtime timeout")).containsExactly("200000", "500000");

            assertThat(Limits.get(pid, Rlimit.RTPRIO)).isEqualTo(fromProc(pid, "Max realtime priority"));
            assertThat(Limits.get(pid, Rlimit.NICE)).isEqualTo(fromProc(pid, "Max nice priority"));
        }
    }

    @Test
    void raisingAChildsHardLimitsNeedsCapSysResource() throws Exception {
        try (ChildProcess child = ChildProcess.sleeper()) {
            int pid = child.pid();
            ResourceLimit tight = new ResourceLimit(0, 0);
            Limits.set(pid, Rlimit.RTPRIO, tight);
            Limits.set(pid, Rlimit.MEMLOCK, tight);
            if (!hasCapability(CAP_SYS_RESOURCE)) {
                assertThatThrownBy(() -> Limits.set(pid, Rlimit.MEMLOCK, ResourceLimit.unlimited()))
                        .isInstanceOfSatisfying(LinuxException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EPERM))
                        .hasMessage("prlimit(pid " + pid + ", RLIMIT_MEMLOCK): EPERM: Operation not permitted");
                assertThat(Proc.limits(pid, "Max locked memory")).as("unchanged").containsExactly("0", "0");
                return;
            }
            assertThat(Limits.set(pid, Rlimit.MEMLOCK, ResourceLimit.unlimited())).isEqualTo(tight);
            assertThat(Proc.limits(pid, "Max locked memory")).containsExactly("unlimited", "unlimited");
            assertThat(Limits.set(pid, Rlimit.RTPRIO, new ResourceLimit(5, 10))).isEqualTo(tight);
            assertThat(Proc.limits(pid, "Max realtime priority")).containsExactly("5", "10");
            Limits.set(pid, Rlimit.NICE, ResourceLimit.of(20));
            assertThat(Proc.limits(pid, "Max nice priority")).containsExactly("20", "20");
        }
    }

    private static boolean hasCapability(int capability) throws IOException {
        return (Long.parseUnsignedLong(Proc.status(Math.toIntExact(ProcessHandle.current().pid()), "CapEff"), 16)
                & (1L << capability)) != 0;
    }

    @Test
    void aSoftLimitAboveTheHardOneIsRefusedBeforeTheCall() {
        assertThatThrownBy(() -> new ResourceLimit(10, 5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("soft limit 10 exceeds hard limit 5");
    }

    @Test
    void aProcessThatHasExitedIsEsrch() throws Exception {
        Process done = new ProcessBuilder("true").start();
        done.waitFor();
        int pid = Math.toIntExact(done.pid());
        assertThatThrownBy(() -> Limits.get(pid, Rlimit.MEMLOCK))
                .isInstanceOfSatisfying(LinuxException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ESRCH))
                .hasMessage("prlimit(pid " + pid + ", RLIMIT_MEMLOCK): ESRCH: No such process");
    }

    private static ResourceLimit fromProc(int pid, String row) throws IOException {
        String[] values = Proc.limits(pid, row);
        return new ResourceLimit(parse(values[0]), parse(values[1]));
    }

    private static long parse(String value) {
        return value.equals("unlimited") ? ResourceLimit.INFINITY : Long.parseLong(value);
    }
}
