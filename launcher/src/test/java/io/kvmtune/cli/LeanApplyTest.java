package io.kvmtune.cli;

import static io.kvmtune.cli.CommandRun.kvmtune;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which calls {@link LeanApply} takes, and that it leaves every other form to picocli. */
class LeanApplyTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "apply --pid 4711 --plan p.json",
        "apply --plan p.json --pid 4711",
        "apply --pid 4711 --plan p.json --format json",
        "apply --pid 4711 --plan p.json --format JSON --dry-run --strict --force",
        "apply --format table --force --pid 0004711 --plan /run/x/plan.json",
    })
    void takesTheScriptForm(String args) {
        assertThat(LeanApply.parse(args.split(" "))).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "apply --pid 4711",
        "apply --plan p.json",
        "apply --pid 4711 --plan p.json --help",
        "apply --pid 4711 --plan p.json --qmp /run/q.sock",
        "apply --domain web1 --plan p.json",
        "apply --pid 4711 --plan p.json --vcpus 4",
        "apply --pid 4711 --plan p.json --config /etc/kvmtune/kvmtune.conf",
        "apply --pid=4711 --plan p.json",
        "apply --pid 4711 --plan p.json --format xml",
        "apply --pid 4711 --plan p.json --format",
        "apply --pid 4711 --plan --dry-run",
        "apply --pid 4711 --pid 4712 --plan p.json",
        "apply --pid 4711 --plan p.json --dry-run --dry-run",
        "apply --pid -1 --plan p.json",
        "apply --pid +4711 --plan p.json",
        "apply --pid 0x12 --plan p.json",
        "apply --pid 12345678901 --plan p.json",
        "apply --pid 4711 --plan p.json --",
        "plan --pid 4711 --plan p.json",
    })
    void leavesEveryOtherFormToPicocli(String args) {
        assertThat(LeanApply.parse(args.split(" "))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"table", "json"})
    void failsAsThePicocliCommandDoesWhenThereIsNoSuchProcess(String format) {
        String[] args = {"apply", "--pid", "999999999", "--plan", "/nonexistent/plan.json", "--format", format};
        CommandRun lean = CommandRun.main(args);
        assertThat(lean).isEqualTo(kvmtune(args));
        assertThat(lean.status()).isNotZero();
        assertThat(lean.err()).startsWith("kvmtune: ");
    }
}
