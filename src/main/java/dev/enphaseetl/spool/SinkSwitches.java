package dev.enphaseetl.spool;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.enphaseetl.config.EnphaseConfig;

/**
 * Which sinks are on, from {@code enphase.sink.<name>.enabled}. Files and the SQL database (SQLite by default) are on
 * by default; InfluxDB is on when {@code enphase.sink.influxdb.url} is set, unless switched off explicitly.
 */
@ApplicationScoped
public class SinkSwitches {

    /** Every sink the pipeline knows, in delivery order. */
    public static final List<String> ALL = List.of("lineprotocol", "csv", "influxdb", "jdbc");

    private final List<String> enabled;

    @Inject
    public SinkSwitches(EnphaseConfig config) {
        EnphaseConfig.Sink s = config.sink();
        List<String> on = new ArrayList<>();
        if (s.lineprotocol().enabled()) {
            on.add("lineprotocol");
        }
        if (s.csv().enabled()) {
            on.add("csv");
        }
        boolean influxUrl = s.influxdb().url().filter(u -> !u.isBlank()).isPresent();
        if (s.influxdb().enabled().orElse(influxUrl)) {
            on.add("influxdb");
        }
        if (s.jdbc().enabled()) {
            on.add("jdbc");
        }
        this.enabled = List.copyOf(on);
    }

    private SinkSwitches(List<String> enabled) {
        this.enabled = List.copyOf(enabled);
    }

    public static SinkSwitches of(List<String> enabled) {
        return new SinkSwitches(enabled);
    }

    public List<String> enabled() {
        return enabled;
    }

    public boolean isEnabled(String sink) {
        return enabled.contains(sink);
    }
}
