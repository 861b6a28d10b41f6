package io.kvmtune.cli;

import io.kvmtune.cli.hook.HookSettings;
import io.kvmtune.core.apply.PreparedDomain;
import io.kvmtune.core.apply.Applier;
import io.kvmtune.core.KvmtuneException;
import io.kvmtune.core.cpumodel.KvmCpuidCache;
import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.json.Json;
import io.kvmtune.core.plan.TuningPlan;
import io.kvmtune.core.qemu.QemuThread;
import io.kvmtune.core.qemu.ThrowawayGuest;
import io.kvmtune.core.topology.SysfsTopologyReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The training run behind the launcher scripts' JDK AOT cache (JEP 514): run once with
 * {@code -XX:AOTCacheOutput}, it runs {@code kvmtune --version}, the libvirt hook's
 * {@code prepare}, {@code started} and {@code stopped} calls as libvirt makes them, and then
 * {@code kvmtune apply --pid PID --plan FILE} on the same guest as scripts run it, so that their
 * later runs start with those classes loaded and linked and the method profiles of this run.
 *
 * <p>The guest is a real QEMU, started paused and never resumed ({@link ThrowawayGuest}, 2 vCPUs,
 * KVM or TCG), described to the hook by a libvirt status file written here, with the request most
 * realtime guests carry: vCPU 0 shared, vCPU 1 realtime on a dedicated pCPU (on a host with one
 * CPU, or where that cannot be planned, both vCPUs shared). {@code stopped} puts everything back.
 * A hook call that fails (no CAP_SYS_NICE for SCHED_FIFO when not run as root) is reported on
 * stderr and the run goes on: a cache trained on part of the path still helps. Without QEMU only
 * {@code --version} and {@code prepare} are trained. Nothing outside the given directory and the
 * guest is written. Not a command: the scripts call it by class name.
 */
public final class AotTraining {

    private static final String DOMAIN = "kvmtune-aot-training";
    private static final String UUID = "00000000-0000-4000-8000-000000000000";
    private static final String NAMESPACE = "https://kvmtune.io/xmlns/tuning/1.0";

    private AotTraining() {
    }

    /** @param args one directory for the training run's ledger, records, configuration and status file */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        PrintStream discard = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        Main.run(new String[] {"--version"}, new ByteArrayInputStream(new byte[0]), discard, discard);

        CpuSet online = SysfsTopologyReader.readHost().online();
        Path config = dir.resolve("kvmtune.conf");
        Files.writeString(config, "[compute]\ncpu_shared_set = " + online.first() + "\n"
                + (online.size() > 1 ? "cpu_dedicated_set = " + online.last() + "\n" : ""));
        // The hook's own way to its paths (Main reads them from these properties), so that it is trained too.
        System.setProperty("kvmtune.claims", dir.resolve("claims.json").toString());
        System.setProperty("kvmtune.config", config.toString());
        System.setProperty("kvmtune.libvirt.run", dir.resolve("libvirt").toString());
        System.setProperty("kvmtune.syslog", dir.resolve("no-syslog").toString());
        System.setProperty("kvmtune.state", dir.resolve("state").toString());

        trainCpuModelRules(dir);
        boolean realtime = online.size() > 1 && hook("prepare", domainXml(true));
        String domainXml = domainXml(realtime);
        if (!realtime) {
            hook("prepare", domainXml);
        }
        ThrowawayGuest guest;
        try {
            guest = ThrowawayGuest.start(new ThrowawayGuest.Options(2, 64, DOMAIN, true, List.of(),
                    ThrowawayGuest.Accelerator.AUTO, List.of("-uuid", UUID)));
        } catch (KvmtuneException noQemu) {
            System.err.println("no started hook to train: " + noQemu.getMessage());
            hook("release", domainXml);
            return;
        }
        HookSettings settings = HookSettings.fromSystemProperties();
        try (guest) {
            Optional<TuningPlan> kept;
            try {
                writeStatusFile(settings, guest.pid());
                hook("started", domainXml);
                kept = settings.prepared().load(UUID).map(PreparedDomain::plan);
            } finally {
                hook("stopped", domainXml);
            }
            if (kept.isPresent()) {
                applyAsScriptsDo(dir, kept.get(), guest.pid(), settings);
            }
        }
    }

    /**
     * {@code kvmtune apply --pid PID --plan FILE} as a script runs it ({@link LeanApply}), with the
     * plan the hook kept, twice, then a restore. Only picocli-free paths are trained: a cached class
     * that refers to picocli's would make every start of the JVM load picocli (whose classes the
     * cache cannot hold) to check it.
     */
    private static void applyAsScriptsDo(Path dir, TuningPlan plan, int pid, HookSettings settings) throws IOException {
        Path file = Files.writeString(dir.resolve("plan.json"), Json.pretty(plan));
        PrintStream discard = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        String[] apply = {"apply", "--pid", Integer.toString(pid), "--plan", file.toString()};
        if (Main.run(apply, InputStream.nullInputStream(), discard, System.err) == 0) {
            // the second run finds the first one's record and merges with it, as any re-apply does
            Main.run(apply, InputStream.nullInputStream(), discard, System.err);
            Applier.system(settings.records()).restore(pid);
        }
    }

    /**
     * Nova's CPU-model rules as a prepare hook runs them under {@code cpu_mode=custom}: libvirt's
     * cpu_map and /proc/cpuinfo read and compared, so that the XML parser's classes are in the
     * cache. Whether this host can run the model does not matter for that.
     */
    private static void trainCpuModelRules(Path dir) throws IOException {
        Path custom = Files.writeString(dir.resolve("cpu-models.conf"),
                "[libvirt]\ncpu_mode = custom\ncpu_models = qemu64\n");
        // twice: KVM asked and its offer kept, then the kept offer read, as the hook's later prepares do
        Optional<Path> kvmCpuid = Optional.of(dir.resolve("state").resolve(KvmCpuidCache.FILE_NAME));
        for (int run = 0; run < 2; run++) {
            try {
                HostInputs.read(Optional.of(custom), Optional.empty(), Path.of("/"), kvmCpuid);
            } catch (KvmtuneException notHere) {
                System.err.println("CPU-model rules trained up to: " + notHere.getMessage());
            }
        }
    }

    /** Runs one hook call as libvirt would; true when it succeeded. */
    private static boolean hook(String operation, String domainXml) {
        PrintStream discard = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        return Main.run(new String[] {"hook", DOMAIN, operation, "begin", "-"},
                new ByteArrayInputStream(domainXml.getBytes(StandardCharsets.UTF_8)), discard, System.err) == 0;
    }

    private static String domainXml(boolean realtime) {
        return "<domain type='kvm'><name>" + DOMAIN + "</name><uuid>" + UUID + "</uuid><vcpu>2</vcpu><metadata>"
                + "<k:tuning xmlns:k='" + NAMESPACE + "'>"
                + (realtime
                        ? "<k:flavor-spec key='hw:cpu_policy'>mixed</k:flavor-spec>"
                                + "<k:flavor-spec key='hw:cpu_realtime'>yes</k:flavor-spec>"
                                + "<k:flavor-spec key='hw:cpu_realtime_mask'>^0</k:flavor-spec>"
                        : "<k:flavor-spec key='hw:cpu_policy'>shared</k:flavor-spec>")
                + "</k:tuning></metadata></domain>";
    }

    /** What libvirt keeps in /run/libvirt/qemu/NAME.xml for a running domain, as far as the hook reads it. */
    private static void writeStatusFile(HookSettings settings, int pid) throws IOException {
        List<QemuThread> threads = settings.discovery().discover(pid, Optional.empty(), false).guest().vcpus();
        StringBuilder vcpus = new StringBuilder();
        for (int index = 0; index < threads.size(); index++) {
            vcpus.append("<vcpu id='").append(index).append("' pid='").append(threads.get(index).tid()).append("'/>");
        }
        Files.createDirectories(settings.libvirtRunDir());
        Files.writeString(settings.libvirtRunDir().resolve(DOMAIN + ".xml"), "<domstatus state='running' pid='" + pid
                + "'><vcpus>" + vcpus + "</vcpus><domain type='kvm'><name>" + DOMAIN + "</name><uuid>" + UUID
                + "</uuid></domain></domstatus>\n");
    }
}
