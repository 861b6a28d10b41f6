package io.kvmtune.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kvmtune.core.apply.PreparedDomain;
import io.kvmtune.core.apply.PreparedDomains;
import io.kvmtune.core.apply.TestGuests;
import io.kvmtune.core.cpu.CpuSet;
import io.kvmtune.core.json.Json;
import io.kvmtune.core.json.JsonObject;
import io.kvmtune.core.qemu.ThrowawayGuest;
import io.kvmtune.linux.LinuxException;
import io.kvmtune.linux.ProcConnector;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus server (Debian's {@code prometheus}), started on loopback by the test, scrapes
 * the agent while it follows a real paused QEMU; a query through Prometheus's HTTP API returns the
 * guest's tuned vCPUs. {@code promtool check metrics} accepts the agent's exposition.
 */
class PrometheusScrapeIT {

    private static final String UUID = "0b6c7e1a-98f2-4b7e-bd7e-2f1a9c3d4e55";

    @TempDir
    Path dir;

    @Test
    void prometheusScrapesTheAgentAndAnswersWithTheGuestsTunedVcpus() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/prometheus")), "prometheus is not installed (Debian package prometheus)");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/promtool")), "promtool is not installed (Debian package prometheus)");
        assumeTrue(ThrowawayGuest.binary().isPresent(), "qemu-system-x86_64 is not installed");
        try {
            ProcConnector.open(Duration.ofMillis(10)).close();
        } catch (LinuxException e) {
            assumeTrue(false, "the process events connector cannot be opened here: " + e.getMessage());
        }
        new PreparedDomains(dir.resolve("domains")).save(new PreparedDomain(UUID, "prom-it",
                TestGuests.realtimePlanOn(2, CpuSet.of(0, 1), CpuSet.of(0, 1)), Optional.empty()));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Agent agent = Agent.start(new AgentSettings(Optional.of(new InetSocketAddress("127.0.0.1", 0)), DriftMode.REPAIR,
                HotplugRuntime.AHEAD, AgentSettings.DEFAULT_EVENT_PRIORITY, Duration.ofMillis(200), dir, dir.resolve("libvirt"), Path.of("/proc"), dir.resolve("claims.json")),
                new PrintStream(log, true, StandardCharsets.UTF_8));
        Thread loop = Thread.ofPlatform().start(agent::run);
        int agentPort = agent.metricsPort().orElseThrow();
        int promPort = freePort();
        Path config = Files.writeString(dir.resolve("prometheus.yml"), """
                global:
                  scrape_interval: 1s
                scrape_configs:
                  - job_name: kvmtune-agent
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(agentPort));
        Process prometheus = new ProcessBuilder("/usr/bin/prometheus", "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + promPort)
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        try (ThrowawayGuest qemu = ThrowawayGuest.start(ThrowawayGuest.Options.defaults().withVcpus(2)
                .withArguments("-uuid", UUID))) {
            String query = "kvmtune_vcpu_info{guest=\"prom-it\"}";
            List<JsonObject> result = List.of();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (result.size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(500);
                result = query(promPort, query);
            }
            assertThat(result).as("Prometheus's answer to %s (log: %s)", query, dir.resolve("prometheus.log")).hasSize(2);
            assertThat(result).extracting(r -> r.object("metric").string("vcpu")).containsExactlyInAnyOrder("0", "1");
            assertThat(result).extracting(r -> r.object("metric").string("policy")).containsExactlyInAnyOrder("other", "fifo");
            assertThat(result).extracting(r -> r.object("metric").string("job")).containsOnly("kvmtune-agent");

            String exposition = get("http://127.0.0.1:" + agentPort + "/metrics");
            Process promtool = new ProcessBuilder("/usr/bin/promtool", "check", "metrics").redirectErrorStream(true).start();
            promtool.getOutputStream().write(exposition.getBytes(StandardCharsets.UTF_8));
            promtool.getOutputStream().close();
            String verdict = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(promtool.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(promtool.exitValue()).as("promtool check metrics said:%n%s", verdict).isZero();
        } finally {
            prometheus.destroy();
            prometheus.waitFor(30, TimeUnit.SECONDS);
            agent.stop();
            loop.join(5_000);
        }
    }

    private static List<JsonObject> query(int port, String promql) {
        try {
            JsonObject answer = Json.parseObject(get("http://127.0.0.1:" + port + "/api/v1/query?query="
                    + URLEncoder.encode(promql, StandardCharsets.UTF_8)));
            return answer.object("data").objects("result");
        } catch (Exception e) {
            return List.of();
        }
    }

    private static String get(String url) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        return r.body();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
