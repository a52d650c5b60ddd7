package dev.enphaseetl.sink.influx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.enphaseetl.delivery.PermanentSinkException;
import dev.enphaseetl.delivery.TransientSinkException;
import dev.enphaseetl.model.Reading;
import dev.enphaseetl.render.LineProtocol;
import dev.enphaseetl.sink.ItSupport;
import dev.enphaseetl.sink.TestReadings;

/** Against a real InfluxDB 1.x on 127.0.0.1:8086 (see .ci/services.sh). */
class InfluxSinkIT {

    private static final String URL = "http://127.0.0.1:8086";

    private String db;
    private InfluxSink sink;

    @BeforeEach
    void setUp() {
        ItSupport.requireServer("InfluxDB", 8086);
        db = ItSupport.uniqueDatabaseName();
        // small batches so that one delivery spans several HTTP requests
        sink = new InfluxSink(InfluxSinkConfig.of(URL, db).withCreateDatabase(true).withBatchSize(7));
    }

    @AfterEach
    void tearDown() {
        if (sink != null) {
            sink.client().query(new Query("DROP DATABASE \"" + db + "\""));
            sink.close();
        }
    }

    @Test
    void writesExactValuesAndCountsAndIsIdempotent() {
        List<Reading> batch = TestReadings.batch(TestReadings.T0, 6);

        sink.deliver(batch);
        assertThat(countAll()).isEqualTo(batch.size());
        for (Reading expected : batch) {
            assertThat(fetch(expected)).as(LineProtocol.render(expected)).isEqualTo(expected.fields());
        }

        sink.deliver(batch);
        assertThat(countAll()).as("re-delivery must not duplicate points").isEqualTo(batch.size());
    }

    @Test
    void fieldTypeConflictIsPermanentAndNamesTheRejectedLine() {
        List<Reading> batch = TestReadings.batch(TestReadings.T0, 2);
        sink.deliver(batch);
        List<String> lines = new ArrayList<>();
        lines.add(LineProtocol.render(batch.get(0)).replace(String.valueOf(TestReadings.T0),
                String.valueOf(TestReadings.T0 + 1)));
        String bad = "inverter,dev_type=1,gateway=" + TestReadings.GATEWAY + ",serial=999 watts=\"oops\",max_watts=1.0 "
                + (TestReadings.T0 + 1);
        lines.add(bad);

        PermanentSinkException e = catchThrowableOfType(PermanentSinkException.class, () -> sink.deliverLines(lines));

        assertThat(e.getMessage()).contains("field type conflict").contains("watts").contains("HTTP 400");
        assertThat(e.rejected()).containsExactly(bad);
        // partial write: the good line was stored
        assertThat(countAll()).isEqualTo(batch.size() + 1);
    }

    @Test
    void unparsableLineIsPermanent() {
        PermanentSinkException e = catchThrowableOfType(PermanentSinkException.class,
                () -> sink.deliverLines(List.of("system,gateway=x production_w= 12")));
        assertThat(e.getMessage()).contains("unable to parse");
        assertThat(e.rejected()).containsExactly("system,gateway=x production_w= 12");
    }

    @Test
    void connectionRefusedIsTransientAndMessageHasNoSecrets() {
        InfluxSinkConfig cfg = InfluxSinkConfig.of("http://127.0.0.1:9", db).withCredentials("admin", "s3cret-pw");
        try (InfluxSink down = new InfluxSink(cfg)) {
            assertThatThrownBy(() -> down.deliver(TestReadings.batch(TestReadings.T0, 1)))
                    .isInstanceOf(TransientSinkException.class)
                    .hasMessageContaining("unreachable")
                    .hasMessageNotContaining("s3cret-pw");
        }
        assertThat(cfg.toString()).doesNotContain("s3cret-pw");
    }

    private long countAll() {
        long total = 0;
        for (String m : List.of("system", "system_phase", "inverter", "meter")) {
            QueryResult r = sink.client().query(new Query("SELECT count(*) FROM \"" + m + "\"", db));
            assertThat(r.hasError()).as(r.getError()).isFalse();
            var series = r.getResults().get(0).getSeries();
            if (series == null) {
                continue;
            }
            // count(*) gives one column per field; the largest is the number of points (all have the first field)
            List<Object> values = series.get(0).getValues().get(0);
            long max = 0;
            for (int i = 1; i < values.size(); i++) {
                max = Math.max(max, ((Number) values.get(i)).longValue());
            }
            total += max;
        }
        return total;
    }

    private Map<String, Double> fetch(Reading r) {
        StringBuilder where = new StringBuilder("time = " + r.time() + "s");
        r.tags().forEach((k, v) -> where.append(" AND \"").append(k).append("\" = '").append(v).append('\''));
        QueryResult res = sink.client().query(
                new Query("SELECT * FROM \"" + r.measurement() + "\" WHERE " + where, db), TimeUnit.SECONDS);
        var series = res.getResults().get(0).getSeries();
        assertThat(series).as("no point for " + LineProtocol.render(r)).hasSize(1);
        List<String> cols = series.get(0).getColumns();
        assertThat(series.get(0).getValues()).hasSize(1);
        List<Object> row = series.get(0).getValues().get(0);
        Map<String, Double> fields = new HashMap<>();
        for (int i = 0; i < cols.size(); i++) {
            String c = cols.get(i);
            if (!c.equals("time") && !r.tags().containsKey(c) && row.get(i) != null && row.get(i) instanceof Number n) {
                fields.put(c, n.doubleValue());
            }
        }
        return fields;
    }
}
