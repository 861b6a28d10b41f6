package io.kvmtune.core.cpumodel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The recorded host CPUs under {@code baseline/} in the test resources: libvirt host CPU
 * descriptions ({@code <cpu>} with a model, a vendor, a signature and the features on top of the
 * model), each file saying where it came from. Public for the launcher's tests.
 */
public final class LibvirtHostCpuXml {

    /** The fixture directory on the test class path. */
    public static Path fixtures() {
        try {
            return Path.of(LibvirtHostCpuXml.class.getResource("baseline").toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fixture file by name without {@code .xml} ({@code xeon-e5-2650-v3}). */
    public static Path fixture(String name) {
        return fixtures().resolve(name + ".xml");
    }

    /** Every fixture's name, sorted. */
    public static List<String> names() {
        try (Stream<Path> files = Files.list(fixtures())) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".xml"))
                    .map(n -> n.substring(0, n.length() - 4)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private LibvirtHostCpuXml() {
    }

    /**
     * The host CPU the file describes, as {@code map} spells it: the model's features plus the
     * listed ones, as libvirt reads a host CPU.
     */
    public static HostCpu read(CpuMap map, Path file) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            Element cpu = f.newDocumentBuilder().parse(file.toFile()).getDocumentElement();
            String model = text(cpu, "model");
            CpuModelDefinition definition = map.models().get(model);
            if (definition == null) {
                throw new IllegalArgumentException(file + ": the map has no model " + model);
            }
            TreeSet<String> features = new TreeSet<>(definition.features());
            NodeList listed = cpu.getElementsByTagName("feature");
            for (int i = 0; i < listed.getLength(); i++) {
                String name = ((Element) listed.item(i)).getAttribute("name");
                features.add(map.canonicalFeature(name)
                        .orElseThrow(() -> new IllegalArgumentException(file + ": the map has no feature " + name)));
            }
            Element signature = (Element) cpu.getElementsByTagName("signature").item(0);
            return new HostCpu(Optional.of(text(cpu, "vendor")), Integer.parseInt(signature.getAttribute("family")),
                    Integer.parseInt(signature.getAttribute("model")), features, new TreeSet<>());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (javax.xml.parsers.ParserConfigurationException | org.xml.sax.SAXException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    private static String text(Element parent, String tag) {
        return parent.getElementsByTagName(tag).item(0).getTextContent().trim();
    }
}
