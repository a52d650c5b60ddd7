package dev.enphaseetl.sink.influx;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.influxdb.dto.BatchPoints;
import org.influxdb.dto.Point;

import dev.enphaseetl.model.Reading;

/**
 * Converts readings to the client's {@link BatchPoints} (second precision), the body the Camel {@code influxdb:}
 * endpoint writes with {@code batch=true}. Prefer {@link InfluxSink#deliver} when you need the transient/permanent
 * error classification; the Camel endpoint wraps every failure in a {@code CamelInfluxDbException}.
 */
public final class InfluxPoints {

    private InfluxPoints() {}

    public static BatchPoints toBatchPoints(String database, String retentionPolicy, List<Reading> readings) {
        BatchPoints.Builder b = BatchPoints.database(database).precision(TimeUnit.SECONDS);
        if (retentionPolicy != null && !retentionPolicy.isEmpty()) {
            b.retentionPolicy(retentionPolicy);
        }
        for (Reading r : readings) {
            Point.Builder p = Point.measurement(r.measurement()).time(r.time(), TimeUnit.SECONDS).tag(r.tags());
            r.fields().forEach(p::addField);
            b.point(p.build());
        }
        return b.build();
    }
}
