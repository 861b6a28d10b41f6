package io.kvmtune.core.apply;

import io.kvmtune.core.cgroup.CgroupException;
import io.kvmtune.core.cgroup.CgroupFile;
import io.kvmtune.core.cgroup.CgroupFs;
import io.kvmtune.core.cgroup.CgroupGroup;
import io.kvmtune.core.cgroup.LibvirtThreadGroups;
import io.kvmtune.core.cgroup.RtBudgets;
import io.kvmtune.core.cgroup.RtRuntimeAllocator;
import io.kvmtune.core.cgroup.RtWrite;
import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.plan.TuningPlan;
import io.kvmtune.core.qemu.ProcCgroup;
import io.kvmtune.core.qemu.QemuGuest;
import io.kvmtune.core.qemu.QemuThread;
import io.kvmtune.core.qemu.ThreadIdentity;
import io.kvmtune.core.qemu.ThreadRole;
import io.kvmtune.linux.ResourceLimit;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * One attempt to apply a plan to a guest's threads: survey, save the record, change, read back,
 * and on any failure put everything back. Used once, by {@link Applier#apply}, under the guest's
 * lock.
 */
final class ApplyRun {

    static final String CPUSET_CPUS = "cpuset.cpus";
    private static final String TASKS_FILE = "tasks";

    private final ThreadControl threads;
    private final MemoryControl memory;
    private final CgroupFs cgroups;
    private final RecordStore records;
    private final TuningPlan plan;
    private final QemuGuest guest;
    private final ApplyOptions options;

    private final LiveThreads liveThreads;
    private final List<Live> live = new ArrayList<>();
    private final List<ThreadChange> goneBefore = new ArrayList<>();
    /** The pCPUs the plan gives the threads in each of libvirt's groups this run writes. */
    private final Map<CgroupGroup, CpuSet> plannedIn = new LinkedHashMap<>();
    /** What this run sets each of those groups' {@code cpuset.cpus} to ({@link GroupCpusets}). */
    private final Map<CgroupGroup, CpuSet> cpusets = new LinkedHashMap<>();
    private final Map<CgroupGroup, String> cpusetsBefore = new LinkedHashMap<>();
    private final List<String> warnings = new ArrayList<>();
    private final RtBudgetBook book;
    private List<CgroupGroup> rtLeaves = List.of();
    /** Groups this run made ahead of libvirt, removed again if it fails. */
    private final List<CgroupGroup> createdGroups = new ArrayList<>();
    private final RuntimeAhead runtimeAhead;
    private final GroupCpusets groupCpusets;
    private Optional<List<CgroupGroup>> rtHeldBefore = Optional.empty();
    private Optional<RtBudgetBook.Change> rtChange = Optional.empty();
    /** The realtime runtime this run gives, worked out under the budget book's lock, held until given or the run ends. */
    private Optional<RtBudgetBook.Reservation> rtReservation = Optional.empty();
    private List<RtWrite> rtWrites = List.of();
    /** Whether this guest holds {@link #rtLeaves} already, with runtime: nothing to share anew. */
    private boolean rtUnchanged;
    /** See {@link #processGroups()}; null until first asked. */
    private Optional<List<ProcCgroup>> processGroups;
    private Optional<ResourceLimit> memlockBefore = Optional.empty();
    private Optional<ResourceLimit> memlockTarget = Optional.empty();
    private OptionalLong lockedBytes = OptionalLong.empty();

    /** Threads pinned by this run, let go when it ends. */
    private final List<ThreadPin> pins = new ArrayList<>();
    /** Threads the caller has pinned, by identity: checked through those pins, which stay open. */
    private final Map<ThreadIdentity, ThreadPin> held;

    /** A thread present when the run started. */
    private static final class Live {
        final ThreadTarget target;
        final ThreadPin pin;
        final ThreadState before;
        final Optional<CgroupGroup> cpusetGroup;
        final Optional<CgroupGroup> cpuGroup;
        final Optional<Lift> lift;
        ThreadState after;
        boolean gone;
        boolean lifted;

        Live(ThreadTarget target, ThreadPin pin, ThreadState before, Optional<CgroupGroup> cpusetGroup,
                Optional<CgroupGroup> cpuGroup, Optional<Lift> lift) {
            this.target = target;
            this.pin = pin;
            this.before = before;
            this.cpusetGroup = cpusetGroup;
            this.cpuGroup = cpuGroup;
            this.lift = lift;
        }

        QemuThread thread() {
            return target.thread();
        }
    }

    /**
     * A vCPU thread that libvirt has not placed yet, moved from the cpuset it was born in
     * ({@code emulator}, where its pCPUs are not allowed: libvirt narrowed it to
     * {@code <emulatorpin>} and no apply has left room there for vCPUs not plugged in, see
     * {@link GroupCpusets}) up into the guest's own cpuset, until libvirt moves it into {@code vcpuN}; or,
     * once libvirt has made and set up {@code vcpuN}, into that group, where libvirt is about to
     * move it.
     */
    private record Lift(CgroupGroup from, CgroupGroup to) {
    }

    ApplyRun(ThreadControl threads, MemoryControl memory, CgroupFs cgroups, RecordStore records, RtBudgetBook book,
            TuningPlan plan, QemuGuest guest, ApplyOptions options, Map<ThreadIdentity, ThreadPin> held) {
        this.threads = threads;
        this.held = held;
        this.book = book;
        this.liveThreads = new LiveThreads(threads);
        this.runtimeAhead = new RuntimeAhead(cgroups);
        this.groupCpusets = new GroupCpusets(cgroups, plan);
        this.memory = memory;
        this.cgroups = cgroups;
        this.records = records;
        this.plan = plan;
        this.guest = guest;
        this.options = options;
    }

    /** Applies; {@code previous} is this QEMU's record from earlier applies, which this one's adds to. */
    ApplyReport run(Optional<ApplyRecord> previous) {
        try {
            return runPinned(previous);
        } finally {
            rtReservation.ifPresent(RtBudgetBook.Reservation::close);
            pins.forEach(ThreadPin::close);
        }
    }

    private ApplyReport runPinned(Optional<ApplyRecord> previous) {
        List<ThreadTarget> targets = ThreadTargets.of(plan, guest);
        try {
            boolean threadGroups = mayUseThreadGroups();
            targets.forEach(t -> survey(t, threadGroups));
            surveyRtRuntime();
            surveyMemory();
        } catch (ThreadControlException | CgroupException | IllegalArgumentException e) {
            removeCreatedGroups();
            throw ApplyFailedException.beforeAnyChange("cannot read the state of QEMU pid " + guest.pid() + ": "
                    + e.getMessage(), e);
        } catch (RuntimeException e) {
            removeCreatedGroups();
            throw e;
        }
        Snapshot snapshot = snapshot();
        if (options.dryRun()) {
            return predictedReport();
        }
        int pid = guest.pid();
        records.saveApplied(previous, new ApplyRecord(guest.process(), plan, options.qmpSocket(), snapshot));
        try {
            options.observer().completed(ApplyStep.RECORD_SAVED);
            change();
            if (plan.memory().locked() && lockedBytes.isEmpty()) {
                checkLocked();
            }
            List<String> differences = readBack();
            if (!differences.isEmpty()) {
                throw new IllegalStateException("the kernel reports a state other than the plan: "
                        + String.join("; ", differences));
            }
            options.observer().completed(ApplyStep.VERIFIED);
        } catch (RuntimeException e) {
            RestoreReport rollback = new Restorer(threads, memory, cgroups).restore(pid, processAlive(), snapshot);
            rollback = rollback.with(undoLifts());
            rollback = rollback.with(rollBackRtRuntime(e));
            removeCreatedGroups();
            // Keep the record when something could not be put back, so that `restore` can try again.
            if (rollback.complete()) {
                try {
                    records.reset(pid, previous);
                } catch (RuntimeException recordFailure) {
                    e.addSuppressed(recordFailure);
                }
            }
            throw ApplyFailedException.rolledBack("applying the plan to QEMU pid " + pid + " failed: " + e.getMessage(),
                    rollback, e);
        }
        return report(Optional.of(records.file(pid)));
    }

    /**
     * Whether the guest's threads may sit in libvirt's per-thread groups, the only groups kvmtune
     * writes: then each thread's groups are read. A QEMU whose main thread is in no libvirt guest
     * group was not started by libvirt; with cgroup v2 its threads cannot be in another guest's
     * groups (all threads of a process share one threaded subtree), so one read of the main
     * thread's groups stands for all of them. With cgroup v1 an administrator could move single
     * threads into a libvirt group by hand; affinity is then checked by the read-back like any
     * other, and a cpuset that refuses the plan makes the apply fail and roll back.
     */
    private boolean mayUseThreadGroups() {
        return processGroups().map(LibvirtThreadGroups::mayHoldThreadGroups).orElse(true);
    }

    /** The groups of QEMU's main thread, read once per run: several questions about the guest start there. */
    private Optional<List<ProcCgroup>> processGroups() {
        if (processGroups == null) {
            processGroups = cgroups.membership(guest.pid(), guest.pid());
        }
        return processGroups;
    }

    /**
     * Pins the thread, reads its state, and checks that the pin still holds: the check before
     * acting. The read-back makes the check after.
     */
    private void survey(ThreadTarget target, boolean threadGroups) {
        QemuThread t = target.thread();
        ThreadPin pin = held.get(t.identity());
        if (pin == null) {
            pin = threads.pin(t.identity());
            pins.add(pin);
        }
        Optional<ThreadState> state = liveThreads.read(t.tid(), pin);
        Optional<List<ProcCgroup>> membership = state.isPresent() && threadGroups
                ? cgroups.membership(guest.pid(), t.tid()) : Optional.of(List.of());
        if (state.isEmpty() || membership.isEmpty()) {
            if (!mayVanish(t)) {
                throw new ThreadControlException(t.tid(), ThreadControlException.Failure.GONE,
                        Differences.gone(t) + " since the guest's threads were discovered");
            }
            goneBefore.add(new ThreadChange(t.identity(), t.comm(), t.role(), Optional.empty(), Optional.empty(), false));
            return;
        }
        String label = t.role().label();
        Optional<CgroupGroup> cpusetNow = cgroups.group(membership.get(), "cpuset");
        Optional<CgroupGroup> cpuset = cpusetNow
                .filter(g -> LibvirtThreadGroups.isGroupFor(g, label) && !emulatorHoldsUnplacedVcpus(g));
        cpuset.ifPresent(g -> {
            CpuSet earlier = plannedIn.putIfAbsent(g, target.cpus());
            if (earlier != null && !earlier.equals(target.cpus())) {
                throw new IllegalArgumentException("cgroup " + g + " holds threads the plan places on "
                        + earlier.format() + " and on " + target.cpus().format());
            }
            cpusets.computeIfAbsent(g, k -> groupCpusets.of(k, target.cpus()));
            cpusetsBefore.computeIfAbsent(g, k -> cgroups.read(k.file(CPUSET_CPUS)));
        });
        live.add(new Live(target, pin, state.get(), cpuset, cgroups.group(membership.get(), "cpu"),
                lift(target, cpusetNow)));
    }

    /**
     * Whether {@code group} is libvirt's {@code emulator} cpuset of a guest whose vCPUs libvirt has
     * not placed yet (no {@code vcpuN} group beside it): QEMU is started in it and creates its vCPU
     * threads there, so narrowing it to the emulator's pCPUs now would keep every vCPU born
     * meanwhile from its own. The emulator threads get their pCPUs by affinity; the cpuset is
     * narrowed by the first apply after libvirt placed the vCPUs.
     */
    private boolean emulatorHoldsUnplacedVcpus(CgroupGroup group) {
        return group.name().equals(LibvirtThreadGroups.EMULATOR) && !group.v2()
                && !runtimeAhead.vcpusPlaced(group.parent().orElseThrow());
    }

    /**
     * The lift a vCPU thread needs to be tuned before libvirt places it: its cpuset group
     * {@code cpusetNow} is another of libvirt's per-thread groups of a v1 cpuset hierarchy ({@code emulator}, where QEMU creates a
     * vCPU plugged in), whose cpuset does not allow the planned pCPUs.
     */
    private Optional<Lift> lift(ThreadTarget target, Optional<CgroupGroup> cpusetNow) {
        if (!(target.thread().role() instanceof ThreadRole.Vcpu) || options.dryRun()) {
            return Optional.empty();
        }
        String label = target.thread().role().label();
        Optional<CgroupGroup> cpuset = cpusetNow
                .filter(g -> !g.v2() && LibvirtThreadGroups.isThreadGroup(g) && !LibvirtThreadGroups.isGroupFor(g, label));
        if (cpuset.isEmpty()) {
            return Optional.empty();
        }
        CgroupGroup guestCpuset = cpuset.get().parent().orElseThrow();
        boolean allowed = cgroups.readIfPresent(cpuset.get().file(CPUSET_CPUS)).map(CpuSet::parse)
                .filter(a -> a.containsAll(target.cpus())).isPresent();
        return allowed ? Optional.empty() : Optional.of(new Lift(cpuset.get(), guestCpuset));
    }

    private boolean processAlive() {
        return liveThreads.alive(guest.process());
    }

    private boolean mayVanish(QemuThread t) {
        return LiveThreads.mayVanish(guest, t);
    }

    /**
     * Finds the realtime vCPU groups and works out, without writing, the runtime they would get
     * shared with every other realtime vCPU group on the host: a guest that cannot get any is
     * refused here, before anything changes. Outside a dry run that share is reserved in the
     * realtime budget book, whose lock the run then holds until {@link #change} gives it.
     */
    private void surveyRtRuntime() {
        RtRuntimeAllocator allocator = new RtRuntimeAllocator(cgroups);
        List<CgroupGroup> leaves = new ArrayList<>();
        for (Live l : live) {
            if (!l.target.realtime() || l.cpuGroup.isEmpty() || !allocator.hasRtGroupScheduling(l.cpuGroup.get())) {
                continue;
            }
            CgroupGroup group = l.cpuGroup.get();
            if (LibvirtThreadGroups.isGroupFor(group, l.thread().role().label())) {
                leaves.add(group);
            } else {
                aheadOfLibvirt(group, l.thread().role().label()).stream().filter(g -> !leaves.contains(g))
                        .forEach(leaves::add);
            }
        }
        rtHeldBefore = book.leavesOf(guest.process());
        // An apply to some of the guest's threads (the agent tuning a thread just born or repairing
        // one) keeps the runtime of the groups its other realtime threads sit in or are yet to be
        // placed in: taking it back from a group with SCHED_FIFO tasks fails (EBUSY), and would stop
        // them if it did not. Any other group it held goes back.
        Set<CgroupGroup> surveyed = new HashSet<>();
        Set<Integer> surveyedTids = new HashSet<>();
        live.forEach(l -> {
            l.cpuGroup.ifPresent(surveyed::add);
            surveyedTids.add(l.thread().tid());
        });
        List<CgroupGroup> heldElsewhere = rtHeldBefore.map(held -> held.stream()
                .filter(g -> !leaves.contains(g) && cgroups.exists(g)).toList()).orElse(List.of());
        boolean pending = !heldElsewhere.isEmpty() && placementPending(rtHeldBefore.get());
        heldElsewhere.stream().filter(g -> pending || holdsOtherRealtimeTask(g, surveyedTids)
                || !surveyed.contains(g) && LibvirtThreadGroups.isVcpuGroup(g)).forEach(leaves::add);
        rtLeaves = List.copyOf(leaves);
        // The book shares the runtime anew on every change of any guest: while this guest holds
        // the same groups and they have runtime, sharing again would write nothing. The agent's
        // apply to a vCPU just born, whose groups were held for it when its QEMU started, takes
        // this way, which skips two reads of every group's budget and a save of the book.
        rtUnchanged = !rtLeaves.isEmpty() && options.rtRuntimeUs().isEmpty()
                && rtHeldBefore.filter(held -> Set.copyOf(held).equals(Set.copyOf(rtLeaves))).isPresent()
                && rtLeaves.stream().allMatch(g -> runtimeUs(g) > 0);
        if (!rtLeaves.isEmpty() && !rtUnchanged) {
            if (options.dryRun()) {
                rtChange = Optional.of(book.preview(guest.process(), rtLeaves, options.rtRuntimeUs()));
            } else {
                rtReservation = Optional.of(book.reserve(guest.process(), rtLeaves, options.rtRuntimeUs()));
                rtChange = Optional.of(rtReservation.get().change());
            }
            rtWrites = rtChange.get().writes();
        }
    }

    private long runtimeUs(CgroupGroup group) {
        try {
            return Long.parseLong(cgroups.read(group.file(RtBudgets.RUNTIME_FILE)));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The groups {@link RuntimeAhead} names for a realtime vCPU in {@code current}, made where absent (not in a dry run). */
    private List<CgroupGroup> aheadOfLibvirt(CgroupGroup current, String roleLabel) {
        List<CgroupGroup> ahead = runtimeAhead.groups(current, () -> processGroups()
                .flatMap(m -> cgroups.group(m, "cpu")), List.of(roleLabel));
        if (options.dryRun()) {
            return ahead.stream().filter(cgroups::exists).toList();
        }
        createdGroups.addAll(runtimeAhead.make(ahead));
        return ahead;
    }

    /**
     * Whether libvirt has yet to place a vCPU of this libvirt guest that realtime runtime is held
     * ahead for ({@link Applier#holdRuntimeAhead}), among the groups {@code held}: one whose
     * {@code vcpuN} cpu group is held and whose cpuset group libvirt has not made, while the guest
     * starts or until the vCPU is plugged in. The runtime held ahead stays until libvirt has placed
     * them all.
     */
    private boolean placementPending(List<CgroupGroup> held) {
        Optional<CgroupGroup> guestCpuset = processGroups().flatMap(m -> cgroups.group(m, "cpuset"))
                .filter(g -> !g.v2()).flatMap(LibvirtThreadGroups::guestGroupOf);
        return guestCpuset.isPresent() && held.stream().filter(LibvirtThreadGroups::isVcpuGroup)
                .anyMatch(g -> !runtimeAhead.placed(guestCpuset.get(), g.name()));
    }

    /** Whether a task of {@code group} other than {@code surveyedTids} runs under a realtime policy now. */
    private boolean holdsOtherRealtimeTask(CgroupGroup group, Set<Integer> surveyedTids) {
        for (String line : cgroups.readIfPresent(group.file(TASKS_FILE)).orElse("").lines().toList()) {
            int tid = Integer.parseInt(line.strip());
            if (surveyedTids.contains(tid)) {
                continue;
            }
            try {
                if (threads.scheduling(tid).policy().isRealtime()) {
                    return true;
                }
            } catch (ThreadControlException e) {
                // exited since the list was read
            }
        }
        return false;
    }

    /** Shares the realtime runtime anew with this guest's groups in (or out, when the plan has none any more). */
    private void changeRtRuntime() {
        if (rtUnchanged) {
            return;
        }
        if (rtReservation.isPresent()) {
            rtChange = Optional.of(rtReservation.get().commit());
            rtWrites = rtChange.get().writes();
        } else if (rtHeldBefore.isPresent()) {
            book.release(guest.process());
        }
    }

    /** After a failed apply: this guest holds what it held before (nothing, for a first apply). */
    private List<RestoreItem> rollBackRtRuntime(RuntimeException failure) {
        // a reservation not given yet holds the book's lock, which the rollback takes again
        rtReservation.ifPresent(RtBudgetBook.Reservation::close);
        try {
            if (rtHeldBefore.isPresent()) {
                RtBudgetBook.Change back = book.hold(guest.process(), rtHeldBefore.get(), options.rtRuntimeUs());
                return back.writes().stream().map(w -> new RestoreItem(w.file().toString(), RestoreItem.Outcome.RESTORED,
                        Long.toString(w.toUs()))).toList();
            }
            return book.release(guest.process());
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
            return List.of(new RestoreItem("realtime runtime of QEMU pid " + guest.pid(), RestoreItem.Outcome.FAILED,
                    e.getMessage()));
        }
    }

    /** Moves thread {@code tid} into {@code group}. */
    private void moveTask(int tid, CgroupGroup group) {
        try {
            cgroups.write(group.file(TASKS_FILE), Integer.toString(tid));
        } catch (CgroupException e) {
            throw e.gone() ? new ThreadControlException(tid, ThreadControlException.Failure.GONE, e.getMessage(), e) : e;
        }
    }

    /**
     * After a failed apply, once the threads' policies are back: lifted threads go back where they
     * were born, unless libvirt has placed them meanwhile (its move can be what failed the apply).
     */
    private List<RestoreItem> undoLifts() {
        List<RestoreItem> items = new ArrayList<>();
        for (Live l : live) {
            if (!l.lifted) {
                continue;
            }
            String what = Differences.describe(l.thread()) + " in " + l.lift.get().from();
            Optional<CgroupGroup> now = cgroups.membership(guest.pid(), l.thread().tid())
                    .flatMap(m -> cgroups.group(m, "cpuset"));
            if (now.isEmpty() || !now.get().equals(l.lift.get().to())) {
                items.add(new RestoreItem(what, RestoreItem.Outcome.UNCHANGED,
                        now.map(g -> "libvirt placed it in " + g).orElse("gone")));
                continue;
            }
            try {
                moveTask(l.thread().tid(), l.lift.get().from());
                items.add(followLibvirt(l)
                        ? new RestoreItem(what, RestoreItem.Outcome.UNCHANGED, "libvirt placed it in " + libvirtsCpuset(l))
                        : new RestoreItem(what, RestoreItem.Outcome.RESTORED, "moved back"));
            } catch (ThreadControlException e) {
                items.add(new RestoreItem(what, RestoreItem.Outcome.GONE, e.getMessage()));
            } catch (CgroupException e) {
                items.add(new RestoreItem(what, RestoreItem.Outcome.FAILED, e.getMessage()));
            }
        }
        return items;
    }

    /** Takes back the groups made ahead of libvirt, unless libvirt has started using them meanwhile. */
    private void removeCreatedGroups() {
        createdGroups.forEach(cgroups::removeIfUnused);
    }

    /**
     * Reads QEMU's memory limit to raise, and whether its memory is locked where a strict or dry
     * run needs to know before any change; any other apply learns that after its changes, which
     * keeps the read of {@code /proc/PID/status} out of a vCPU's untuned window.
     */
    private void surveyMemory() {
        int pid = guest.pid();
        if (plan.memory().locked() && (options.strict() || options.dryRun())) {
            checkLocked();
        }
        if (options.raiseMemlock()) {
            ResourceLimit before = memory.memlockLimit(pid);
            ResourceLimit wanted = options.memlockBytes().isPresent()
                    ? ResourceLimit.of(options.memlockBytes().getAsLong())
                    : ResourceLimit.unlimited();
            memlockBefore = Optional.of(before);
            if (Long.compareUnsigned(before.soft(), wanted.soft()) < 0 || Long.compareUnsigned(before.hard(), wanted.hard()) < 0) {
                memlockTarget = Optional.of(wanted);
            }
        }
    }

    /** Warns, or in strict mode refuses before any change, when QEMU's memory is not locked. */
    private void checkLocked() {
        int pid = guest.pid();
        lockedBytes = OptionalLong.of(memory.lockedBytes(pid));
        if (lockedBytes.getAsLong() == 0) {
            if (options.strict()) {
                throw ApplyFailedException.beforeAnyChange(Differences.notLocked(pid) + " (strict mode)", null);
            }
            warnings.add(Differences.notLocked(pid));
        }
    }

    private Snapshot snapshot() {
        List<ThreadSnapshot> t = live.stream().map(l -> new ThreadSnapshot(l.thread().identity(), l.thread().comm(),
                l.thread().role(), l.before)).toList();
        List<FileSnapshot> c = cpusetsBefore.entrySet().stream()
                .map(e -> new FileSnapshot(e.getKey().file(CPUSET_CPUS), e.getValue())).toList();
        // Realtime runtime is given back through the RtBudgetBook, which shares it among all guests.
        return new Snapshot(t, c, List.of(), memlockTarget.isPresent() ? memlockBefore : Optional.empty());
    }

    /** The changes, in the order the kernel needs them. */
    private void change() {
        changeRtRuntime();
        options.observer().completed(ApplyStep.RT_BUDGET);
        for (Live l : live) {
            if (l.lift.isPresent()) {
                act(l, () -> lift(l));
            }
        }
        for (Map.Entry<CgroupGroup, CpuSet> e : cpusets.entrySet()) {
            if (!CpuSet.parse(cpusetsBefore.get(e.getKey())).equals(e.getValue())) {
                writeCpuset(e.getKey(), e.getValue());
            }
        }
        options.observer().completed(ApplyStep.CPUSETS);
        for (Live l : live) {
            // Rewriting a cpuset resets its tasks' affinity on older kernels, so set it again for those.
            boolean groupRewritten = l.cpusetGroup.isPresent()
                    && !CpuSet.parse(cpusetsBefore.get(l.cpusetGroup.get())).equals(cpusets.get(l.cpusetGroup.get()));
            if (groupRewritten || !l.before.affinity().equals(l.target.cpus())) {
                act(l, () -> threads.setAffinity(l.thread().tid(), l.target.cpus()));
            }
        }
        options.observer().completed(ApplyStep.AFFINITY);
        for (Live l : live) {
            if (!l.gone && !l.before.sched().matches(l.target.policy(), l.target.priority())) {
                act(l, () -> threads.setScheduling(l.thread().tid(),
                        l.before.sched().with(l.target.policy(), l.target.priority())));
            }
        }
        options.observer().completed(ApplyStep.SCHEDULER);
        memlockTarget.ifPresent(limit -> memory.setMemlockLimit(guest.pid(), limit));
        options.observer().completed(ApplyStep.MEMLOCK);
    }

    /**
     * Lifts {@code l}'s thread out of {@code emulator}: into the guest's own cpuset, or, where
     * libvirt has made the vCPU's own group (it is placing the thread, and a lift into the parent
     * could move the thread back out of that group), into libvirt's group ahead of libvirt. A group
     * libvirt is still setting up refuses the thread; the affinity is then refused while the thread
     * is in {@code emulator}, and the apply rolls back to be made again once libvirt has placed it.
     */
    private void lift(Live l) {
        if (libvirtPlacing(l)) {
            intoLibvirtsCpuset(l);
            return;
        }
        moveTask(l.thread().tid(), l.lift.get().to());
        l.lifted = true;
        followLibvirt(l);
    }

    /** Whether libvirt has made the vCPU's own cpuset group: it is placing the thread. */
    private boolean libvirtPlacing(Live l) {
        return cgroups.exists(libvirtsCpuset(l));
    }

    /** The vCPU's own cpuset group, which libvirt makes to place it in. */
    private CgroupGroup libvirtsCpuset(Live l) {
        return l.lift.orElseThrow().to().child(l.thread().role().label());
    }

    /**
     * After a move of a vCPU that libvirt has not placed, between {@code emulator} and the guest's
     * own cpuset (a lift or its undo): libvirt may have made the vCPU's own cpuset group and moved
     * the thread into it while the move waited for the kernel's cgroup lock, which libvirt held
     * meanwhile, and the move then took it out again. Since libvirt moves it only once, the thread
     * goes back where libvirt put it. A group libvirt is still setting up refuses it (no CPUs yet):
     * libvirt's own move is then still to come.
     *
     * @return whether the thread went into libvirt's group
     */
    private boolean followLibvirt(Live l) {
        return libvirtPlacing(l) && intoLibvirtsCpuset(l);
    }

    /** Moves {@code l}'s thread into the vCPU's own cpuset group, unless libvirt is still setting it up. */
    private boolean intoLibvirtsCpuset(Live l) {
        try {
            moveTask(l.thread().tid(), libvirtsCpuset(l));
            return true;
        } catch (CgroupException e) {
            // libvirt moves it once it has set the group up
            return false;
        }
    }

    /** cgroup v1 refuses CPUs outside the parent's cpuset (EACCES or EINVAL): name the parent's set. */
    private void writeCpuset(CgroupGroup group, CpuSet cpus) {
        try {
            cgroups.write(group.file(CPUSET_CPUS), cpus.format());
        } catch (CgroupException e) {
            String parent = group.parent().flatMap(p -> cgroups.readIfPresent(p.file(CPUSET_CPUS)))
                    .map(v -> " (the parent group allows CPUs " + v + ")").orElse("");
            throw new IllegalStateException(e.getMessage() + parent, e);
        }
    }

    private void act(Live l, Runnable call) {
        try {
            call.run();
        } catch (ThreadControlException e) {
            if (e.failure() == ThreadControlException.Failure.GONE && mayVanish(l.thread())) {
                l.gone = true;
                return;
            }
            throw new ThreadControlException(e.tid(), e.failure(), Differences.describe(l.thread()) + ": "
                    + e.getMessage() + rtHint(l, e), e);
        }
    }

    /**
     * EPERM on SCHED_FIFO is nearly always a cpu group without realtime runtime: say which. The
     * thread's groups were not read for a QEMU outside libvirt's groups, so they are read here.
     */
    private String rtHint(Live l, ThreadControlException e) {
        if (e.failure() != ThreadControlException.Failure.NOT_PERMITTED || !l.target.realtime()) {
            return "";
        }
        Optional<CgroupGroup> cpuGroup = l.cpuGroup.or(() -> cgroups.membership(guest.pid(), l.thread().tid())
                .flatMap(m -> cgroups.group(m, "cpu")));
        if (cpuGroup.isEmpty()) {
            return "";
        }
        CgroupFile runtime = cpuGroup.get().file(RtBudgets.RUNTIME_FILE);
        return cgroups.readIfPresent(runtime).filter("0"::equals)
                .map(v -> " (" + runtime + " is 0 and is not a libvirt vCPU group kvmtune gives realtime runtime to)")
                .orElse("");
    }

    /** Reads everything back from the kernel; each line is a difference from the plan. */
    private List<String> readBack() {
        List<String> differences = new ArrayList<>();
        for (Live l : live) {
            if (l.gone) {
                continue;
            }
            Optional<ThreadState> now = liveThreads.read(l.thread().tid(), l.pin);
            if (now.isEmpty()) {
                if (mayVanish(l.thread())) {
                    l.gone = true;
                } else {
                    differences.add(Differences.gone(l.thread()));
                }
                continue;
            }
            l.after = now.get();
            differences.addAll(Differences.ofThread(l.target, l.after));
        }
        for (Map.Entry<CgroupGroup, CpuSet> e : cpusets.entrySet()) {
            CgroupFile file = e.getKey().file(CPUSET_CPUS);
            differences.addAll(Differences.ofCpuset(file, e.getValue(), cgroups.read(file)));
        }
        for (RtWrite w : rtWrites) {
            String now = cgroups.read(w.file());
            if (!now.equals(Long.toString(w.toUs()))) {
                differences.add(w.file() + " is " + now + ", kvmtune wrote " + w.toUs());
            }
        }
        if (memlockTarget.isPresent()) {
            ResourceLimit now = memory.memlockLimit(guest.pid());
            if (!now.equals(memlockTarget.get())) {
                differences.add("RLIMIT_MEMLOCK of pid " + guest.pid() + " is " + now + ", kvmtune set "
                        + memlockTarget.get());
            }
        }
        return differences;
    }

    private ApplyReport report(Optional<Path> recordFile) {
        List<ThreadChange> changes = new ArrayList<>();
        for (Live l : live) {
            Optional<ThreadState> after = l.gone ? Optional.empty() : Optional.of(l.after);
            changes.add(new ThreadChange(l.thread().identity(), l.thread().comm(), l.thread().role(),
                    Optional.of(l.before), after, after.map(a -> !a.equals(l.before)).orElse(false)));
        }
        changes.addAll(goneBefore);
        List<FileChange> files = new ArrayList<>();
        rtWrites.forEach(w -> files.add(new FileChange(w.file(), Long.toString(w.fromUs()), cgroups.read(w.file()))));
        cpusetsBefore.forEach((g, before) -> files.add(new FileChange(g.file(CPUSET_CPUS), before,
                cgroups.read(g.file(CPUSET_CPUS)))));
        return new ApplyReport(guest.process(), false, changes, files, memoryReport(memlockBefore.map(
                b -> memlockTarget.isPresent() ? memory.memlockLimit(guest.pid()) : b)), warnings, recordFile, grants());
    }

    private ApplyReport predictedReport() {
        List<ThreadChange> changes = new ArrayList<>();
        for (Live l : live) {
            ThreadState after = new ThreadState(l.target.cpus(),
                    l.before.sched().matches(l.target.policy(), l.target.priority()) ? l.before.sched()
                            : l.before.sched().with(l.target.policy(), l.target.priority()));
            changes.add(new ThreadChange(l.thread().identity(), l.thread().comm(), l.thread().role(),
                    Optional.of(l.before), Optional.of(after), !after.equals(l.before)));
        }
        changes.addAll(goneBefore);
        List<FileChange> files = new ArrayList<>();
        rtWrites.forEach(w -> files.add(new FileChange(w.file(), Long.toString(w.fromUs()), Long.toString(w.toUs()))));
        cpusetsBefore.forEach((g, before) -> files.add(new FileChange(g.file(CPUSET_CPUS), before,
                CpuSet.parse(before).equals(cpusets.get(g)) ? before : cpusets.get(g).format())));
        return new ApplyReport(guest.process(), true, changes, files,
                memoryReport(memlockBefore.map(b -> memlockTarget.orElse(b))), warnings, Optional.empty(), grants());
    }

    private List<RtGrant> grants() {
        // emulator's runtime, given ahead of libvirt's moves, is no vCPU's
        List<CgroupGroup> vcpuGroups = rtLeaves.stream().filter(LibvirtThreadGroups::isVcpuGroup).toList();
        if (rtUnchanged) {
            return vcpuGroups.stream().map(g -> new RtGrant(g, runtimeUs(g),
                    Long.parseLong(cgroups.read(g.file(RtBudgets.PERIOD_FILE))))).toList();
        }
        return rtChange.map(c -> vcpuGroups.stream().map(g -> new RtGrant(g, c.perLeafUs(), c.periodUs())).toList())
                .orElse(List.of());
    }

    private Optional<MemoryReport> memoryReport(Optional<ResourceLimit> limitAfter) {
        if (lockedBytes.isEmpty() && memlockBefore.isEmpty()) {
            return Optional.empty();
        }
        long locked = lockedBytes.isPresent() ? lockedBytes.getAsLong() : memory.lockedBytes(guest.pid());
        return Optional.of(new MemoryReport(locked, memlockBefore, limitAfter));
    }
}
