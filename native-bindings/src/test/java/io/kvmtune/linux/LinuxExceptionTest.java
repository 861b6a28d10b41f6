package io.kvmtune.linux;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LinuxExceptionTest {

    @Test
    void messageNamesCallTargetErrnoAndDescription() {
        LinuxException e = new LinuxException("sched_setattr", "tid 1234", 1);
        assertThat(e).hasMessage("sched_setattr(tid 1234): EPERM: Operation not permitted");
        assertThat(e.errno()).isEqualTo(Errno.EPERM);
        assertThat(e.errnoNumber()).isEqualTo(1);
        assertThat(e.call()).isEqualTo("sched_setattr");
        assertThat(e.target()).isEqualTo("tid 1234");
    }

    @Test
    void unknownNumbersKeepTheRawValue() {
        LinuxException e = new LinuxException("mlockall", "", 133);
        assertThat(e).hasMessage("mlockall: errno 133: Unknown error 133");
        assertThat(e.errno()).isEqualTo(Errno.UNKNOWN);
        assertThat(e.errnoNumber()).isEqualTo(133);
    }

    @Test
    void aHintSaysWhatTheErrorMeansHere() {
        assertThat(new LinuxException("pidfd_open", "pid 7", 38, "unsupported: pidfd_open needs Linux 5.3 or newer"))
                .hasMessage("pidfd_open(pid 7): ENOSYS: Function not implemented"
                        + " (unsupported: pidfd_open needs Linux 5.3 or newer)");
    }

    @Test
    void everyListedErrnoMapsBackToItself() {
        for (Errno e : Errno.values()) {
            if (e != Errno.UNKNOWN) {
                assertThat(Errno.of(e.number())).isEqualTo(e);
            }
        }
        assertThat(Errno.of(-1)).isEqualTo(Errno.UNKNOWN);
    }
}
