package io.kvmtune.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.BitSet;
import org.junit.jupiter.api.Test;

/**
 * One {@link ThreadCalls} instance reused for many calls on a started thread: every answer must be
 * the one the allocating calls of {@link Affinity} and {@link Scheduling} (and /proc) give, so
 * reused native memory never leaks a value from an earlier call.
 */
class ThreadCallsIT {

    @Test
    void reusedMemoryReadsBackEachAffinityExactlyAsAffinityAndProcDo() throws Exception {
        ThreadCalls calls = new ThreadCalls();
        try (ParkedThread thread = new ParkedThread("kvmtune-calls-aff")) {
            int tid = thread.tid();
            BitSet original = calls.affinity(tid);
            assertThat(original).isEqualTo(Affinity.get(tid));
            try {
                // all allowed CPUs, then one: a stale bit from the wider mask would show here
                for (int cpu = original.nextSetBit(0); cpu >= 0; cpu = original.nextSetBit(cpu + 1)) {
                    calls.setAffinity(tid, original);
                    assertThat(calls.affinity(tid)).isEqualTo(original);
                    BitSet one = new BitSet();
                    one.set(cpu);
                    calls.setAffinity(tid, one);
                    assertThat(calls.affinity(tid)).as("affinity after pinning to %d", cpu).isEqualTo(one);
                    assertThat(Affinity.get(tid)).isEqualTo(one);
                    assertThat(Proc.status(tid, "Cpus_allowed_list")).isEqualTo(Integer.toString(cpu));
                }
            } finally {
                Affinity.set(tid, original);
            }
        }
    }

    @Test
    void aMaskWiderThanTheScratchMemoryStillWorks() throws Exception {
        ThreadCalls calls = new ThreadCalls();
        try (ParkedThread thread = new ParkedThread("kvmtune-calls-wide")) {
            int tid = thread.tid();
            BitSet original = calls.affinity(tid);
            BitSet wide = new BitSet();
            wide.set(original.nextSetBit(0));
            wide.set(4000);
            try {
                calls.setAffinity(tid, wide);
                BitSet expected = new BitSet();
                expected.set(original.nextSetBit(0));
                assertThat(calls.affinity(tid)).isEqualTo(expected);
            } finally {
                Affinity.set(tid, original);
            }
        }
    }

    @Test
    void reusedMemorySetsAndReadsSchedulingAsSchedulingDoes() throws Exception {
        ThreadCalls calls = new ThreadCalls();
        try (ParkedThread thread = new ParkedThread("kvmtune-calls-sched")) {
            int tid = thread.tid();
            SchedAttr original = calls.scheduling(tid);
            assertThat(original).isEqualTo(Scheduling.get(tid));
            try {
                for (int nice : new int[] {5, 0, 19, 3}) {
                    calls.setScheduling(tid, SchedAttr.other(nice));
                    assertThat(calls.scheduling(tid)).isEqualTo(Scheduling.get(tid));
                    assertThat(calls.scheduling(tid).nice()).isEqualTo(nice);
                    assertThat(Proc.statField(tid, 19)).isEqualTo((long) nice);
                }
                calls.setScheduling(tid, SchedAttr.batch(2));
                assertThat(calls.scheduling(tid).policy()).isEqualTo(SchedPolicy.BATCH);
            } finally {
                Scheduling.set(tid, original);
            }
            assertThat(calls.scheduling(tid)).isEqualTo(original);
        }
    }

    @Test
    void errorsCarryTheErrnoOfTheirOwnCall() throws Exception {
        ThreadCalls calls = new ThreadCalls();
        int gone = ParkedThread.exitedTid();
        assertThatThrownBy(() -> calls.affinity(gone))
                .isInstanceOfSatisfying(LinuxException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ESRCH));
        BitSet missing = new BitSet();
        missing.set(CpuMask.possibleCpus());
        assertThatThrownBy(() -> calls.setAffinity(0, missing))
                .isInstanceOfSatisfying(LinuxException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL));
        assertThatThrownBy(() -> calls.scheduling(gone))
                .isInstanceOfSatisfying(LinuxException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ESRCH));
        assertThat(calls.affinity(0)).as("a failed call leaves the instance usable").isEqualTo(Affinity.get(0));
    }
}
