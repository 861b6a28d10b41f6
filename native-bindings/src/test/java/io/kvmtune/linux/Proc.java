package io.kvmtune.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads what the kernel reports in /proc, the oracle the bindings are checked against. */
final class Proc {

    private Proc() {
    }

    /**
     * Field {@code n} (1-based, as in proc(5)) of {@code /proc/<tid>/stat}. The command name
     * (field 2) may hold spaces and parentheses, so fields are counted after its last ')'.
     */
    static long statField(int tid, int n) throws IOException {
        String stat = Files.readString(Path.of("/proc", Integer.toString(tid), "stat"));
        String[] rest = stat.substring(stat.lastIndexOf(')') + 2).strip().split(" ");
        return Long.parseLong(rest[n - 3]);
    }

    /** The value of {@code key} in {@code /proc/<id>/status}. */
    static String status(int id, String key) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Integer.toString(id), "status"))) {
            if (line.startsWith(key + ":")) {
                return line.substring(key.length() + 1).strip();
            }
        }
        throw new AssertionError("no " + key + " in /proc/" + id + "/status");
    }

    /** The CPUs of a kernel CPU list such as {@code 0-3,8}. */
    static BitSet cpuList(String list) {
        BitSet cpus = new BitSet();
        for (String range : list.strip().split(",")) {
            String[] ends = range.split("-");
            int first = Integer.parseInt(ends[0]);
            int last = Integer.parseInt(ends[ends.length - 1]);
            cpus.set(first, last + 1);
        }
        return cpus;
    }

    /** Soft and hard value of the {@code /proc/<pid>/limits} row named {@code name}, as printed. */
    static String[] limits(int pid, String name) throws IOException {
        Pattern row = Pattern.compile("^" + Pattern.quote(name) + "\\s+(\\S+)\\s+(\\S+).*$");
        for (String line : Files.readAllLines(Path.of("/proc", Integer.toString(pid), "limits"))) {
            Matcher m = row.matcher(line);
            if (m.matches()) {
                return new String[] {m.group(1), m.group(2)};
            }
        }
        throw new AssertionError("no '" + name + "' in /proc/" + pid + "/limits");
    }
}
