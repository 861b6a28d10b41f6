package io.kvmtune.core.apply;

import io.kvmtune.core.MissingComponentException;
import io.kvmtune.core.files.LockFile;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One applier at a time per guest: the libvirt hook, {@code kvmtune apply}, {@code restore} and the
 * agent all change a QEMU only while holding an exclusive lock on {@code qemu-<pid>.lock} beside its
 * apply record. Whoever comes second does not wait and changes nothing: it is told so by an
 * {@link ApplyFailedException} with code {@code GuestBusy}, since waiting would apply a second time
 * over what the first has just decided, from a state it surveyed before.
 *
 * <p>The lock is a POSIX record lock ({@code fcntl}, what {@link FileChannel#tryLock()} takes on
 * Linux), so the kernel drops it when its holder dies, SIGKILL included: a killed applier never
 * leaves a guest locked. Within one JVM a second taker is refused the same way. The empty lock
 * file stays while the QEMU runs; {@link #forget} removes it once the QEMU has exited and its
 * record is restored (by {@code restore}, the release hook, the stale-state cleanup or the agent).
 */
final class GuestLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private GuestLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    private static final Pattern LOCK_NAME = Pattern.compile("qemu-(\\d+)\\.lock");

    static Path file(Path dir, int pid) {
        return dir.resolve("qemu-" + pid + ".lock");
    }

    /**
     * Takes the lock of QEMU {@code pid}.
     *
     * @throws ApplyFailedException (code {@code GuestBusy}) when another applier holds it
     * @throws MissingComponentException when the lock file cannot be created
     */
    static GuestLock acquire(Path dir, int pid) {
        Path file = file(dir, pid);
        FileChannel channel;
        try {
            channel = LockFile.open(file);
        } catch (IOException e) {
            throw new MissingComponentException("RecordStoreUnusable", "cannot open the apply lock " + file + ": "
                    + e.getMessage(), e);
        }
        try {
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return new GuestLock(channel, lock);
            }
        } catch (OverlappingFileLockException e) {
            // held by another thread of this JVM: as busy as a lock held by another process
        } catch (IOException e) {
            close(channel);
            throw new MissingComponentException("RecordStoreUnusable", "cannot lock " + file + ": " + e.getMessage(), e);
        }
        close(channel);
        throw ApplyFailedException.guestBusy(pid, file);
    }

    /** The pids that have a lock file in {@code dir}, in ascending order; none when it does not exist. */
    static List<Integer> pids(Path dir) {
        return RecordStore.pidsNamed(dir, LOCK_NAME, "apply locks");
    }

    /**
     * Removes the lock file of QEMU {@code pid} while holding its lock; a lock another applier
     * holds now stays.
     */
    static void forgetUnlessHeld(Path dir, int pid) {
        try (GuestLock _ = acquire(dir, pid)) {
            forget(dir, pid);
        } catch (ApplyFailedException e) {
            if (!e.guestBusy()) {
                throw e;
            }
        }
    }

    /** Removes the lock file of a QEMU that has exited; nothing applies to its pid any more. */
    static void forget(Path dir, int pid) {
        try {
            Files.deleteIfExists(file(dir, pid));
        } catch (IOException e) {
            // an empty file on tmpfs, gone at reboot; not worth failing a cleanup for
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException e) {
            // closing the channel below releases it as well
        }
        close(channel);
    }

    private static void close(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // the descriptor is released either way
        }
    }
}
