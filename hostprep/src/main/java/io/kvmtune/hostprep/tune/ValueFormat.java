package io.kvmtune.hostprep.tune;

import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.hostprep.sys.CpuMasks;
import io.kvmtune.hostprep.sys.SelectedWord;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * How a kernel file's value is read back, compared and written: the same CPUs may read
 * {@code 00000003} and be written {@code 3}; a choice file reads {@code always [madvise] never} and
 * is written {@code madvise}; cgroup {@code subtree_control} is written as {@code +cpuset} deltas.
 */
public enum ValueFormat {
    /** A plain value ({@code 0}, {@code -1}, {@code performance}); compared after trimming. */
    TEXT,
    /** A cpu list ({@code 0-3,8}); compared as sets. */
    CPU_LIST,
    /** A hex cpumask ({@code ff,ffffffff}); compared as sets. */
    CPU_MASK,
    /** A choice file; the bracketed word is the value. */
    SELECTED_WORD,
    /** cgroup v2 {@code cgroup.subtree_control}: a set of controller names, written as +/- deltas. */
    CONTROLLERS;

    /** The value in the form that, written back, restores it. */
    public String normalize(String read) {
        String s = read.strip();
        return switch (this) {
            case TEXT -> s;
            case CPU_LIST -> CpuSet.parse(s).format();
            case CPU_MASK -> CpuMasks.format(CpuMasks.parse(s));
            case SELECTED_WORD -> s.contains("[") ? SelectedWord.of(s) : s;
            case CONTROLLERS -> String.join(" ", words(s));
        };
    }

    /** True when the two values mean the same to the kernel. */
    public boolean same(String a, String b) {
        return normalize(a).equals(normalize(b));
    }

    /** What to write so that a file now holding {@code current} holds {@code wanted}. */
    public String toWrite(String current, String wanted) {
        if (this != CONTROLLERS) {
            return normalize(wanted);
        }
        Set<String> have = words(current);
        Set<String> want = words(wanted);
        StringBuilder delta = new StringBuilder();
        want.stream().filter(c -> !have.contains(c)).forEach(c -> delta.append(delta.isEmpty() ? "" : " ").append('+').append(c));
        have.stream().filter(c -> !want.contains(c)).forEach(c -> delta.append(delta.isEmpty() ? "" : " ").append('-').append(c));
        return delta.toString();
    }

    /** The JSON and backup spelling: {@code cpu-list}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static ValueFormat ofLabel(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    private static Set<String> words(String s) {
        Set<String> set = new TreeSet<>(Arrays.asList(s.strip().split("\\s+")));
        set.remove("");
        return set;
    }
}
