package io.kvmtune.cli;

import io.kvmtune.core.KvmtuneException;
import io.kvmtune.core.json.Json;
import io.kvmtune.linux.Errno;
import io.kvmtune.linux.LinuxException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An error as CLI.md reports it: an exit status, a stable code (Nova's exception name where one
 * exists), the input key and value when a single input caused it, and a message. The one place
 * that turns exceptions into exit codes; the picocli commands and the hook both use it.
 *
 * @param status the exit status
 * @param code {@code RealtimeMaskNotFoundOrInvalid}, {@code DoesNotFit}, {@code PermissionDenied}, ...
 * @param key the offending input, or null
 * @param value its value, or null
 * @param message one line for a person
 */
public record Failure(ExitStatus status, String code, String key, String value, String message) {

    public Failure {
        message = message == null ? code : message.replaceAll("[\\r\\n]+", " ");
    }

    /** Classifies any throwable; unknown ones are bugs and map to {@link ExitStatus#INTERNAL_ERROR}. */
    public static Failure of(Throwable t) {
        return switch (t) {
            case KvmtuneException k -> new Failure(status(k.kind()), k.code(), k.key(), k.value(), k.getMessage());
            case LinuxException l when l.errno() == Errno.EPERM || l.errno() == Errno.EACCES ->
                    new Failure(ExitStatus.MISSING, "PermissionDenied", null, l.target(), l.getMessage());
            case UncheckedIOException u -> io(u.getMessage() + ": ", u.getCause());
            case IOException e -> io("", e);
            default -> new Failure(ExitStatus.INTERNAL_ERROR, "InternalError", null, null,
                    t.getClass().getSimpleName() + ": " + t.getMessage());
        };
    }

    /** File errors: permission problems are exit 4 PermissionDenied, the rest exit 4 IoError. */
    private static Failure io(String context, IOException e) {
        return e instanceof AccessDeniedException denied
                ? new Failure(ExitStatus.MISSING, "PermissionDenied", null, denied.getFile(),
                        context + denied.getFile() + ": permission denied (run as root)")
                : new Failure(ExitStatus.MISSING, "IoError", null, null, context + e);
    }

    static Failure usage(String message) {
        return new Failure(ExitStatus.INVALID_INPUT, "Usage", null, null, message);
    }

    private static ExitStatus status(KvmtuneException.Kind kind) {
        return switch (kind) {
            case INVALID_INPUT -> ExitStatus.INVALID_INPUT;
            case DOES_NOT_FIT -> ExitStatus.DOES_NOT_FIT;
            case APPLY_FAILED -> ExitStatus.ROLLED_BACK;
            case MISSING_COMPONENT -> ExitStatus.MISSING;
        };
    }

    /**
     * Reports a command's failure as {@link #print} does; a bug (exit 70) also gets its stack
     * trace on {@code err}.
     *
     * @return the exit status
     */
    static int report(Exception ex, PrintWriter out, PrintWriter err, boolean json) {
        Failure failure = of(ex);
        if (failure.status() == ExitStatus.INTERNAL_ERROR) {
            ex.printStackTrace(err);
        }
        return failure.print(out, err, json);
    }

    /**
     * Prints the error line on {@code err} and, with {@code json}, the error object on {@code out}.
     *
     * @return the exit status
     */
    int print(PrintWriter out, PrintWriter err, boolean json) {
        err.println(line());
        err.flush();
        if (json) {
            out.println(json());
            out.flush();
        }
        return status.code();
    }

    /** {@code kvmtune: <code>: <message>}, the line on stderr. */
    public String line() {
        return "kvmtune: " + code + ": " + message;
    }

    /** {@code {"error": {...}}}, on stdout with {@code --format json}. */
    public String json() {
        return json(Map.of());
    }

    /**
     * {@code {"error": {...}}} with more members beside {@code error}, such as the rollback report
     * of a failed apply.
     */
    public String json(Map<String, Object> more) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        if (key != null) {
            error.put("key", key);
        }
        if (value != null) {
            error.put("value", value);
        }
        error.put("message", message);
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("error", error);
        document.putAll(more);
        return Json.write(document);
    }
}
