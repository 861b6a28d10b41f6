package io.kvmtune.agent;

import io.kvmtune.core.InvalidInputException;
import io.kvmtune.core.apply.Applier;
import io.kvmtune.core.apply.ApplyFailedException;
import io.kvmtune.core.apply.ApplyOptions;
import io.kvmtune.core.apply.ApplyReport;
import io.kvmtune.core.apply.FileChange;
import io.kvmtune.core.apply.PreparedDomains;
import io.kvmtune.core.apply.RecordStore;
import io.kvmtune.core.apply.StaleCleanup;
import io.kvmtune.core.apply.StaleState;
import io.kvmtune.core.apply.ThreadPin;
import io.kvmtune.core.apply.ThreadState;
import io.kvmtune.core.apply.ThreadTarget;
import io.kvmtune.core.apply.ThreadTargets;
import io.kvmtune.core.cgroup.CgroupGroup;
import io.kvmtune.core.cgroup.LibvirtThreadGroups;
import io.kvmtune.core.cgroup.RtBudgets;
import io.kvmtune.core.claims.ClaimsLedger;
import io.kvmtune.core.qemu.ProcCgroup;
import io.kvmtune.core.qemu.ProcFs;
import io.kvmtune.core.qemu.ProcStat;
import io.kvmtune.core.qemu.QemuCommandLine;
import io.kvmtune.core.qemu.QemuDiscovery;
import io.kvmtune.core.qemu.QemuThread;
import io.kvmtune.core.qemu.ThreadIdentity;
import io.kvmtune.core.qemu.ThreadRole;
import io.kvmtune.linux.Clock;
import io.kvmtune.linux.ProcConnector;
import io.kvmtune.linux.ProcEvent;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The resident service behind {@code kvmtune agent run}. One thread does all the work, in this
 * order, forever: receive the kernel's process events; for each, follow a QEMU that was just
 * exec'd and has a kept plan, tune a thread of a followed QEMU as soon as its name says what it is
 * ({@code CPU 2/KVM}), forget threads and clean up QEMUs that exit; every
 * {@code check_interval_ms}, read back every tuned thread and repair (or report) drift; every
 * {@link #SCAN_INTERVAL}, and whenever the kernel says events were lost, scan {@code /proc} for what
 * the events may have missed. Every change goes through tuning-core's {@link Applier}, the one the
 * libvirt hook and {@code kvmtune apply} use, under the same per-guest lock.
 *
 * <p>Two more threads only read: the status socket and the metrics HTTP server.
 */
public final class Agent implements AutoCloseable {

    /** The backup scan of {@code /proc}: events are the way in, this only catches what they missed. */
    static final Duration SCAN_INTERVAL = Duration.ofSeconds(30);
    private static final Duration MAX_RECEIVE_WAIT = Duration.ofMillis(500);
    /** How long after a guest's start or a new vCPU the agent keeps checking it closely. */
    static final Duration SETTLE = Duration.ofSeconds(3);
    /** How stale the status's counters may get when no guest changes. */
    private static final Duration PUBLISH_INTERVAL = Duration.ofSeconds(1);
    /** How stale the status may get while guests start: publishing each thread tuned would delay the next. */
    private static final long PUBLISH_WHILE_SETTLING = Duration.ofMillis(100).toNanos();
    /** How often it checks a settling guest. */
    static final Duration SETTLE_POLL = Duration.ofMillis(5);
    /**
     * How long periodic work waits for the name of a thread just born into a followed guest. QEMU
     * names each thread it creates within a tenth of a millisecond; a thread still unnamed after
     * this is one QEMU does not name, and waits for nothing.
     */
    static final long NAMING_GRACE_NS = Duration.ofMillis(2).toNanos();
    /** Cleanups tried per exited QEMU before the agent leaves it to {@code kvmtune restore --stale}. */
    static final int CLEANUP_ATTEMPTS = 5;
    private static final Duration CLEANUP_RETRY = Duration.ofMillis(200);

    private final AgentSettings settings;
    private final AgentLog log;
    private final ProcFs proc;
    private final Applier applier;
    private final KeptPlans plans;
    private final ExitedGuestCleanup cleanup;
    private final ProcConnector connector;
    private final AgentMetrics metrics = new AgentMetrics();
    private final Map<Integer, TrackedGuest> guests = new HashMap<>();
    /** QEMUs that exited but are not reaped yet: a zombie still has its /proc entry, cleanup waits for it to go. */
    private final List<TrackedGuest> exitedUnreaped = new ArrayList<>();
    private final Map<String, Long> counters = new TreeMap<>();
    private final AtomicReference<AgentStatus> status = new AtomicReference<>();
    private final long startedEpochMillis = System.currentTimeMillis();
    private Optional<Drift> lastDrift = Optional.empty();
    private volatile boolean stopping;
    /** Whether a guest or thread changed since the status was last published. */
    private boolean dirty;
    /**
     * The guests and threads as last published, described again only when {@link #dirty}: the
     * status is published every second, and describing every thread each time was the largest
     * share of the agent's CPU time at rest.
     */
    private List<AgentStatus.Guest> publishedGuests = List.of();
    private StatusServer statusServer;
    private HTTPServer http;

    private Agent(AgentSettings settings, AgentLog log, ProcConnector connector) {
        this.settings = settings;
        this.log = log;
        this.connector = connector;
        this.proc = new ProcFs(settings.procRoot());
        RecordStore records = new RecordStore(settings.stateDir());
        PreparedDomains prepared = new PreparedDomains(settings.stateDir().resolve("domains"));
        this.applier = Applier.system(records);
        this.plans = new KeptPlans(prepared, records, proc);
        ClaimsLedger ledger = new ClaimsLedger(settings.claimsFile(), proc::stillSame, java.time.Clock.systemUTC(),
                ClaimsLedger.DEFAULT_PENDING_GRACE);
        this.cleanup = new ExitedGuestCleanup(applier, new StaleState(applier, Optional.of(ledger)));
    }

    /**
     * Subscribes to process events, then follows every running QEMU with a kept plan (events first,
     * so nothing born during that scan is missed), then opens the status socket and, when
     * configured, the metrics endpoint.
     *
     * @throws io.kvmtune.linux.LinuxException when the process events connector cannot be opened
     *     (not root, or a kernel without CONFIG_PROC_EVENTS)
     */
    public static Agent start(AgentSettings settings, PrintStream logTo) {
        Agent agent = new Agent(settings, new AgentLog(logTo), ProcConnector.open(receiveWait(settings.checkInterval())));
        try {
            ApplyWarmup.Result warm = ApplyWarmup.run(settings.stateDir());
            agent.log.info("apply path warmed up (" + warm.applies() + " applies to threads of its own; the last took "
                    + warm.lastUs() + " us)");
            agent.scan("scan");
            agent.publish();
            agent.statusServer = StatusServer.start(settings.statusSocket(), agent.status::get, agent.log);
            if (settings.metricsListen().isPresent()) {
                var at = settings.metricsListen().get();
                agent.http = HTTPServer.builder().inetAddress(at.getAddress()).port(at.getPort())
                        .registry(agent.metrics.registry()).buildAndStart();
            }
        } catch (IOException e) {
            agent.close();
            throw new UncheckedIOException("cannot serve metrics on " + settings.metricsListen().orElseThrow(), e);
        } catch (RuntimeException e) {
            agent.close();
            throw e;
        }
        return agent;
    }

    /** Half the check interval, at most 500 ms: how long the loop waits for events when nothing is due. */
    private static Duration receiveWait(Duration checkInterval) {
        Duration half = checkInterval.dividedBy(2);
        return half.compareTo(MAX_RECEIVE_WAIT) < 0 ? half : MAX_RECEIVE_WAIT;
    }

    /** Whether a thread born into a followed guest moments ago is still to be named. */
    private boolean awaitingName() {
        long now = Clock.monotonicNanos();
        for (TrackedGuest g : guests.values()) {
            if (g.awaitingName(now, NAMING_GRACE_NS)) {
                return true;
            }
        }
        return false;
    }

    private boolean settling(long now) {
        for (TrackedGuest g : guests.values()) {
            if (g.settling(now)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The close watch over starting guests: threads that could not be tuned yet are tried again,
     * and tuned ones that changed (libvirt moving them into their cgroups resets their affinity on
     * cgroup v1) are applied again at once. Not counted as drift: nobody changed a running guest.
     */
    private void settle() {
        long now = System.nanoTime();
        for (TrackedGuest g : new ArrayList<>(guests.values())) {
            if (!g.settling(now)) {
                continue;
            }
            if (!g.pending.isEmpty()) {
                tune(g, new ArrayList<>(g.pending.values()), "settle");
            }
            List<QemuThread> moved = new ArrayList<>();
            for (TunedThread t : new ArrayList<>(g.tuned.values())) {
                Optional<ThreadState> state = applier.state(t.target(), t.pin());
                if (state.isEmpty()) {
                    untrack(g, t.thread().tid());
                } else if (!t.target().isMetBy(state.get())) {
                    moved.add(t.thread());
                }
            }
            if (!moved.isEmpty()) {
                tune(g, moved, "settle");
            }
            if (!g.awaitingPlacement.isEmpty()) {
                afterLibvirtPlaced(g);
            }
        }
    }

    /**
     * Once libvirt has placed every vCPU of {@code g} that was tuned before it was placed, applies
     * again to those vCPUs and to the guest's other threads, though they are as planned: that apply
     * narrows libvirt's {@code emulator} cpuset, which was left wide while vCPUs were being born in
     * it, and gives back the realtime runtime given ahead to the groups they passed through, which
     * would otherwise stay shared away from every realtime vCPU on the host.
     */
    private void afterLibvirtPlaced(TrackedGuest g) {
        for (QemuThread t : new ArrayList<>(g.awaitingPlacement.values())) {
            Optional<List<ProcCgroup>> membership = proc.taskCgroups(g.pid(), t.tid());
            if (membership.isEmpty()) {
                untrack(g, t.tid());
            } else if (LibvirtThreadGroups.awaitsPlacement(membership.get(), t.role().label())) {
                return;
            }
        }
        if (g.awaitingPlacement.isEmpty()) {
            return;
        }
        List<QemuThread> again = new ArrayList<>(g.awaitingPlacement.values());
        g.tuned.values().stream().map(TunedThread::thread).filter(t -> !(t.role() instanceof ThreadRole.Vcpu))
                .forEach(again::add);
        try {
            applier.apply(g.kept.plan(), g.with(again), ApplyOptions.defaults());
            log.info("libvirt placed " + describe(List.copyOf(g.awaitingPlacement.values())) + " of guest " + g.name()
                    + "; applied again to them and to its other threads (emulator cpuset, realtime runtime given ahead)");
            g.awaitingPlacement.clear();
            g.lastPlacementFailure = null;
            dirty = true;
        } catch (ApplyFailedException e) {
            metrics.failures.labelValues(e.guestBusy() ? "busy" : "failed").inc();
            // tried again on the next pass; said once per reason
            if (!e.guestBusy() && !e.getMessage().equals(g.lastPlacementFailure)) {
                g.lastPlacementFailure = e.getMessage();
                log.warn("guest " + g.name() + ": applying again after libvirt placed its vCPUs failed: "
                        + e.getMessage() + "; trying again");
            }
        }
    }

    private static String hostPort(InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    /** The port metrics are served on (the bound one when the configuration said port 0). */
    public OptionalInt metricsPort() {
        return http == null ? OptionalInt.empty() : OptionalInt.of(http.getPort());
    }

    /** The latest status snapshot. */
    public AgentStatus status() {
        return status.get();
    }

    /**
     * Works until {@link #stop()}, on the calling thread, which becomes the event thread
     * ({@link EventThreadPriority}); returns once the event loop has ended and everything is closed.
     */
    public void run() {
        String scheduling = EventThreadPriority.take(settings.eventPriority(), settings.procRoot());
        log.info("running: following " + guests.size() + " guests, drift = " + settings.drift().label()
                + ", hotplug_runtime = " + settings.hotplugRuntime().label() + ", event thread " + scheduling
                + ", check every " + settings.checkInterval().toMillis() + " ms, status on " + settings.statusSocket()
                + settings.metricsListen().map(a -> ", metrics on http://" + hostPort(a) + "/metrics").orElse(", metrics off"));
        long interval = settings.checkInterval().toNanos();
        long nextCheck = System.nanoTime() + interval;
        long nextScan = System.nanoTime() + SCAN_INTERVAL.toNanos();
        Duration wait = receiveWait(settings.checkInterval());
        long nextSettle = System.nanoTime();
        long lastPublish = System.nanoTime() - PUBLISH_INTERVAL.toNanos();
        try {
            while (!stopping) {
                boolean settling = settling(System.nanoTime());
                for (ProcEvent e : connector.receive(settling ? SETTLE_POLL : wait)) {
                    handle(e);
                }
                if (!exitedUnreaped.isEmpty()) {
                    cleanUpReaped();
                }
                // A settle pass reads every thread of every starting guest: run after a birth, it
                // kept the new thread's name waiting, and a vCPU's tuning after it. (The receive
                // keeps its timeout: changing it would cost a system call before that name.)
                if (awaitingName()) {
                    continue;
                }
                long now = System.nanoTime();
                // At its pace, not after every event: a starting QEMU sends dozens, and a pass after
                // each kept the agent busy when the next vCPU was born.
                if (settling && now - nextSettle >= 0) {
                    settle();
                    nextSettle = now + SETTLE_POLL.toNanos();
                }
                if (now - nextCheck >= 0) {
                    retryPending();
                    checkDrift();
                    readAhead();
                    nextCheck = now + interval;
                }
                if (now - nextScan >= 0) {
                    scan("scan");
                    nextScan = now + SCAN_INTERVAL.toNanos();
                }
                // not after every event: on a busy host that would be most of the agent's work at
                // rest, and while guests start, time the next vCPU born would wait for
                long sincePublish = now - lastPublish;
                if (sincePublish >= PUBLISH_INTERVAL.toNanos()
                        || dirty && sincePublish >= (settling ? PUBLISH_WHILE_SETTLING : 0)) {
                    publish();
                    dirty = false;
                    lastPublish = now;
                }
            }
        } finally {
            close();
        }
    }

    /** Asks {@link #run()} to end; it does within half a check interval (at most 500 ms). */
    public void stop() {
        stopping = true;
    }

    @Override
    public void close() {
        stopping = true;
        if (http != null) {
            http.close();
        }
        if (statusServer != null) {
            statusServer.close();
        }
        connector.close();
    }

    // ---- events

    private void handle(ProcEvent event) {
        switch (event) {
            case ProcEvent.Fork f -> {
                metrics.forks.inc();
                TrackedGuest g = f.isThread() ? guests.get(f.childTgid()) : null;
                if (g != null) {
                    g.bornAtNs.put(f.childPid(), f.timestampNs());
                    // who it is gets read now, while QEMU names it, not once its vCPU waits to be tuned
                    applier.pinNow(f.childPid()).ifPresent(g::born);
                }
            }
            case ProcEvent.Exec x -> {
                metrics.execs.inc();
                if (x.pid() == x.tgid() && !guests.containsKey(x.pid())) {
                    follow(x.pid(), "birth");
                }
            }
            case ProcEvent.Comm c -> {
                metrics.comms.inc();
                TrackedGuest g = guests.get(c.tgid());
                if (g != null && c.pid() != c.tgid()) {
                    tuneNamed(g, c.pid(), c.comm(), "birth");
                }
            }
            case ProcEvent.Exit x -> {
                metrics.exits.inc();
                TrackedGuest g = guests.get(x.tgid());
                if (g != null && x.isProcess()) {
                    exited(g);
                } else if (g != null) {
                    untrack(g, x.pid());
                }
            }
            case ProcEvent.Lost l -> {
                metrics.lost.inc();
                log.warn("the kernel dropped process events (receive buffer full); scanning /proc for what they said");
                scan("scan");
            }
            case ProcEvent.Other o -> {
            }
        }
    }

    /** Starts following QEMU process {@code pid} when it has a kept plan, and tunes its threads that exist. */
    private void follow(int pid, String trigger) {
        Optional<ProcStat> stat = proc.stat(pid);
        if (stat.isEmpty() || !QemuDiscovery.isQemuName(stat.get().comm())) {
            return;
        }
        ThreadIdentity process = stat.get().identity();
        Optional<KeptPlan> kept;
        try {
            kept = plans.of(process);
        } catch (RuntimeException e) {
            log.warn("QEMU pid " + pid + ": cannot read its kept plan: " + e.getMessage());
            return;
        }
        if (kept.isEmpty()) {
            return;
        }
        Optional<QemuCommandLine> cmdline = proc.cmdline(pid).map(QemuCommandLine::parse);
        if (!cmdline.map(QemuCommandLine::debugThreads).orElse(false)) {
            log.warn("QEMU pid " + pid + " (" + kept.get().name() + ") runs without -name debug-threads=on: its vCPU"
                    + " threads carry no names to tell them by, so the agent leaves it to kvmtune apply --qmp");
            return;
        }
        dirty = true;
        TrackedGuest g = new TrackedGuest(process, kept.get());
        g.settleUntilNs = System.nanoTime() + SETTLE.toNanos();
        guests.put(pid, g);
        metrics.guests.set(guests.size());
        log.info("following guest " + g.name() + " (QEMU pid " + pid + ", plan from " + kept.get().source() + ")");
        int planned = kept.get().plan().vcpus().size();
        holdRuntimeAhead(g, settings.hotplugRuntime() == HotplugRuntime.AHEAD ? planned
                : cmdline.get().vcpus().orElse(planned));
        List<QemuThread> present = new ArrayList<>();
        for (int tid : proc.taskIds(pid)) {
            proc.taskStat(pid, tid).ifPresent(s -> present.add(new QemuThread(s.identity(), s.comm(),
                    QemuDiscovery.roleOf(s.comm()))));
        }
        tune(g, present, trigger);
    }

    /**
     * For a libvirt guest just started or found running, gives the groups of its realtime vCPUs
     * {@code 0} to {@code vcpus - 1} that libvirt has not placed yet their runtime before the vCPUs
     * are born or plugged in, so that tuning each at its birth has no runtime to share anew.
     */
    private void holdRuntimeAhead(TrackedGuest g, int vcpus) {
        try {
            List<CgroupGroup> held = applier.holdRuntimeAhead(g.kept.plan(), g.process, vcpus);
            if (!held.isEmpty()) {
                log.info("guest " + g.name() + ": realtime runtime held ahead of libvirt in "
                        + String.join(", ", held.stream().map(CgroupGroup::toString).toList()));
            }
        } catch (RuntimeException e) {
            // each vCPU's apply gives what it needs, as for a guest that was running already
            log.warn("guest " + g.name() + ": cannot hold realtime runtime ahead of libvirt: " + e.getMessage());
        }
    }

    private void tuneNamed(TrackedGuest g, int tid, String comm, String trigger) {
        TunedThread known = g.tuned.get(tid);
        if (known != null && known.thread().comm().equals(comm)) {
            // a rename already seen (a scan found the thread before its event arrived): nothing new
            return;
        }
        if (g.bornAs(tid).isEmpty()) {
            // its birth was not seen (events lost, or a rename of an older thread): held from now on
            applier.pinNow(tid).ifPresent(g::born);
        }
        Optional<ThreadIdentity> identity = g.bornAs(tid);
        if (identity.isEmpty()) {
            untrack(g, tid);
            return;
        }
        QemuThread thread = new QemuThread(identity.get(), comm, QemuDiscovery.roleOf(comm));
        if (thread.role() instanceof ThreadRole.Vcpu) {
            // a vCPU born into a running guest (hotplug): libvirt is about to place it
            g.settleUntilNs = Math.max(g.settleUntilNs - System.nanoTime(), SETTLE.toNanos()) + System.nanoTime();
        }
        tune(g, List.of(thread), trigger);
    }

    /**
     * Applies the guest's plan to those of {@code threads} that are not as planned, and watches
     * all of them from then on. An emulator thread is born with its creator's placement, which is
     * usually the plan's already: it costs two reads and no apply. A vCPU seen born is applied to
     * without that read: it has its creator's placement, which is an emulator thread's, and the
     * apply reads it anyway. Each thread is read, applied to and watched through one pin: the one
     * taken at its birth where there is one.
     */
    private void tune(TrackedGuest g, List<QemuThread> threads, String trigger) {
        List<ThreadTarget> targets;
        try {
            targets = ThreadTargets.of(g.kept.plan(), g.with(threads));
        } catch (InvalidInputException e) {
            metrics.failures.labelValues("invalid").inc();
            log.warn("guest " + g.name() + ": " + e.getMessage());
            return;
        }
        // pins of the threads to apply to, until they are watched through them
        Map<ThreadIdentity, ThreadPin> pins = new HashMap<>();
        try {
            List<ThreadTarget> toApply = new ArrayList<>();
            for (ThreadTarget target : targets) {
                ThreadIdentity identity = target.thread().identity();
                Optional<ThreadPin> born = g.takeBornPin(identity);
                ThreadPin pin = born.orElseGet(() -> applier.pin(identity));
                if (born.isPresent() && target.thread().role() instanceof ThreadRole.Vcpu) {
                    pins.put(identity, pin);
                    toApply.add(target);
                    continue;
                }
                Optional<ThreadState> now = applier.state(target.thread().tid(), pin);
                if (now.isEmpty()) {
                    pin.close();
                    untrack(g, target.thread().tid());
                } else if (!target.isMetBy(now.get())) {
                    pins.put(identity, pin);
                    toApply.add(target);
                } else {
                    watch(g, target, trigger, pin);
                }
            }
            if (!toApply.isEmpty()) {
                apply(g, toApply, pins, trigger);
            }
        } finally {
            pins.values().forEach(ThreadPin::close);
        }
    }

    /**
     * Applies the guest's plan to {@code toApply}, checked through {@code pins}, and watches them
     * through those once done.
     */
    private void apply(TrackedGuest g, List<ThreadTarget> toApply, Map<ThreadIdentity, ThreadPin> pins,
            String trigger) {
        List<QemuThread> listed = toApply.stream().map(ThreadTarget::thread).toList();
        long t0 = System.nanoTime();
        ApplyTimes times = new ApplyTimes();
        try {
            ApplyReport report = applier.apply(g.kept.plan(), g.with(listed), ApplyOptions.defaults().withObserver(times),
                    pins);
            metrics.applySeconds.labelValues(trigger).observe((System.nanoTime() - t0) / 1e9);
            toApply.forEach(t -> watch(g, t, trigger, pins.remove(t.thread().identity())));
            grantedRuntime(g, report);
            log.info("tuned " + describe(listed) + " of guest " + g.name() + " (" + trigger + ") " + times.describe());
        } catch (ApplyFailedException e) {
            metrics.failures.labelValues(e.guestBusy() ? "busy" : "failed").inc();
            pendingAfter(g, listed, e.guestBusy() ? "" : e.getMessage());
        } catch (RuntimeException e) {
            metrics.failures.labelValues("failed").inc();
            pendingAfter(g, listed, "applying to " + describe(listed) + " failed: " + e);
        }
    }

    /** Keeps {@code threads} to be tried again; logs a failure unless the same one was logged last time. */
    private void pendingAfter(TrackedGuest g, List<QemuThread> threads, String failure) {
        dirty = true;
        boolean fresh = false;
        for (QemuThread t : threads) {
            g.pending.put(t.tid(), t);
            fresh |= !failure.isEmpty() && !failure.equals(g.lastFailure.put(t.tid(), failure));
        }
        if (fresh) {
            log.warn("guest " + g.name() + ": " + failure + "; trying again "
                    + (g.settling(System.nanoTime()) ? "every " + SETTLE_POLL.toMillis() + " ms while it starts"
                            : "on the next check"));
        }
    }

    /** Watches {@code target}'s thread through {@code fresh}, a pin taken on it just now, or the one it is watched through already. */
    private void watch(TrackedGuest g, ThreadTarget target, String trigger, ThreadPin fresh) {
        dirty = true;
        int tid = target.thread().tid();
        TunedThread previous = g.tuned.get(tid);
        ThreadPin pin = fresh;
        if (previous != null && previous.thread().identity().equals(target.thread().identity())) {
            fresh.close();
            pin = previous.pin();
        } else if (previous != null) {
            previous.pin().close();
        }
        g.tuned.put(tid, new TunedThread(target, pin, Clock.monotonicNanos()));
        if (target.thread().role() instanceof ThreadRole.Vcpu
                && placedAfterTuning(g, target.thread(), g.bornAtNs.containsKey(tid))) {
            // only afterLibvirtPlaced takes it off the list: it applies once the thread is placed
            g.awaitingPlacement.put(tid, target.thread());
        }
        g.pending.remove(tid);
        g.lastDrift.remove(tid);
        g.lastFailure.remove(tid);
        Long born = g.bornAtNs.remove(tid);
        if (born != null && !trigger.equals("scan")) {
            metrics.untunedWindow.labelValues(AgentMetrics.roleKind(target.thread().role()))
                    .observe((Clock.monotonicNanos() - born) / 1e9);
        }
        if (previous != null) {
            metrics.untracked(g.name(), previous.target());
        }
        metrics.tuned(g.name(), target);
        countThreads(g);
    }

    /**
     * Whether libvirt places vCPU {@code t} after the agent tuned it, so that the guest is to be
     * applied to again once it has ({@link #afterLibvirtPlaced}): it has yet to, or the agent saw
     * the vCPU born ({@code bornSeen}) in a libvirt guest, where QEMU creates it outside its own
     * groups, and libvirt placed it while it was being tuned (a plug libvirt was quick with).
     */
    private boolean placedAfterTuning(TrackedGuest g, QemuThread t, boolean bornSeen) {
        Optional<List<ProcCgroup>> membership = proc.taskCgroups(g.pid(), t.tid());
        return membership.isPresent() && (LibvirtThreadGroups.awaitsPlacement(membership.get(), t.role().label())
                || bornSeen && LibvirtThreadGroups.mayHoldThreadGroups(membership.get()));
    }

    private void untrack(TrackedGuest g, int tid) {
        dirty = true;
        TunedThread t = g.tuned.get(tid);
        if (t != null) {
            metrics.untracked(g.name(), t.target());
        }
        g.forget(tid);
        countThreads(g);
    }

    private void countThreads(TrackedGuest g) {
        metrics.threadsTuned(g.name(), g.tuned.values());
    }

    private void grantedRuntime(TrackedGuest g, ApplyReport report) {
        for (FileChange f : report.cgroupFiles()) {
            if (f.file().name().equals(RtBudgets.RUNTIME_FILE) && f.file().group().path().matches(".*/vcpu\\d+")) {
                try {
                    metrics.rtRuntime.labelValues(g.name(), f.file().group().path()).set(Long.parseLong(f.after()) / 1e6);
                } catch (NumberFormatException e) {
                    // a value the kernel would not write; the gauge keeps its last one
                }
            }
        }
    }

    private void exited(TrackedGuest g) {
        dirty = true;
        guests.remove(g.pid());
        metrics.guests.set(guests.size());
        for (int tid : new ArrayList<>(g.tuned.keySet())) {
            untrack(g, tid);
        }
        g.bornTids().forEach(g::forget);
        metrics.threadsTuned.remove(g.name(), "vcpu");
        metrics.threadsTuned.remove(g.name(), "iothread");
        metrics.threadsTuned.remove(g.name(), "emulator");
        g.nextCleanupNs = System.nanoTime();
        exitedUnreaped.add(g);
        cleanUpReaped();
    }

    /**
     * Cleans up after the exited QEMUs that are reaped by now (libvirtd or whoever started them
     * waits for them at once): until then the kernel keeps a zombie under their pid, and the
     * cleanup would take them for alive. A cleanup that fails is tried again on the next passes:
     * libvirt removes the guest's cgroups while the agent gives their runtime back, and a group
     * that was there a moment ago can be gone when read.
     */
    private void cleanUpReaped() {
        for (TrackedGuest g : new ArrayList<>(exitedUnreaped)) {
            if (System.nanoTime() - g.nextCleanupNs >= 0 && !proc.stillSame(g.process) && cleanUp(g)) {
                exitedUnreaped.remove(g);
            }
        }
    }

    /** Whether the exited guest {@code g} needs no further cleanup attempt. */
    private boolean cleanUp(TrackedGuest g) {
        dirty = true;
        try {
            List<StaleCleanup> done = cleanup.clean(g.process);
            metrics.cleanups.inc();
            log.info("guest " + g.name() + " (QEMU pid " + g.pid() + ") exited"
                    + (done.isEmpty() ? "; nothing left to give back" : ": " + String.join("; ",
                            done.stream().map(StaleCleanup::toString).toList())));
            return true;
        } catch (RuntimeException e) {
            g.cleanupFailures++;
            g.nextCleanupNs = System.nanoTime() + CLEANUP_RETRY.toNanos();
            boolean last = g.cleanupFailures >= CLEANUP_ATTEMPTS;
            log.warn("guest " + g.name() + " (QEMU pid " + g.pid() + ") exited; cleaning up failed: " + e.getMessage()
                    + (last ? "; giving up after " + CLEANUP_ATTEMPTS + " attempts (kvmtune restore --stale cleans up)"
                            : "; trying again"));
            return last;
        }
    }

    // ---- periodic work

    private void retryPending() {
        for (TrackedGuest g : new ArrayList<>(guests.values())) {
            if (!g.pending.isEmpty()) {
                tune(g, new ArrayList<>(g.pending.values()), "retry");
            }
            if (!g.awaitingPlacement.isEmpty()) {
                afterLibvirtPlaced(g);
            }
        }
    }

    /** Reads every watched thread back; drift is counted once per change, logged, and repaired unless reporting. */
    private void checkDrift() {
        for (TrackedGuest g : new ArrayList<>(guests.values())) {
            List<QemuThread> drifted = new ArrayList<>();
            for (TunedThread t : new ArrayList<>(g.tuned.values())) {
                Optional<ThreadState> now = applier.state(t.target(), t.pin());
                if (now.isEmpty()) {
                    untrack(g, t.thread().tid());
                    continue;
                }
                if (t.target().isMetBy(now.get())) {
                    g.lastDrift.remove(t.thread().tid());
                    continue;
                }
                Drift d = Drift.of(g.name(), t.target(), now.get(), System.currentTimeMillis());
                Drift seen = g.lastDrift.put(t.thread().tid(), d);
                if (d.sameAs(seen)) {
                    continue;
                }
                d.kinds().forEach(k -> metrics.drift.labelValues(k).inc());
                lastDrift = Optional.of(d);
                dirty = true;
                boolean repair = settings.drift() == DriftMode.REPAIR;
                log.warn("drift: " + d.describe() + (repair ? "; repairing" : "; left as it is ([agent] drift = report)"));
                if (repair) {
                    drifted.add(t.thread());
                }
            }
            if (!drifted.isEmpty()) {
                repair(g, drifted);
            }
        }
    }

    /**
     * Reads the apply record of every guest followed and the realtime budget book, which costs a
     * {@code stat} each unless another process (the libvirt hook) has replaced them since: then
     * they are parsed here, while nothing waits, and not by the apply to the guest's next new
     * thread (a vCPU plugged in), where that took a millisecond and more of the vCPU's untuned window.
     */
    private void readAhead() {
        try {
            applier.readAhead(guests.keySet());
        } catch (RuntimeException e) {
            // the next apply reads the book again and reports what is wrong with it
        }
    }

    private void repair(TrackedGuest g, List<QemuThread> drifted) {
        long t0 = System.nanoTime();
        try {
            applier.apply(g.kept.plan(), g.with(drifted), ApplyOptions.defaults());
            metrics.applySeconds.labelValues("repair").observe((System.nanoTime() - t0) / 1e9);
            metrics.repairs.inc(drifted.size());
            drifted.forEach(t -> g.lastDrift.remove(t.tid()));
            log.info("repaired " + describe(drifted) + " of guest " + g.name());
        } catch (ApplyFailedException e) {
            metrics.failures.labelValues(e.guestBusy() ? "busy" : "failed").inc();
            // left in lastDrift: the same state is not counted again; a new one is
            log.warn("guest " + g.name() + ": repairing failed: " + e.getMessage());
        }
    }

    /**
     * The backup of the events: follow QEMUs with kept plans that are not followed yet, tune
     * named threads of followed ones that are not watched, and clean up after followed QEMUs that
     * are gone.
     */
    private void scan(String trigger) {
        for (TrackedGuest g : new ArrayList<>(guests.values())) {
            if (!proc.stillSame(g.process)) {
                exited(g);
                continue;
            }
            List<QemuThread> unwatched = new ArrayList<>();
            List<Integer> tids = proc.taskIds(g.pid());
            // threads born and gone unnamed, whose exit the kernel's events lost
            g.bornTids().stream().filter(tid -> !tids.contains(tid)).forEach(tid -> untrack(g, tid));
            for (int tid : tids) {
                if (!g.tuned.containsKey(tid)) {
                    proc.taskStat(g.pid(), tid).ifPresent(s -> unwatched.add(new QemuThread(s.identity(), s.comm(),
                            QemuDiscovery.roleOf(s.comm()))));
                }
            }
            if (!unwatched.isEmpty()) {
                tune(g, unwatched, trigger);
            }
        }
        for (int pid : proc.pids()) {
            if (!guests.containsKey(pid)) {
                follow(pid, trigger);
            }
        }
    }

    private void publish() {
        if (dirty) {
            publishedGuests = describeGuests();
        }
        Map<String, Long> c = new TreeMap<>(counters);
        c.put("guests", (long) guests.size());
        c.put("threads_tuned", guests.values().stream().mapToLong(g -> g.tuned.size()).sum());
        c.put("drift_events", (long) metrics.drift.labelValues("affinity").get() + (long) metrics.drift.labelValues("policy").get()
                + (long) metrics.drift.labelValues("priority").get());
        c.put("repairs", (long) metrics.repairs.get());
        c.put("cleanups", (long) metrics.cleanups.get());
        c.put("apply_failures", (long) (metrics.failures.labelValues("busy").get() + metrics.failures.labelValues("failed").get()
                + metrics.failures.labelValues("invalid").get()));
        c.put("events_lost", (long) metrics.events.labelValues("lost").get());
        c.put("events_received", (long) (metrics.events.labelValues("fork").get() + metrics.events.labelValues("exec").get()
                + metrics.events.labelValues("comm").get() + metrics.events.labelValues("exit").get()));
        status.set(new AgentStatus(ProcessHandle.current().pid(), startedEpochMillis, settings.drift().label(),
                publishedGuests, lastDrift, c));
    }

    private List<AgentStatus.Guest> describeGuests() {
        List<AgentStatus.Guest> list = new ArrayList<>();
        for (TrackedGuest g : new TreeMap<>(guests).values()) {
            List<AgentStatus.Thread> threads = g.tuned.values().stream().map(t -> new AgentStatus.Thread(
                    t.thread().tid(), t.thread().comm(), t.thread().role().label(), t.target().cpus().format(),
                    t.target().policy().isRealtime() ? t.target().policy().label() + ":" + t.target().priority()
                            : t.target().policy().label())).toList();
            list.add(new AgentStatus.Guest(g.name(), g.pid(), g.kept.uuid().orElse(""), g.kept.source(), threads,
                    List.copyOf(g.pending.keySet())));
        }
        return List.copyOf(list);
    }

    private static String describe(List<QemuThread> threads) {
        List<String> parts = new ArrayList<>();
        threads.forEach(t -> parts.add(t.role().label() + " tid " + t.tid()));
        return String.join(", ", parts);
    }
}
