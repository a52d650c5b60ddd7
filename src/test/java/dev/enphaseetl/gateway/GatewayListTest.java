package dev.enphaseetl.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.enphaseetl.simulator.SimulatorConfig;

/**
 * The gateway list file of a large fleet: 10,000 gateways as CSV and as YAML (the YAML larger than SnakeYAML's
 * default 3 MB limit, which stopped such a configuration file), and careless rows: each stops with one line naming the
 * file, the line and the fix.
 */
class GatewayListTest {

    static final int FLEET = 10_000;
    /** A JWT-sized token, as real gateways need: 10,000 of them make the YAML about 4 MB. */
    static final String TOKEN = SimulatorConfig.DEV_TOKEN + "x".repeat(Math.max(0, 330 - SimulatorConfig.DEV_TOKEN
            .length()));

    @TempDir
    Path dir;

    @Test
    void tenThousandGatewaysAsCsv() throws Exception {
        StringBuilder csv = new StringBuilder("# the roof fleet\nname,host,token,serial,tags.site\n");
        for (int i = 0; i < FLEET; i++) {
            csv.append("gw-").append(i).append(",https://").append(SimulatorConfig.address(i)).append(',')
                    .append(TOKEN).append(",1220").append(String.format("%08d", i)).append(",site-").append(i % 7)
                    .append('\n');
        }
        Path file = dir.resolve("fleet.csv");
        Files.writeString(file, csv);

        List<GatewayList.Entry> entries = GatewayList.read(file);

        assertThat(entries).hasSize(FLEET);
        GatewayList.Entry last = entries.get(FLEET - 1);
        assertThat(last.line()).isEqualTo(FLEET + 2);
        assertThat(last.gateway().name()).contains("gw-9999");
        assertThat(last.gateway().host()).isEqualTo("https://" + SimulatorConfig.address(9999));
        assertThat(last.gateway().token()).contains(TOKEN);
        assertThat(last.gateway().serial()).contains("122000009999");
        assertThat(last.gateway().tags()).isEqualTo(Map.of("site", "site-" + (9999 % 7)));
        assertThat(last.gateway().tokenFile()).isEmpty();
        assertThat(GatewayRegistry.fromConfig(last.gateway()).id()).isEqualTo("gw-9999");
    }

    @Test
    void tenThousandGatewaysAsYamlBeyondTheDefaultSizeLimit() throws Exception {
        StringBuilder yaml = new StringBuilder("gateways:\n");
        for (int i = 0; i < FLEET; i++) {
            yaml.append("  - host: https://").append(SimulatorConfig.address(i)).append('\n')
                    .append("    token: ").append(TOKEN).append('\n')
                    .append("    tags: {site: roof}\n");
        }
        Path file = dir.resolve("fleet.yaml");
        Files.writeString(file, yaml);
        assertThat(Files.size(file)).isGreaterThan(3L * 1024 * 1024);

        List<GatewayList.Entry> entries = GatewayList.read(file);

        assertThat(entries).hasSize(FLEET);
        assertThat(entries.get(1).line()).isEqualTo(5);
        assertThat(entries.get(FLEET - 1).gateway().host()).isEqualTo("https://" + SimulatorConfig.address(9999));
        assertThat(entries.get(0).gateway().tags()).isEqualTo(Map.of("site", "roof"));
        // without a name, the id is the host, as in the configuration file
        assertThat(GatewayRegistry.fromConfig(entries.get(0).gateway()).id()).isEqualTo("127.1.0.1");
    }

    @Test
    void aCsvRowWithoutHostNamesFileAndLine() throws Exception {
        Path file = dir.resolve("fleet.csv");
        Files.writeString(file, "name,host,token\na,192.168.1.50,\nb,192.168.1.51,\nc,,\nd,192.168.1.53,\n");

        assertThatThrownBy(() -> GatewayList.read(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("enphase.gateways-file " + file + " line 4: no host: give the gateway's address, e.g."
                        + " 192.168.1.50 or https://envoy.local");
    }

    @Test
    void aTypoInTheCsvHeaderOrARowWithTooManyValuesIsNamed() throws Exception {
        Path typo = dir.resolve("typo.csv");
        Files.writeString(typo, "name,hots,token\na,192.168.1.50,\n");
        assertThatThrownBy(() -> GatewayList.read(typo)).hasMessageStartingWith("enphase.gateways-file " + typo
                + " line 1: unknown column 'hots'");

        Path comma = dir.resolve("comma.csv");
        Files.writeString(comma, "name,host\na,192.168.1.50\nb,192.168.1.51,extra\n");
        assertThatThrownBy(() -> GatewayList.read(comma)).hasMessageStartingWith("enphase.gateways-file " + comma
                + " line 3: 3 values for 2 columns");
    }

    @Test
    void yamlMistakesNameTheirLine() throws Exception {
        Path file = dir.resolve("fleet.yml");
        Files.writeString(file, "- host: 192.168.1.50\n- host: 192.168.1.51\n  tokn: abc\n");
        assertThatThrownBy(() -> GatewayList.read(file)).hasMessage("enphase.gateways-file " + file
                + " line 3: unknown key 'tokn': known keys are host, name, token, token-file, account, serial,"
                + " username, password, certificate-sha256, tags");

        Path badHost = dir.resolve("bad-host.yaml");
        Files.writeString(badHost, "- host: 192.168.1.50\n- {host: 'http://', name: x}\n");
        assertThatThrownBy(() -> GatewayList.read(badHost)).hasMessageStartingWith("enphase.gateways-file " + badHost
                + " line 2: host 'http://' is not an address");
    }

    @Test
    void theSameGatewayTwiceIsNamedWithBothLines() throws Exception {
        Path file = dir.resolve("fleet.csv");
        Files.writeString(file, "host,token\n192.168.1.50,\n192.168.1.51,\n192.168.1.50,\n");
        assertThatThrownBy(() -> GatewayList.read(file)).hasMessage("enphase.gateways-file " + file
                + " line 4: gateway 192.168.1.50 is listed twice (also on line 2): remove one, or give each its own"
                + " name");
    }

    @Test
    void aMissingFileSaysSo() {
        Path file = dir.resolve("nope.csv");
        assertThatThrownBy(() -> GatewayList.read(file)).hasMessageStartingWith("enphase.gateways-file " + file
                + " does not exist");
    }
}
