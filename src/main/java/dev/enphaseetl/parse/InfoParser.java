package dev.enphaseetl.parse;

import java.io.StringReader;
import java.util.List;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.helpers.DefaultHandler;

import dev.enphaseetl.model.Reading;

/**
 * /info (XML): serial, firmware, part number and the metering flag go into the {@link GatewayState}; the device
 * {@code <time>} becomes a known device timestamp. No readings: /info has no measurement worth a series.
 */
final class InfoParser {

    private static final Endpoint EP = Endpoint.INFO;

    private InfoParser() {}

    static List<Reading> parse(String body, GatewayState state) throws PayloadException {
        Document doc = parseXml(body);
        Element root = doc.getDocumentElement();
        if (root == null || !"envoy_info".equals(root.getTagName())) {
            throw new PayloadException(EP.path() + ": root element is not envoy_info");
        }
        Element device = child(root, "device");
        if (device == null) {
            throw new PayloadException(EP.path() + ": no device element");
        }
        String serial = Json.cleanTag(text(device, "sn"));
        String software = Json.cleanTag(text(device, "software"));
        String pn = Json.cleanTag(text(device, "pn"));
        String imeter = text(device, "imeter");
        Boolean metered = imeter == null ? null : Boolean.valueOf("true".equalsIgnoreCase(imeter.strip()));
        if (serial == null && software == null) {
            throw new PayloadException(EP.path() + ": neither serial number nor firmware version present");
        }
        state.setInfo(serial, software, pn, metered);
        String time = text(root, "time");
        if (time != null && time.strip().matches("\\d{1,12}")) {
            state.observeDeviceTime(Long.parseLong(time.strip()));
        }
        return List.of();
    }

    private static Document parseXml(String body) throws PayloadException {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(new DefaultHandler());
            return b.parse(new InputSource(new StringReader(body)));
        } catch (Exception e) {
            throw new PayloadException(EP.path() + ": malformed XML (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static Element child(Element parent, String name) {
        NodeList nl = parent.getChildNodes();
        for (int i = 0; i < nl.getLength(); i++) {
            Node n = nl.item(i);
            if (n instanceof Element e && name.equals(e.getTagName())) {
                return e;
            }
        }
        return null;
    }

    private static String text(Element parent, String name) {
        Element e = child(parent, name);
        return e == null ? null : e.getTextContent();
    }
}
