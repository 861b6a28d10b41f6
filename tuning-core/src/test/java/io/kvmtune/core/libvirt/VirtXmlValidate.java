package io.kvmtune.core.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kvmtune.core.apply.LibvirtTestDomain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Checks XML that {@code kvmtune xml} writes against libvirt's own domain schema with
 * {@code virt-xml-validate FILE domain} (package libvirt-clients; it needs xmllint from
 * libxml2-utils). A test that has no validator is skipped with the reason.
 */
public final class VirtXmlValidate {

    private static final Path TOOL = Path.of("/usr/bin/virt-xml-validate");

    private VirtXmlValidate() {
    }

    /** Asserts that {@code xml} is a valid libvirt domain; {@code dir} holds the file it checks. */
    public static void assertValidDomain(String xml, Path dir) {
        assumeTrue(Files.isExecutable(TOOL), TOOL + " is not installed (libvirt-clients, libxml2-utils)");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/xmllint")), "xmllint is not installed (libxml2-utils)");
        try {
            Path file = Files.createTempFile(dir, "domain-", ".xml");
            Files.writeString(file, xml);
            Process p = new ProcessBuilder(TOOL.toString(), file.toString(), "domain").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("virt-xml-validate finished").isTrue();
            assertThat(p.exitValue()).as("virt-xml-validate " + file + " domain:\n" + out + "\n" + xml).isZero();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Asserts that the fragments {@code kvmtune xml} prints without {@code --domain-xml} make a
     * valid domain when pasted into a minimal one with {@code vcpus} vCPUs.
     */
    public static void assertValidFragments(String fragments, int vcpus, Path dir) {
        assertValidDomain(pasted(fragments, vcpus, "paste-test"), dir);
    }

    /** A minimal domain named {@code name} holding {@code fragments}, of this host's {@link LibvirtTestDomain#domainType}. */
    public static String pasted(String fragments, int vcpus, String name) {
        return """
                <domain type='%s'>
                  <name>%s</name>
                  <memory unit='MiB'>64</memory>
                  <vcpu placement='static'>%d</vcpu>
                  <os><type arch='x86_64' machine='pc'>hvm</type></os>
                  %s
                  <on_poweroff>destroy</on_poweroff>
                  <devices>
                    <emulator>/usr/bin/qemu-system-x86_64</emulator>
                    <memballoon model='none'/>
                  </devices>
                </domain>
                """.formatted(LibvirtTestDomain.domainType(), name, vcpus, fragments);
    }
}
