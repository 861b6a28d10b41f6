package io.kvmtune.core.qemu;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * What libvirt's status file for a running guest ({@code /run/libvirt/qemu/NAME.xml}, root-only)
 * says about its QEMU: the process and the host thread of every online vCPU. libvirt holds the
 * guest's QMP socket for the guest's whole life, so for libvirt guests this file, not QMP, is the
 * second source next to the thread names.
 *
 * @param pid {@code <domstatus pid>}
 * @param vcpuThreads vCPU id to host thread id, from {@code <vcpus><vcpu id pid/>}
 * @param name {@code <domain><name>}
 * @param uuid {@code <domain><uuid>}
 * @param monitorSocket {@code <monitor path>}: libvirt's own QMP socket, which kvmtune never opens
 */
public record LibvirtStatus(int pid, Map<Integer, Integer> vcpuThreads, Optional<String> name, Optional<String> uuid,
        Optional<Path> monitorSocket) {

    /** Where the system libvirtd keeps it. */
    public static final Path RUN_DIR = Path.of("/run/libvirt/qemu");

    public LibvirtStatus {
        vcpuThreads = Map.copyOf(vcpuThreads);
    }

    /**
     * Reads {@code runDir/NAME.xml}.
     *
     * @throws DiscoveryException {@code DomainNotRunning} when there is no such file,
     *     {@code LibvirtStatusUnreadable} when it cannot be read or parsed
     */
    public static LibvirtStatus read(Path runDir, DomainName domain) {
        Path file = domain.file(runDir, ".xml");
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in, file.toString());
        } catch (NoSuchFileException e) {
            throw new DiscoveryException("DomainNotRunning", "libvirt domain " + domain + " is not running: no " + file, e);
        } catch (IOException e) {
            throw new DiscoveryException("LibvirtStatusUnreadable", "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses a status document with the JDK's StAX reader: no DTD, no external entities (libvirt
     * never writes either, so one present is refused).
     *
     * @throws DiscoveryException {@code LibvirtStatusUnreadable} naming {@code source} and the problem
     */
    public static LibvirtStatus parse(InputStream in, String source) {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        XMLStreamReader xml = null;
        try {
            xml = factory.createXMLStreamReader(in);
            return read(xml, source);
        } catch (DiscoveryException e) {
            throw e;
        } catch (XMLStreamException | RuntimeException e) {
            // The JDK reader reports some malformed input (bad characters, limits) as runtime errors.
            throw unreadable(source, e.getMessage(), e);
        } finally {
            if (xml != null) {
                try {
                    xml.close();
                } catch (XMLStreamException ignored) {
                    // the stream itself is closed by the caller
                }
            }
        }
    }

    private static LibvirtStatus read(XMLStreamReader xml, String source) throws XMLStreamException {
        Deque<String> path = new ArrayDeque<>();
        Integer pid = null;
        Map<Integer, Integer> vcpus = new TreeMap<>();
        String name = null;
        String uuid = null;
        String monitor = null;
        while (xml.hasNext()) {
            int event = xml.next();
            if (event == XMLStreamConstants.DTD) {
                throw unreadable(source, "has a DOCTYPE, which libvirt never writes", null);
            }
            if (event == XMLStreamConstants.END_ELEMENT) {
                path.pop();
                continue;
            }
            if (event != XMLStreamConstants.START_ELEMENT) {
                continue;
            }
            String element = xml.getLocalName();
            String where = String.join("/", path.reversed()) + (path.isEmpty() ? "" : "/") + element;
            path.push(element);
            switch (where) {
                case "domstatus" -> pid = positive(xml, "pid", source, where);
                case "domstatus/vcpus/vcpu" -> {
                    int id = nonNegative(xml, "id", source, where);
                    if (vcpus.put(id, positive(xml, "pid", source, where)) != null) {
                        throw unreadable(source, "lists vCPU " + id + " twice", null);
                    }
                }
                case "domstatus/monitor" -> monitor = xml.getAttributeValue(null, "path");
                case "domstatus/domain/name" -> name = xml.getElementText().strip();
                case "domstatus/domain/uuid" -> uuid = xml.getElementText().strip();
                default -> {
                    if (path.size() == 1) {
                        throw unreadable(source, "has root element <" + element + ">, expected <domstatus>", null);
                    }
                }
            }
            if (xml.getEventType() == XMLStreamConstants.END_ELEMENT) {
                path.pop();   // getElementText() consumed the end tag
            }
        }
        if (pid == null) {
            throw unreadable(source, "has no <domstatus>", null);
        }
        return new LibvirtStatus(pid, vcpus, Optional.ofNullable(name), Optional.ofNullable(uuid),
                Optional.ofNullable(monitor).filter(m -> !m.isEmpty()).map(Path::of));
    }

    private static int positive(XMLStreamReader xml, String attribute, String source, String where) {
        int value = nonNegative(xml, attribute, source, where);
        if (value == 0) {
            throw unreadable(source, "<" + where + "> " + attribute + " is 0, expected a process id", null);
        }
        return value;
    }

    private static int nonNegative(XMLStreamReader xml, String attribute, String source, String where) {
        String text = xml.getAttributeValue(null, attribute);
        if (text == null) {
            throw unreadable(source, "<" + where + "> has no " + attribute + " attribute", null);
        }
        try {
            int value = Integer.parseInt(text.strip());
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw unreadable(source, "<" + where + "> " + attribute + "='" + ProcStat.abbreviate(text)
                + "' is not a non-negative number", null);
    }

    private static DiscoveryException unreadable(String source, String problem, Throwable cause) {
        return new DiscoveryException("LibvirtStatusUnreadable", source + " " + problem, cause);
    }
}
