package dev.enphaseetl.simulator;

import java.time.Instant;

/** The XML of {@code /info}, shaped like a real IQ Gateway's. */
final class InfoXml {

    static final String PART_NUMBER = "800-00654-r08";

    private InfoXml() {}

    static String render(SimulatedGateway g, Instant time) {
        String app = appVersion(g.firmware());
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<envoy_info>\n"
                + "\t<time>" + time.getEpochSecond() + "</time>\n"
                + "\t<device>\n"
                + "\t\t<sn>" + g.serial() + "</sn>\n"
                + "\t\t<pn>" + PART_NUMBER + "</pn>\n"
                + "\t\t<software>D" + g.firmware() + "</software>\n"
                + "\t\t<euaid>4c8675</euaid>\n"
                + "\t\t<seqnum>0</seqnum>\n"
                + "\t\t<apiver>1</apiver>\n"
                + "\t\t<imeter>true</imeter>\n"
                + "\t</device>\n"
                + (g.legacy() ? "" : "\t<web-tokens>true</web-tokens>\n")
                + "\t<package name=\"app\">\n"
                + "\t\t<pn>500-00002-r01</pn>\n"
                + "\t\t<version>" + app + "</version>\n"
                + "\t\t<build>5a1b2c</build>\n"
                + "\t</package>\n"
                + "</envoy_info>\n";
    }

    /** {@code 8.2.4345} -> {@code 08.02.4345}. */
    static String appVersion(String firmware) {
        String[] parts = firmware.split("\\.");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                sb.append('.');
            }
            sb.append(i < 2 && parts[i].length() == 1 ? "0" + parts[i] : parts[i]);
        }
        return sb.toString();
    }
}
