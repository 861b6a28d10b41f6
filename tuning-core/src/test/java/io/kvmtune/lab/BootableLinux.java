package io.kvmtune.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A guest operating system for libvirt integration tests that need one, such as ACPI vCPU
 * hot-unplug, which only completes when the guest's kernel gives the vCPU up: the kernel lab's
 * Debian kernel (from its package cache, downloaded once with {@code apt-get download}) and an
 * initramfs whose init only keeps the guest up and prints its online CPUs on the serial console.
 *
 * @param kernel the bootable kernel image
 * @param initrd the initramfs
 */
public record BootableLinux(Path kernel, Path initrd) {

    /** The line the guest prints on its console once its init runs. */
    public static final String READY = Initramfs.IDLE_READY;

    /**
     * The kernel, from the lab's cache or downloaded into it, and an initramfs built in {@code workDir}.
     *
     * @throws IOException with the failing command's output when a package cannot be had or unpacked
     */
    public static BootableLinux prepare(Path workDir) throws IOException, InterruptedException {
        LabPackages packages = new LabPackages(LabPackages.cacheDir());
        Files.createDirectories(LabPackages.cacheDir());
        LabKernel kernel = packages.kernel("amd64");
        return new BootableLinux(kernel.vmlinuz(), Initramfs.idle(packages.busybox(), workDir));
    }

    /**
     * The {@code <os>} element of a domain that boots it directly, its console on the first serial
     * port (the domain gives that port a {@code <serial>} device).
     */
    public String osXml() {
        return """
                <os><type arch='x86_64' machine='pc'>hvm</type><kernel>%s</kernel><initrd>%s</initrd>\
                <cmdline>console=ttyS0 panic=-1</cmdline></os>""".formatted(kernel, initrd);
    }
}
