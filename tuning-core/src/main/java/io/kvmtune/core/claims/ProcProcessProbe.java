package io.kvmtune.core.claims;

import io.kvmtune.core.qemu.ThreadIdentity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@link ProcessProbe} over {@code /proc}: a process is alive when {@code /proc/<pid>/stat} exists
 * and its start time (field 22) is the one recorded, so a pid the kernel has reused is dead.
 */
public final class ProcProcessProbe implements ProcessProbe {

    private final Path procRoot;

    /** @param procRoot the proc mount, {@code /proc} on a real host */
    public ProcProcessProbe(Path procRoot) {
        this.procRoot = procRoot;
    }

    @Override
    public boolean isAlive(ThreadIdentity process) {
        String stat;
        try {
            stat = Files.readString(procRoot.resolve(Integer.toString(process.tid())).resolve("stat"));
        } catch (IOException gone) {
            return false;
        }
        return startTime(stat) == process.startTime();
    }

    /**
     * Field 22 of a stat line. The command name (field 2) may hold spaces and parentheses, so
     * counting starts after its last closing parenthesis.
     */
    static long startTime(String stat) {
        int field = 2;
        int pos = stat.lastIndexOf(')') + 1;
        while (field < 21 && pos > 0) {
            pos = stat.indexOf(' ', pos + 1);
            field++;
        }
        if (pos <= 0) {
            return -1;
        }
        int end = stat.indexOf(' ', pos + 1);
        try {
            return Long.parseLong(stat.substring(pos + 1, end < 0 ? stat.length() : end).strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
