package io.kvmtune.cli;

import static io.kvmtune.cli.CommandRun.kvmtune;
import static org.assertj.core.api.Assertions.assertThat;

import io.kvmtune.core.json.Json;
import io.kvmtune.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Exit codes and error formats of CLI.md, exercised in-process. */
class CommandLineContractTest {

    private static JsonObject error(CommandRun run) {
        return Json.parseObject(run.out()).object("error");
    }

    @Test
    void versionFastPathAndPicocliPrintTheSameLine() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = Main.run(new String[] {"--version"}, new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        assertThat(status).isZero();
        String fast = out.toString(StandardCharsets.UTF_8).strip();
        assertThat(fast).matches("kvmtune \\S+ \\(Java .+\\)");
        assertThat(kvmtune("plan", "--version").out().strip()).isEqualTo(fast);
        assertThat(kvmtune("--version").out().strip()).isEqualTo(fast);
    }

    @Test
    void anUnknownOptionIsAUsageErrorOnOneStderrLine() {
        CommandRun run = kvmtune("plan", "--bogus");
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err().lines()).singleElement().asString()
                .startsWith("kvmtune: Usage: Unknown option: '--bogus'");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void withJsonFormatTheErrorObjectAlsoGoesToStdout() {
        CommandRun run = kvmtune("plan", "--format", "json", "--bogus");
        assertThat(run.status()).isEqualTo(2);
        assertThat(error(run).string("code")).isEqualTo("Usage");
        assertThat(error(run).string("message")).contains("--bogus");
        assertThat(kvmtune("plan", "--format=json", "--bogus").status()).isEqualTo(2);
    }

    @Test
    void aBadOptionValueNamesTheKeyAndValueInJson() {
        CommandRun run = kvmtune("plan", "--format", "json", "--vcpus", "0");
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("kvmtune: Invalid: --vcpus must be at least 1, not 0" + System.lineSeparator());
        JsonObject e = error(run);
        assertThat(e.string("code")).isEqualTo("Invalid");
        assertThat(e.string("key")).isEqualTo("--vcpus");
        assertThat(e.string("value")).isEqualTo("0");
    }

    @Test
    void aFlavorSpecGivenTwiceOrWithoutValueIsInvalidInput() {
        CommandRun twice = kvmtune("plan", "--vcpus", "2", "--flavor-spec", "hw:cpu_policy=dedicated",
                "--flavor-spec", "hw:cpu_policy=shared");
        assertThat(twice.status()).isEqualTo(2);
        assertThat(twice.err()).contains("hw:cpu_policy is given twice");
        CommandRun bare = kvmtune("plan", "--vcpus", "2", "--image-prop", "hw_time_hpet");
        assertThat(bare.status()).isEqualTo(2);
        assertThat(bare.err()).contains("--image-prop takes KEY=VALUE");
    }

    @Test
    void noCommandIsAUsageErrorListingTheCommands() {
        CommandRun run = kvmtune();
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("plan, apply, show, verify, restore, xml, hook, hostprep, cpu-models, demo, probe");
    }

    @Test
    void targetsAreExactlyOneOfPidAndDomain() {
        assertThat(kvmtune("show", "--pid", "1", "--domain", "x").status()).isEqualTo(2);
        assertThat(kvmtune("restore").status()).isEqualTo(2);
    }

    @Test
    void xmlFormatOnlyWhereCliMdAllowsIt() {
        CommandRun run = kvmtune("show", "--pid", "1", "--format", "xml");
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("--format xml is not available for kvmtune show");
        assertThat(kvmtune("plan", "--format", "yaml").status()).isEqualTo(2);
    }

    @Test
    void aSpecNovaRejectsIsExitTwoWithNovasExceptionName() {
        CommandRun run = kvmtune("plan", "--format", "json", "--claims", "none", "--vcpus", "2",
                "--flavor-spec", "hw:cpu_realtime=yes");
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).startsWith("kvmtune: RealtimeConfigurationInvalid: ");
        JsonObject e = error(run);
        assertThat(e.string("code")).isEqualTo("RealtimeConfigurationInvalid");
        assertThat(e.string("key")).isEqualTo("hw:cpu_realtime");
    }

    @Test
    void aRequestTheHostCannotHoldIsExitFive(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path topology = java.nio.file.Files.writeString(dir.resolve("topo.json"),
                "{\"online\": \"0-3\", \"nodes\": [{\"id\": 0, \"cpus\": \"0-3\"}]}");
        java.nio.file.Path config = java.nio.file.Files.writeString(dir.resolve("kvmtune.conf"),
                "[compute]\ncpu_dedicated_set = 2-3\n");
        CommandRun run = kvmtune("plan", "--config", config.toString(), "--topology", topology.toString(),
                "--claims", "none", "--vcpus", "4", "--flavor-spec", "hw:cpu_policy=dedicated");
        assertThat(run.status()).isEqualTo(5);
        assertThat(run.err()).startsWith("kvmtune: DoesNotFit: ");
    }

    @Test
    void planPrintsTheJsonOfCliMdForADeclaredHost(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path topology = java.nio.file.Files.writeString(dir.resolve("topo.json"),
                "{\"online\": \"0-7\", \"nodes\": [{\"id\": 0, \"cpus\": \"0-7\"}]}");
        java.nio.file.Path config = java.nio.file.Files.writeString(dir.resolve("kvmtune.conf"),
                "[compute]\ncpu_dedicated_set = 2-7\ncpu_shared_set = 0-1\n");
        CommandRun run = kvmtune("plan", "--format", "json", "--config", config.toString(), "--topology",
                topology.toString(), "--claims", "none", "--vcpus", "2", "--flavor-spec", "hw:cpu_policy=dedicated",
                "--flavor-spec", "hw:cpu_realtime=yes", "--flavor-spec", "hw:cpu_realtime_mask=^0");
        assertThat(run.status()).as(run.err()).isZero();
        JsonObject plan = Json.parseObject(run.out());
        assertThat(plan.objects("vcpus")).hasSize(2);
        assertThat(plan.object("realtime").array("vcpus")).containsExactly(1L);
    }

    @Test
    void aPageSizeNeedsTheMemorySizeAndGetsHugePagesFromTheNodeThatHasThem(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path topology = java.nio.file.Files.writeString(dir.resolve("topo.json"), """
                {"online": "0-3", "nodes": [{"id": 0, "cpus": "0-1", "memory_mb": 4096},
                  {"id": 1, "cpus": "2-3", "memory_mb": 4096, "hugepages": [{"size_kb": 2048, "total": 512}]}]}""");
        // an empty host configuration: every CPU shared (a kvmtune.conf on the machine would change the outcome)
        String config = java.nio.file.Files.writeString(dir.resolve("kvmtune.conf"), "").toString();
        CommandRun without = kvmtune("plan", "--config", config, "--topology", topology.toString(), "--claims", "none", "--vcpus", "2",
                "--flavor-spec", "hw:mem_page_size=2048");
        assertThat(without.status()).isEqualTo(2);
        assertThat(without.err()).contains("--memory-mb");

        CommandRun run = kvmtune("plan", "--format", "json", "--config", config, "--topology", topology.toString(),
                "--claims", "none", "--vcpus", "2", "--memory-mb", "1024", "--flavor-spec", "hw:mem_page_size=2048");
        assertThat(run.status()).as(run.err()).isZero();
        JsonObject memory = Json.parseObject(run.out()).object("memory");
        assertThat(memory.integer("hugepage_size_kib")).isEqualTo(2048);
        assertThat(memory.array("hugepage_host_nodes")).containsExactly(1L);

        CommandRun tooBig = kvmtune("plan", "--config", config, "--topology", topology.toString(), "--claims", "none",
                "--vcpus", "2",
                "--memory-mb", "2048", "--flavor-spec", "hw:mem_page_size=2048");
        assertThat(tooBig.status()).isEqualTo(5);
        assertThat(tooBig.err()).startsWith("kvmtune: DoesNotFit: ");
    }

    @Test
    void aCommandLineBuiltForOneSubcommandDescribesItExactlyAsTheWholeTreeDoes() {
        PrintWriter none = new PrintWriter(Writer.nullWriter());
        CommandLine whole = Cli.create(none, none);
        assertThat(whole.getSubcommands()).hasSize(12);
        whole.getSubcommands().forEach((name, full) -> {
            CommandLine single = Cli.forArguments(new String[] {name, "--help"}, none, none);
            assertThat(single.getSubcommands()).containsOnlyKeys(name);
            assertThat(usage(single.getSubcommands().get(name))).as(name).isEqualTo(usage(full));
            full.getSubcommands().forEach((nested, fullNested) -> assertThat(
                    usage(single.getSubcommands().get(name).getSubcommands().get(nested)))
                    .as(name + " " + nested).isEqualTo(usage(fullNested)));
        });
        assertThat(Cli.forArguments(new String[] {"--help"}, none, none).getSubcommands().keySet())
                .containsExactlyElementsOf(whole.getSubcommands().keySet());
    }

    private static String usage(CommandLine commandLine) {
        StringWriter text = new StringWriter();
        commandLine.usage(new PrintWriter(text));
        return text.toString();
    }
}
