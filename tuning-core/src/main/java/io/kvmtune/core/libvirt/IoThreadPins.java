package io.kvmtune.core.libvirt;

import io.kvmtune.core.InvalidInputException;
import io.kvmtune.core.cpu.CpuSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.w3c.dom.Element;

/**
 * Pins every IO thread a domain declares with the emulator threads, as Nova pins IO thread 1: an
 * IO thread libvirt does not pin floats over every pCPU the guest may use, realtime and isolated
 * ones included.
 *
 * <p>A domain declares IO threads by count ({@code <iothreads>3</iothreads>}: ids 1 to 3) or by id
 * ({@code <iothreadids><iothread id='7'/></iothreadids>}). An {@code iothreadpin} the domain
 * already has for an id stays.
 */
final class IoThreadPins {

    private IoThreadPins() {
    }

    /** Adds an {@code iothreadpin} on {@code emulatorPcpus} to {@code <cputune>} for each declared IO thread without one. */
    static void pinEach(Element domain, CpuSet emulatorPcpus) {
        Element cputune = DomainXmlPatcher.child(domain, "cputune");
        if (cputune == null) {
            return;
        }
        Set<Integer> pinned = new TreeSet<>();
        for (Element e : DomainXmlPatcher.elements(cputune)) {
            if (e.getTagName().equals("iothreadpin")) {
                pinned.add(number(e.getAttribute("iothread"), "<iothreadpin iothread>"));
            }
        }
        for (int id : declared(domain)) {
            if (pinned.add(id)) {
                Element pin = domain.getOwnerDocument().createElement("iothreadpin");
                pin.setAttribute("iothread", Integer.toString(id));
                pin.setAttribute("cpuset", emulatorPcpus.format());
                cputune.appendChild(pin);
            }
        }
    }

    private static int number(String text, String what) {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new InvalidInputException("InvalidDomainXml", "iothreads", text, what + " must be a number, not '"
                    + text + "'");
        }
    }

    private static List<Integer> declared(Element domain) {
        List<Integer> ids = new ArrayList<>();
        Element ioThreadIds = DomainXmlPatcher.child(domain, "iothreadids");
        if (ioThreadIds != null) {
            for (Element e : DomainXmlPatcher.elements(ioThreadIds)) {
                if (e.getTagName().equals("iothread")) {
                    ids.add(number(e.getAttribute("id"), "<iothread id>"));
                }
            }
        }
        Element count = DomainXmlPatcher.child(domain, "iothreads");
        if (ids.isEmpty() && count != null) {
            int n = number(count.getTextContent(), "<iothreads>");
            for (int id = 1; id <= n; id++) {
                ids.add(id);
            }
        }
        return ids;
    }
}
