package dev.enphaseetl.spool;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Which sinks are on, from {@code enphase.sink.<name>.enabled}. Files and SQLite are on by default; InfluxDB is on
 * when {@code enphase.sink.influxdb.url} is set, unless switched off explicitly.
 */
@ApplicationScoped
public class SinkSwitches {

    /** Every sink the pipeline knows, in delivery order. */
    public static final List<String> ALL = List.of("lineprotocol", "csv", "influxdb", "jdbc");

    private final List<String> enabled;

    public SinkSwitches() {
        this(ConfigProvider.getConfig());
    }

    SinkSwitches(Config config) {
        List<String> on = new ArrayList<>();
        for (String sink : ALL) {
            boolean defaultOn = switch (sink) {
                case "influxdb" -> config.getOptionalValue("enphase.sink.influxdb.url", String.class)
                        .filter(s -> !s.isBlank()).isPresent();
                default -> true;
            };
            if (config.getOptionalValue("enphase.sink." + sink + ".enabled", Boolean.class).orElse(defaultOn)) {
                on.add(sink);
            }
        }
        this.enabled = List.copyOf(on);
    }

    public static SinkSwitches of(List<String> enabled) {
        return new SinkSwitches(enabled);
    }

    private SinkSwitches(List<String> enabled) {
        this.enabled = List.copyOf(enabled);
    }

    public List<String> enabled() {
        return enabled;
    }

    public boolean isEnabled(String sink) {
        return enabled.contains(sink);
    }
}
