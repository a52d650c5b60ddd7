package dev.enphaseetl.sink;

import java.util.List;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import dev.enphaseetl.config.EnphaseConfig;
import dev.enphaseetl.delivery.PermanentSinkException;
import dev.enphaseetl.model.Reading;
import dev.enphaseetl.sink.influx.InfluxSink;
import dev.enphaseetl.sink.influx.InfluxSinkConfig;

/** InfluxDB ({@code enphase.sink.influxdb.*}), connected on first use: a sink that is off connects nowhere. */
@ApplicationScoped
@Named("influxDelivery")
public class InfluxDelivery implements SinkDelivery {

    private final EnphaseConfig.Influx config;
    private InfluxSink sink;

    @Inject
    public InfluxDelivery(EnphaseConfig enphase) {
        this.config = enphase.sink().influxdb();
    }

    @Override
    public void deliver(List<Reading> readings) {
        sink().deliver(readings);
    }

    public synchronized InfluxSink sink() {
        if (sink == null) {
            EnphaseConfig.Influx c = config;
            String url = c.url().filter(u -> !u.isBlank()).orElseThrow(() -> new PermanentSinkException(
                    "InfluxDB sink has entries to deliver but enphase.sink.influxdb.url is not set", null));
            sink = new InfluxSink(new InfluxSinkConfig(url, c.database(), c.retentionPolicy().orElse(null),
                    c.username().orElse(null), c.password().orElse(null), c.token().orElse(null), c.batchSize(),
                    c.gzip(), c.createDatabase(), c.connectTimeout(), c.readTimeout()));
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
