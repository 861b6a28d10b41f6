package io.kvmtune.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * sched_setattr/sched_getattr on threads the test starts, checked against /proc/<tid>/stat
 * (field 19 nice, 40 rt_priority, 41 policy). Every test restores the thread's attributes.
 *
 * <p>This host's kernel has CONFIG_RT_GROUP_SCHED: SCHED_FIFO needs real-time budget in the
 * thread's cpu cgroup. Where the test JVM's group has budget (the root group here: 950000 us),
 * the FIFO test sets and reads back a priority; where it has none, it asserts the EPERM the kernel
 * gives. A separate test proves that EPERM by moving a started thread into a fresh cgroup, which
 * starts with no budget.
 */
class SchedulingIT {

    @Test
    void fifoPriorityOnASleepingStartedThreadReadsBackFromSchedGetattrAndProc() throws Exception {
        try (ParkedThread thread = new ParkedThread("kvmtune-fifo")) {
            int tid = thread.tid();
            SchedAttr original = Scheduling.get(tid);
            Optional<Path> group = RtCgroup.of(tid);
            if (group.isPresent() && RtCgroup.rtRuntimeUs(group.get()) == 0) {
                // documented behaviour without budget: refused, not silently ignored
                assertThatThrownBy(() -> Scheduling.set(tid, SchedAttr.fifo(10)))
                        .isInstanceOfSatisfying(LinuxException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EPERM));
                return;
            }
            try {
                Scheduling.set(tid, SchedAttr.fifo(10));
                SchedAttr now = Scheduling.get(tid);
                assertThat(now.policy()).isEqualTo(SchedPolicy.FIFO);
                assertThat(now.priority()).isEqualTo(10);
                assertThat(Proc.statField(tid, 40)).as("rt_priority").isEqualTo(10);
                assertThat(Proc.statField(tid, 41)).as("policy").isEqualTo(SchedPolicy.FIFO.value());

                Scheduling.set(tid, SchedAttr.rr(42));
                assertThat(Scheduling.get(tid)).extracting(SchedAttr::policy, SchedAttr::priority)
                        .containsExactly(SchedPolicy.RR, 42);
                assertThat(Proc.statField(tid, 40)).isEqualTo(42);
                assertThat(Proc.statField(tid, 41)).isEqualTo(SchedPolicy.RR.value());
            } finally {
                Scheduling.set(tid, original);
            }
            assertThat(Scheduling.get(tid)).isEqualTo(original);
            assertThat(Proc.statField(tid, 41)).isEqualTo(original.policy().value());
        }
    }

    @Test
    void fifoInACpuCgroupWithoutRealtimeBudgetIsEperm() throws Exception {
        try (ParkedThread thread = new ParkedThread("kvmtune-no-rt-budget")) {
            int tid = thread.tid();
            Optional<Path> home = RtCgroup.of(tid);
            assumeTrue(home.isPresent(), "no cgroup-v1 cpu controller with cpu.rt_runtime_us (CONFIG_RT_GROUP_SCHED)");
            Path empty = home.get().resolve("kvmtune-test-" + ProcessHandle.current().pid() + "-" + tid);
            Files.createDirectory(empty);
            try {
                assertThat(RtCgroup.rtRuntimeUs(empty)).as("a new group's budget").isZero();
                RtCgroup.move(tid, empty);
                try {
                    assertThatThrownBy(() -> Scheduling.set(tid, SchedAttr.fifo(10)))
                            .isInstanceOfSatisfying(LinuxException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EPERM))
                            .hasMessage("sched_setattr(tid " + tid + "): EPERM: Operation not permitted");
                    assertThat(Proc.statField(tid, 41)).isEqualTo(SchedPolicy.OTHER.value());
                } finally {
                    RtCgroup.move(tid, home.get());
                }
            } finally {
                Files.delete(empty);
            }
        }
    }

    @Test
    void fifoPriority100IsEinval() throws Exception {
        try (ParkedThread thread = new ParkedThread("kvmtune-prio-100")) {
            int tid = thread.tid();
            SchedAttr original = Scheduling.get(tid);
            assertThatThrownBy(() -> Scheduling.set(tid, SchedAttr.fifo(100)))
                    .isInstanceOfSatisfying(LinuxException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL))
                    .hasMessage("sched_setattr(tid " + tid + "): EINVAL: Invalid argument");
            assertThat(Scheduling.get(tid)).isEqualTo(original);
        }
    }

    @Test
    void niceFlagsAndNonRealtimePoliciesReadBack() throws Exception {
        try (ParkedThread thread = new ParkedThread("kvmtune-nice")) {
            int tid = thread.tid();
            SchedAttr original = Scheduling.get(tid);
            try {
                Scheduling.set(tid, SchedAttr.other(7).withFlags(SchedFlag.RESET_ON_FORK));
                SchedAttr now = Scheduling.get(tid);
                assertThat(now.policy()).isEqualTo(SchedPolicy.OTHER);
                assertThat(now.nice()).isEqualTo(7);
                assertThat(now.flags() & SchedFlag.RESET_ON_FORK).isEqualTo(SchedFlag.RESET_ON_FORK);
                assertThat(Proc.statField(tid, 19)).as("nice").isEqualTo(7);

                Scheduling.set(tid, SchedAttr.batch(3));
                assertThat(Scheduling.get(tid)).extracting(SchedAttr::policy, SchedAttr::nice)
                        .containsExactly(SchedPolicy.BATCH, 3);
                assertThat(Proc.statField(tid, 41)).isEqualTo(SchedPolicy.BATCH.value());

                Scheduling.set(tid, SchedAttr.idle());
                assertThat(Scheduling.get(tid).policy()).isEqualTo(SchedPolicy.IDLE);
                assertThat(Proc.statField(tid, 41)).isEqualTo(SchedPolicy.IDLE.value());
            } finally {
                Scheduling.set(tid, original);
            }
            assertThat(Scheduling.get(tid)).isEqualTo(original);
        }
    }

    @Test
    void tidZeroIsTheCallingThread() throws Exception {
        assertThat(Scheduling.get(0)).isEqualTo(Scheduling.get(Threads.currentTid()));
        assertThat(Scheduling.get(0).policy().value()).isEqualTo((int) Proc.statField(Threads.currentTid(), 41));
    }

    @Test
    void aThreadThatHasExitedIsEsrch() throws Exception {
        int tid = ParkedThread.exitedTid();
        assertThatThrownBy(() -> Scheduling.get(tid))
                .isInstanceOfSatisfying(LinuxException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ESRCH))
                .hasMessage("sched_getattr(tid " + tid + "): ESRCH: No such process");
        assertThatThrownBy(() -> Scheduling.set(tid, SchedAttr.other(0)))
                .isInstanceOfSatisfying(LinuxException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ESRCH));
    }
}
