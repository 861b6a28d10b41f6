package io.kvmtune.core.apply;

import io.kvmtune.core.InvalidInputException;
import io.kvmtune.core.cgroup.CgroupFile;
import io.kvmtune.core.cgroup.CgroupFs;
import io.kvmtune.core.cgroup.CgroupGroup;
import io.kvmtune.core.cgroup.LibvirtThreadGroups;
import io.kvmtune.core.cgroup.RtRuntimeAllocator;
import io.kvmtune.core.plan.TuningPlan;
import io.kvmtune.core.qemu.ProcCgroup;
import io.kvmtune.core.qemu.ProcFs;
import io.kvmtune.core.qemu.QemuGuest;
import io.kvmtune.core.qemu.QemuThread;
import io.kvmtune.core.qemu.ThreadIdentity;
import io.kvmtune.core.qemu.ThreadRole;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Puts a {@link TuningPlan} onto the threads of a running QEMU, all of it or none of it, and
 * verifies or undoes it later, from this process or another one.
 *
 * <p>{@link #apply} works in this order: read the state of everything it will touch (affinity,
 * scheduling, the {@code cpuset.cpus} of libvirt's per-thread groups, realtime runtime along the
 * realtime vCPU groups' ancestors, RLIMIT_MEMLOCK) and save it, with the plan, in the
 * {@link RecordStore}; then give realtime runtime, write cpusets, set affinity, set scheduling,
 * raise RLIMIT_MEMLOCK; then read everything back from the kernel. Any failure or difference puts
 * the saved state back and throws {@link ApplyFailedException} saying what was restored. Cgroup
 * files are written only in libvirt's own per-thread groups, so a QEMU not started by libvirt
 * gets affinity and scheduling only.
 *
 * <p>Threads created after the guest was discovered are not touched: discover again and apply
 * again (applying is idempotent: a second apply of the same plan changes nothing and says so).
 * That is how vCPUs plugged in later are tuned: {@link #reapply} applies the saved plan to the
 * threads the guest has now. A plan covers the guest's maximum vCPU count; vCPUs not plugged in
 * are absent, not a difference. The agent applies the same way to the threads it saw being born
 * (a guest listing just those threads).
 *
 * <p>Whatever calls it (the libvirt hook, {@code kvmtune apply}, the agent), one applier at a time
 * changes a guest: {@link #apply} and {@link #restore} hold the guest's lock ({@link GuestLock})
 * while they work, and a second caller changes nothing and gets
 * {@link ApplyFailedException#guestBusy()}.
 */
public final class Applier {

    private final ThreadControl threads;
    private final MemoryControl memory;
    private final CgroupFs cgroups;
    private final RecordStore records;
    private final RtBudgetBook book;

    public Applier(ThreadControl threads, MemoryControl memory, CgroupFs cgroups, RecordStore records) {
        this.threads = threads;
        this.memory = memory;
        this.cgroups = cgroups;
        this.records = records;
        LiveThreads live = new LiveThreads(threads);
        this.book = new RtBudgetBook(records.dir(), cgroups, live::alive);
    }

    /** An applier for this host's kernel, {@code /proc} and {@code /sys/fs/cgroup}, keeping records in {@code records}. */
    public static Applier system(RecordStore records) {
        KernelThreadControl kernel = new KernelThreadControl(ProcFs.system());
        return new Applier(kernel, kernel, CgroupFs.system(), records);
    }

    /**
     * Applies {@code plan} to {@code guest}.
     *
     * @return per thread and per cgroup file, before and after, with whether each changed
     * @throws InvalidInputException when the plan does not fit the guest's vCPUs (nothing changed)
     * @throws io.kvmtune.core.DoesNotFitException when the realtime vCPUs' cgroups cannot get
     *     realtime runtime (nothing changed)
     * @throws ApplyFailedException when applying failed; everything changed was put back
     */
    public ApplyReport apply(TuningPlan plan, QemuGuest guest, ApplyOptions options) {
        return apply(plan, guest, options, Map.of());
    }

    /**
     * As {@link #apply(TuningPlan, QemuGuest, ApplyOptions)}, checking each thread that
     * {@code held} has a pin for through that pin (left open) instead of pinning it anew: for a
     * caller that keeps its threads pinned, as the agent does from a thread's birth.
     */
    public ApplyReport apply(TuningPlan plan, QemuGuest guest, ApplyOptions options, Map<ThreadIdentity, ThreadPin> held) {
        ApplyRun run = new ApplyRun(threads, memory, cgroups, records, book, plan, guest, options, held);
        if (options.dryRun()) {
            return run.run(Optional.empty());
        }
        try (GuestLock _ = GuestLock.acquire(records.dir(), guest.pid())) {
            Optional<ApplyRecord> previous = records.load(guest.pid()).filter(r -> r.process().equals(guest.process()))
                    .map(r -> adoptRtRuntimes(r) ? new ApplyRecord(r.process(), r.plan(), r.qmpSocket(),
                            r.snapshot().withoutRtRuntimes()) : r);
            return run.run(previous);
        }
    }

    /**
     * Gives realtime runtime, ahead of libvirt, to the groups the realtime vCPUs of a libvirt guest
     * will need it in ({@link RuntimeAhead}): its vCPUs {@code 0} to {@code vcpus - 1} that
     * {@code plan} makes realtime and libvirt has not placed yet: all of them while QEMU starts,
     * and those not plugged in yet of a guest that runs with fewer vCPUs than planned. Given when
     * QEMU starts, it leaves nothing to share anew when each vCPU is born or plugged in and tuned.
     * Held in the realtime budget book for {@code process} like the runtime an apply gives; the
     * first apply after libvirt placed every vCPU held for gives back what no realtime thread needs
     * any more. Nothing for a QEMU outside libvirt's groups, on a host without realtime group
     * scheduling, or when libvirt placed every such vCPU.
     *
     * @return the groups held now
     * @throws io.kvmtune.core.DoesNotFitException when the host's realtime runtime cannot be shared with them
     */
    public List<CgroupGroup> holdRuntimeAhead(TuningPlan plan, ThreadIdentity process, int vcpus) {
        Optional<List<ProcCgroup>> membership = cgroups.membership(process.tid(), process.tid());
        Optional<CgroupGroup> cpu = membership.flatMap(m -> cgroups.group(m, "cpu"))
                .filter(g -> new RtRuntimeAllocator(cgroups).hasRtGroupScheduling(g));
        Optional<CgroupGroup> guestCpuset = membership.flatMap(m -> cgroups.group(m, "cpuset")).filter(g -> !g.v2())
                .flatMap(LibvirtThreadGroups::guestGroupOf);
        if (cpu.isEmpty() || guestCpuset.isEmpty()) {
            return List.of();
        }
        RuntimeAhead ahead = new RuntimeAhead(cgroups);
        List<String> labels = plan.vcpus().stream().filter(v -> v.policy().isRealtime() && v.vcpu() < vcpus)
                .map(v -> new ThreadRole.Vcpu(v.vcpu()).label())
                .filter(label -> !ahead.placed(guestCpuset.get(), label)).toList();
        if (labels.isEmpty()) {
            return List.of();
        }
        List<CgroupGroup> groups = ahead.groups(cpu.get(), () -> cpu, labels);
        if (groups.isEmpty()) {
            return List.of();
        }
        try (GuestLock _ = GuestLock.acquire(records.dir(), process.tid())) {
            List<CgroupGroup> made = ahead.make(groups);
            Set<CgroupGroup> held = new LinkedHashSet<>(book.leavesOf(process).orElse(List.of()));
            held.addAll(groups);
            try {
                book.hold(process, List.copyOf(held), OptionalLong.empty());
            } catch (RuntimeException e) {
                made.forEach(cgroups::removeIfUnused);
                throw e;
            }
            return List.copyOf(held);
        }
    }

    /**
     * Hands the realtime runtime that a record from before the realtime budget book saved
     * ({@link Snapshot#rtRuntimes}) to the book and saves the record without it, so that it is given
     * back through the book, shared with the other realtime guests, and never written back beside
     * it. The caller holds the guest's lock.
     *
     * @return whether the record had any
     */
    private boolean adoptRtRuntimes(ApplyRecord record) {
        if (record.snapshot().rtRuntimes().isEmpty()) {
            return false;
        }
        book.adopt(record.process(), record.snapshot().rtRuntimes());
        records.save(new ApplyRecord(record.process(), record.plan(), record.qmpSocket(),
                record.snapshot().withoutRtRuntimes()));
        return true;
    }

    /**
     * Removes the lock files of QEMUs that have exited with no apply record: an apply that was
     * refused or rolled back, and a restore while the QEMU ran, leave the guest's lock file, and
     * nothing else would remove it. Not logged: an empty lock file is no state of the host's, and
     * a line about it would turn up in whichever unrelated run came next.
     */
    private void forgetOrphanLocks() {
        Set<Integer> recorded = Set.copyOf(records.pids());
        for (int pid : GuestLock.pids(records.dir())) {
            if (!recorded.contains(pid) && threads.startTime(pid).isEmpty()) {
                GuestLock.forgetUnlessHeld(records.dir(), pid);
            }
        }
    }

    /**
     * Forgets the per-guest lock file of QEMU {@code pid}, once that process has exited and its
     * record is gone: no apply can name it any more.
     */
    public void forgetExited(int pid) {
        GuestLock.forget(records.dir(), pid);
    }

    /**
     * Applies the plan saved for {@code guest}'s QEMU again, to the threads it has now: vCPUs
     * plugged in since (and threads changed behind kvmtune's back) are tuned, the rest is
     * unchanged. The record keeps the state from before the first apply, completed with the new
     * threads' state, so {@link #restore} still goes back to the start.
     *
     * @param guest the guest as discovered now
     * @throws InvalidInputException (code {@code NoApplyRecord}) when nothing was applied to that
     *     QEMU process (or its pid names another process now)
     * @throws ApplyFailedException as {@link #apply}
     */
    public ApplyReport reapply(QemuGuest guest, ApplyOptions options) {
        ApplyRecord record = requireRecord(guest.pid());
        if (!record.process().equals(guest.process())) {
            throw new InvalidInputException("NoApplyRecord", "pid", Integer.toString(guest.pid()), "the apply record"
                    + " of pid " + guest.pid() + " in " + records.dir() + " is of another process (start time "
                    + record.process().startTime() + ", not " + guest.process().startTime() + ")");
        }
        return apply(record.plan(), guest,
                record.qmpSocket().map(options::withQmpSocket).orElse(options));
    }

    /**
     * Puts back the state saved before the first apply to process {@code pid} and, when all of
     * it could be put back (threads and groups that are gone count as done), removes the record.
     *
     * @throws InvalidInputException (code {@code NoApplyRecord}) when nothing was applied to that pid
     */
    public RestoreReport restore(int pid) {
        ApplyRecord record = requireRecord(pid);
        try (GuestLock _ = GuestLock.acquire(records.dir(), pid)) {
            boolean alive = new LiveThreads(threads).alive(record.process());
            adoptRtRuntimes(record);
            RestoreReport report = new Restorer(threads, memory, cgroups)
                    .restore(pid, alive, record.snapshot().withoutRtRuntimes())
                    .with(book.release(record.process()));
            if (report.complete()) {
                records.delete(pid);
                if (!alive) {
                    // the QEMU is gone (the release hook's case): nothing will apply to its pid again
                    GuestLock.forget(records.dir(), pid);
                }
            }
            return report;
        }
    }

    /**
     * Restores what was applied to every QEMU that has exited (or whose pid names another process
     * now) and removes its record once everything still there is put back: the realtime runtime
     * its vCPU groups were given above all, which would otherwise stay taken from the host.
     *
     * @return one entry per record of an exited QEMU; a record that cannot be read is reported
     *     and left in place
     */
    public List<StaleCleanup> restoreExited() {
        List<StaleCleanup> done = new ArrayList<>();
        LiveThreads live = new LiveThreads(threads);
        for (int pid : records.pids()) {
            String subject = "apply record of QEMU pid " + pid;
            Optional<ApplyRecord> record;
            try {
                record = records.load(pid);
            } catch (InvalidInputException e) {
                done.add(new StaleCleanup(subject, "left in place: " + e.getMessage(), false));
                continue;
            }
            if (record.isEmpty()) {
                continue;
            }
            if (live.alive(record.get().process())) {
                adoptLive(record.get()).ifPresent(done::add);
                continue;
            }
            RestoreReport report;
            try {
                report = restore(pid);
            } catch (ApplyFailedException e) {
                if (!e.guestBusy()) {
                    throw e;
                }
                // another cleanup (the release hook, the agent) is restoring it right now
                done.add(new StaleCleanup(subject, "left to the other kvmtune restoring it now", true));
                continue;
            }
            GuestLock.forget(records.dir(), pid);
            done.add(report.complete()
                    ? new StaleCleanup(subject, "QEMU has exited; put back " + restoredCount(report)
                            + " saved values still present and removed " + records.file(pid), true)
                    : new StaleCleanup(subject, "QEMU has exited; could not put back " + report.failures()
                            + ", the record stays for kvmtune restore --pid " + pid, false));
        }
        forgetOrphanLocks();
        RtBudgetBook.Change shared = book.dropExited();
        for (var gone : shared.dropped()) {
            done.add(new StaleCleanup("realtime runtime of QEMU pid " + gone.tid(), "QEMU has exited; its share went to "
                    + "the realtime vCPU groups still running, or back to the host when none is left ("
                    + shared.writes().size() + " cpu.rt_runtime_us writes)", true));
        }
        return done;
    }

    /** {@link #adoptRtRuntimes} for a running guest, unless another applier holds it now (the next run does it then). */
    private Optional<StaleCleanup> adoptLive(ApplyRecord record) {
        if (record.snapshot().rtRuntimes().isEmpty()) {
            return Optional.empty();
        }
        int pid = record.process().tid();
        try (GuestLock _ = GuestLock.acquire(records.dir(), pid)) {
            return records.load(pid).filter(r -> r.process().equals(record.process()) && adoptRtRuntimes(r))
                    .map(r -> new StaleCleanup("realtime runtime of QEMU pid " + pid, "saved in its apply record by a"
                            + " kvmtune from before " + RtBudgetBook.FILE_NAME + "; now held there, shared with the"
                            + " other realtime guests", true));
        } catch (ApplyFailedException e) {
            if (!e.guestBusy()) {
                throw e;
            }
            return Optional.empty();
        }
    }

    private static long restoredCount(RestoreReport report) {
        return report.items().stream().filter(i -> i.outcome() == RestoreItem.Outcome.RESTORED).count();
    }

    /**
     * Compares {@code guest}, as discovered now, with the plan saved when it was applied: unlike
     * {@link #verify(int)} it sees vCPUs plugged in since.
     *
     * @return one line per difference; empty when everything is as planned
     * @throws InvalidInputException (code {@code NoApplyRecord}) when nothing was applied to that pid
     */
    public List<String> verify(int pid, QemuGuest guest) {
        ApplyRecord record = requireRecord(pid);
        if (!record.process().equals(guest.process())) {
            return verify(pid);
        }
        return verify(record.plan(), guest);
    }

    /**
     * Compares the running state of process {@code pid} with the plan saved when it was applied.
     *
     * @return one line per difference; empty when everything is as planned
     * @throws InvalidInputException (code {@code NoApplyRecord}) when nothing was applied to that pid
     */
    public List<String> verify(int pid) {
        ApplyRecord record = requireRecord(pid);
        if (!new LiveThreads(threads).alive(record.process())) {
            return List.of("QEMU pid " + pid + " is not the process the plan was applied to (it has exited,"
                    + " or its pid now names another process)");
        }
        List<QemuThread> known = record.snapshot().threads().stream()
                .map(t -> new QemuThread(t.identity(), t.comm(), t.role())).toList();
        return verify(record.plan(), new QemuGuest(record.process(), Optional.empty(), known));
    }

    /**
     * Compares the running state of {@code guest} with {@code plan}: affinity and scheduling of
     * every thread, {@code cpuset.cpus} of libvirt's per-thread groups, and locked memory.
     *
     * @return one line per difference; empty when everything is as planned
     */
    public List<String> verify(TuningPlan plan, QemuGuest guest) {
        LiveThreads live = new LiveThreads(threads);
        List<String> differences = new ArrayList<>();
        Set<CgroupGroup> checked = new HashSet<>();
        GroupCpusets groupCpusets = new GroupCpusets(cgroups, plan);
        for (ThreadTarget target : ThreadTargets.of(plan, guest)) {
            QemuThread t = target.thread();
            Optional<ThreadState> state = live.read(t.identity());
            if (state.isEmpty()) {
                if (!LiveThreads.mayVanish(guest, t)) {
                    differences.add(Differences.gone(t));
                }
                continue;
            }
            differences.addAll(Differences.ofThread(target, state.get()));
            cpusetGroup(guest, t).filter(checked::add).ifPresent(g -> {
                CgroupFile file = g.file(ApplyRun.CPUSET_CPUS);
                cgroups.readIfPresent(file).ifPresent(v -> differences.addAll(
                        Differences.ofCpuset(file, groupCpusets.of(g, target.cpus()), v)));
            });
        }
        if (plan.memory().locked() && memory.lockedBytes(guest.pid()) == 0) {
            differences.add(Differences.notLocked(guest.pid()));
        }
        return differences;
    }

    /** Every thread of {@code guest} as the kernel has it now: the rows of {@code kvmtune show}. */
    public List<ThreadRow> show(QemuGuest guest) {
        LiveThreads live = new LiveThreads(threads);
        List<ThreadRow> rows = new ArrayList<>(guest.threads().size());
        RtRuntimeAllocator rt = new RtRuntimeAllocator(cgroups);
        for (QemuThread t : guest.threads()) {
            Optional<List<ProcCgroup>> membership = cgroups.membership(guest.pid(), t.tid());
            Optional<String> group = membership.flatMap(m -> cgroups.group(m, "cpuset")).map(CgroupGroup::procName);
            Optional<RtGrant> realtime = membership.flatMap(m -> cgroups.group(m, "cpu"))
                    .filter(g -> t.role() instanceof ThreadRole.Vcpu && LibvirtThreadGroups.isGroupFor(g, t.role().label())
                            && rt.hasRtGroupScheduling(g))
                    .map(rt::budget).map(b -> new RtGrant(b.group(), b.runtimeUs(), b.periodUs()));
            rows.add(new ThreadRow(t, live.read(t.identity()), group, realtime));
        }
        return rows;
    }

    /**
     * Reads the apply records of QEMU processes {@code pids} and the realtime budget book as the
     * next apply to them will, so that the apply finds them read: each costs a {@code stat} unless
     * another process (the libvirt hook) replaced it since, and is then parsed here, while no
     * thread waits to be tuned.
     *
     * @throws RuntimeException when the book cannot be read (a record that cannot is left to the
     *     apply that needs it, which reports what is wrong with it)
     */
    public void readAhead(Collection<Integer> pids) {
        for (int pid : pids) {
            try {
                records.load(pid);
            } catch (RuntimeException e) {
                // the apply to that guest reads it again and says why it fails
            }
        }
        book.readAhead();
    }

    /** The record saved by the last apply to process {@code pid}, if any. */
    public Optional<ApplyRecord> record(int pid) {
        return records.load(pid);
    }

    private Optional<CgroupGroup> cpusetGroup(QemuGuest guest, QemuThread t) {
        return cgroups.membership(guest.pid(), t.tid()).flatMap(m -> cgroups.group(m, "cpuset"))
                .filter(g -> LibvirtThreadGroups.isGroupFor(g, t.role().label()));
    }

    private ApplyRecord requireRecord(int pid) {
        return records.load(pid).orElseThrow(() -> new InvalidInputException("NoApplyRecord", "pid",
                Integer.toString(pid), "no apply record for QEMU pid " + pid + " in " + records.dir()
                        + ": nothing was applied to it (or it was restored already)"));
    }

    /**
     * A hold on thread {@code identity} to read its state again and again ({@link #state(int, ThreadPin)}):
     * on the kernel it keeps {@code /proc/<tid>/stat} open, so each read checks the identity
     * with one {@code pread} instead of opening the file. Close it when done.
     */
    public ThreadPin pin(ThreadIdentity identity) {
        return threads.pin(identity);
    }

    /**
     * A hold on the thread {@code tid} names now, with who it is; empty when no thread has that
     * id. On the kernel it costs one open of {@code /proc/<tid>/stat} and one read.
     */
    public Optional<PinnedThread> pinNow(int tid) {
        return threads.pinNow(tid);
    }

    /**
     * The affinity and scheduling of thread {@code tid}, held by {@code pin}, as the kernel has
     * them now; empty when it has exited. Two system calls and a check of the pin: what the agent
     * reads of every tuned thread on each check.
     */
    public Optional<ThreadState> state(int tid, ThreadPin pin) {
        return new LiveThreads(threads).read(tid, pin);
    }

    /**
     * As {@link #state(int, ThreadPin)} for the thread of {@code target}, but the pin is checked
     * only when the thread is not as {@code target} plans: the agent's periodic check of a thread
     * as planned costs two system calls. Where the id was reused by a thread that happens to be as
     * planned, the answer is that thread's state; the thread's exit event, or the next read that
     * finds a difference, tells the caller it is gone.
     */
    public Optional<ThreadState> state(ThreadTarget target, ThreadPin pin) {
        return new LiveThreads(threads).read(target, pin);
    }
}
