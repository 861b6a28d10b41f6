package io.kvmtune.hostprep.sys;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/**
 * Classifies the {@link IOException}s that reading or writing a kernel file produces. The JDK
 * reports errno only as the text of {@code strerror}, so the classification matches that text.
 */
public final class KernelWriteErrors {

    private KernelWriteErrors() {
    }

    /** The kernel's reason, such as {@code Input/output error}, without the file name. */
    public static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }

    /**
     * True for the answers of an interrupt whose affinity the kernel manages (multi-queue
     * devices spread by the driver): EIO before Linux 6.12, EPERM since.
     */
    public static boolean isManagedIrqRefusal(IOException e) {
        String r = reason(e);
        return r.contains("Input/output error") || r.contains("Operation not permitted");
    }
}
