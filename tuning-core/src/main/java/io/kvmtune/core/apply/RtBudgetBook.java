package io.kvmtune.core.apply;

import io.kvmtune.core.InvalidInputException;
import io.kvmtune.core.apply.RestoreItem.Outcome;
import io.kvmtune.core.cgroup.CgroupException;
import io.kvmtune.core.cgroup.CgroupFile;
import io.kvmtune.core.cgroup.CgroupFs;
import io.kvmtune.core.cgroup.CgroupGroup;
import io.kvmtune.core.cgroup.RtBudgets;
import io.kvmtune.core.cgroup.RtGroupBudget;
import io.kvmtune.core.cgroup.RtRuntimeAllocator;
import io.kvmtune.core.cgroup.RtShares;
import io.kvmtune.core.cgroup.RtWrite;
import io.kvmtune.core.claims.ProcessProbe;
import io.kvmtune.core.files.AtomicFile;
import io.kvmtune.core.files.FileVersion;
import io.kvmtune.core.files.LockFile;
import io.kvmtune.core.json.Json;
import io.kvmtune.core.json.JsonException;
import io.kvmtune.core.json.JsonObject;
import io.kvmtune.core.qemu.ThreadIdentity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The realtime runtime kvmtune has given to realtime vCPU groups, shared by every kvmtune process
 * on the host: which QEMU holds which groups, and what each group it raised had before
 * ({@code rt-budgets.json} beside the apply records).
 *
 * <p>Every change re-shares the runtime the hierarchy allows equally among all realtime vCPU
 * groups of all guests ({@link RtShares}): a guest that starts lowers the others' share, one that
 * stops raises it, and when the last one goes every group is written back to exactly the value it
 * had before kvmtune first raised it. Holders whose QEMU has exited are dropped by every change.
 *
 * <p>Changes serialise on an advisory lock of {@code rt-budgets.json.lock}, which the kernel
 * drops if its holder dies; the file is replaced atomically. The book remembers what it last read
 * or saved, with the file's version, and reads the file again only once another process replaced it.
 */
final class RtBudgetBook {

    static final String FILE_NAME = "rt-budgets.json";
    private static final int FORMAT = 1;
    private static final int WRITE_ATTEMPTS = 40;
    private static final long WRITE_RETRY_MILLIS = 50;

    private final Path file;
    private final Path lockFile;
    private final CgroupFs cgroups;
    private final ProcessProbe probe;
    /** The book as last read or saved here; see {@link #read}. */
    private final AtomicReference<Known> known = new AtomicReference<>();

    RtBudgetBook(Path dir, CgroupFs cgroups, ProcessProbe probe) {
        this.file = dir.resolve(FILE_NAME);
        this.lockFile = dir.resolve(FILE_NAME + ".lock");
        this.cgroups = cgroups;
        this.probe = probe;
    }

    /** One QEMU's realtime vCPU groups. */
    private record Holder(ThreadIdentity process, List<CgroupGroup> leaves) {
    }

    /** The book: the groups' values before kvmtune, and the holders. */
    private record State(Map<CgroupGroup, Long> baselines, List<Holder> holders) {
    }

    /** The book with the version of the file it was read from or saved to; its baselines are not to be changed. */
    private record Known(FileVersion version, State state) {
    }

    /**
     * What a change did.
     *
     * @param perLeafUs the runtime each realtime vCPU group on the host has now (0 when none is left)
     * @param periodUs the period it is measured in
     * @param writes the {@code cpu.rt_runtime_us} writes done, in order
     * @param dropped holders whose QEMU had exited, dropped on the way
     */
    record Change(long perLeafUs, long periodUs, List<RtWrite> writes, List<ThreadIdentity> dropped) {
    }

    /** The groups {@code owner} holds, if it holds any. */
    Optional<List<CgroupGroup>> leavesOf(ThreadIdentity owner) {
        return read().holders().stream().filter(h -> h.process().equals(owner)).findFirst().map(Holder::leaves);
    }

    /** Reads the book now if another process replaced it, so that the next change finds it read. */
    void readAhead() {
        read();
    }

    /**
     * What {@link #hold} would write, without writing: for a dry run, and to refuse a guest that
     * does not fit before anything is changed.
     *
     * @throws io.kvmtune.core.DoesNotFitException when not every group can get runtime
     */
    Change preview(ThreadIdentity owner, List<CgroupGroup> leaves, OptionalLong fixedUs) {
        State state = withHolder(live(read()), owner, leaves);
        return rebalance(state, fixedUs).change();
    }

    /**
     * Makes {@code owner} hold {@code leaves} (replacing what it held) and shares the runtime anew.
     *
     * @throws io.kvmtune.core.DoesNotFitException when not every group can get runtime (nothing written)
     * @throws CgroupException when the kernel refuses a write; the writes done are undone first
     */
    Change hold(ThreadIdentity owner, List<CgroupGroup> leaves, OptionalLong fixedUs) {
        return transact(state -> {
            State next = withHolder(state, owner, leaves);
            return new Result(next, perform(next, rebalance(next, fixedUs)));
        });
    }

    /**
     * {@link #hold} in two steps: works out now, under the book's lock, what it would write, and
     * keeps the lock until the reservation is {@linkplain Reservation#commit() committed} or closed.
     * An apply refuses a guest that does not fit before anything changes, as with {@link #preview},
     * and then gives the runtime without reading every group's budget a second time: no other
     * kvmtune changes the book meanwhile.
     *
     * @throws io.kvmtune.core.DoesNotFitException when not every group can get runtime
     */
    Reservation reserve(ThreadIdentity owner, List<CgroupGroup> leaves, OptionalLong fixedUs) {
        Locked locked = lock();
        try {
            State next = withHolder(locked.state, owner, leaves);
            return new Reservation(locked, next, rebalance(next, fixedUs));
        } catch (RuntimeException e) {
            locked.close();
            throw e;
        }
    }

    /** A {@link #hold} worked out and not made yet, holding the book's lock until committed or closed. */
    final class Reservation implements AutoCloseable {

        private final Locked locked;
        private final State next;
        private final Sharing sharing;

        private Reservation(Locked locked, State next, Sharing sharing) {
            this.locked = locked;
            this.next = next;
            this.sharing = sharing;
        }

        /** What committing will write. */
        Change change() {
            return sharing.change();
        }

        /**
         * Writes, saves the book and lets go of its lock.
         *
         * @throws CgroupException when the kernel refuses a write; the writes done are undone first
         */
        Change commit() {
            try (locked) {
                Change c = perform(next, sharing);
                save(next);
                return new Change(c.perLeafUs(), c.periodUs(), c.writes(), locked.dropped);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot update the realtime budget book " + file, e);
            }
        }

        /** Lets go of the book's lock; nothing is written unless committed before. */
        @Override
        public void close() {
            locked.close();
        }
    }

    /**
     * Gives back what {@code owner} held: its groups (those still there) go back to their values
     * before kvmtune, and the others share the runtime freed.
     *
     * @return one item per group written back or found gone
     */
    List<RestoreItem> release(ThreadIdentity owner) {
        Change change = transact(state -> {
            List<Holder> rest = state.holders().stream().filter(h -> !h.process().equals(owner)).toList();
            State next = new State(state.baselines(), rest);
            return new Result(next, perform(next, rebalance(next, OptionalLong.empty())));
        });
        List<RestoreItem> items = new ArrayList<>();
        for (RtWrite w : change.writes()) {
            items.add(new RestoreItem(w.file().toString(), Outcome.RESTORED, Long.toString(w.toUs())));
        }
        return items;
    }

    /**
     * Takes into the book the realtime runtime that an apply from before the book raised, as its
     * record saved it ({@code saved}: the {@code cpu.rt_runtime_us} files written, with their
     * values before): {@code owner} holds the record's realtime vCPU groups (those of the files
     * that are no other file's ancestor), and the values before become the groups' baselines, so
     * that releasing {@code owner} later gives back through the book, beside the other guests.
     * Writes nothing: the runtime stays where that apply put it until the next change re-shares it.
     *
     * <p>Where the book has a baseline for a group already (read after that apply had raised it),
     * the smaller value is the earlier one: kvmtune raised a group's runtime above what it found,
     * never below, and -1 (no limit) counts as the largest.
     */
    void adopt(ThreadIdentity owner, List<FileSnapshot> saved) {
        Map<CgroupGroup, Long> before = new LinkedHashMap<>();
        for (FileSnapshot f : saved) {
            before.put(f.file().group(), runtime(f));
        }
        List<CgroupGroup> leaves = before.keySet().stream()
                .filter(g -> before.keySet().stream().noneMatch(other -> isAncestor(g, other))).toList();
        transact(state -> {
            before.forEach((g, v) -> state.baselines().merge(g, v, (a, b) -> Long.compareUnsigned(a, b) <= 0 ? a : b));
            Set<CgroupGroup> held = new LinkedHashSet<>(leaves);
            state.holders().stream().filter(h -> h.process().equals(owner)).forEach(h -> held.addAll(h.leaves()));
            State next = withHolder(state, owner, List.copyOf(held));
            return new Result(next, new Change(0, 0, List.of(), List.of()));
        });
    }

    private static long runtime(FileSnapshot f) {
        try {
            return Long.parseLong(f.value().strip());
        } catch (NumberFormatException e) {
            throw InvalidInputException.invalid("rt_runtimes", f.value(), "the apply record saved " + f.file()
                    + " as '" + f.value() + "', not a number of microseconds");
        }
    }

    /** Drops holders whose QEMU has exited and shares their runtime among the others (or gives it all back). */
    Change dropExited() {
        return transact(state -> new Result(state, perform(state, rebalance(state, OptionalLong.empty()))));
    }

    private record Result(State state, Change change) {
    }

    private State withHolder(State state, ThreadIdentity owner, List<CgroupGroup> leaves) {
        List<Holder> holders = new ArrayList<>(state.holders().stream().filter(h -> !h.process().equals(owner)).toList());
        if (!leaves.isEmpty()) {
            holders.add(new Holder(owner, List.copyOf(leaves)));
        }
        return new State(state.baselines(), holders);
    }

    /** The state without holders whose QEMU has exited, and without groups that were removed. */
    private State live(State state) {
        List<Holder> holders = new ArrayList<>();
        for (Holder h : state.holders()) {
            if (probe.isAlive(h.process())) {
                List<CgroupGroup> present = h.leaves().stream().filter(cgroups::exists).toList();
                if (!present.isEmpty()) {
                    holders.add(new Holder(h.process(), present));
                }
            }
        }
        return new State(state.baselines(), holders);
    }

    /**
     * How the runtime is shared among the holders' groups, from the groups' values now; groups no
     * longer held go back to their baselines.
     *
     * @param givenBack the groups with a baseline that no holder needs any more
     */
    private record Sharing(Change change, List<CgroupGroup> givenBack) {
    }

    /** Works out, without writing, how the runtime is shared among {@code state}'s holders. */
    private Sharing rebalance(State state, OptionalLong fixedUs) {
        RtRuntimeAllocator reader = new RtRuntimeAllocator(cgroups);
        Set<CgroupGroup> leaves = new LinkedHashSet<>();
        state.holders().forEach(h -> leaves.addAll(h.leaves()));
        // Groups raised before that no holder needs now go back to their baselines, in the same
        // computation, so that the runtime they free counts for the others at once.
        List<CgroupGroup> givenBack = state.baselines().keySet().stream()
                .filter(g -> !leaves.contains(g) && leaves.stream().noneMatch(l -> isAncestor(g, l))).toList();
        Map<CgroupGroup, RtGroupBudget> managed = new LinkedHashMap<>();
        Optional<RtGroupBudget> root = Optional.empty();
        List<CgroupGroup> starts = new ArrayList<>(leaves);
        givenBack.stream().filter(cgroups::exists).forEach(starts::add);
        for (CgroupGroup start : starts) {
            for (Optional<CgroupGroup> g = Optional.of(start); g.isPresent(); g = g.get().parent()) {
                if (g.get().isRoot()) {
                    root = Optional.of(reader.budget(g.get()));
                } else if (!managed.containsKey(g.get())) {
                    managed.put(g.get(), reader.budget(g.get()));
                }
            }
        }
        Map<CgroupGroup, Long> current = new HashMap<>();
        managed.forEach((g, b) -> current.put(g, b.runtimeUs()));
        Map<CgroupGroup, Long> targets = new HashMap<>();
        long perLeaf = 0;
        long period = root.map(RtGroupBudget::periodUs).orElse(0L);
        if (root.isPresent()) {
            RtShares.Shares shares = RtShares.share(root.get(), managed, leaves, state.baselines(), fixedUs);
            targets.putAll(shares.targets());
            perLeaf = leaves.isEmpty() ? 0 : shares.perLeafUs();
        }
        return new Sharing(new Change(perLeaf, period, RtShares.ordered(targets, current), List.of()), givenBack);
    }

    /**
     * Makes {@code sharing}'s writes; {@code state}'s baselines are completed with the values of
     * groups raised for the first time and emptied of groups given back.
     */
    private Change perform(State state, Sharing sharing) {
        for (RtWrite w : sharing.change().writes()) {
            state.baselines().putIfAbsent(w.group(), w.fromUs());
        }
        sharing.givenBack().forEach(state.baselines()::remove);
        writeAll(sharing.change().writes());
        return sharing.change();
    }

    private static boolean isAncestor(CgroupGroup ancestor, CgroupGroup of) {
        for (Optional<CgroupGroup> g = of.parent(); g.isPresent(); g = g.get().parent()) {
            if (g.get().equals(ancestor)) {
                return true;
            }
        }
        return false;
    }

    /** Writes in order; on a refusal, undoes the writes done (in reverse) and rethrows. */
    private void writeAll(List<RtWrite> writes) {
        List<RtWrite> done = new ArrayList<>();
        try {
            for (RtWrite w : writes) {
                write(w);
                done.add(w);
            }
        } catch (CgroupException e) {
            for (RtWrite w : done.reversed()) {
                try {
                    cgroups.write(w.file(), Long.toString(w.fromUs()));
                } catch (CgroupException undo) {
                    e.addSuppressed(undo);
                }
            }
            throw e;
        }
    }

    /**
     * One write. A write the kernel refuses is tried again for a while: a group libvirt has just
     * removed (a guest that stopped) keeps its runtime counted in its parent until the kernel has
     * taken it offline, a moment after its directory is gone.
     */
    private void write(RtWrite w) {
        for (int attempt = 1; ; attempt++) {
            try {
                cgroups.write(w.file(), Long.toString(w.toUs()));
                return;
            } catch (CgroupException e) {
                if (e.gone() || attempt >= WRITE_ATTEMPTS) {
                    throw e;
                }
                try {
                    Thread.sleep(WRITE_RETRY_MILLIS);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    e.addSuppressed(interrupted);
                    throw e;
                }
            }
        }
    }

    private Change transact(Function<State, Result> change) {
        try (Locked locked = lock()) {
            Result result = change.apply(locked.state);
            save(result.state());
            Change c = result.change();
            return new Change(c.perLeafUs(), c.periodUs(), c.writes(), locked.dropped);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot update the realtime budget book " + file, e);
        }
    }

    /**
     * The book's lock, held, with the book as read under it: {@code state} without holders whose
     * QEMU has exited ({@code dropped}), with baselines of its own to change.
     */
    private static final class Locked implements AutoCloseable {

        private final FileChannel channel;
        private final State state;
        private final List<ThreadIdentity> dropped;

        private Locked(FileChannel channel, State state, List<ThreadIdentity> dropped) {
            this.channel = channel;
            this.state = state;
            this.dropped = dropped;
        }

        /** Closing the channel releases its lock; closing it again does nothing. */
        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException e) {
                // the descriptor, and with it the lock, is released either way
            }
        }
    }

    private Locked lock() {
        FileChannel channel = null;
        try {
            channel = LockFile.open(lockFile);
            channel.lock();
            State before = read();
            State live = live(before);
            List<ThreadIdentity> dropped = before.holders().stream().map(Holder::process)
                    .filter(p -> live.holders().stream().noneMatch(h -> h.process().equals(p))).toList();
            return new Locked(channel, new State(new LinkedHashMap<>(live.baselines()), live.holders()), dropped);
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException closing) {
                    e.addSuppressed(closing);
                }
            }
            if (e instanceof IOException io) {
                throw new UncheckedIOException("cannot lock the realtime budget book " + lockFile, io);
            }
            throw (RuntimeException) e;
        }
    }

    /**
     * Saves without the fsync of the directory ({@link AtomicFile#replace}): like the apply
     * records, the book describes cgroups that a reboot removes.
     */
    private void save(State state) throws IOException {
        if (state.holders().isEmpty() && state.baselines().isEmpty()) {
            known.set(null);
            Files.deleteIfExists(file);
            return;
        }
        List<Object> baselines = new ArrayList<>();
        state.baselines().forEach((g, v) -> baselines.add(Map.of("file", g.file(RtBudgets.RUNTIME_FILE), "value", v)));
        List<Object> holders = new ArrayList<>();
        for (Holder h : state.holders()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("pid", h.process().tid());
            m.put("start_time", h.process().startTime());
            m.put("groups", h.leaves().stream().map(g -> g.file(RtBudgets.RUNTIME_FILE)).toList());
            holders.add(m);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("format", FORMAT);
        doc.put("baselines", baselines);
        doc.put("holders", holders);
        FileVersion saved = AtomicFile.replace(file, (Json.pretty(doc) + "\n").getBytes(StandardCharsets.UTF_8));
        known.set(new Known(saved, frozen(state)));
    }

    /** A copy of {@code state} that nothing can change, to remember: changes are made to copies of it. */
    private static State frozen(State state) {
        return new State(Collections.unmodifiableMap(new LinkedHashMap<>(state.baselines())), List.copyOf(state.holders()));
    }

    /**
     * The book as the file holds it now. Most applies read it only to find a guest's groups, so it
     * is parsed only when its file's version differs from the one last read or saved here (parsing
     * costs tens of microseconds of a vCPU's untuned window).
     */
    private State read() {
        String text;
        Optional<FileVersion> version;
        try {
            version = FileVersion.of(file);
            if (version.isEmpty()) {
                return new State(Map.of(), List.of());
            }
            Known last = known.get();
            if (last != null && last.version().equals(version.get())) {
                return last.state();
            }
            // read after the version: a file replaced in between is remembered under the older
            // version, which the next read finds changed and reads again
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return new State(Map.of(), List.of());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the realtime budget book " + file, e);
        }
        try {
            JsonObject doc = Json.parseObject(text);
            if (doc.intValue("format") != FORMAT) {
                throw new IllegalArgumentException("format " + doc.intValue("format") + " is not " + FORMAT);
            }
            Map<CgroupGroup, Long> baselines = new LinkedHashMap<>();
            for (JsonObject b : doc.objects("baselines")) {
                baselines.put(CgroupFile.fromJson(b.object("file")).group(), b.integer("value"));
            }
            List<Holder> holders = new ArrayList<>();
            for (JsonObject h : doc.objects("holders")) {
                holders.add(new Holder(new ThreadIdentity(h.intValue("pid"), h.integer("start_time")),
                        h.objects("groups").stream().map(g -> CgroupFile.fromJson(g).group()).toList()));
            }
            State state = frozen(new State(baselines, holders));
            known.set(new Known(version.get(), state));
            return state;
        } catch (JsonException | IllegalArgumentException | ClassCastException e) {
            throw InvalidInputException.invalid("rt-budgets", file.toString(), file + " is not a valid realtime budget"
                    + " book: " + e.getMessage());
        }
    }
}
