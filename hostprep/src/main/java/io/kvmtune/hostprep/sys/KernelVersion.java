package io.kvmtune.hostprep.sys;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A kernel release such as {@code 6.12.0-55.el10.x86_64}, compared by its numeric prefix.
 *
 * @param release the whole release string, as {@code uname -r} prints it
 */
public record KernelVersion(String release, int major, int minor, int patch) implements Comparable<KernelVersion> {

    private static final Pattern NUMBERS = Pattern.compile("^(\\d+)\\.(\\d+)(?:\\.(\\d+))?");
    private static final Pattern IN_PROC_VERSION = Pattern.compile("^Linux version (\\S+)");

    /**
     * Parses a release string.
     *
     * @throws IllegalArgumentException when it does not start with {@code major.minor}
     */
    public static KernelVersion parse(String release) {
        String r = release.strip();
        Matcher m = NUMBERS.matcher(r);
        if (!m.find()) {
            throw new IllegalArgumentException("kernel release '" + release + "' does not start with MAJOR.MINOR");
        }
        return new KernelVersion(r, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                m.group(3) == null ? 0 : Integer.parseInt(m.group(3)));
    }

    /** The release from the first line of {@code /proc/version}. */
    public static KernelVersion fromProcVersion(String procVersion) {
        Matcher m = IN_PROC_VERSION.matcher(procVersion.strip());
        if (!m.find()) {
            throw new IllegalArgumentException("/proc/version does not start with 'Linux version RELEASE'");
        }
        return parse(m.group(1));
    }

    public boolean atLeast(int major, int minor) {
        return this.major > major || (this.major == major && this.minor >= minor);
    }

    @Override
    public int compareTo(KernelVersion o) {
        int c = Integer.compare(major, o.major);
        if (c == 0) {
            c = Integer.compare(minor, o.minor);
        }
        return c != 0 ? c : Integer.compare(patch, o.patch);
    }

    @Override
    public String toString() {
        return release;
    }
}
