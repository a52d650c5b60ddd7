package dev.enphaseetl.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

import dev.enphaseetl.ops.ConfigCheck;

/** A wrong configuration key stops the start with a message naming it; right keys map to typed values. */
class ConfigValidationTest {

    private static SmallRyeConfig config(Map<String, String> properties) {
        return new SmallRyeConfigBuilder().withMapping(EnphaseConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(properties, "test", 500)).build();
    }

    @Test
    void aMisspelledKeyIsRefusedByName() {
        assertThatThrownBy(() -> config(Map.of("enphase.sink.influxdb.urll", "http://x:8086")))
                .hasMessageContaining("enphase.sink.influxdb.urll");
        assertThatThrownBy(() -> config(Map.of("enphase.gateway[0].host", "192.0.2.1")))
                .hasMessageContaining("enphase.gateway[0].host");
    }

    @Test
    void anUnknownEndpointUnderPollIsNamedWithTheKnownOnes() {
        EnphaseConfig c = config(Map.of("enphase.poll.ivp-meter-readings.period", "30s"))
                .getConfigMapping(EnphaseConfig.class);
        assertThat(ConfigCheck.problems(c)).singleElement().asString()
                .contains("enphase.poll.ivp-meter-readings").contains("ivp-meters-readings");
    }

    @Test
    void gatewaysAndSinksMapToTypedValuesWithDefaults() {
        EnphaseConfig c = config(Map.of("enphase.gateways[0].host", "https://192.0.2.1",
                "enphase.gateways[0].tags.site", "barn", "enphase.gateways[1].host", "http://192.0.2.2",
                "enphase.sink.influxdb.url", "http://127.0.0.1:8086", "enphase.poll.production-json.period", "30s"))
                .getConfigMapping(EnphaseConfig.class);
        assertThat(c.gateways()).get().asList().hasSize(2);
        assertThat(c.gateways().get().get(0).tags()).containsEntry("site", "barn");
        assertThat(c.sink().influxdb().database()).isEqualTo("enphase");
        assertThat(c.sink().influxdb().batchSize()).isEqualTo(5000);
        assertThat(c.poll().endpoints().get("production-json").period()).contains("30s");
        assertThat(ConfigCheck.problems(c)).isEmpty();
    }
}
