package io.kvmtune.core.libvirt;

import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
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

    /** A DOM builder of the JDK's own implementation that fails on any DOCTYPE. */
    public static DocumentBuilder documentBuilder() {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newDefaultInstance();
            f.setNamespaceAware(true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            return f.newDocumentBuilder();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's DOM builder lacks a standard feature", e);
        }
    }
}
