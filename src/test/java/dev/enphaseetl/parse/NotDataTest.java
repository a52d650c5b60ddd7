package dev.enphaseetl.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** What a gateway sends instead of data is NotDataException; malformed payloads are PayloadException. */
class NotDataTest {

    private final DefaultPayloadParser parser = new DefaultPayloadParser();

    private Throwable thrown(Endpoint ep, int status, String body) {
        try {
            parser.parse("gw", ep, status, body, new GatewayState());
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    @Test
    void errorObjectIsNotData() throws Exception {
        String body = Fixtures.read(Fixtures.CAPTURES.resolve("5.0.62/ivp_ensemble_inventory"));
        assertThat(thrown(Endpoint.IVP_ENSEMBLE_INVENTORY, 200, body)).isInstanceOf(NotDataException.class)
                .hasMessageContaining("404 - Not Found");
    }

    @Test
    void emptyArrayWhereObjectExpectedIsNotData() {
        assertThat(thrown(Endpoint.API_V1_PRODUCTION, 200, "[]")).isInstanceOf(NotDataException.class)
                .hasMessageContaining("empty array");
        assertThat(thrown(Endpoint.PRODUCTION_JSON, 200, " [ ] ")).isInstanceOf(NotDataException.class);
    }

    @Test
    void emptyArrayWhereArrayExpectedIsNoMeters() throws Exception {
        GatewayState s = new GatewayState();
        assertThat(parser.parse("gw", Endpoint.IVP_METERS, 200, "[]", s)).isEmpty();
        assertThat(s.meters()).hasValue(List.of());
        assertThat(parser.parse("gw", Endpoint.API_V1_PRODUCTION_INVERTERS, 200, "[]", s)).isEmpty();
    }

    @Test
    void authAndMissingStatusesAreNotData() {
        for (int status : new int[]{401, 403, 404}) {
            assertThat(thrown(Endpoint.IVP_METERS, status, "{}")).isInstanceOf(NotDataException.class)
                    .hasMessageContaining(Integer.toString(status));
        }
        Throwable t = thrown(Endpoint.IVP_METERS, 500, "{}");
        assertThat(t).isExactlyInstanceOf(PayloadException.class).hasMessageContaining("500");
    }

    @Test
    void emptyBodyAndHtmlAreNotData() {
        assertThat(thrown(Endpoint.PRODUCTION_JSON, 200, "")).isInstanceOf(NotDataException.class);
        assertThat(thrown(Endpoint.PRODUCTION_JSON, 200, "  \n")).isInstanceOf(NotDataException.class);
        assertThat(thrown(Endpoint.INFO, 200, "<!DOCTYPE html><html><body>401</body></html>"))
                .isInstanceOf(NotDataException.class).hasMessageContaining("HTML");
    }

    @Test
    void malformedJsonIsPayloadExceptionNamingEndpointWithoutEchoingPayload() {
        String secretish = "{\"production\": [ {\"type\": \"inverters\", \"token\": \"eyJhbGciOiJFUzI1NiJ9.abc\"";
        Throwable t = thrown(Endpoint.PRODUCTION_JSON, 200, secretish);
        assertThat(t).isExactlyInstanceOf(PayloadException.class).hasMessageContaining("/production.json")
                .hasMessageContaining("malformed JSON");
        assertThat(t.getMessage()).doesNotContain("eyJ").hasSizeLessThan(200);
    }

    @Test
    void unexpectedShapeIsPayloadException() {
        assertThat(thrown(Endpoint.API_V1_PRODUCTION_INVERTERS, 200, "{\"a\":1}"))
                .isExactlyInstanceOf(PayloadException.class).hasMessageContaining("not a JSON array");
        assertThat(thrown(Endpoint.PRODUCTION_JSON, 200, "{\"production\": 5}"))
                .isExactlyInstanceOf(PayloadException.class).hasMessageContaining("production");
        assertThat(thrown(Endpoint.INFO, 200, "<?xml version=\"1.0\"?><other/>"))
                .isExactlyInstanceOf(PayloadException.class);
        assertThat(thrown(Endpoint.IVP_METERS_READINGS, 200, "[]")).isExactlyInstanceOf(PayloadException.class)
                .hasMessageContaining("/ivp/meters");
    }

    @Test
    void xmlEntitiesAreRefused() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                + "<envoy_info><device><sn>&e;</sn></device></envoy_info>";
        assertThatThrownBy(() -> parser.parse("gw", Endpoint.INFO, 200, xxe, new GatewayState()))
                .isExactlyInstanceOf(PayloadException.class);
    }

    @Test
    void infoFillsGatewayState() throws Exception {
        GatewayState s = new GatewayState();
        String body = Fixtures.read(Fixtures.CAPTURES.resolve("8.2.4264_metered_noct/info"));
        assertThat(parser.parse("gw", Endpoint.INFO, 200, body, s)).isEmpty();
        assertThat(s.serial()).hasValue(element(body, "sn"));
        assertThat(s.firmware()).hasValue(element(body, "software"));
        assertThat(s.partNumber()).hasValue(element(body, "pn"));
        assertThat(s.metered()).hasValue(Boolean.valueOf(element(body, "imeter")));
        assertThat(s.latestDeviceTime()).hasValue(Long.parseLong(element(body, "time")));
    }

    /** The first element of that name, read with a regex independent of the parser under test. */
    private static String element(String xml, String name) {
        var m = Pattern.compile("<" + name + ">([^<]*)</" + name + ">").matcher(xml);
        assertThat(m.find()).isTrue();
        return m.group(1).strip();
    }
}
