package io.kvmtune.core.apply;

import io.kvmtune.core.MissingComponentException;
import io.kvmtune.core.files.AtomicFile;
import io.kvmtune.core.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

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
 */
public final class RecordStore {

    /** Where records live on a real host: tmpfs, so they vanish with the guests at reboot. */
    public static final Path DEFAULT_DIR = Path.of("/run/kvmtune");

    private final Path dir;

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

    /** Saves atomically, replacing any earlier record of the same pid. */
    public void save(ApplyRecord record) {
        Path target = file(record.process().tid());
        byte[] bytes = (Json.pretty(record) + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            AtomicFile.replace(target, bytes);
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
        try {
            return Optional.of(ApplyRecord.fromJson(Files.readString(file(pid), StandardCharsets.UTF_8)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file(pid), e);
        }
    }

    /** Removes the record of process {@code pid}, if any. */
    public void delete(int pid) {
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
