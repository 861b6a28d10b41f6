package io.kvmtune.core.topology;

import java.util.Locale;

/** The host architecture in Nova's and libvirt's spelling ({@code x86_64}, {@code aarch64}, ...). */
public final class HostArch {

    private HostArch() {
    }

    /** The architecture this JVM runs on. */
    public static String current() {
        return fromOsArch(System.getProperty("os.arch"));
    }

    /**
     * Maps a Java {@code os.arch} value to the kernel's {@code uname -m} name that Nova and libvirt
     * use: Java says {@code amd64} and {@code x86} where they say {@code x86_64} and {@code i686}.
     */
    static String fromOsArch(String osArch) {
        String a = osArch.toLowerCase(Locale.ROOT);
        return switch (a) {
            case "amd64", "x86_64" -> "x86_64";
            case "x86", "i386", "i486", "i586", "i686" -> "i686";
            case "arm64" -> "aarch64";
            default -> a;
        };
    }
}
