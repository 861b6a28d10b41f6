package io.kvmtune.core.libvirt;

import io.kvmtune.core.InvalidInputException;
import java.util.SortedSet;
import java.util.TreeSet;
import org.w3c.dom.Element;

/**
 * The ids of the IO threads a domain declares, as libvirt reads them: by id
 * ({@code <iothreadids><iothread id='7'/></iothreadids>}), and by count
 * ({@code <iothreads>3</iothreads>}), where libvirt gives the threads the count adds beyond the
 * listed ids the lowest ids not listed, from 1. The XML writer pins exactly these: libvirt refuses
 * an {@code iothreadpin} of an id the domain does not declare ("Cannot find 'iothread' : 1").
 */
final class DeclaredIoThreads {

    private DeclaredIoThreads() {
    }

    /** The declared ids in ascending order; empty when the domain declares no IO thread. */
    static SortedSet<Integer> of(Element domain) {
        SortedSet<Integer> ids = new TreeSet<>();
        Element ioThreadIds = DomainXmlPatcher.child(domain, "iothreadids");
        if (ioThreadIds != null) {
            for (Element e : DomainXmlPatcher.elements(ioThreadIds)) {
                if (e.getTagName().equals("iothread")) {
                    ids.add(number(e.getAttribute("id"), "<iothread id>"));
                }
            }
        }
        Element count = DomainXmlPatcher.child(domain, "iothreads");
        int n = count == null ? 0 : number(count.getTextContent(), "<iothreads>");
        for (int id = 1; ids.size() < n; id++) {
            ids.add(id);
        }
        return ids;
    }

    private static int number(String text, String what) {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new InvalidInputException("InvalidDomainXml", "iothreads", text, what + " must be a number, not '"
                    + text + "'");
        }
    }
}
