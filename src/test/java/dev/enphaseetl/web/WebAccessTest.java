package dev.enphaseetl.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.enphaseetl.web.WebAccess.Decision;

/** The access rule and the trusted-address list, without a server (hostile inputs included). */
class WebAccessTest {

    static final TrustedClients LOOPBACK = TrustedClients.parse(List.of("127.0.0.0/8", "::1"));

    @Test
    void loopbackIsTrustedByDefaultAndOthersAreRefusedWithoutAPassword() {
        WebAccess access = new WebAccess(LOOPBACK, Optional.empty(), false, false);
        assertThat(access.decide("127.0.0.1", "/", null)).isEqualTo(Decision.ALLOW);
        assertThat(access.decide("127.1.2.3", "/api/now", null)).isEqualTo(Decision.ALLOW);
        assertThat(access.decide("::1", "/", null)).isEqualTo(Decision.ALLOW);
        assertThat(access.decide("0:0:0:0:0:0:0:1", "/", null)).isEqualTo(Decision.ALLOW);
        assertThat(access.decide("::ffff:127.0.0.1", "/", null)).as("IPv4-mapped loopback").isEqualTo(Decision.ALLOW);
        assertThat(access.decide("192.168.1.20", "/", null)).isEqualTo(Decision.REFUSE);
        assertThat(access.decide("::ffff:192.168.1.20", "/", null)).isEqualTo(Decision.REFUSE);
        assertThat(access.decide("128.0.0.1", "/", null)).isEqualTo(Decision.REFUSE);
        assertThat(access.decide(null, "/", null)).isEqualTo(Decision.REFUSE);
        assertThat(access.decide("localhost", "/", null)).as("a name is not an address").isEqualTo(Decision.REFUSE);
        // without a password set, no header opens the door, not even an empty bearer token
        assertThat(access.decide("192.168.1.20", "/", "Bearer ")).isEqualTo(Decision.REFUSE);
    }

    @Test
    void aPasswordLetsOthersInByBasicAuthOrBearerToken() {
        WebAccess access = new WebAccess(LOOPBACK, Optional.of("s3cret"), false, false);
        String basic = "Basic " + Base64.getEncoder().encodeToString("me:s3cret".getBytes(StandardCharsets.UTF_8));
        assertThat(access.decide("10.0.0.5", "/", basic)).isEqualTo(Decision.ALLOW);
        assertThat(access.decide("10.0.0.5", "/", "Bearer s3cret")).isEqualTo(Decision.ALLOW);
        assertThat(access.decide("10.0.0.5", "/", "bearer s3cret")).isEqualTo(Decision.ALLOW);
        assertThat(access.decide("10.0.0.5", "/", null)).isEqualTo(Decision.ASK_PASSWORD);
        assertThat(access.decide("10.0.0.5", "/", "Bearer s3cre")).isEqualTo(Decision.ASK_PASSWORD);
        assertThat(access.decide("10.0.0.5", "/", "Bearer s3crett")).isEqualTo(Decision.ASK_PASSWORD);
        assertThat(access.decide("10.0.0.5", "/", "Basic !!notbase64")).isEqualTo(Decision.ASK_PASSWORD);
        assertThat(access.decide("10.0.0.5", "/", "Basic " + Base64.getEncoder().encodeToString(
                "s3cret".getBytes(StandardCharsets.UTF_8)))).as("no colon: no password")
                .isEqualTo(Decision.ASK_PASSWORD);
        assertThat(access.decide("10.0.0.5", "/", "Digest s3cret")).isEqualTo(Decision.ASK_PASSWORD);
        WebAccess umlaut = new WebAccess(LOOPBACK, Optional.of("pä55:w0rd"), false, false);
        assertThat(umlaut.decide("10.0.0.5", "/", "Basic " + Base64.getEncoder().encodeToString(
                "me:pä55:w0rd".getBytes(StandardCharsets.UTF_8)))).as("UTF-8, colon in the password")
                .isEqualTo(Decision.ALLOW);
    }

    @Test
    void metricsAndHealthCanBeOpenedSeparately() {
        WebAccess access = new WebAccess(LOOPBACK, Optional.empty(), true, false);
        assertThat(access.decide("10.0.0.5", "/q/metrics", null)).isEqualTo(Decision.ALLOW);
        assertThat(access.decide("10.0.0.5", "/q/metrics/", null)).isEqualTo(Decision.ALLOW);
        assertThat(access.decide("10.0.0.5", "/q/metricsfoo", null)).isEqualTo(Decision.REFUSE);
        assertThat(access.decide("10.0.0.5", "/q/health", null)).isEqualTo(Decision.REFUSE);
        assertThat(access.decide("10.0.0.5", "/api/now", null)).isEqualTo(Decision.REFUSE);
        WebAccess health = new WebAccess(LOOPBACK, Optional.empty(), false, true);
        assertThat(health.decide("10.0.0.5", "/q/health/ready", null)).isEqualTo(Decision.ALLOW);
        assertThat(health.decide("10.0.0.5", "/q/metrics", null)).isEqualTo(Decision.REFUSE);
    }

    @Test
    void rangesMatchByPrefix() {
        TrustedClients lan = TrustedClients.parse(List.of(" 192.168.1.0/24 ", "10.1.2.3", "fd00::/8", ""));
        assertThat(lan.contains("192.168.1.255")).isTrue();
        assertThat(lan.contains("192.168.2.1")).isFalse();
        assertThat(lan.contains("10.1.2.3")).isTrue();
        assertThat(lan.contains("10.1.2.4")).isFalse();
        assertThat(lan.contains("fd12:3456::1")).isTrue();
        assertThat(lan.contains("fe80::1")).isFalse();
        assertThat(lan.contains("127.0.0.1")).isFalse();
        assertThat(TrustedClients.parse(List.of("192.168.1.128/25")).contains("192.168.1.127")).isFalse();
        assertThat(TrustedClients.parse(List.of("0.0.0.0/0")).contains("8.8.8.8")).isTrue();
    }

    @Test
    void aBadEntryGetsOneLineNamingTheFix() {
        for (String bad : List.of("localhost", "192.168.1.0/33", "192.168.1/24", "10.0.0.1/x", "::1/129",
                "1.2.3.4.5")) {
            assertThatThrownBy(() -> TrustedClients.parse(List.of(bad))).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("enphase.web.trusted: '" + bad + "'")
                    .hasMessageContaining("host names are not accepted");
        }
    }
}
