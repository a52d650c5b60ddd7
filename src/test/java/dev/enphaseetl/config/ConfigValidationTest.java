package dev.enphaseetl.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    void aRoleThatCannotWorkIsOneLineNamingTheKey() {
        for (String role : new String[]{"central", "edge", "EDGE"}) {
            EnphaseConfig c = config(Map.of("enphase.role", role)).getConfigMapping(EnphaseConfig.class);
            assertThat(ConfigCheck.problems(c)).as(role).singleElement().asString()
                    .contains("enphase.kafka.bootstrap-servers").contains("ENPHASE_KAFKA_BOOTSTRAP_SERVERS");
        }
        EnphaseConfig sharing = config(Map.of("enphase.kafka.share-gateways.enabled", "true"))
                .getConfigMapping(EnphaseConfig.class);
        assertThat(ConfigCheck.problems(sharing)).singleElement().asString()
                .contains("enphase.kafka.share-gateways.enabled").contains("enphase.kafka.bootstrap-servers");
        EnphaseConfig fine = config(Map.of("enphase.role", "central", "enphase.kafka.bootstrap-servers",
                "127.0.0.1:9092")).getConfigMapping(EnphaseConfig.class);
        assertThat(ConfigCheck.problems(fine)).isEmpty();
        assertThat(fine.role()).isEqualTo(EnphaseConfig.Role.CENTRAL);
        assertThat(fine.kafka().topic()).isEqualTo("enphase.readings");
        assertThatThrownBy(() -> config(Map.of("enphase.role", "centrl"))).hasMessageContaining("enphase.role");
        assertThat(config(Map.of()).getConfigMapping(EnphaseConfig.class).role())
                .isEqualTo(EnphaseConfig.Role.STANDALONE);
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

    @Test
    void aPollPeriodOfZeroOrLessIsRefusedNamingTheKeyAndTheSwitchOff() {
        for (String bad : new String[]{"0s", "0", "-5s", "-1"}) {
            EnphaseConfig c = config(Map.of("enphase.poll.production-json.period", bad))
                    .getConfigMapping(EnphaseConfig.class);
            assertThat(ConfigCheck.problems(c)).as(bad).singleElement().asString()
                    .contains("enphase.poll.production-json.period").contains("'" + bad + "'")
                    .contains("enphase.poll.production-json.enabled=false");
        }
        EnphaseConfig garbled = config(Map.of("enphase.poll.info.period", "soon"))
                .getConfigMapping(EnphaseConfig.class);
        assertThat(ConfigCheck.problems(garbled)).singleElement().asString().contains("enphase.poll.info.period")
                .contains("not a duration");
        EnphaseConfig fine = config(Map.of("enphase.poll.info.period", "1s", "enphase.poll.ivp-meters.period", "250"))
                .getConfigMapping(EnphaseConfig.class);
        assertThat(ConfigCheck.problems(fine)).isEmpty();
    }

    @Test
    void aLedgerZoneThatIsNoZoneIsRefusedNamingTheKey() {
        // a typo in the region: the CSV sink's local_time and the ledger's days depend on it
        EnphaseConfig c = config(Map.of("enphase.ledger.zone", "Europe/Berlni")).getConfigMapping(EnphaseConfig.class);
        assertThat(ConfigCheck.problems(c)).singleElement().asString()
                .contains("enphase.ledger.zone is 'Europe/Berlni'").contains("ENPHASE_LEDGER_ZONE");
        EnphaseConfig fine = config(Map.of("enphase.ledger.zone", "Europe/Berlin"))
                .getConfigMapping(EnphaseConfig.class);
        assertThat(ConfigCheck.problems(fine)).isEmpty();
    }

    @Test
    void aCloudRoundCapBelowOneIsRefusedNamingTheKey() {
        for (String bad : new String[]{"0", "-5"}) {
            EnphaseConfig c = config(Map.of("enphase.cloud.max-calls-per-round", bad))
                    .getConfigMapping(EnphaseConfig.class);
            assertThat(ConfigCheck.problems(c)).as(bad).singleElement().asString()
                    .contains("enphase.cloud.max-calls-per-round is " + bad)
                    .contains("ENPHASE_CLOUD_MAX_CALLS_PER_ROUND").doesNotContain("\n");
        }
        EnphaseConfig defaults = config(Map.of()).getConfigMapping(EnphaseConfig.class);
        assertThat(defaults.cloud().maxCallsPerRound()).isEqualTo(20);
        assertThat(defaults.cloud().micros()).isFalse();
        assertThat(ConfigCheck.problems(defaults)).isEmpty();
    }

    @Test
    void noPollThreadsIsRefusedNamingTheKey() {
        EnphaseConfig c = config(Map.of("enphase.poll.threads", "0")).getConfigMapping(EnphaseConfig.class);
        assertThat(ConfigCheck.problems(c)).singleElement().asString().contains("enphase.poll.threads is 0")
                .contains("ENPHASE_POLL_THREADS");
    }

    @Test
    void aDataDirThatCannotBeCreatedOrWrittenIsNamedWithTheFix(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("taken"), "a file where the folder should be");
        assertThat(ConfigCheck.dataDirProblem(file.resolve("data").toString())).get().asString()
                .contains("enphase.data-dir").contains(file.resolve("data").toString()).contains("ENPHASE_DATA_DIR");
        assertThat(ConfigCheck.dataDirProblem(file.toString())).get().asString().contains("is a file");
        // /proc refuses new entries even to root (the tests may run as root, for whom permissions are no obstacle)
        assertThat(ConfigCheck.dataDirProblem("/proc/enphase-etl-data")).get().asString()
                .contains("cannot be created or written");
        Path fresh = tmp.resolve("a").resolve("b");
        assertThat(ConfigCheck.dataDirProblem(fresh.toString())).isEmpty();
        assertThat(fresh).isDirectory().isEmptyDirectory();
    }

    @Test
    void aMissingOrEmptyRoutesDirectoryNamesEnphaseRoutesDir(@TempDir Path tmp) throws Exception {
        assertThat(ConfigCheck.routesProblem("file:" + tmp.resolve("nowhere") + "/*.camel.yaml")).get().asString()
                .contains(tmp.resolve("nowhere").toString()).contains("does not exist").contains("ENPHASE_ROUTES_DIR");
        assertThat(ConfigCheck.routesProblem("file:" + tmp + "/*.camel.yaml")).get().asString()
                .contains("no *.camel.yaml").contains("ENPHASE_ROUTES_DIR");
        Files.writeString(tmp.resolve("10-x.camel.yaml"), "- route: {}\n");
        assertThat(ConfigCheck.routesProblem("file:" + tmp + "/*.camel.yaml")).isEmpty();
        assertThat(ConfigCheck.routesProblem("classpath:routes/*.yaml")).isEmpty();
    }

    @Test
    void aConfigurationFileThatIsNotUtf8IsNamedWithItsLine(@TempDir Path tmp) throws Exception {
        Path config = Files.createDirectories(tmp.resolve("config"));
        Files.writeString(config.resolve("application.yaml"), "enphase:\n  data-dir: ./data\n");
        assertThat(ConfigCheck.configFileProblem(tmp, Map.of())).isEmpty();
        // Latin-1 as an editor on Windows would save it: the umlaut is one byte 0xE4
        Files.write(config.resolve("application.yaml"),
                "enphase:\n  gateways[0].tags.site: Gew\u00e4chshaus\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(ConfigCheck.configFileProblem(tmp, Map.of())).get().asString()
                .contains(config.resolve("application.yaml").toString()).contains("not UTF-8")
                .contains("0xE4 on line 2").contains("save it as UTF-8");
        Files.delete(config.resolve("application.yaml"));
        // a file named by QUARKUS_CONFIG_LOCATIONS is checked too, and so is .env
        Path elsewhere = Files.write(tmp.resolve("site.properties"), new byte[]{'a', '=', (byte) 0xFF});
        assertThat(ConfigCheck.configFileProblem(tmp, Map.of("QUARKUS_CONFIG_LOCATIONS", elsewhere.toString())))
                .get().asString().contains("site.properties");
        Files.write(tmp.resolve(".env"), new byte[]{'X', '=', (byte) 0xC3});
        assertThat(ConfigCheck.configFileProblem(tmp, Map.of())).get().asString().contains(".env");
    }
}
