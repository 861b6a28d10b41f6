package io.kvmtune.core.cpumodel;

import io.kvmtune.core.InvalidInputException;
import io.kvmtune.core.MissingComponentException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Reads libvirt's {@code cpu_map} directory (the layout of libvirt 5.x onwards, as installed by
 * libvirt 9.0): {@code index.xml} names, per architecture, the files that define its vendors,
 * features and models; each file is a {@code <cpus>} document. Definitions written directly inside
 * {@code <arch>} (the old single-file layout) are read too.
 *
 * <p>Models are resolved as libvirt resolves them: a {@code <model name=.../>} child copies its
 * ancestor's vendor, signatures and features; the model's own signatures replace the inherited
 * ones; its {@code <feature>}s add to them, except those marked {@code removed='yes'}, which QEMU
 * dropped from the model and which are recorded apart. A reference to an unknown feature,
 * vendor or ancestor is an error, as in libvirt.
 *
 * <p>The files are parsed with secure processing on, no DTDs and no external entities; include
 * names must be plain file names inside the map directory.
 */
public final class CpuMapReader {

    /** Where Debian, Ubuntu, Fedora and RHEL install the map. */
    public static final Path DEFAULT_ROOT = Path.of("/usr/share/libvirt/cpu_map");

    /** A {@code <model name='X'>} definition (group 2 empty) or {@code <model name='X'/>} reference. */
    private static final Pattern MODEL_TAG = Pattern.compile("<model\\s+name=['\"]([^'\"]+)['\"]\\s*(/?)>");

    private final Path root;
    private final DocumentBuilder parser;
    private final Map<String, String> vendors = new LinkedHashMap<>();
    private final Map<String, CpuFeatureDefinition> features = new LinkedHashMap<>();
    private final Map<String, CpuModelDefinition> models = new LinkedHashMap<>();
    /** Included files to skip: model files none of the wanted models needs (empty: read all). */
    private final Set<String> skipped = new HashSet<>();

    private CpuMapReader(Path root) {
        this.root = root;
        this.parser = secureParser();
    }

    /**
     * Reads the map of architecture {@code arch} ({@code x86}, {@code ppc64}, {@code arm}; see
     * {@link #mapArch}) from the directory {@code root}.
     *
     * @throws MissingComponentException when {@code root} has no {@code index.xml} or the index no
     *     entry for {@code arch}
     * @throws InvalidInputException when a file is not well-formed or not a valid map (code
     *     {@code InvalidCpuMap}, key the file)
     */
    public static CpuMap read(Path root, String arch) {
        Path index = root.resolve("index.xml");
        if (!Files.isRegularFile(index)) {
            throw new MissingComponentException("CpuMapMissing", "libvirt's CPU map is missing: no " + index
                    + " (install libvirt's daemon package, or pass the map directory)");
        }
        CpuMapReader reader = new CpuMapReader(root);
        Element archElement = reader.archElement(index, arch);
        reader.readDefinitions(archElement, index);
        return new CpuMap(arch, reader.vendors, reader.features, reader.models);
    }

    /**
     * Reads only what checking {@code wanted} needs: the vendors, the features, and the models named
     * in {@code wanted} (ignoring case, as Nova matches names) with the models they build on.
     * Which file defines which model is found by a plain text scan of the included files; only the
     * needed ones are parsed, so a planning run (the libvirt hook's prepare) does not parse the
     * whole map. Models not in {@code wanted} are absent from the result.
     *
     * @throws MissingComponentException and {@link InvalidInputException} as {@link #read(Path, String)}
     */
    public static CpuMap read(Path root, String arch, Collection<String> wanted) {
        Path index = root.resolve("index.xml");
        if (!Files.isRegularFile(index)) {
            throw new MissingComponentException("CpuMapMissing", "libvirt's CPU map is missing: no " + index
                    + " (install libvirt's daemon package, or pass the map directory)");
        }
        CpuMapReader reader = new CpuMapReader(root);
        Element archElement = reader.archElement(index, arch);
        Map<String, String> fileOfModel = new HashMap<>();
        Map<String, List<String>> ancestorsOf = new HashMap<>();
        Set<String> modelFiles = new HashSet<>();
        List<String> includes = new ArrayList<>();
        for (Element include : reader.children(archElement, "include")) {
            includes.add(include.getAttribute("filename"));
        }
        // libvirt keeps each model in ARCH_NAME.xml: scan only those files, the whole map when a guess misses.
        boolean guessed = reader.scanNamedFiles(wanted, arch, includes, index, fileOfModel, ancestorsOf, modelFiles);
        if (!guessed) {
            for (String name : includes) {
                reader.scan(name, index, fileOfModel, ancestorsOf, modelFiles);
            }
        }
        Set<String> neededFiles = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>();
        wanted.forEach(w -> todo.add(w.toLowerCase(Locale.ROOT)));
        Set<String> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            String model = todo.pop();
            if (seen.add(model) && fileOfModel.containsKey(model)) {
                neededFiles.add(fileOfModel.get(model));
                ancestorsOf.getOrDefault(model, List.of()).forEach(a -> todo.add(a.toLowerCase(Locale.ROOT)));
            }
        }
        // Model files not needed are skipped: those scanned, and after a right guess the other ARCH_NAME.xml.
        for (String name : includes) {
            if (!neededFiles.contains(name)
                    && (modelFiles.contains(name) || guessed && isOtherModelFile(name, arch, fileOfModel))) {
                reader.skipped.add(name);
            }
        }
        reader.readDefinitions(archElement, index);
        return new CpuMap(arch, reader.vendors, reader.features, reader.models);
    }

    /**
     * Scans the files named after the wanted models and, transitively, their ancestors; false when
     * one of them has no such file, or its file does not define it.
     */
    private boolean scanNamedFiles(Collection<String> wanted, String arch, List<String> includes, Path index,
            Map<String, String> fileOfModel, Map<String, List<String>> ancestorsOf, Set<String> modelFiles) {
        Map<String, String> byLowerName = new HashMap<>();
        for (String name : includes) {
            byLowerName.put(name.toLowerCase(Locale.ROOT), name);
        }
        Deque<String> todo = new ArrayDeque<>();
        wanted.forEach(w -> todo.add(w.toLowerCase(Locale.ROOT)));
        Set<String> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            String model = todo.pop();
            if (!seen.add(model)) {
                continue;
            }
            String file = byLowerName.get(arch + "_" + model + ".xml");
            if (file == null) {
                return false;
            }
            scan(file, index, fileOfModel, ancestorsOf, modelFiles);
            if (!file.equals(fileOfModel.get(model))) {
                return false;
            }
            ancestorsOf.getOrDefault(model, List.of()).forEach(a -> todo.add(a.toLowerCase(Locale.ROOT)));
        }
        return true;
    }

    /** Which models {@code name} defines, and the models each builds on, by a plain text scan. */
    private void scan(String name, Path index, Map<String, String> fileOfModel, Map<String, List<String>> ancestorsOf,
            Set<String> modelFiles) {
        String text;
        try {
            text = Files.readString(includedFile(name, index));
        } catch (IOException e) {
            throw new InvalidInputException("InvalidCpuMap", name, null, name + ": cannot be read: " + e.getMessage(), e);
        }
        Matcher m = MODEL_TAG.matcher(text);
        String current = null;
        while (m.find()) {
            if (m.group(2).isEmpty()) {
                current = m.group(1);
                fileOfModel.put(current.toLowerCase(Locale.ROOT), name);
                modelFiles.add(name);
            } else if (current != null) {
                ancestorsOf.computeIfAbsent(current.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(m.group(1));
            }
        }
    }

    /**
     * A file not scanned that is another model's by libvirt's naming ({@code ARCH_NAME.xml}, not
     * the vendors' or features' file): a model defined there is not wanted, or its name would have
     * led here.
     */
    private static boolean isOtherModelFile(String name, String arch, Map<String, String> fileOfModel) {
        return name.startsWith(arch + "_") && !name.equals(arch + "_vendors.xml") && !name.equals(arch + "_features.xml")
                && !fileOfModel.containsValue(name);
    }

    private Element archElement(Path index, String arch) {
        return children(parse(index), "arch").stream()
                .filter(e -> arch.equals(e.getAttribute("name")))
                .findFirst()
                .orElseThrow(() -> new MissingComponentException("CpuMapMissing",
                        "libvirt's CPU map " + index + " has no models for architecture " + arch));
    }

    /**
     * The {@code cpu_map} architecture of a machine name as {@code uname -m} prints it:
     * {@code x86} for i686/x86_64, {@code ppc64} for ppc/ppc64/ppc64le, {@code arm} for
     * aarch64/armv7l/armv6l; empty for architectures without a map (s390x takes its models from QEMU).
     */
    public static Optional<String> mapArch(String machine) {
        return switch (machine) {
            case "i386", "i486", "i586", "i686", "x86_64" -> Optional.of("x86");
            case "ppc", "ppc64", "ppc64le" -> Optional.of("ppc64");
            case "aarch64", "armv6l", "armv7l" -> Optional.of("arm");
            default -> Optional.empty();
        };
    }

    private void readDefinitions(Element parent, Path file) {
        for (Element e : children(parent, null)) {
            switch (e.getTagName()) {
                case "include" -> {
                    if (!skipped.contains(e.getAttribute("filename"))) {
                        Path included = includedFile(e.getAttribute("filename"), file);
                        readDefinitions(parse(included), included);
                    }
                }
                case "vendor" -> readVendor(e, file);
                case "feature" -> readFeature(e, file);
                case "model" -> readModel(e, file);
                default -> {
                    // Other elements (comments aside, none in libvirt 9.0) carry nothing a model check needs.
                }
            }
        }
    }

    private Path includedFile(String name, Path from) {
        if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.equals("..") || name.equals(".")) {
            throw invalid(from, name, "include filename must be a plain file name inside " + root);
        }
        Path included = root.resolve(name);
        if (!Files.isRegularFile(included)) {
            throw invalid(from, name, "included file " + included + " does not exist");
        }
        return included;
    }

    private void readVendor(Element e, Path file) {
        String name = required(e, "name", file);
        if (vendors.containsKey(name)) {
            throw invalid(file, name, "vendor " + name + " is defined twice");
        }
        String id = e.hasAttribute("string") ? e.getAttribute("string") : e.getAttribute("value");
        vendors.put(name, id);
    }

    private void readFeature(Element e, Path file) {
        String name = required(e, "name", file);
        if (features.containsKey(name)) {
            throw invalid(file, name, "feature " + name + " is defined twice");
        }
        List<String> aliases = new ArrayList<>();
        List<CpuRegisterBits> bits = new ArrayList<>();
        for (Element child : children(e, null)) {
            switch (child.getTagName()) {
                case "alias" -> aliases.add(required(child, "name", file));
                case "cpuid" -> {
                    long leaf = hex(child, "eax_in", file);
                    long subleaf = child.hasAttribute("ecx_in") ? hex(child, "ecx_in", file) : 0;
                    for (String reg : List.of("eax", "ebx", "ecx", "edx")) {
                        addBits(bits, CpuRegisterBits.Source.CPUID, leaf, subleaf, reg, child, file);
                    }
                }
                case "msr" -> {
                    long index = hex(child, "index", file);
                    for (String reg : List.of("eax", "edx")) {
                        addBits(bits, CpuRegisterBits.Source.MSR, index, 0, reg, child, file);
                    }
                }
                default -> throw invalid(file, name, "feature " + name + " has an unknown element <"
                        + child.getTagName() + ">");
            }
        }
        features.put(name, new CpuFeatureDefinition(name, aliases, !"no".equals(e.getAttribute("migratable")), bits));
    }

    private void addBits(List<CpuRegisterBits> bits, CpuRegisterBits.Source source, long index, long subleaf,
            String reg, Element e, Path file) {
        if (e.hasAttribute(reg)) {
            long mask = hex(e, reg, file);
            if (mask != 0) {
                bits.add(new CpuRegisterBits(source, index, subleaf, reg, mask));
            }
        }
    }

    private void readModel(Element e, Path file) {
        String name = required(e, "name", file);
        if (models.containsKey(name)) {
            throw invalid(file, name, "CPU model " + name + " is defined twice");
        }
        Optional<String> vendor = Optional.empty();
        TreeSet<String> modelFeatures = new TreeSet<>();
        TreeSet<String> removed = new TreeSet<>();
        List<CpuModelDefinition.Signature> signatures = new ArrayList<>();
        List<CpuModelDefinition.Signature> ownSignatures = new ArrayList<>();
        boolean decodeHost = true;
        // libvirt applies the ancestor before the model's own elements, wherever it is written.
        for (Element ancestorRef : children(e, "model")) {
            String ancestorName = required(ancestorRef, "name", file);
            CpuModelDefinition ancestor = models.get(ancestorName);
            if (ancestor == null) {
                throw invalid(file, ancestorName, "ancestor model " + ancestorName + " of CPU model " + name
                        + " is not defined before it");
            }
            vendor = ancestor.vendor();
            modelFeatures.addAll(ancestor.features());
            removed.addAll(ancestor.removedFeatures());
            signatures.addAll(ancestor.signatures());
            decodeHost = ancestor.decodeHost();
        }
        for (Element child : children(e, null)) {
            switch (child.getTagName()) {
                case "vendor" -> {
                    String vendorName = required(child, "name", file);
                    if (!vendors.containsKey(vendorName)) {
                        throw invalid(file, vendorName, "CPU model " + name + " names unknown vendor " + vendorName);
                    }
                    vendor = Optional.of(vendorName);
                }
                case "signature" -> ownSignatures.add(new CpuModelDefinition.Signature(
                        decimal(child, "family", file), decimal(child, "model", file)));
                case "feature" -> {
                    String featureName = required(child, "name", file);
                    if (!features.containsKey(featureName)) {
                        throw invalid(file, featureName, "CPU model " + name + " names unknown feature " + featureName);
                    }
                    if ("yes".equals(child.getAttribute("removed"))) {
                        modelFeatures.remove(featureName);
                        removed.add(featureName);
                    } else {
                        modelFeatures.add(featureName);
                    }
                }
                case "decode" -> decodeHost = !"off".equals(child.getAttribute("host"));
                default -> {
                    // <model> was applied above; <pvr> (ppc64, arm) identifies host CPUs by
                    // processor version, which a feature comparison does not use.
                }
            }
        }
        if (!ownSignatures.isEmpty()) {
            signatures = ownSignatures;
        }
        models.put(name, new CpuModelDefinition(name, vendor, modelFeatures, removed, signatures, decodeHost));
    }

    private Element parse(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            Element rootElement = parser.parse(in, file.toUri().toString()).getDocumentElement();
            if (!rootElement.getTagName().equals("cpus")) {
                throw invalid(file, rootElement.getTagName(), "the root element must be <cpus>, not <"
                        + rootElement.getTagName() + ">");
            }
            return rootElement;
        } catch (SAXException e) {
            throw new InvalidInputException("InvalidCpuMap", file.toString(), null,
                    file + ": not well-formed XML: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new InvalidInputException("InvalidCpuMap", file.toString(), null,
                    file + ": cannot be read: " + e.getMessage(), e);
        }
    }

    /** Element children of {@code parent}, all or those named {@code tag}. */
    private List<Element> children(Element parent, String tag) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && (tag == null || e.getTagName().equals(tag))) {
                out.add(e);
            }
        }
        return out;
    }

    private static String required(Element e, String attribute, Path file) {
        String value = e.getAttribute(attribute);
        if (value.isEmpty()) {
            throw invalid(file, null, "<" + e.getTagName() + "> needs a " + attribute + " attribute");
        }
        return value;
    }

    /** libvirt reads register values and leaves as hexadecimal, with or without {@code 0x}. */
    private static long hex(Element e, String attribute, Path file) {
        String value = required(e, attribute, file);
        String digits = value.startsWith("0x") || value.startsWith("0X") ? value.substring(2) : value;
        try {
            long parsed = Long.parseLong(digits, 16);
            if (parsed < 0 || parsed > 0xFFFF_FFFFL) {
                throw invalid(file, value, attribute + "='" + value + "' does not fit in 32 bits");
            }
            return parsed;
        } catch (NumberFormatException notHex) {
            throw invalid(file, value, attribute + "='" + value + "' is not a hexadecimal number");
        }
    }

    private static int decimal(Element e, String attribute, Path file) {
        String value = required(e, attribute, file);
        try {
            int parsed = Integer.parseInt(value);
            if (parsed < 0) {
                throw invalid(file, value, attribute + "='" + value + "' must not be negative");
            }
            return parsed;
        } catch (NumberFormatException notNumber) {
            throw invalid(file, value, attribute + "='" + value + "' is not a decimal number");
        }
    }

    private static InvalidInputException invalid(Path file, String value, String message) {
        return new InvalidInputException("InvalidCpuMap", file.toString(), value, file + ": " + message);
    }

    private static DocumentBuilder secureParser() {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            f.setNamespaceAware(false);
            DocumentBuilder builder = f.newDocumentBuilder();
            // Errors become SAXExceptions with the message; nothing is printed to stderr.
            builder.setErrorHandler(new DefaultHandler());
            return builder;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser lacks secure-processing features", e);
        }
    }
}
