package dev.enphaseetl.sink;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.enphaseetl.config.EnphaseConfig;
import dev.enphaseetl.sink.file.FileSinkConfig;
import dev.enphaseetl.sink.jdbc.JdbcSinkConfig;

/**
 * What is written where: one line per built-in sink that is on, naming its folder, InfluxDB URL and database, or
 * JDBC URL (never a password). Logged once at start by {@code enphase-etl run}.
 */
public final class SinkDestinations {

    private SinkDestinations() {}

    public static List<String> describe(EnphaseConfig config) {
        EnphaseConfig.Sink s = config.sink();
        Path dataDir = Path.of(config.dataDir()).toAbsolutePath().normalize();
        List<String> lines = new ArrayList<>();
        if (s.lineprotocol().enabled()) {
            FileSinkConfig f = FileSinkConfig.lineProtocol(dataDir).with(s.lineprotocol().directory(),
                    s.lineprotocol().pattern());
            lines.add("sink lineprotocol writes files " + f.pattern() + " in " + f.directory().toAbsolutePath());
        }
        if (s.csv().enabled()) {
            FileSinkConfig f = FileSinkConfig.csv(dataDir).with(s.csv().directory(), s.csv().pattern());
            lines.add("sink csv writes files " + f.pattern() + " in " + f.directory().toAbsolutePath());
        }
        boolean influxUrl = s.influxdb().url().filter(u -> !u.isBlank()).isPresent();
        if (s.influxdb().enabled().orElse(influxUrl)) {
            lines.add("sink influxdb writes to " + s.influxdb().url().map(SinkDestinations::withoutSecrets)
                    .orElse("(no enphase.sink.influxdb.url: entries wait in the spool)") + ", database "
                    + s.influxdb().database() + s.influxdb().retentionPolicy().map(rp -> ", retention policy " + rp)
                            .orElse("")
                    + (s.influxdb().createDatabase() ? " (created if missing)" : ""));
        }
        if (s.jdbc().enabled()) {
            String url = s.jdbc().url().filter(u -> !u.isBlank()).orElse(JdbcSinkConfig.sqlite(dataDir).url());
            lines.add("sink jdbc writes to " + withoutSecrets(url)
                    + s.jdbc().user().map(u -> " as user " + u).orElse(""));
        }
        return lines;
    }

    /** A URL without its password: {@code password=...} parameters and {@code user:password@} are masked. */
    static String withoutSecrets(String url) {
        return url.replaceAll("(?i)((?:password|pwd|token)=)[^&;]*", "$1***")
                .replaceAll("(//[^/@:]+:)[^/@]*@", "$1***@");
    }
}
