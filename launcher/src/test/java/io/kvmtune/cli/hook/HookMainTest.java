package io.kvmtune.cli.hook;

import io.kvmtune.core.apply.PreparedDomain;
import static org.assertj.core.api.Assertions.assertThat;

import io.kvmtune.core.claims.ClaimsLedger;
import io.kvmtune.core.cpu.CpuSet;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The libvirt hook protocol, in-process, with hostile input. */
class HookMainTest {

    static final String UUID = "6f0b2a51-8f5c-4d2e-9a53-2b7d8a3c1e90";

    @TempDir
    Path dir;

    HookSettings settings;

    record Result(int status, byte[] out, String err) {
        String outText() {
            return new String(out, StandardCharsets.UTF_8);
        }
    }

    @BeforeEach
    void settings() {
        settings = new HookSettings(dir.resolve("run/kvmtune/claims.json"), Optional.empty(), dir.resolve("libvirt"),
                Path.of("/proc"), Path.of("/"), dir.resolve("no-syslog"), dir.resolve("run/kvmtune"));
    }

    Result hook(byte[] stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = HookMain.run(List.of(args), new ByteArrayInputStream(stdin),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                settings);
        return new Result(status, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }

    Result hook(String stdin, String... args) {
        return hook(stdin.getBytes(StandardCharsets.UTF_8), args);
    }

    static String tuned(String name) {
        return "<domain type='kvm'><name>" + name + "</name><uuid>" + UUID + "</uuid><vcpu>2</vcpu>"
                + "<cpu mode='host-model'/><clock offset='utc'><timer name='hpet' present='no'/></clock><metadata>"
                + "<kvmtune:tuning xmlns:kvmtune='https://kvmtune.io/xmlns/tuning/1.0'>"
                + "<kvmtune:flavor-spec key='hw:cpu_policy'>dedicated</kvmtune:flavor-spec>"
                + "</kvmtune:tuning></metadata></domain>";
    }

    private List<Path> filesUnder(Path root) throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> !p.equals(root)).toList();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"prepare", "started", "stopped", "release", "reconnect"})
    void aDomainWithoutARequestIsLeftAloneSilently(String op) {
        Result r = hook("<domain><name>plain</name><uuid>" + UUID + "</uuid></domain>", "plain", op, "begin", "-");
        assertThat(r.status()).isZero();
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEmpty();
    }

    @Test
    void aDoctypeIsRefusedWithOneErrorLine() {
        Result r = hook("<!DOCTYPE domain><domain><name>a</name></domain>", "a", "prepare", "begin", "-");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err().lines()).singleElement().asString().startsWith("kvmtune: InvalidDomainXml: a prepare: ");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void anExternalEntityIsRefusedAndItsTargetNeverRead() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret"), "TOP-SECRET");
        Result r = hook("<!DOCTYPE domain [<!ENTITY s SYSTEM \"" + secret.toUri() + "\">]>"
                + "<domain><name>&s;</name></domain>", "a", "started", "begin", "-");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("InvalidDomainXml").doesNotContain("TOP-SECRET");
    }

    @Test
    void anEntityExpansionBombIsRefused() {
        StringBuilder dtd = new StringBuilder("<!DOCTYPE domain [<!ENTITY a0 \"lol\">");
        for (int i = 1; i <= 12; i++) {
            dtd.append("<!ENTITY a").append(i).append(" \"").append(("&a" + (i - 1) + ";").repeat(10)).append("\">");
        }
        Result r = hook(dtd + "]><domain><name>&a12;</name></domain>", "a", "prepare", "begin", "-");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("InvalidDomainXml");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../../etc/evil", "a/b", "..", "bad\nname", "esc\u001b[2J"})
    void aHostileDomainNameNeverReachesTheFileSystem(String name) throws Exception {
        // XML 1.0 cannot carry most control characters, so for those only the argument is hostile.
        String xmlName = name.chars().anyMatch(c -> c < 0x20) ? "placeholder" : name;
        Result r = hook(tuned(xmlName), name, "stopped", "end", "-");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).startsWith("kvmtune: Invalid: ").contains("domain name");
        assertThat(r.err().lines()).hasSize(1); // a newline in the name cannot forge a second log line
        assertThat(filesUnder(dir)).isEmpty();
    }

    @Test
    void theArgumentAndTheXmlMustNameTheSameDomain() {
        Result r = hook(tuned("vm1"), "vm2", "stopped", "end", "-");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("called for domain 'vm2' but the XML on stdin describes 'vm1'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"migrate", "restore"})
    void xmlFilterOperationsPassTheDocumentThroughByteForByte(String op) {
        byte[] xml = ("<?xml version='1.0' encoding='ISO-8859-1'?><domain><name>caf\u00e9</name></domain>")
                .getBytes(StandardCharsets.ISO_8859_1);
        Result r = hook(xml, "x", op, "begin", "-");
        assertThat(r.status()).isZero();
        assertThat(r.out()).isEqualTo(xml);
        assertThat(r.err()).isEmpty();
    }

    @Test
    void anOperationFromANewerLibvirtIsIgnored() {
        Result r = hook(tuned("vm1"), "vm1", "teleport", "begin", "-");
        assertThat(r.status()).isZero();
        assertThat(r.err()).isEmpty();
    }

    @Test
    void stoppedReleasesTheClaimOnceAndReleaseAfterItIsQuiet() {
        ClaimsLedger ledger = settings.ledger();
        ledger.claim(UUID, "vm1", taken -> CpuSet.of(2, 3));

        Result stopped = hook(tuned("vm1"), "vm1", "stopped", "end", "-");
        assertThat(stopped.status()).isZero();
        assertThat(stopped.err()).isEqualTo("kvmtune: vm1 stopped: released pCPUs 2-3" + System.lineSeparator());
        assertThat(ledger.read()).isEmpty();

        Result release = hook(tuned("vm1"), "vm1", "release", "end", "destroyed");
        assertThat(release.status()).isZero();
        assertThat(release.err()).isEmpty();
    }

    @Test
    void wrongArgumentCountIsAUsageError() {
        Result r = hook("", "vm1", "prepare");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).startsWith("kvmtune: Usage: hook takes DOMAIN OP SUBOP EXTRA");
    }

    @Test
    void onlyFiveArgumentCallsAreTheProtocolInstallAndHelpGoToPicocli() {
        assertThat(HookMain.isProtocolCall(new String[] {"hook", "vm", "prepare", "begin", "-"})).isTrue();
        assertThat(HookMain.isProtocolCall(new String[] {"hook", "install", "--hooks-dir", "/tmp", "x"})).isFalse();
        assertThat(HookMain.isProtocolCall(new String[] {"hook", "--help"})).isFalse();
        assertThat(HookMain.isProtocolCall(new String[] {"plan", "vm", "prepare", "begin", "-"})).isFalse();
    }

    /** Settings for a fake 8-CPU host dedicating 2-7 (no QEMU: libvirt's run directory stays empty). */
    private HookSettings onFakeHost() throws Exception {
        Path config = FakeHost.write(dir.resolve("host"), 8, "2-7", "0-1");
        return new HookSettings(settings.claimsFile(), Optional.of(config), settings.libvirtRunDir(), Path.of("/proc"),
                dir.resolve("host"), settings.syslogSocket(), settings.stateDir());
    }

    @Test
    void prepareKeepsThePlanItClaimedForStartedAndReleaseForgetsIt() throws Exception {
        settings = onFakeHost();
        Result prepare = hook(tuned("vm1"), "vm1", "prepare", "begin", "-");
        assertThat(prepare.status()).as(prepare.err()).isZero();
        PreparedDomain kept = settings.prepared().load(UUID).orElseThrow();
        assertThat(kept.name()).isEqualTo("vm1");
        assertThat(kept.qemu()).isEmpty();
        assertThat(settings.ledger().read()).singleElement()
                .satisfies(c -> assertThat(c.pcpus()).isEqualTo(kept.plan().claimedPcpus()));

        Result release = hook(tuned("vm1"), "vm1", "release", "end", "destroyed");
        assertThat(release.status()).isZero();
        assertThat(settings.prepared().load(UUID)).isEmpty();
        assertThat(settings.ledger().read()).isEmpty();
    }

    @Test
    void prepareRefusesADomainXmlThatWouldStartQemuOtherwiseThanThePlanAndClaimsNothing() throws Exception {
        settings = onFakeHost();
        String bare = tuned("vm1").replace("<cpu mode='host-model'/><clock offset='utc'><timer name='hpet' present='no'/>"
                + "</clock>", "");

        Result prepare = hook(bare, "vm1", "prepare", "begin", "-");

        assertThat(prepare.status()).isEqualTo(2);
        assertThat(prepare.err()).startsWith("kvmtune: StartSettingsDiffer: vm1 prepare: ")
                .contains("hpet: the plan says present=no").contains("cpu: the plan says mode host-model")
                .contains("kvmtune xml --domain-xml FILE").contains("start_settings_warn_only = hpet, cpu");
        assertThat(settings.ledger().read()).isEmpty();
        assertThat(settings.prepared().load(UUID)).isEmpty();
    }

    @Test
    void prepareOnlyWarnsAboutTheSettingsTheHostConfigurationLetsThrough() throws Exception {
        settings = onFakeHost();
        Files.writeString(settings.configFile().orElseThrow(), "[hook]\nstart_settings_warn_only = hpet, cpu\n",
                java.nio.file.StandardOpenOption.APPEND);
        String bare = tuned("vm1").replace("<cpu mode='host-model'/><clock offset='utc'><timer name='hpet' present='no'/>"
                + "</clock>", "");

        Result prepare = hook(bare, "vm1", "prepare", "begin", "-");

        assertThat(prepare.status()).as(prepare.err()).isZero();
        assertThat(prepare.err()).contains("warning: hpet: the plan says present=no")
                .contains("warning: cpu: the plan says mode host-model");
        assertThat(settings.ledger().read()).hasSize(1);
    }

    @Test
    void startedForADomainWhoseQemuIsNotRunningFailsSoLibvirtStopsIt() throws Exception {
        settings = onFakeHost();
        assertThat(hook(tuned("vm1"), "vm1", "prepare", "begin", "-").status()).isZero();
        Result started = hook(tuned("vm1"), "vm1", "started", "begin", "-");
        assertThat(started.status()).isEqualTo(4);
        assertThat(started.err().lines()).singleElement().asString()
                .startsWith("kvmtune: DomainNotRunning: vm1 started: ");
    }

    @Test
    void reconnectNeverFailsTheHookAndSaysWhyTheGuestStaysUntuned() throws Exception {
        settings = onFakeHost();
        Result reconnect = hook(tuned("vm1"), "vm1", "reconnect", "begin", "-");
        assertThat(reconnect.status()).isZero();
        assertThat(reconnect.err()).contains("DomainNotRunning").contains("keeps running untuned");
    }

    @Test
    void aUuidUnfitForAFileNameIsRefusedBeforeAnythingIsClaimed() throws Exception {
        settings = onFakeHost();
        Result r = hook(tuned("vm1").replace(UUID, "../../etc/passwd"), "vm1", "prepare", "begin", "-");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("InvalidDomainXml").contains("is not a UUID");
        assertThat(settings.ledger().read()).isEmpty();
        assertThat(dir.resolve("run/kvmtune/domains")).doesNotExist();
    }
}
