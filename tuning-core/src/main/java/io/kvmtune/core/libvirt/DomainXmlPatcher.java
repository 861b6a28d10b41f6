package io.kvmtune.core.libvirt;

import io.kvmtune.core.InvalidInputException;
import io.kvmtune.core.plan.TuningPlan;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * Rewrites a libvirt domain XML so that libvirt and kvmtune agree on a plan: libvirt then starts
 * the guest already pinned, and the hook only adds what libvirt cannot do (RT budgets, checks).
 *
 * <p>Only what the plan decides is replaced; everything else the operator wrote stays:
 * <ul>
 *   <li>{@code <cputune>}: the pins and schedulers ({@code vcpupin}, {@code emulatorpin},
 *       {@code iothreadpin}, {@code vcpusched}, {@code emulatorsched}, {@code iothreadsched})
 *       are replaced; shares, period, quota and cache tuning stay.
 *   <li>{@code <memoryBacking>}: {@code locked} and {@code nosharepages} are set, and
 *       {@code hugepages} when the plan backs memory with huge pages (the domain's stay otherwise);
 *       {@code <numatune>} is the plan's when it has one.
 *   <li>{@code <clock>}: the plan's timers replace timers of the same name; other timers and the
 *       attributes the domain sets ({@code offset='localtime'}, ...) stay.
 *   <li>{@code <cpu>}: mode, match, model and features become the plan's; topology, NUMA cells and
 *       cache stay.
 *   <li>{@code <metadata>}: kvmtune's tuning element is written (replacing an earlier one), so
 *       that the hook plans the same request at every start.
 * </ul>
 * Exactly the IO threads the domain declares ({@link DeclaredIoThreads}) are pinned with the
 * emulator threads, so none floats over realtime pCPUs; a domain that declares none gets
 * {@code <iothreads>1</iothreads>} and IO thread 1's pin, as Nova writes it. The plan must place exactly the domain's vCPUs (its maximum
 * count, with hotplug). The original text outside the touched elements is kept as written.
 */
public final class DomainXmlPatcher {

    private static final Set<String> PLANNED_CPUTUNE = Set.of("vcpupin", "emulatorpin", "iothreadpin", "vcpusched",
            "emulatorsched", "iothreadsched");

    private DomainXmlPatcher() {
    }

    /**
     * @param domainXml the domain definition ({@code virsh dumpxml --inactive})
     * @param plan the plan to express
     * @param virtType the host's {@code [libvirt] virt_type} the plan was made for
     * @param request the request to store in the metadata
     * @throws InvalidInputException {@code InvalidDomainXml} for XML that is malformed, has a
     *     DOCTYPE, or is not a {@code <domain>}; {@code Invalid} (key {@code vcpus}) when the plan
     *     places another number of vCPUs than the domain's {@code <vcpu>}
     */
    public static String patch(byte[] domainXml, TuningPlan plan, String virtType, TuningMetadata request) {
        Document doc = parse(domainXml);
        Element domain = doc.getDocumentElement();
        int vcpus = DomainXmlReader.read(domainXml).vcpus();
        if (plan.vcpus().size() != vcpus) {
            throw InvalidInputException.invalid("vcpus", Integer.toString(plan.vcpus().size()), "the plan places "
                    + plan.vcpus().size() + " vCPUs but the domain's <vcpu> is " + vcpus + ": vCPUs without a pin would"
                    + " float over every pCPU, the realtime and isolated ones included; plan for " + vcpus + " vCPUs"
                    + " (kvmtune xml --domain-xml takes the domain's count when --vcpus is left out)");
        }
        SortedSet<Integer> ioThreads = DeclaredIoThreads.of(domain);
        List<Element> fragments = ioThreads.isEmpty() ? PlanXml.fragments(doc, plan, virtType)
                : PlanXml.fragments(doc, plan, virtType, ioThreads);
        for (Element fragment : fragments) {
            Element existing = child(domain, fragment.getTagName());
            if (existing == null) {
                domain.appendChild(fragment);
                continue;
            }
            switch (fragment.getTagName()) {
                case "cputune" -> replaceChildren(existing, fragment, PLANNED_CPUTUNE);
                case "memoryBacking" -> mergeByIdentity(existing, fragment);
                case "clock" -> {
                    keepExistingAttributes(existing, fragment);
                    mergeByIdentity(existing, fragment);
                }
                case "cpu" -> mergeCpu(existing, fragment);
                default -> domain.replaceChild(fragment, existing);
            }
        }
        writeMetadata(doc, domain, request);
        return serialize(doc);
    }

    private static Document parse(byte[] xml) {
        Document doc;
        try {
            doc = SecureXml.documentBuilder().parse(new ByteArrayInputStream(xml));
        } catch (SAXException | IOException e) {
            throw new InvalidInputException("InvalidDomainXml", null, null,
                    "the domain XML cannot be read (DOCTYPEs are refused): " + e.getMessage());
        }
        if (!doc.getDocumentElement().getTagName().equals("domain")) {
            throw new InvalidInputException("InvalidDomainXml", null, null,
                    "the root element is <" + doc.getDocumentElement().getTagName() + ">, not <domain>");
        }
        return doc;
    }

    /** Drops the children of {@code existing} named in {@code planned}, then adds the fragment's. */
    private static void replaceChildren(Element existing, Element fragment, Set<String> planned) {
        for (Element c : elements(existing)) {
            if (planned.contains(c.getTagName())) {
                existing.removeChild(c);
            }
        }
        for (Element c : elements(fragment)) {
            existing.appendChild(c);
        }
    }

    /**
     * Copies the fragment's attributes, and replaces each child that has the same tag and
     * {@code name} attribute (a {@code timer name="hpet"}, a {@code locked}) with the fragment's.
     */
    private static void mergeByIdentity(Element existing, Element fragment) {
        copyAttributes(existing, fragment);
        for (Element c : elements(fragment)) {
            for (Element old : elements(existing)) {
                if (old.getTagName().equals(c.getTagName()) && old.getAttribute("name").equals(c.getAttribute("name"))) {
                    existing.removeChild(old);
                }
            }
            existing.appendChild(c);
        }
    }

    private static void mergeCpu(Element existing, Element fragment) {
        for (String attribute : List.of("mode", "match", "check")) {
            existing.removeAttribute(attribute);
        }
        copyAttributes(existing, fragment);
        replaceChildren(existing, fragment, Set.of("model", "feature"));
    }

    /** Drops from {@code fragment} the attributes {@code existing} sets already: those stay as the operator wrote them. */
    private static void keepExistingAttributes(Element existing, Element fragment) {
        var attributes = existing.getAttributes();
        for (int i = 0; i < attributes.getLength(); i++) {
            fragment.removeAttribute(attributes.item(i).getNodeName());
        }
    }

    private static void writeMetadata(Document doc, Element domain, TuningMetadata request) {
        Element metadata = child(domain, "metadata");
        if (metadata == null) {
            metadata = doc.createElement("metadata");
            domain.insertBefore(metadata, domain.getFirstChild());
        }
        for (Element old : elements(metadata)) {
            if (TuningMetadata.NAMESPACE.equals(old.getNamespaceURI())) {
                metadata.removeChild(old);
            }
        }
        String prefix = TuningMetadata.PREFIX + ":";
        Element tuning = doc.createElementNS(TuningMetadata.NAMESPACE, prefix + TuningMetadata.ELEMENT);
        entries(doc, tuning, prefix + TuningMetadata.FLAVOR_SPEC, request.flavorSpecs());
        entries(doc, tuning, prefix + TuningMetadata.IMAGE_PROP, request.imageProps());
        metadata.appendChild(tuning);
    }

    private static void entries(Document doc, Element tuning, String tag, Map<String, String> entries) {
        entries.forEach((key, value) -> {
            Element e = doc.createElementNS(TuningMetadata.NAMESPACE, tag);
            e.setAttribute("key", key);
            e.setTextContent(value);
            tuning.appendChild(e);
        });
    }

    private static void copyAttributes(Element to, Element from) {
        var attributes = from.getAttributes();
        for (int i = 0; i < attributes.getLength(); i++) {
            Node a = attributes.item(i);
            to.setAttribute(a.getNodeName(), a.getNodeValue());
        }
    }

    static Element child(Element parent, String tag) {
        for (Element e : elements(parent)) {
            if (e.getTagName().equals(tag)) {
                return e;
            }
        }
        return null;
    }

    static List<Element> elements(Element parent) {
        List<Element> out = new java.util.ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                out.add(e);
            }
        }
        return out;
    }

    private static String serialize(Document doc) {
        try {
            var t = TransformerFactory.newDefaultInstance().newTransformer();
            t.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
            StringWriter out = new StringWriter();
            t.transform(new DOMSource(doc), new StreamResult(out));
            return out.toString().strip() + "\n";
        } catch (TransformerException e) {
            throw new IllegalStateException("the JDK's XML serializer failed on a parsed document", e);
        }
    }
}
