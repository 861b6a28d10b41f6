package io.kvmtune.cli;

import static io.kvmtune.cli.CommandRun.kvmtune;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kvmtune.core.apply.LibvirtTestDomain;
import io.kvmtune.core.qemu.ThrowawayGuest;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A guest with {@code hw:mem_page_size=2048} on this host: {@code kvmtune xml --domain-xml} checks
 * node 0's free 2 MiB pages (refusing while too few are reserved), writes {@code <hugepages>} and
 * {@code <numatune>}, and libvirt starts QEMU with its memory in a {@code memory-backend-file} on
 * hugetlbfs, bound to node 0.
 *
 * <p>libvirt learns where hugetlbfs is mounted only when its QEMU driver starts, and this host has
 * none mounted; the shared libvirtd is not restarted for one test. The guest is started by
 * libvirt's QEMU driver embedded in {@code virsh} ({@code qemu:///embed}, the same driver code
 * libvirtd runs) with a private root whose {@code qemu.conf} names a hugetlbfs mounted for the
 * test. Run under the host lock ({@code flock -o /tmp/kvmtune-host.lock}): it reserves huge pages
 * ({@code /proc/sys/vm/nr_hugepages}) and mounts a hugetlbfs, and puts both back.
 */
class LibvirtHugePagesIT {

    private static final Path NR_HUGEPAGES = Path.of("/proc/sys/vm/nr_hugepages");
    private static final Path NODE0_FREE =
            Path.of("/sys/devices/system/node/node0/hugepages/hugepages-2048kB/free_hugepages");
    private static final Path VIRSH = Path.of("/usr/bin/virsh");
    private static final String NAME = "kvmtune-it-hugepages";
    /** The guest's memory: 64 MiB, 32 pages of 2 MiB. */
    private static final int PAGES = 32;

    @TempDir
    Path dir;

    @Test
    void aGuestAskingFor2MiBPagesStartsOnHugetlbfsOnceThePagesAreReserved() throws Exception {
        assumeTrue(ThrowawayGuest.binary().isPresent(), "qemu-system-x86_64 is not installed");
        assumeTrue(Files.isExecutable(VIRSH), "virsh is not installed (libvirt-clients)");
        assumeTrue(Files.isWritable(NR_HUGEPAGES) && Files.exists(NODE0_FREE),
                "needs root and 2 MiB huge pages on NUMA node 0");
        Path base = Files.writeString(dir.resolve("base.xml"), "<domain type='" + LibvirtTestDomain.domainType() + "'><name>" + NAME + "</name>"
                + "<memory unit='MiB'>" + (2 * PAGES) + "</memory><vcpu>2</vcpu>"
                + "<os><type arch='x86_64' machine='pc'>hvm</type></os>"
                + "<devices><emulator>" + ThrowawayGuest.binary().get() + "</emulator></devices></domain>");
        Path conf = Files.writeString(dir.resolve("kvmtune.conf"), LibvirtTestDomain.libvirtSection());
        List<String> xmlCommand = List.of("xml", "--config", conf.toString(), "--claims", "none", "--flavor-spec",
                "hw:mem_page_size=2048", "--domain-xml", base.toString());

        String reserved = Files.readString(NR_HUGEPAGES).strip();
        Path mount = Files.createDirectories(dir.resolve("hugetlbfs"));
        boolean mounted = false;
        Process virsh = null;
        try {
            if (freeOnNode0() < PAGES) {
                CommandRun refused = kvmtune(xmlCommand.toArray(String[]::new));
                assertThat(refused.status()).as(refused.err()).isEqualTo(5);
                assertThat(refused.err()).contains("DoesNotFit").contains("hw:mem_page_size=2048")
                        .contains("free 2048 KiB pages");
            }
            Files.writeString(NR_HUGEPAGES, Long.toString(Long.parseLong(reserved) + PAGES + 8));
            assumeTrue(freeOnNode0() >= PAGES, "the kernel could not reserve " + PAGES + " huge pages on node 0");

            CommandRun xml = kvmtune(xmlCommand.toArray(String[]::new));
            assertThat(xml.status()).as(xml.err()).isZero();
            assertThat(xml.out()).contains("<page size=\"2048\" unit=\"KiB\"/>")
                    .contains("<memory mode=\"strict\" nodeset=\"0\"/>");
            Path domain = Files.writeString(dir.resolve("domain.xml"), xml.out());

            mounted = run("mount", "-t", "hugetlbfs", "-o", "pagesize=2M", "none", mount.toString()) == 0;
            assertThat(mounted).as("mount -t hugetlbfs").isTrue();
            Path root = Files.createDirectories(dir.resolve("libvirt-root/etc"));
            Files.writeString(root.resolve("qemu.conf"), "user = \"root\"\ngroup = \"root\"\nsecurity_driver = \"none\"\n"
                    + "hugetlbfs_mount = \"" + mount + "\"\n");
            virsh = new ProcessBuilder(VIRSH.toString(), "-q", "-c", "qemu:///embed?root=" + root.getParent())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("virsh.log").toFile()).start();
            send(virsh, "define " + domain + "\nstart " + NAME + " --paused\n");

            long pid = awaitQemu();
            assertThat(pid).as("QEMU of " + NAME + " started; virsh said: " + Files.readString(dir.resolve("virsh.log")))
                    .isPositive();
            List<String> cmdline = List.of(Files.readString(Path.of("/proc/" + pid + "/cmdline")).split("\0"));
            String backend = cmdline.stream().filter(a -> a.contains("\"memory-backend-file\"")).findFirst().orElse("");
            assertThat(backend).as(String.join(" ", cmdline)).contains("\"mem-path\":\"" + mount + "/")
                    .contains("\"prealloc\":true").contains("\"host-nodes\":[0]").contains("\"policy\":\"bind\"");
            System.out.println("LibvirtHugePagesIT: QEMU memory backend " + backend);
        } finally {
            if (virsh != null) {
                send(virsh, "destroy " + NAME + "\nundefine " + NAME + "\nquit\n");
                if (!virsh.waitFor(30, TimeUnit.SECONDS)) {
                    virsh.destroyForcibly();
                }
                OptionalLong left = findQemu();
                if (left.isPresent()) {
                    ProcessHandle.of(left.getAsLong()).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
            if (mounted) {
                run("umount", mount.toString());
            }
            Files.writeString(NR_HUGEPAGES, reserved);
        }
    }

    private static long freeOnNode0() throws IOException {
        return Long.parseLong(Files.readString(NODE0_FREE).strip());
    }

    private static void send(Process virsh, String commands) {
        try {
            OutputStream in = virsh.getOutputStream();
            in.write(commands.getBytes(StandardCharsets.UTF_8));
            in.flush();
        } catch (IOException e) {
            // virsh has exited; the cleanup below finds any QEMU it left
        }
    }

    private static long awaitQemu() throws InterruptedException {
        for (int i = 0; i < 60; i++) {
            OptionalLong pid = findQemu();
            if (pid.isPresent()) {
                return pid.getAsLong();
            }
            Thread.sleep(500);
        }
        return -1;
    }

    /** The QEMU libvirt started for the test's domain ({@code -name guest=NAME,...}), found in /proc. */
    private static OptionalLong findQemu() {
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path p : procs) {
                try {
                    String cmdline = Files.readString(p.resolve("cmdline"), StandardCharsets.ISO_8859_1);
                    if (cmdline.contains("guest=" + NAME + ",")) {
                        return OptionalLong.of(Long.parseLong(p.getFileName().toString()));
                    }
                } catch (IOException gone) {
                    // the process exited while the directory was listed
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
        return OptionalLong.empty();
    }

    private static int run(String... command) throws IOException, InterruptedException {
        return new ProcessBuilder(command).inheritIO().start().waitFor();
    }
}
