package io.kvmtune.core.libvirt;

import io.kvmtune.core.InvalidInputException;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads the parts of a libvirt domain XML that kvmtune needs, in one streaming pass with the
 * JDK's StAX (cheap on the hook path: no DOM, no XML library).
 *
 * <p>Hostile input is refused, not tolerated: a document type declaration (and with it every
 * external entity and entity-expansion bomb) fails with {@code InvalidDomainXml}, as does a
 * document larger than {@link #MAX_BYTES}.
 */
public final class DomainXmlReader {

    /** libvirt's own limit for a domain XML is 10 MiB (VIR_DOMAIN_XML_MAX_SIZE, approximately). */
    public static final int MAX_BYTES = 10 * 1024 * 1024;

    private static final String NOVA_NAMESPACE_PREFIX = "http://openstack.org/xmlns/libvirt/nova/";

    private DomainXmlReader() {
    }

    /**
     * @throws InvalidInputException {@code InvalidDomainXml} for malformed or hostile XML, a
     *     missing {@code <name>} or bad {@code <vcpu>}; {@code InvalidTuningMetadata} for a
     *     malformed kvmtune metadata element, naming the entry
     */
    public static DomainDescription read(byte[] xml) {
        if (xml.length > MAX_BYTES) {
            throw invalid("the domain XML has " + xml.length + " bytes, more than the " + MAX_BYTES + " accepted");
        }
        try {
            XMLStreamReader r = SecureXml.inputFactory().createXMLStreamReader(new ByteArrayInputStream(xml));
            try {
                return new DomainXmlReader.Pass(r).run();
            } finally {
                r.close();
            }
        } catch (XMLStreamException e) {
            throw invalid("the domain XML is not well-formed: " + oneLine(e.getMessage()));
        }
    }

    private static final class Pass {
        private final XMLStreamReader r;
        private final Deque<String> path = new ArrayDeque<>();
        private String name;
        private String uuid;
        private String vcpuText;
        private String memoryText;
        private String memoryUnit;
        private Map<String, String> flavorSpecs;
        private Map<String, String> imageProps;
        private String novaFlavor;

        Pass(XMLStreamReader r) {
            this.r = r;
        }

        DomainDescription run() throws XMLStreamException {
            while (r.hasNext()) {
                switch (r.next()) {
                    case XMLStreamConstants.DTD -> throw invalid(
                            "the domain XML has a document type declaration (DOCTYPE); kvmtune refuses DTDs and entities");
                    case XMLStreamConstants.ENTITY_REFERENCE -> throw invalid(
                            "the domain XML references the entity '&" + r.getLocalName() + ";'; kvmtune refuses entities");
                    case XMLStreamConstants.START_ELEMENT -> startElement();
                    case XMLStreamConstants.END_ELEMENT -> path.pop();
                    default -> {
                    }
                }
            }
            if (name == null || name.isBlank()) {
                throw invalid("the domain XML has no <name>");
            }
            Optional<TuningMetadata> tuning = flavorSpecs == null
                    ? Optional.empty()
                    : Optional.of(new TuningMetadata(flavorSpecs, imageProps));
            return new DomainDescription(name, Optional.ofNullable(uuid), vcpus(), tuning, Optional.ofNullable(novaFlavor),
                    memoryMb());
        }

        private void startElement() throws XMLStreamException {
            String local = r.getLocalName();
            String ns = r.getNamespaceURI();
            int depth = path.size();
            if (depth == 0 && !local.equals("domain")) {
                throw invalid("the root element is <" + local + ">, not <domain>");
            }
            String parent = path.peek();
            path.push(local);
            if (depth == 1 && ns == null) {
                switch (local) {
                    case "name" -> name = r.getElementText().strip();
                    case "uuid" -> uuid = r.getElementText().strip();
                    case "vcpu" -> vcpuText = r.getElementText().strip();
                    case "memory" -> {
                        memoryUnit = r.getAttributeValue(null, "unit");
                        memoryText = r.getElementText().strip();
                    }
                    default -> {
                        return;
                    }
                }
                path.pop(); // getElementText consumed the end tag
            } else if (depth == 2 && "metadata".equals(parent) && TuningMetadata.NAMESPACE.equals(ns)) {
                if (!local.equals(TuningMetadata.ELEMENT)) {
                    throw metadataError(local, null, "unknown element <" + local + "> in the kvmtune namespace; expected <"
                            + TuningMetadata.ELEMENT + ">");
                }
                if (flavorSpecs != null) {
                    throw metadataError(local, null, "the domain carries two <" + TuningMetadata.ELEMENT + "> elements");
                }
                flavorSpecs = new LinkedHashMap<>();
                imageProps = new LinkedHashMap<>();
            } else if (depth == 2 && "metadata".equals(parent) && ns != null
                    && ns.startsWith(TuningMetadata.NAMESPACE_PREFIX)) {
                throw metadataError(local, null, "namespace " + ns + " is not one this kvmtune reads ("
                        + TuningMetadata.NAMESPACE + "); the guest would start untuned");
            } else if (depth == 3 && TuningMetadata.ELEMENT.equals(parent) && TuningMetadata.NAMESPACE.equals(ns)) {
                entry(local);
                path.pop();
            } else if (depth == 3 && "instance".equals(parent) && local.equals("flavor") && ns != null
                    && ns.startsWith(NOVA_NAMESPACE_PREFIX)) {
                String flavor = r.getAttributeValue(null, "name");
                novaFlavor = flavor == null ? "" : flavor;
            }
        }

        private void entry(String local) throws XMLStreamException {
            Map<String, String> target = switch (local) {
                case TuningMetadata.FLAVOR_SPEC -> flavorSpecs;
                case TuningMetadata.IMAGE_PROP -> imageProps;
                default -> throw metadataError(local, null, "unknown element <" + local + ">; expected <"
                        + TuningMetadata.FLAVOR_SPEC + "> or <" + TuningMetadata.IMAGE_PROP + ">");
            };
            String key = r.getAttributeValue(null, "key");
            if (key == null || key.isBlank()) {
                throw metadataError(local, null, "<" + local + "> needs a non-empty key attribute");
            }
            String value = r.getElementText().strip();
            if (target.putIfAbsent(key.strip(), value) != null) {
                throw metadataError(local, key, key + " is given twice in <" + local + "> entries");
            }
        }

        /** libvirt's scaled integer: {@code unit} b, KB, k/KiB (default), MB, M/MiB, GB, G/GiB, TB, T/TiB. */
        private OptionalLong memoryMb() {
            if (memoryText == null) {
                return OptionalLong.empty();
            }
            String unit = memoryUnit == null ? "KiB" : memoryUnit;
            BigInteger bytesPerUnit = switch (unit) {
                case "b", "bytes" -> BigInteger.ONE;
                case "KB" -> BigInteger.valueOf(1000);
                case "k", "K", "KiB" -> BigInteger.valueOf(1024);
                case "MB" -> BigInteger.valueOf(1000_000);
                case "M", "MiB" -> BigInteger.valueOf(1L << 20);
                case "GB" -> BigInteger.valueOf(1000_000_000);
                case "G", "GiB" -> BigInteger.valueOf(1L << 30);
                case "TB" -> BigInteger.valueOf(1000_000_000_000L);
                case "T", "TiB" -> BigInteger.valueOf(1L << 40);
                default -> throw new InvalidInputException("InvalidDomainXml", "memory", memoryUnit,
                        "<memory unit='" + memoryUnit + "'> is not a unit kvmtune reads (b, KB, KiB, MB, MiB, GB, GiB, TB, TiB)");
            };
            try {
                BigInteger bytes = new BigInteger(memoryText).multiply(bytesPerUnit);
                BigInteger mib = bytes.add(BigInteger.valueOf((1L << 20) - 1)).shiftRight(20);
                if (bytes.signum() > 0 && mib.bitLength() < 63) {
                    return OptionalLong.of(mib.longValue());
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new InvalidInputException("InvalidDomainXml", "memory", memoryText,
                    "<memory> must be a positive size, not '" + memoryText + "'");
        }

        private int vcpus() {
            if (vcpuText == null) {
                return 1; // libvirt's default when <vcpu> is absent
            }
            try {
                int n = Integer.parseInt(vcpuText);
                if (n >= 1) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new InvalidInputException("InvalidDomainXml", "vcpu", vcpuText,
                    "<vcpu> must be a positive vCPU count, not '" + vcpuText + "'");
        }
    }

    private static InvalidInputException invalid(String message) {
        return new InvalidInputException("InvalidDomainXml", null, null, message);
    }

    private static InvalidInputException metadataError(String element, String key, String message) {
        return new InvalidInputException("InvalidTuningMetadata", key == null ? TuningMetadata.PREFIX + ":" + element : key,
                null, "kvmtune metadata: " + message);
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ").strip();
    }
}
