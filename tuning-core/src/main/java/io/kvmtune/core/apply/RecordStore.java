package io.kvmtune.core.apply;

import io.kvmtune.core.InvalidInputException;
import io.kvmtune.core.MissingComponentException;
import io.kvmtune.core.files.AtomicFile;
import io.kvmtune.core.files.FileVersion;
import io.kvmtune.core.files.JournalFile;
import io.kvmtune.core.json.Json;
import io.kvmtune.core.json.JsonException;
import io.kvmtune.core.json.JsonObject;
import io.kvmtune.core.qemu.ThreadIdentity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Apply records on disk, one file per QEMU process ({@code qemu-<pid>.json}).
 *
 * <p>Writes are atomic (temporary file, fsync, rename): a kvmtune killed at any moment, SIGKILL
 * included, leaves either the old record or the new one, never half of one, so {@code restore}
 * always has a complete snapshot to work from. {@link #save} returns only once the rename is
 * done, so the record is in place before the first change to the guest.
 *
 * <p>One fsync per save, of the file's data, and none of the directory. A killed process loses
 * nothing the kernel already has: the page cache outlives it, and only a crash of the machine
 * loses unsynced data. After such a crash the record is useless anyway, since the QEMU whose
 * threads it describes died with the machine (and a pid that names another process is refused
 * by its start time). What the data fsync still buys is that a rename which did reach the disk
 * never exposes an empty or torn file in place of a good one, which would make the next
 * {@link #load} of that pid fail. A directory fsync, on save or delete, would only make the
 * rename survive a crash, which protects nothing. On tmpfs, where {@code /run} is on every systemd host, both
 * are free; on a disk they cost milliseconds.
 *
 * <p>An apply that only adds to the record (the agent tuning a thread just born, whose state
 * before is all that is new) appends what it adds to the record's journal
 * ({@code qemu-<pid>.journal}, a {@link JournalFile}) instead: one short line, where the whole
 * record, plan and all, would be written out anew while the new vCPU waits for its pCPU. A
 * {@link #load} merges the journal's lines into the record in order; the next whole save takes them
 * in and removes the journal. Merging is idempotent, so a process killed between the two leaves a
 * record as complete as before.
 *
 * <p>A store remembers, per QEMU, the last record it saved or read, with the {@link FileVersion}
 * of its file: applying to the same guest again then costs one {@code stat} to find the previous
 * record instead of reading and parsing it, and nothing at all to save when the record is the same.
 * A file another process has replaced since (the libvirt hook's) is read again; a long-running
 * caller such as the agent {@link #load}s its guests' records now and then so that this happens
 * while nothing waits for it, not when a thread is born. A record deleted, or found gone, is
 * forgotten.
 */
public final class RecordStore {

    /** Where records live on a real host: tmpfs, so they vanish with the guests at reboot. */
    public static final Path DEFAULT_DIR = Path.of("/run/kvmtune");

    private static final Pattern RECORD_NAME = Pattern.compile("qemu-([0-9]{1,9})\\.json");

    private final Path dir;

    /**
     * Per pid, the record this store last saved or read, with the version of the file it is in
     * and that file's bytes: while the file has that version, {@link #load} returns the record
     * without reading and parsing the file again (parsing one costs a millisecond when the JVM's
     * caches are cold), and {@link #save} knows what the file holds.
     */
    private final Map<Integer, Known> cache = new ConcurrentHashMap<>();

    private record Known(FileVersion version, byte[] bytes, ApplyRecord base, long journalBytes, ApplyRecord record) {

        /** The record file alone, with no journal. */
        Known(FileVersion version, byte[] bytes, ApplyRecord record) {
            this(version, bytes, record, 0, record);
        }
    }

    public RecordStore(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /** The file holding the record of process {@code pid}. */
    public Path file(int pid) {
        return dir.resolve("qemu-" + pid + ".json");
    }

    /** The journal of process {@code pid}'s record. */
    Path journal(int pid) {
        return dir.resolve("qemu-" + pid + ".journal");
    }

    /**
     * Saves the record of an apply to QEMU {@code applied.process()}: {@code applied}, its snapshot
     * merged into that of {@code previous} (the record {@link #load} gave for the same process
     * under the guest's lock, if any). When the plan and QMP socket are {@code previous}'s and the
     * files hold {@code previous} as this store last saved or read them, what the apply adds is
     * appended to the journal, and nothing is written when it adds nothing.
     */
    public void saveApplied(Optional<ApplyRecord> previous, ApplyRecord applied) {
        if (previous.isEmpty()) {
            save(applied);
            return;
        }
        ApplyRecord before = previous.get();
        // the same instance when the caller applies the plan it applied last: the usual case, and no comparison
        boolean samePlan = before.plan() == applied.plan() || before.plan().equals(applied.plan());
        if (!samePlan || !before.qmpSocket().equals(applied.qmpSocket())
                || !appendToJournal(before, applied.snapshot())) {
            save(new ApplyRecord(applied.process(), applied.plan(), applied.qmpSocket(),
                    before.snapshot().mergedWith(applied.snapshot())));
        }
    }

    /**
     * Appends to the journal what {@code newer} adds to {@code record}, if {@code record} is the
     * one this store last read or saved for its pid; false when it is not. Then the files hold it
     * still: {@link #load} found them so, under the guest's lock, which the caller has held since,
     * and it remembers no record whose journal ends in a torn line.
     */
    private boolean appendToJournal(ApplyRecord record, Snapshot newer) {
        int pid = record.process().tid();
        Known known = cache.get(pid);
        Path journal = journal(pid);
        try {
            if (known == null || known.record() != record) {
                return false;
            }
            Snapshot added = newer.beyond(record.snapshot());
            if (added.isEmpty()) {
                return true;
            }
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("pid", pid);
            line.put("start_time", record.process().startTime());
            line.put("added", added);
            long bytes = known.journalBytes() + JournalFile.append(journal, Json.write(line));
            cache.put(pid, new Known(known.version(), known.bytes(), known.base(), bytes, new ApplyRecord(
                    record.process(), record.plan(), record.qmpSocket(), record.snapshot().mergedWith(added))));
            return true;
        } catch (IOException e) {
            throw new MissingComponentException("RecordStoreUnusable", "cannot add to the apply record journal "
                    + journal + ": " + e.getMessage(), e);
        }
    }

    /**
     * Saves atomically, replacing any earlier record of the same pid and its journal; a file that
     * holds this very record already (the same plan applied again) is left as it is.
     */
    public void save(ApplyRecord record) {
        int pid = record.process().tid();
        Path target = file(pid);
        try {
            Known known = cache.get(pid);
            // sized like the last record: applying to the same guest again changes a few characters of it
            byte[] bytes = Json.prettyFile(record, known == null ? 0 : known.bytes().length + 64);
            // The file's bytes, not the records, are compared: they are what "holds this record"
            // means, and comparing records would first bootstrap the generated equals of every
            // record type an ApplyRecord holds (invokedynamic, which the JDK's AOT cache cannot
            // keep): ~15 ms of a cold `kvmtune apply`.
            if (known != null && known.journalBytes() == 0 && Arrays.equals(known.bytes(), bytes)
                    && FileVersion.of(target).equals(Optional.of(known.version())) && JournalFile.size(journal(pid)) == 0) {
                return;
            }
            FileVersion version = AtomicFile.replace(target, bytes);
            // after the replace: the journal's lines are in the record now, and merging them again would change nothing
            Files.deleteIfExists(journal(pid));
            cache.put(pid, new Known(version, bytes, record));
        } catch (AtomicMoveNotSupportedException e) {
            throw new MissingComponentException("RecordStoreUnusable", "cannot save the apply record in " + dir
                    + ": the file system cannot rename atomically", e);
        } catch (IOException e) {
            throw new MissingComponentException("RecordStoreUnusable", "cannot save the apply record "
                    + target + ": " + e.getMessage(), e);
        }
    }

    /** The record of process {@code pid}, if one was saved, with its journal merged in. */
    public Optional<ApplyRecord> load(int pid) {
        Path file = file(pid);
        try {
            Optional<FileVersion> version = FileVersion.of(file);
            if (version.isEmpty()) {
                cache.remove(pid);
                return Optional.empty();
            }
            Path journal = journal(pid);
            long journalBytes = JournalFile.size(journal);
            Known known = cache.get(pid);
            boolean sameFile = known != null && known.version().equals(version.get());
            if (sameFile && known.journalBytes() == journalBytes) {
                return Optional.of(known.record());
            }
            // Read after the version: a file replaced in between is remembered under the older
            // version, which the next load finds changed and reads again.
            byte[] bytes = sameFile ? known.bytes() : Files.readAllBytes(file);
            ApplyRecord base = sameFile ? known.base() : ApplyRecord.fromJson(new String(bytes, StandardCharsets.UTF_8));
            JournalFile.Lines lines = JournalFile.read(journal);
            Snapshot snapshot = base.snapshot();
            for (String line : lines.lines()) {
                snapshot = journalLine(journal, line, base.process()).map(snapshot::mergedWith).orElse(snapshot);
            }
            ApplyRecord record = lines.lines().isEmpty() ? base
                    : new ApplyRecord(base.process(), base.plan(), base.qmpSocket(), snapshot);
            if (lines.bytes() == journalBytes) {
                cache.put(pid, new Known(version.get(), bytes, base, lines.bytes(), record));
            } else {
                // a line torn by a killed writer ends the journal: the next save writes the record whole
                cache.remove(pid);
            }
            return Optional.of(record);
        } catch (NoSuchFileException e) {
            cache.remove(pid);
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /**
     * What a line of the journal adds to the record of {@code process}; none when it is of an
     * earlier process of the same pid, whose journal a kvmtune killed while saving the new
     * process's record left behind.
     */
    private static Optional<Snapshot> journalLine(Path journal, String line, ThreadIdentity process) {
        try {
            JsonObject o = Json.parseObject(line);
            if (o.intValue("pid") != process.tid() || o.integer("start_time") != process.startTime()) {
                return Optional.empty();
            }
            return Optional.of(Snapshot.fromJson(o.object("added")));
        } catch (JsonException | IllegalArgumentException e) {
            throw InvalidInputException.invalid("record", null, "not a valid kvmtune apply record journal " + journal
                    + ": " + e.getMessage());
        }
    }

    /** The pids that have a record here, in ascending order; none when the directory does not exist. */
    public List<Integer> pids() {
        return pidsNamed(dir, RECORD_NAME, "apply records");
    }

    /**
     * The pids in the names of the files in {@code dir} that {@code name} matches (its group 1),
     * in ascending order; none when the directory does not exist.
     */
    static List<Integer> pidsNamed(Path dir, Pattern name, String what) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> name.matcher(f.getFileName().toString()))
                    .filter(Matcher::matches).map(m -> Integer.parseInt(m.group(1))).sorted().toList();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the " + what + " in " + dir, e);
        }
    }

    /** Removes the record of process {@code pid} and its journal, if any. */
    public void delete(int pid) {
        cache.remove(pid);
        try {
            // the journal first: one left without its record would be found by nothing
            Files.deleteIfExists(journal(pid));
            Files.deleteIfExists(file(pid));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + file(pid), e);
        }
    }

    /** Puts back {@code previous}, or removes the record when there was none. */
    void reset(int pid, Optional<ApplyRecord> previous) {
        previous.ifPresentOrElse(this::save, () -> delete(pid));
    }
}
