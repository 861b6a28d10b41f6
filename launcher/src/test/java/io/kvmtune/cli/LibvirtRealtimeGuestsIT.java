package io.kvmtune.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvmtune.cli.hook.TaskState;
import io.kvmtune.core.apply.LibvirtTestDomain;
import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.json.Json;
import io.kvmtune.core.json.JsonObject;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Several realtime libvirt guests on one host with RT group scheduling (issue 13, item 3): three
 * guests started A, B, C and stopped B, A, C share the realtime runtime the root allows equally
 * (950000, 475000, 316666 us per realtime vCPU group), every realtime vCPU stays SCHED_FIFO at
 * the planned priority while its guest runs, and after the last one every budget is back to its
 * value before A. This host has 2 CPUs, so the guests share the dedicated pCPU
 * ({@code --claims none}): the budgets are what this test is about.
 */
class LibvirtRealtimeGuestsIT extends OnOperatorHost {

    private static final long PERIOD = 1_000_000;

    private Path config;
    private final Map<String, LibvirtTestDomain> running = new LinkedHashMap<>();

    @BeforeEach
    void configure() {
        config = host.config("");
    }

    private LibvirtTestDomain start(String name) {
        LibvirtTestDomain d = host.start(name, "<vcpu placement='static'>2</vcpu>"
                + "<clock offset='utc'><timer name='hpet' present='no'/></clock>");
        running.put(name, d);
        return d;
    }

    /** Starts and tunes guest {@code name}; returns its JSON apply report. */
    private JsonObject startRealtime(String name) {
        return applyRealtime(start(name));
    }

    private JsonObject applyRealtime(LibvirtTestDomain d) {
        CommandRun applied = host.kvmtune("apply", "--domain", d.name(), "--config", config.toString(), "--claims", "none",
                "--format", "json", "--flavor-spec", "hw:cpu_policy=mixed", "--flavor-spec", "hw:cpu_realtime=yes",
                "--flavor-spec", "hw:cpu_realtime_mask=^0");
        assertThat(applied.status()).as(applied.out() + applied.err()).isZero();
        return Json.parseObject(applied.out());
    }

    /** Every running guest's realtime vCPU is FIFO:1 on the dedicated pCPU, and its group has {@code runtime}. */
    private void assertEachRealtimeVcpuGets(long runtime) throws Exception {
        for (LibvirtTestDomain d : running.values()) {
            TaskState vcpu1 = TaskState.all(d.pid()).stream().filter(t -> t.comm().equals(LibvirtTestDomain.vcpuThreadName(1))).findFirst()
                    .orElseThrow();
            assertThat(vcpu1.policy()).as(d.name() + " " + vcpu1).isEqualTo(TaskState.SCHED_FIFO);
            assertThat(vcpu1.rtPriority()).as(d.name() + " " + vcpu1).isEqualTo(1);
            assertThat(vcpu1.cpusAllowed()).isEqualTo(CpuSet.of(host.dedicated()));
            CommandRun show = host.kvmtune("show", "--domain", d.name(), "--format", "json");
            assertThat(show.status()).as(show.err()).isZero();
            @SuppressWarnings("unchecked")
            List<Object> rows = (List<Object>) Json.parse(show.out());
            JsonObject row = rows.stream().map(o -> JsonObject.of(o, "$"))
                    .filter(r -> r.string("role").equals("vcpu1")).findFirst().orElseThrow();
            assertThat(row.integer("rt_runtime_us")).as(d.name() + " vcpu1 runtime").isEqualTo(runtime);
            assertThat(row.integer("rt_period_us")).isEqualTo(PERIOD);
        }
    }

    private void stopStale(String name) {
        assertThat(running.remove(name).destroy().exitCode()).isZero();
        CommandRun stale = host.kvmtune("restore", "--stale");
        assertThat(stale.status()).as(stale.out() + stale.err()).isZero();
        assertThat(stale.err()).contains("cleaned up apply record of QEMU pid");
    }

    @Test
    void threeRealtimeGuestsStartedABCAndStoppedBACShareTheRuntimeAndGiveAllOfItBack() throws Exception {
        LibvirtTestDomain guestA = start("a");
        // read once A runs: libvirt makes /machine at the first start of a domain
        long machineBefore = OperatorHost.rtRuntime("machine");
        long root = OperatorHost.rtRuntime("");
        JsonObject a = applyRealtime(guestA);
        assertThat(a.objects("realtime")).singleElement().satisfies(g -> {
            assertThat(g.string("vcpu")).isEqualTo("vcpu1");
            assertThat(g.integer("runtime_us")).isEqualTo(root);
        });
        assertThat(a.string("realtime_note")).contains("rt.group-sched");
        assertEachRealtimeVcpuGets(root);

        JsonObject b = startRealtime("b");
        assertThat(b.objects("realtime").getFirst().integer("runtime_us")).isEqualTo(root / 2);
        assertEachRealtimeVcpuGets(root / 2);

        startRealtime("c");
        assertEachRealtimeVcpuGets(root / 3);
        assertThat(OperatorHost.rtRuntime("machine")).isEqualTo(root / 3 * 3);

        stopStale("b");
        assertEachRealtimeVcpuGets(root / 2);

        running.remove("a");
        CommandRun restored = host.kvmtune("restore", "--domain", guestA.name());
        assertThat(restored.status()).as(restored.out() + restored.err()).isZero();
        assertThat(guestA.destroy().exitCode()).isZero();
        assertEachRealtimeVcpuGets(root);

        stopStale("c");
        assertThat(OperatorHost.rtRuntime("machine")).as("/machine back to its value before A").isEqualTo(machineBefore);
    }
}
