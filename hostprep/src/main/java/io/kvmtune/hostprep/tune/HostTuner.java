package io.kvmtune.hostprep.tune;

import io.kvmtune.hostprep.sys.HostFs;
import io.kvmtune.hostprep.sys.HostReadException;
import io.kvmtune.hostprep.sys.KernelWriteErrors;
import io.kvmtune.hostprep.tune.TuneResult.Skipped;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Writes a {@link TunablePlan} to the host and puts it back.
 *
 * <p>apply: re-reads each setting, records the originals in the backup file (atomically)
 * before the first write, writes in plan order, and on a failed write puts back what it had
 * changed (newest first) and the backup as it was. Interrupts whose affinity the kernel
 * manages refuse writes by design; they are reported as skipped, not as failures.
 *
 * <p>restore: writes every recorded original back (newest first), then deletes the backup;
 * what could not be restored stays in the backup for another try.
 */
public final class HostTuner {

    private final HostFs fs;

    public HostTuner(HostFs fs) {
        this.fs = fs;
    }

    public TuneResult apply(TunablePlan plan, Path backupFile) throws IOException {
        List<TunableChange> todo = new ArrayList<>();
        for (TunableChange c : plan.changes()) {
            Optional<String> now = readNow(c.path());
            if (now.isEmpty()) {
                return new TuneResult(false, List.of(), true, "cannot read " + c.path() + " before changing it; nothing changed",
                        List.of(), backupFile.toString());
            }
            TunableChange fresh = c.withBefore(now.get());
            if (!fresh.isNoop()) {
                todo.add(fresh);
            }
        }
        if (todo.isEmpty()) {
            return new TuneResult(false, List.of(), false, "host already tuned for " + plan.partition().dedicated()
                    + "; nothing to change", List.of(), backupFile.toString());
        }
        Optional<TuningBackup> previous = TuningBackup.load(backupFile);
        TuningBackup recorded = previous.orElse(TuningBackup.empty()).plus(todo);
        recorded.save(backupFile);

        List<TunableChange> done = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        for (TunableChange c : todo) {
            try {
                fs.write(c.path(), c.format().toWrite(c.before(), c.after()));
                done.add(c);
            } catch (IOException e) {
                if (c.id().startsWith("irq.") && c.path().startsWith("/proc/irq/") && KernelWriteErrors.isManagedIrqRefusal(e)) {
                    skipped.add(new Skipped(c.id(), c.path(), "managed IRQ: kernel refused ("
                            + KernelWriteErrors.reason(e) + "); use isolcpus=managed_irq at boot"));
                    continue;
                }
                String cause = c.path() + ": " + KernelWriteErrors.reason(e);
                List<String> notRestored = undo(done);
                if (notRestored.isEmpty()) {
                    restoreBackupFile(previous, backupFile);
                    return new TuneResult(false, List.of(), true, "writing " + cause + "; rolled back " + done.size()
                            + " change(s), host unchanged", skipped, backupFile.toString());
                }
                return new TuneResult(true, done, true, "writing " + cause + "; rollback failed for " + notRestored
                        + " (originals kept in the backup for restore)", skipped, backupFile.toString());
            }
        }
        List<String> skippedPaths = skipped.stream().map(Skipped::path).toList();
        if (!skippedPaths.isEmpty()) {
            // Keep an original recorded by an earlier apply; drop only what this call added.
            TuningBackup base = previous.orElse(TuningBackup.empty());
            List<String> added = skippedPaths.stream()
                    .filter(path -> base.entries().stream().noneMatch(e -> e.path().equals(path)))
                    .toList();
            recorded.without(added).save(backupFile);
        }
        return new TuneResult(!done.isEmpty(), done, false, done.size() + " setting(s) changed"
                + (skipped.isEmpty() ? "" : ", " + skipped.size() + " managed IRQ(s) left as the kernel keeps them"),
                skipped, backupFile.toString());
    }

    public TuneResult restore(Path backupFile) throws IOException {
        return restore(backupFile, true);
    }

    /**
     * What {@link #restore} would write back, reading the current values and writing nothing; the
     * backup stays as it is. The automation shape of {@code hostprep restore --check}.
     */
    public TuneResult restoreCheck(Path backupFile) throws IOException {
        return restore(backupFile, false);
    }

    private TuneResult restore(Path backupFile, boolean write) throws IOException {
        Optional<TuningBackup> backup = TuningBackup.load(backupFile);
        if (backup.isEmpty() || backup.get().isEmpty()) {
            return new TuneResult(false, List.of(), false, "no backup at " + backupFile + "; nothing to restore",
                    List.of(), backupFile.toString());
        }
        List<TunableChange> entries = backup.get().entries();
        List<TunableChange> restored = new ArrayList<>();
        List<TunableChange> left = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (int i = entries.size() - 1; i >= 0; i--) {
            TunableChange e = entries.get(i);
            try {
                String now = readNow(e.path()).orElseThrow(() -> new IOException("No such file or directory"));
                if (!e.format().same(now, e.before())) {
                    if (write) {
                        fs.write(e.path(), e.format().toWrite(now, e.before()));
                    }
                    restored.add(new TunableChange(e.id(), e.path(), e.format(), e.format().normalize(now), e.before()));
                }
            } catch (IOException ex) {
                errors.add(e.path() + ": " + KernelWriteErrors.reason(ex));
                left.addFirst(e);
            }
        }
        if (!write) {
            String msg = errors.isEmpty()
                    ? "check mode: " + restored.size() + " setting(s) would be restored; nothing written"
                    : "check mode: could not read " + errors + "; restore would leave those entries in the backup";
            return new TuneResult(!restored.isEmpty(), restored, !errors.isEmpty(), msg, List.of(), backupFile.toString());
        }
        new TuningBackup(left).save(backupFile);
        if (!errors.isEmpty()) {
            return new TuneResult(!restored.isEmpty(), restored, true, "could not restore " + errors
                    + "; those entries stay in the backup", List.of(), backupFile.toString());
        }
        return new TuneResult(!restored.isEmpty(), restored, false, restored.size() + " setting(s) restored",
                List.of(), backupFile.toString());
    }

    /** Writes back the originals of {@code done}, newest first; returns the paths that failed. */
    private List<String> undo(List<TunableChange> done) {
        List<String> failed = new ArrayList<>();
        for (int i = done.size() - 1; i >= 0; i--) {
            TunableChange c = done.get(i);
            try {
                fs.write(c.path(), c.format().toWrite(c.after(), c.before()));
            } catch (IOException e) {
                failed.add(c.path() + " (" + KernelWriteErrors.reason(e) + ")");
            }
        }
        return failed;
    }

    private static void restoreBackupFile(Optional<TuningBackup> previous, Path backupFile) throws IOException {
        previous.orElse(TuningBackup.empty()).save(backupFile);
    }

    private Optional<String> readNow(String path) {
        try {
            return fs.read(path);
        } catch (HostReadException e) {
            return Optional.empty();
        }
    }
}
