package io.kvmtune.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.BitSet;
import org.junit.jupiter.api.Test;

/** sched_setaffinity/sched_getaffinity on real threads, checked against /proc. */
class AffinityIT {

    @Test
    void pinsAStartedThreadToEachAllowedCpuAndReadsItBackFromTheKernelAndProc() throws Exception {
        try (ParkedThread thread = new ParkedThread("kvmtune-affinity")) {
            int tid = thread.tid();
            BitSet original = Affinity.get(tid);
            assertThat(original).isEqualTo(Proc.cpuList(Proc.status(tid, "Cpus_allowed_list")));
            try {
                for (int cpu = original.nextSetBit(0); cpu >= 0; cpu = original.nextSetBit(cpu + 1)) {
                    BitSet one = new BitSet();
                    one.set(cpu);
                    Affinity.set(tid, one);
                    assertThat(Affinity.get(tid)).as("affinity after pinning to %d", cpu).isEqualTo(one);
                    assertThat(Proc.status(tid, "Cpus_allowed_list")).isEqualTo(Integer.toString(cpu));
                }
            } finally {
                Affinity.set(tid, original);
            }
            assertThat(Affinity.get(tid)).isEqualTo(original);
        }
    }

    @Test
    void tidZeroIsTheCallingThread() throws Exception {
        BitSet self = Affinity.get(0);
        assertThat(self).isEqualTo(Affinity.get(Threads.currentTid()));
        assertThat(self).isEqualTo(Proc.cpuList(Proc.status(Threads.currentTid(), "Cpus_allowed_list")));
    }

    @Test
    void masksWiderThan1024CpusAreAcceptedAndBitsPastTheKernelsCpusIgnored() throws Exception {
        try (ParkedThread thread = new ParkedThread("kvmtune-wide-mask")) {
            int tid = thread.tid();
            BitSet original = Affinity.get(tid);
            int first = original.nextSetBit(0);
            BitSet wide = new BitSet();
            wide.set(first);
            wide.set(4000);
            try {
                Affinity.set(tid, wide);
                BitSet expected = new BitSet();
                expected.set(first);
                assertThat(Affinity.get(tid)).isEqualTo(expected);
            } finally {
                Affinity.set(tid, original);
            }
        }
    }

    @Test
    void aMaskNamingOnlyCpusThatDoNotExistIsEinval() throws Exception {
        try (ParkedThread thread = new ParkedThread("kvmtune-bad-mask")) {
            int tid = thread.tid();
            BitSet original = Affinity.get(tid);
            for (int cpu : new int[] {CpuMask.possibleCpus(), 2000}) {
                BitSet missing = new BitSet();
                missing.set(cpu);
                assertThatThrownBy(() -> Affinity.set(tid, missing))
                        .isInstanceOfSatisfying(LinuxException.class, e -> {
                            assertThat(e.errno()).isEqualTo(Errno.EINVAL);
                            assertThat(e.call()).isEqualTo("sched_setaffinity");
                            assertThat(e.target()).isEqualTo("tid " + tid);
                        })
                        .hasMessage("sched_setaffinity(tid " + tid + "): EINVAL: Invalid argument");
            }
            assertThat(Affinity.get(tid)).as("a refused mask changes nothing").isEqualTo(original);
        }
    }

    @Test
    void aThreadThatHasExitedIsEsrch() throws Exception {
        int tid = ParkedThread.exitedTid();
        assertThatThrownBy(() -> Affinity.get(tid))
                .isInstanceOfSatisfying(LinuxException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ESRCH))
                .hasMessage("sched_getaffinity(tid " + tid + "): ESRCH: No such process");
        BitSet any = new BitSet();
        any.set(0);
        assertThatThrownBy(() -> Affinity.set(tid, any))
                .isInstanceOfSatisfying(LinuxException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ESRCH));
    }

    @Test
    void getGrowsTheMaskWhenTheKernelRejectsItsSizeLikeTaskset() {
        // 4 bytes is not a whole unsigned long: the kernel answers EINVAL, and get must retry larger
        assertThat(Affinity.get(0, 4)).isEqualTo(Affinity.get(0));
    }
}
