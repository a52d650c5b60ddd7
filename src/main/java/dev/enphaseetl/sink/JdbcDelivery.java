package dev.enphaseetl.sink;

import java.nio.file.Path;
import java.util.List;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import dev.enphaseetl.config.EnphaseConfig;
import dev.enphaseetl.model.Reading;
import dev.enphaseetl.sink.jdbc.JdbcSink;
import dev.enphaseetl.sink.jdbc.JdbcSinkConfig;

/** The SQL database ({@code enphase.sink.jdbc.*}; SQLite in the data directory by default), opened on first use. */
@ApplicationScoped
@Named("jdbcDelivery")
public class JdbcDelivery implements SinkDelivery {

    private final Path dataDir;
    private final EnphaseConfig.Jdbc config;
    private JdbcSink sink;

    @Inject
    public JdbcDelivery(EnphaseConfig enphase) {
        this.dataDir = Path.of(enphase.dataDir());
        this.config = enphase.sink().jdbc();
    }

    @Override
    public void deliver(List<Reading> readings) {
        sink().deliver(readings);
    }

    /** The SQL archive, also read by the ledger. */
    public synchronized JdbcSink sink() {
        if (sink == null) {
            EnphaseConfig.Jdbc c = config;
            sink = new JdbcSink(c.url().filter(u -> !u.isBlank())
                    .map(url -> new JdbcSinkConfig(url, c.user().orElse(null), c.password().orElse(null)))
                    .orElseGet(() -> JdbcSinkConfig.sqlite(dataDir)));
        }
        return sink;
    }

    @PreDestroy
    synchronized void close() {
        if (sink != null) {
            sink.close();
        }
    }
}
