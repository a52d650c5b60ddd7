package dev.enphaseetl.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.influxdb.InfluxDB;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;

/** Reads points back from InfluxDB (second precision) to compare them with the line protocol files. */
public final class InfluxReadBack {

    private InfluxReadBack() {}

    /** Compares every point and returns the count per measurement. */
    public static Map<String, Long> check(InfluxDB influx, String db,
            Map<String, Map<String, LineProtocolLines.Point>> expected) {
        Map<String, Long> counts = new TreeMap<>();
        for (var e : expected.entrySet()) {
            Map<String, LineProtocolLines.Point> actual = points(influx, db, e.getKey());
            counts.put(e.getKey(), (long) actual.size());
            assertThat(actual.size()).as("InfluxDB points of " + e.getKey()).isEqualTo(e.getValue().size());
            assertThat(actual).as("InfluxDB values of " + e.getKey()).isEqualTo(e.getValue());
        }
        return counts;
    }

    public static Map<String, Long> count(InfluxDB influx, String db, Iterable<String> measurements) {
        Map<String, Long> counts = new TreeMap<>();
        for (String m : measurements) {
            counts.put(m, (long) points(influx, db, m).size());
        }
        return counts;
    }

    public static Map<String, LineProtocolLines.Point> points(InfluxDB influx, String db, String m) {
        QueryResult r = influx.query(new Query("SELECT * FROM \"" + m + "\" GROUP BY *", db),
                TimeUnit.SECONDS);
        assertThat(r.hasError()).as(r.getError()).isFalse();
        QueryResult.Result result = r.getResults().get(0);
        assertThat(result.hasError()).as(result.getError()).isFalse();
        Map<String, LineProtocolLines.Point> out = new LinkedHashMap<>();
        if (result.getSeries() == null) {
            return out;
        }
        for (QueryResult.Series s : result.getSeries()) {
            Map<String, String> tags = new TreeMap<>();
            if (s.getTags() != null) {
                s.getTags().forEach((k, v) -> {
                    if (v != null && !v.isEmpty()) {
                        tags.put(k, v);
                    }
                });
            }
            List<String> cols = s.getColumns();
            for (List<Object> row : s.getValues()) {
                long time = ((Number) row.get(0)).longValue();
                Map<String, Double> fields = new TreeMap<>();
                for (int i = 1; i < cols.size(); i++) {
                    Object v = row.get(i);
                    if (v != null) {
                        if (!(v instanceof Number n)) {
                            throw new AssertionError("InfluxDB " + m + "." + cols.get(i) + " is not a number: " + v);
                        }
                        fields.put(cols.get(i), n.doubleValue());
                    }
                }
                LineProtocolLines.Point p = new LineProtocolLines.Point(m, tags, fields, time);
                if (out.put(p.seriesKey(), p) != null) {
                    fail("InfluxDB returned " + p.seriesKey() + " twice");
                }
            }
        }
        return out;
    }
}
