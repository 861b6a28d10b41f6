package io.kvmtune.core.apply;

import io.kvmtune.core.apply.ThreadControlException.Failure;
import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.linux.ResourceLimit;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Threads and a process held in memory, for unit tests of the apply engine: behaves like the
 * kernel where the engine depends on it (affinity intersected with the online CPUs, EINVAL when
 * nothing is left, ESRCH for exited threads) and fails on request.
 */
public final class InMemoryThreadControl implements ThreadControl, MemoryControl {

    /** The calls a failure can be injected into. */
    public enum Call { SET_AFFINITY, SET_SCHEDULING, SET_MEMLOCK }

    private record Task(long startTime, CpuSet affinity, SchedSettings sched) {
    }

    private final CpuSet online;
    private final Map<Integer, Task> tasks = new HashMap<>();
    private final Map<Call, Map<Integer, Failure>> failures = new EnumMap<>(Call.class);
    private final Map<Call, Map<Integer, Runnable>> after = new EnumMap<>(Call.class);
    private ResourceLimit memlock = ResourceLimit.of(8 << 20);
    private long lockedBytes;
    private int changes;

    public InMemoryThreadControl(CpuSet online) {
        this.online = online;
    }

    /** Adds a thread. */
    public InMemoryThreadControl add(int tid, long startTime, CpuSet affinity, SchedSettings sched) {
        tasks.put(tid, new Task(startTime, affinity, sched));
        return this;
    }

    /** The thread exits. */
    public void exit(int tid) {
        tasks.remove(tid);
    }

    /** Every later {@code call} on {@code tid} fails with {@code failure}. */
    public void fail(Call call, int tid, Failure failure) {
        failures.computeIfAbsent(call, c -> new HashMap<>()).put(tid, failure);
    }

    /** After the next successful {@code call} on {@code tid}, {@code then} runs: what another process did meanwhile. */
    public void after(Call call, int tid, Runnable then) {
        after.computeIfAbsent(call, c -> new HashMap<>()).put(tid, then);
    }

    public void setLockedBytes(long bytes) {
        lockedBytes = bytes;
    }

    /** How many set calls succeeded: zero for an apply that had nothing to do. */
    public int changes() {
        return changes;
    }

    /** The thread's state, as the engine would read it. */
    public ThreadState state(int tid) {
        return new ThreadState(affinity(tid), scheduling(tid));
    }

    @Override
    public OptionalLong startTime(int tid) {
        Task t = tasks.get(tid);
        return t == null ? OptionalLong.empty() : OptionalLong.of(t.startTime());
    }

    @Override
    public CpuSet affinity(int tid) {
        return task(tid).affinity();
    }

    @Override
    public void setAffinity(int tid, CpuSet cpus) {
        Task t = task(tid);
        check(Call.SET_AFFINITY, tid);
        CpuSet allowed = cpus.intersect(online);
        if (allowed.isEmpty()) {
            throw new ThreadControlException(tid, Failure.INVALID, "sched_setaffinity(" + tid + ", " + cpus
                    + "): Invalid argument");
        }
        tasks.put(tid, new Task(t.startTime(), allowed, t.sched()));
        changes++;
        ranAfter(Call.SET_AFFINITY, tid);
    }

    @Override
    public SchedSettings scheduling(int tid) {
        return task(tid).sched();
    }

    @Override
    public void setScheduling(int tid, SchedSettings settings) {
        Task t = task(tid);
        check(Call.SET_SCHEDULING, tid);
        tasks.put(tid, new Task(t.startTime(), t.affinity(), settings));
        changes++;
        ranAfter(Call.SET_SCHEDULING, tid);
    }

    private void ranAfter(Call call, int tid) {
        Runnable then = after.getOrDefault(call, new HashMap<>()).remove(tid);
        if (then != null) {
            then.run();
        }
    }

    @Override
    public ResourceLimit memlockLimit(int pid) {
        task(pid);
        return memlock;
    }

    @Override
    public void setMemlockLimit(int pid, ResourceLimit limit) {
        task(pid);
        check(Call.SET_MEMLOCK, pid);
        memlock = limit;
        changes++;
    }

    @Override
    public long lockedBytes(int pid) {
        task(pid);
        return lockedBytes;
    }

    private Task task(int tid) {
        Task t = tasks.get(tid);
        if (t == null) {
            throw new ThreadControlException(tid, Failure.GONE, "thread " + tid + ": No such process");
        }
        return t;
    }

    private void check(Call call, int tid) {
        Failure f = failures.getOrDefault(call, Map.of()).get(tid);
        if (f != null) {
            throw new ThreadControlException(tid, f, call + " of " + tid + " failed: injected " + f);
        }
    }
}
