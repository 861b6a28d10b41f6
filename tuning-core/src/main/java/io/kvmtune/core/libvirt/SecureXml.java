package io.kvmtune.core.libvirt;

import javax.xml.stream.XMLInputFactory;

/**
 * XML readers for documents from outside (libvirt hook stdin, files named on the command line).
 *
 * <p>A domain XML never needs a document type declaration, so none is processed: no DTD, no
 * external entities, no entity expansion. Readers of these factories also report a DOCTYPE as an
 * event, which {@link DomainXmlReader} refuses outright rather than skipping.
 */
public final class SecureXml {

    private SecureXml() {
    }

    /** The JDK's own StAX implementation (never one found on the class path), locked down. */
    public static XMLInputFactory inputFactory() {
        XMLInputFactory f = XMLInputFactory.newDefaultFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        f.setProperty(XMLInputFactory.IS_COALESCING, true);
        return f;
    }
}
