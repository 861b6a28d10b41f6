package io.kvmtune.core.qemu;

import io.kvmtune.linux.SchedPolicy;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The fields of {@code /proc/<pid>/stat} (or {@code /proc/<pid>/task/<tid>/stat}) that thread
 * discovery and the apply engine need.
 *
 * @param pid field 1: the process or thread id
 * @param comm field 2 without its parentheses; may contain spaces, {@code /} and {@code )}
 * @param state field 3: {@code R}, {@code S}, {@code D}, {@code Z}, ...
 * @param ppid field 4
 * @param flags field 9: the kernel's {@code PF_*} flags
 * @param processor field 39: the CPU it last ran on
 * @param rtPriority field 40: the static real-time priority, 0 for non-real-time policies
 * @param policy field 41: the kernel's scheduling policy number
 * @param startTime field 22: clock ticks after boot when it started; with {@code pid} its identity
 */
public record ProcStat(int pid, String comm, char state, int ppid, long flags, long startTime,
        int processor, int rtPriority, int policy) {

    /** {@code PF_KTHREAD} from {@code <linux/sched.h>}: a kernel thread. */
    public static final long PF_KTHREAD = 0x0020_0000L;
    /** {@code PF_NO_SETAFFINITY} from {@code <linux/sched.h>}: the kernel refuses affinity changes. */
    public static final long PF_NO_SETAFFINITY = 0x0400_0000L;

    private static final int LAST_FIELD = 41;

    public ThreadIdentity identity() {
        return new ThreadIdentity(pid, startTime);
    }

    public boolean isKernelThread() {
        return (flags & PF_KTHREAD) != 0;
    }

    public boolean refusesAffinity() {
        return (flags & PF_NO_SETAFFINITY) != 0;
    }

    /** The policy as an enum, or empty for a number kvmtune does not know (such as SCHED_EXT). */
    public Optional<SchedPolicy> schedPolicy() {
        try {
            return Optional.of(SchedPolicy.ofValue(policy));
        } catch (IllegalArgumentException unknown) {
            return Optional.empty();
        }
    }

    /**
     * Parses one stat line. The comm field is everything between the first {@code (} and the LAST
     * {@code )}: a thread may name itself {@code a) S 1 (b}, and only the last parenthesis is
     * guaranteed to be the kernel's.
     *
     * @throws ProcFormatException naming the field that is missing or not a number
     */
    public static ProcStat parse(String line) {
        int open = line.indexOf('(');
        int close = line.lastIndexOf(')');
        if (open < 0 || close < open) {
            throw new ProcFormatException("stat: no (comm) field in \"" + abbreviate(line) + "\"");
        }
        String[] rest = line.substring(close + 1).strip().split(" ");
        // rest[0] is field 3 (state); field n is rest[n - 3].
        if (rest.length < LAST_FIELD - 2) {
            throw new ProcFormatException("stat: " + (rest.length + 2) + " fields, expected at least " + LAST_FIELD
                    + " in \"" + abbreviate(line) + "\"");
        }
        if (rest[0].length() != 1) {
            throw new ProcFormatException("stat: field 3 (state) is \"" + abbreviate(rest[0]) + "\", expected one letter");
        }
        return new ProcStat(
                (int) number(line.substring(0, open).strip(), 1, "pid", Integer.MAX_VALUE),
                line.substring(open + 1, close),
                rest[0].charAt(0),
                (int) number(rest[4 - 3], 4, "ppid", Integer.MAX_VALUE),
                number(rest[9 - 3], 9, "flags", Long.MAX_VALUE),
                number(rest[22 - 3], 22, "starttime", Long.MAX_VALUE),
                (int) number(rest[39 - 3], 39, "processor", Integer.MAX_VALUE),
                (int) number(rest[40 - 3], 40, "rt_priority", Integer.MAX_VALUE),
                (int) number(rest[41 - 3], 41, "policy", Integer.MAX_VALUE));
    }

    /**
     * Field 22 alone, from the bytes of a stat line as read ({@code length} of them, a trailing
     * newline allowed), for the identity check the apply engine runs on every thread: no String
     * of the line, no split of the other 50 fields.
     */
    static long parseStartTime(byte[] line, int length) {
        int close = length - 1;
        while (close >= 0 && line[close] != ')') {
            close--;
        }
        if (close < 0) {
            throw new ProcFormatException("stat: no (comm) field in \"" + abbreviate(latin1(line, 0, length)) + "\"");
        }
        int start = close + 1;
        for (int field = 2; field < 22; field++) {
            while (start < length && line[start] != ' ') {
                start++;
            }
            if (start == length) {
                throw new ProcFormatException("stat: field 22 (starttime) is missing in \""
                        + abbreviate(latin1(line, 0, length)) + "\"");
            }
            start++;
        }
        int end = start;
        while (end < length && line[end] != ' ' && line[end] != '\n') {
            end++;
        }
        return number(latin1(line, start, end), 22, "starttime", Long.MAX_VALUE);
    }

    private static String latin1(byte[] bytes, int from, int to) {
        return new String(bytes, from, to - from, StandardCharsets.ISO_8859_1);
    }

    /** Non-negative decimal; the kernel prints every field used here unsigned. */
    private static long number(String text, int field, String name, long max) {
        if (text.isEmpty() || text.length() > 20) {
            throw badNumber(text, field, name);
        }
        long value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw badNumber(text, field, name);
            }
            int digit = c - '0';
            if (value > (max - digit) / 10) {
                throw badNumber(text, field, name);
            }
            value = value * 10 + digit;
        }
        return value;
    }

    private static ProcFormatException badNumber(String text, int field, String name) {
        return new ProcFormatException("stat: field " + field + " (" + name + ") is \"" + abbreviate(text)
                + "\", expected a non-negative number");
    }

    static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
