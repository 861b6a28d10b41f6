package io.kvmtune.core.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvmtune.core.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DomainXmlReaderTest {

    static final String TUNED = """
            <domain type='kvm' id='3'>
              <name>rt1</name>
              <uuid>6f0b2a51-8f5c-4d2e-9a53-2b7d8a3c1e90</uuid>
              <metadata>
                <kvmtune:tuning xmlns:kvmtune="https://kvmtune.io/xmlns/tuning/1.0">
                  <kvmtune:flavor-spec key="hw:cpu_policy">dedicated</kvmtune:flavor-spec>
                  <kvmtune:flavor-spec key="hw:cpu_realtime_mask"> ^0 </kvmtune:flavor-spec>
                  <kvmtune:image-prop key="hw_time_hpet">true</kvmtune:image-prop>
                </kvmtune:tuning>
                <other:thing xmlns:other="urn:x"><name>not the domain name</name></other:thing>
              </metadata>
              <vcpu placement='static' current='2'>4</vcpu>
              <devices><disk><name>x</name></disk></devices>
            </domain>
            """;

    static DomainDescription read(String xml) {
        return DomainXmlReader.read(xml.getBytes(StandardCharsets.UTF_8));
    }

    static InvalidInputException refused(String xml) {
        return (InvalidInputException) org.assertj.core.api.Assertions.catchThrowable(() -> read(xml));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"'', 2097152, 2048", "KiB, 2097152, 2048", "k, 1000, 1", "MiB, 512, 512",
            "G, 2, 2048", "GB, 1, 954", "b, 1073741824, 1024", "bytes, 1, 1"})
    void theMemorySizeIsReadInMibRoundedUp(String unit, String value, long mib) {
        String attribute = unit.isEmpty() ? "" : " unit='" + unit + "'";
        assertThat(read("<domain><name>g</name><memory" + attribute + ">" + value + "</memory></domain>").memoryMb())
                .isEqualTo(java.util.OptionalLong.of(mib));
        assertThat(read("<domain><name>g</name></domain>").memoryMb()).isEmpty();
    }

    @Test
    void aMemorySizeThatIsNotOneIsInvalidDomainXml() {
        assertThat(refused("<domain><name>g</name><memory unit='furlongs'>1</memory></domain>").key()).isEqualTo("memory");
        assertThat(refused("<domain><name>g</name><memory>-1</memory></domain>").code()).isEqualTo("InvalidDomainXml");
    }

    @Test
    void readsNameUuidMaximumVcpusAndTheKvmtuneRequestInOrder() {
        DomainDescription d = read(TUNED);
        assertThat(d.name()).isEqualTo("rt1");
        assertThat(d.uuid()).contains("6f0b2a51-8f5c-4d2e-9a53-2b7d8a3c1e90");
        assertThat(d.vcpus()).isEqualTo(4);
        TuningMetadata t = d.tuning().orElseThrow();
        assertThat(t.flavorSpecs()).containsExactly(Map.entry("hw:cpu_policy", "dedicated"),
                Map.entry("hw:cpu_realtime_mask", "^0"));
        assertThat(t.imageProps()).containsExactly(Map.entry("hw_time_hpet", "true"));
        assertThat(d.novaFlavor()).isEmpty();
    }

    @Test
    void aDomainWithoutKvmtuneMetadataHasNoRequest() {
        DomainDescription d = read("<domain><name>plain</name><uuid>u</uuid></domain>");
        assertThat(d.tuning()).isEmpty();
        assertThat(d.vcpus()).isEqualTo(1);
    }

    @Test
    void novaInstanceMetadataIsRecognisedByItsFlavor() {
        DomainDescription d = read("""
                <domain><name>instance-0000002a</name><uuid>u</uuid><vcpu>2</vcpu><metadata>
                  <nova:instance xmlns:nova="http://openstack.org/xmlns/libvirt/nova/1.1">
                    <nova:flavor name="rt.small"><nova:vcpus>2</nova:vcpus></nova:flavor>
                  </nova:instance></metadata></domain>""");
        assertThat(d.novaFlavor()).contains("rt.small");
        assertThat(d.tuning()).isEmpty();
    }

    @Test
    void aDoctypeIsRefused() {
        InvalidInputException e = refused("<!DOCTYPE domain><domain><name>a</name></domain>");
        assertThat(e.code()).isEqualTo("InvalidDomainXml");
        assertThat(e.getMessage()).contains("DOCTYPE");
    }

    @Test
    void anExternalEntityIsRefusedAndNeverRead() {
        InvalidInputException e = refused("""
                <?xml version="1.0"?>
                <!DOCTYPE domain [<!ENTITY secret SYSTEM "file:///etc/shadow">]>
                <domain><name>&secret;</name></domain>""");
        assertThat(e.code()).isEqualTo("InvalidDomainXml");
        assertThat(e.getMessage()).doesNotContain("root:");
    }

    @Test
    void anEntityExpansionBombIsRefused() {
        StringBuilder dtd = new StringBuilder("<!DOCTYPE domain [<!ENTITY l0 \"lollollollollol\">");
        for (int i = 1; i < 10; i++) {
            dtd.append("<!ENTITY l").append(i).append(" \"").append(("&l" + (i - 1) + ";").repeat(10)).append("\">");
        }
        dtd.append("]>");
        InvalidInputException e = refused(dtd + "<domain><name>&l9;</name></domain>");
        assertThat(e.code()).isEqualTo("InvalidDomainXml");
    }

    @Test
    void anUndeclaredEntityWithoutDoctypeIsRefused() {
        assertThat(refused("<domain><name>&x;</name></domain>").code()).isEqualTo("InvalidDomainXml");
    }

    @Test
    void malformedOrForeignDocumentsAreRefusedWithTheReason() {
        assertThat(refused("<domain><name>a</name>").getMessage()).contains("not well-formed");
        assertThat(refused("<network><name>a</name></network>").getMessage()).contains("<network>");
        assertThat(refused("<domain><uuid>u</uuid></domain>").getMessage()).contains("no <name>");
        InvalidInputException badVcpu = refused("<domain><name>a</name><vcpu>0</vcpu></domain>");
        assertThat(badVcpu.key()).isEqualTo("vcpu");
        assertThat(badVcpu.value()).isEqualTo("0");
    }

    @Test
    void anOversizedDocumentIsRefusedBeforeParsing() {
        byte[] big = new byte[DomainXmlReader.MAX_BYTES + 1];
        assertThatThrownBy(() -> DomainXmlReader.read(big)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("more than");
    }

    @Test
    void malformedTuningMetadataNamesTheEntry() {
        String ns = "xmlns:k=\"https://kvmtune.io/xmlns/tuning/1.0\"";
        InvalidInputException twice = refused("<domain><name>a</name><metadata><k:tuning " + ns + ">"
                + "<k:flavor-spec key='hw:cpu_policy'>dedicated</k:flavor-spec>"
                + "<k:flavor-spec key='hw:cpu_policy'>shared</k:flavor-spec></k:tuning></metadata></domain>");
        assertThat(twice.code()).isEqualTo("InvalidTuningMetadata");
        assertThat(twice.key()).isEqualTo("hw:cpu_policy");

        InvalidInputException unknown = refused("<domain><name>a</name><metadata><k:tuning " + ns + ">"
                + "<k:flavour-spec key='hw:cpu_policy'>dedicated</k:flavour-spec></k:tuning></metadata></domain>");
        assertThat(unknown.getMessage()).contains("flavour-spec");

        InvalidInputException noKey = refused("<domain><name>a</name><metadata><k:tuning " + ns + ">"
                + "<k:image-prop>true</k:image-prop></k:tuning></metadata></domain>");
        assertThat(noKey.getMessage()).contains("key attribute");
    }

    @Test
    void anEmptyTuningElementIsARequestWithDefaults() {
        DomainDescription d = read("<domain><name>a</name><metadata><k:tuning xmlns:k=\"" + TuningMetadata.NAMESPACE
                + "\"/></metadata></domain>");
        assertThat(d.tuning()).isEqualTo(Optional.of(new TuningMetadata(Map.of(), Map.of())));
    }

    @Test
    void kvmtuneMetadataOfAnotherNamespaceVersionIsRefusedNotIgnored() {
        String xml = "<domain><name>g</name><uuid>u</uuid><metadata>"
                + "<k:tuning xmlns:k='https://kvmtune.io/xmlns/tuning/2.0'><k:flavor-spec key='hw:cpu_policy'>dedicated"
                + "</k:flavor-spec></k:tuning></metadata></domain>";
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DomainXmlReader.read(
                xml.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .isInstanceOf(io.kvmtune.core.InvalidInputException.class)
                .hasMessageContaining("namespace https://kvmtune.io/xmlns/tuning/2.0 is not one this kvmtune reads");
    }
}
