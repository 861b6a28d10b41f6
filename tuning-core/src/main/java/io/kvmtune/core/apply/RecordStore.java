package io.kvmtune.core.apply;

import io.kvmtune.core.MissingComponentException;
import io.kvmtune.core.files.AtomicFile;
import io.kvmtune.core.files.FileVersion;
import io.kvmtune.core.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
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

    private record Known(FileVersion version, ApplyRecord record, byte[] bytes) {
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

    /**
     * Saves atomically, replacing any earlier record of the same pid; a file that holds this very
     * record already (the same plan applied again) is left as it is.
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
            if (known != null && Arrays.equals(known.bytes(), bytes)
                    && FileVersion.of(target).equals(Optional.of(known.version()))) {
                return;
            }
            cache.put(pid, new Known(AtomicFile.replace(target, bytes), record, bytes));
        } catch (AtomicMoveNotSupportedException e) {
            throw new MissingComponentException("RecordStoreUnusable", "cannot save the apply record in " + dir
                    + ": the file system cannot rename atomically", e);
        } catch (IOException e) {
            throw new MissingComponentException("RecordStoreUnusable", "cannot save the apply record "
                    + target + ": " + e.getMessage(), e);
        }
    }

    /** The record of process {@code pid}, if one was saved. */
    public Optional<ApplyRecord> load(int pid) {
        Path file = file(pid);
        try {
            Optional<FileVersion> version = FileVersion.of(file);
            if (version.isEmpty()) {
                cache.remove(pid);
                return Optional.empty();
            }
            Known known = cache.get(pid);
            if (known != null && known.version().equals(version.get())) {
                return Optional.of(known.record());
            }
            // Read after the version: a file replaced in between is remembered under the older
            // version, which the next load finds changed and reads again.
            byte[] bytes = Files.readAllBytes(file);
            ApplyRecord record = ApplyRecord.fromJson(new String(bytes, StandardCharsets.UTF_8));
            cache.put(pid, new Known(version.get(), record, bytes));
            return Optional.of(record);
        } catch (NoSuchFileException e) {
            cache.remove(pid);
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
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

    /** Removes the record of process {@code pid}, if any. */
    public void delete(int pid) {
        cache.remove(pid);
        try {
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
