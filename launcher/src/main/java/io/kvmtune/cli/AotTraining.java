package io.kvmtune.cli;

import io.kvmtune.cli.hook.HookMain;
import io.kvmtune.cli.hook.HookSettings;
import io.kvmtune.core.apply.Applier;
import io.kvmtune.core.apply.ApplyOptions;
import io.kvmtune.core.apply.KernelThreadControl;
import io.kvmtune.core.apply.RestoreReport;
import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.qemu.DiscoveredGuest;
import io.kvmtune.core.qemu.DomainName;
import io.kvmtune.core.qemu.ProcFs;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * The training run behind the launcher scripts' JDK AOT cache (JEP 514): run once with
 * {@code -XX:AOTCacheOutput}, it loads and links what {@code kvmtune --version} and the libvirt
 * hook's {@code prepare}, {@code started} and {@code release} use, so that their later runs start
 * with those classes and the FFM downcall stubs already in the cache.
 *
 * <p>It needs no QEMU: a thread of this JVM named like a vCPU ({@code CPU 0/KVM}) stands in for
 * one, found through a libvirt status file written for this process, and gets the affinity and
 * scheduling calls of an apply, verify and restore; every value is put back, and nothing outside
 * the given directory is written. Not a command: the scripts call it by class name.
 */
public final class AotTraining {

    private static final String DOMAIN = "kvmtune-aot-training";
    private static final String UUID = "00000000-0000-4000-8000-000000000000";

    private AotTraining() {
    }

    /** @param args one directory for the training run's ledger, records and status file */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        PrintStream discard = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        Main.run(new String[] {"--version"}, new ByteArrayInputStream(new byte[0]), discard, discard);
        HookSettings settings = new HookSettings(dir.resolve("claims.json"), Optional.empty(), dir.resolve("libvirt"),
                Path.of("/proc"), Path.of("/"), dir.resolve("no-syslog"), dir.resolve("state"));
        hook(settings, "prepare");
        CountDownLatch done = new CountDownLatch(1);
        Thread vcpu = Thread.ofPlatform().name("CPU 0/KVM").daemon().start(() -> {
            try {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            trainStarted(settings, vcpuTid());
        } finally {
            done.countDown();
            vcpu.join();
        }
        hook(settings, "release");
    }

    /** What the started hook does after prepare: discover through the status file, apply, verify, restore. */
    private static void trainStarted(HookSettings settings, int tid) throws IOException {
        int pid = Math.toIntExact(ProcessHandle.current().pid());
        Files.createDirectories(settings.libvirtRunDir());
        Files.writeString(settings.libvirtRunDir().resolve(DOMAIN + ".xml"), "<domstatus state='running' pid='" + pid
                + "'><vcpus><vcpu id='0' pid='" + tid + "'/></vcpus><domain type='kvm'/></domstatus>\n");
        DiscoveredGuest found = settings.discovery().discoverDomain(new DomainName(DOMAIN), Optional.empty(), true);
        KernelThreadControl kernel = new KernelThreadControl(ProcFs.system());
        CpuSet allowed = kernel.affinity(tid);
        // Narrowed first, so that applying the prepared plan (vCPU 0 floating on every CPU) sets it back.
        kernel.setAffinity(tid, CpuSet.of(allowed.first()));
        kernel.setScheduling(tid, kernel.scheduling(tid));
        Applier applier = Applier.system(settings.records());
        applier.apply(settings.prepared().load(UUID).orElseThrow().plan(), found.guest(), ApplyOptions.defaults());
        applier.verify(pid);
        RestoreReport restored = applier.restore(pid);
        kernel.setAffinity(tid, allowed);
        if (!restored.complete()) {
            throw new IllegalStateException("training restore incomplete: " + restored.failures());
        }
    }

    private static void hook(HookSettings settings, String operation) {
        String xml = "<domain type='kvm'><name>" + DOMAIN + "</name><uuid>" + UUID + "</uuid><vcpu>1</vcpu><metadata>"
                + "<k:tuning xmlns:k='https://kvmtune.io/xmlns/tuning/1.0'>"
                + "<k:flavor-spec key='hw:cpu_policy'>shared</k:flavor-spec></k:tuning></metadata></domain>";
        PrintStream discard = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        int status = HookMain.run(List.of(DOMAIN, operation, "begin", "-"),
                new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), discard, System.err, settings);
        if (status != 0) {
            throw new IllegalStateException("training hook " + operation + " exited " + status);
        }
    }

    private static int vcpuTid() throws IOException {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                if (Files.readString(task.resolve("comm")).strip().equals("CPU 0/KVM")) {
                    return Integer.parseInt(task.getFileName().toString());
                }
            }
        }
        throw new IllegalStateException("the stand-in vCPU thread has no name 'CPU 0/KVM' in /proc/self/task");
    }
}
