package io.kvmtune.core.apply;

import io.kvmtune.core.apply.RestoreItem.Outcome;
import io.kvmtune.core.cgroup.CgroupException;
import io.kvmtune.core.cgroup.CgroupFs;
import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.linux.ResourceLimit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Puts a {@link Snapshot} back, for {@code restore} and for the rollback of a failed apply.
 *
 * <p>Best effort: every saved value is tried and its outcome reported; a thread or group that no
 * longer exists is {@link Outcome#GONE}, not a failure. The order is the one the kernel needs:
 * scheduling first (a group's realtime runtime can only be taken back once no realtime task is
 * left in it), then cpusets, then affinity (rewriting a cpuset resets the affinity of its tasks, so
 * affinity comes after it, as on apply), then realtime runtime in the reverse of the order it was
 * given (children before their parents), then RLIMIT_MEMLOCK.
 */
final class Restorer {

    private final ThreadControl threads;
    private final LiveThreads liveThreads;
    private final MemoryControl memory;
    private final CgroupFs cgroups;
    private final List<RestoreItem> items = new ArrayList<>();

    Restorer(ThreadControl threads, MemoryControl memory, CgroupFs cgroups) {
        this.threads = threads;
        this.liveThreads = new LiveThreads(threads);
        this.memory = memory;
        this.cgroups = cgroups;
    }

    /**
     * @param pid the QEMU process
     * @param processAlive whether {@code pid} is still the process the snapshot was taken of;
     *     when not, its RLIMIT_MEMLOCK is not touched (the pid may belong to another process now)
     */
    RestoreReport restore(int pid, boolean processAlive, Snapshot snapshot) {
        for (ThreadSnapshot t : snapshot.threads()) {
            restoreThread(t, "scheduling", s -> threads.scheduling(s.identity().tid()), s -> s.state().sched(),
                    (tid, v) -> threads.setScheduling(tid, v), SchedSettings::label);
        }
        snapshot.cpusets().forEach(this::restoreFile);
        for (ThreadSnapshot t : snapshot.threads()) {
            restoreThread(t, "affinity", s -> threads.affinity(s.identity().tid()), s -> s.state().affinity(),
                    (tid, v) -> threads.setAffinity(tid, v), CpuSet::format);
        }
        snapshot.rtRuntimes().reversed().forEach(this::restoreFile);
        snapshot.memlock().ifPresent(limit -> {
            if (processAlive) {
                restoreMemlock(pid, limit);
            } else {
                items.add(new RestoreItem("RLIMIT_MEMLOCK of pid " + pid, Outcome.GONE, "process exited"));
            }
        });
        return new RestoreReport(items);
    }

    private interface Setter<T> {
        void set(int tid, T value);
    }

    private <T> void restoreThread(ThreadSnapshot t, String attribute, Function<ThreadSnapshot, T> current,
            Function<ThreadSnapshot, T> saved, Setter<T> setter, Function<T, String> format) {
        String what = t.role().label() + " tid " + t.identity().tid() + " " + attribute;
        T want = saved.apply(t);
        try {
            if (!alive(t)) {
                items.add(new RestoreItem(what, Outcome.GONE, "thread exited"));
                return;
            }
            if (current.apply(t).equals(want)) {
                items.add(new RestoreItem(what, Outcome.UNCHANGED, format.apply(want)));
                return;
            }
            setter.set(t.identity().tid(), want);
            items.add(new RestoreItem(what, alive(t) ? Outcome.RESTORED : Outcome.GONE, format.apply(want)));
        } catch (ThreadControlException e) {
            boolean gone = e.failure() == ThreadControlException.Failure.GONE;
            items.add(new RestoreItem(what, gone ? Outcome.GONE : Outcome.FAILED, gone ? "thread exited"
                    : "cannot set " + format.apply(want) + ": " + e.getMessage()));
        }
    }

    private boolean alive(ThreadSnapshot t) {
        return liveThreads.alive(t.identity());
    }

    private void restoreFile(FileSnapshot f) {
        String what = f.file().toString();
        try {
            Optional<String> current = cgroups.readIfPresent(f.file());
            if (current.isEmpty()) {
                items.add(new RestoreItem(what, Outcome.GONE, "group removed"));
            } else if (current.get().equals(f.value())) {
                items.add(new RestoreItem(what, Outcome.UNCHANGED, f.value()));
            } else {
                cgroups.write(f.file(), f.value());
                items.add(new RestoreItem(what, Outcome.RESTORED, f.value()));
            }
        } catch (CgroupException e) {
            items.add(new RestoreItem(what, e.gone() ? Outcome.GONE : Outcome.FAILED,
                    e.gone() ? "group removed" : e.getMessage()));
        }
    }

    private void restoreMemlock(int pid, ResourceLimit limit) {
        String what = "RLIMIT_MEMLOCK of pid " + pid;
        try {
            if (memory.memlockLimit(pid).equals(limit)) {
                items.add(new RestoreItem(what, Outcome.UNCHANGED, limit.toString()));
            } else {
                memory.setMemlockLimit(pid, limit);
                items.add(new RestoreItem(what, Outcome.RESTORED, limit.toString()));
            }
        } catch (ThreadControlException e) {
            boolean gone = e.failure() == ThreadControlException.Failure.GONE;
            items.add(new RestoreItem(what, gone ? Outcome.GONE : Outcome.FAILED,
                    gone ? "process exited" : e.getMessage()));
        }
    }
}
