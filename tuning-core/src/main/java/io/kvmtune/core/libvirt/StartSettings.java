package io.kvmtune.core.libvirt;

import io.kvmtune.core.InvalidInputException;
import io.kvmtune.core.plan.CpuFeature;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.xml.sax.SAXException;

/**
 * What a domain XML decides for QEMU's start that applying cannot change later: the HPET, the
 * guest CPU, locked memory and huge pages.
 *
 * @param hpet {@code <clock><timer name='hpet' present>}, if the domain says
 * @param cpuMode {@code <cpu mode>}; libvirt's default without it is {@code custom}
 * @param cpuModel {@code <cpu><model>}, if named
 * @param cpuFeatures {@code <cpu><feature policy name>}, in document order
 * @param lockedMemory whether {@code <memoryBacking><locked/>} is there
 * @param hugePageKib the size of {@code <memoryBacking><hugepages><page size unit>} in KiB, -1 for
 *     {@code <hugepages/>} without a page (the host's default huge page size), 0 without huge pages
 */
public record StartSettings(Optional<Boolean> hpet, Optional<String> cpuMode, Optional<String> cpuModel,
        List<CpuFeature> cpuFeatures, boolean lockedMemory, long hugePageKib) {

    public StartSettings {
        cpuFeatures = List.copyOf(cpuFeatures);
    }

    /** A domain without huge pages. */
    public StartSettings(Optional<Boolean> hpet, Optional<String> cpuMode, Optional<String> cpuModel,
            List<CpuFeature> cpuFeatures, boolean lockedMemory) {
        this(hpet, cpuMode, cpuModel, cpuFeatures, lockedMemory, 0);
    }

    /**
     * Reads a domain definition, or libvirt's status file of a running domain (the
     * {@code <domain>} inside {@code <domstatus>}).
     *
     * @throws InvalidInputException {@code InvalidDomainXml} when it cannot be read
     */
    public static StartSettings read(byte[] xml) {
        Document doc;
        try {
            doc = SecureXml.documentBuilder().parse(new ByteArrayInputStream(xml));
        } catch (SAXException | IOException e) {
            throw new InvalidInputException("InvalidDomainXml", null, null,
                    "the domain XML cannot be read (DOCTYPEs are refused): " + e.getMessage());
        }
        Element domain = doc.getDocumentElement();
        if (!domain.getTagName().equals("domain")) {
            domain = DomainXmlPatcher.child(domain, "domain");
            if (domain == null) {
                throw new InvalidInputException("InvalidDomainXml", null, null, "no <domain> element");
            }
        }
        Optional<Boolean> hpet = Optional.empty();
        Element clock = DomainXmlPatcher.child(domain, "clock");
        if (clock != null) {
            for (Element timer : DomainXmlPatcher.elements(clock)) {
                if (timer.getTagName().equals("timer") && timer.getAttribute("name").equals("hpet")
                        && !timer.getAttribute("present").isEmpty()) {
                    hpet = Optional.of(timer.getAttribute("present").equals("yes"));
                }
            }
        }
        Optional<String> mode = Optional.empty();
        Optional<String> model = Optional.empty();
        List<CpuFeature> features = new ArrayList<>();
        Element cpu = DomainXmlPatcher.child(domain, "cpu");
        if (cpu != null) {
            mode = Optional.of(cpu.getAttribute("mode")).filter(m -> !m.isEmpty());
            Element m = DomainXmlPatcher.child(cpu, "model");
            model = m == null ? Optional.empty() : Optional.of(m.getTextContent().strip()).filter(t -> !t.isEmpty());
            for (Element f : DomainXmlPatcher.elements(cpu)) {
                if (f.getTagName().equals("feature")) {
                    String policy = f.getAttribute("policy");
                    features.add(new CpuFeature(f.getAttribute("name"), policy.isEmpty() ? "require" : policy));
                }
            }
        }
        Element backing = DomainXmlPatcher.child(domain, "memoryBacking");
        boolean locked = backing != null && DomainXmlPatcher.child(backing, "locked") != null;
        return new StartSettings(hpet, mode, model, features, locked, hugePageKib(backing));
    }

    private static long hugePageKib(Element backing) {
        Element hugepages = backing == null ? null : DomainXmlPatcher.child(backing, "hugepages");
        if (hugepages == null) {
            return 0;
        }
        Element page = DomainXmlPatcher.child(hugepages, "page");
        if (page == null) {
            return -1;
        }
        String unit = page.getAttribute("unit");
        long shift = switch (unit.isEmpty() ? "KiB" : unit) {
            case "KiB", "k", "K" -> 0;
            case "MiB", "M" -> 10;
            case "GiB", "G" -> 20;
            default -> throw new InvalidInputException("InvalidDomainXml", "hugepages", unit,
                    "<page unit='" + unit + "'> is not a unit kvmtune reads (KiB, MiB, GiB)");
        };
        try {
            return Long.parseLong(page.getAttribute("size").strip()) << shift;
        } catch (NumberFormatException e) {
            throw new InvalidInputException("InvalidDomainXml", "hugepages", page.getAttribute("size"),
                    "<page size='" + page.getAttribute("size") + "'> is not a number");
        }
    }
}
