package dev.enphaseetl.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;

/**
 * Values a test class and its Quarkus test profile must agree on. They may be loaded by different class loaders, so
 * the values live in system properties, chosen once per JVM.
 */
final class FaultEnv {

    private FaultEnv() {}

    static String value(String key, Supplier<String> initial) {
        synchronized (System.getProperties()) {
            String v = System.getProperty("faults." + key);
            if (v == null) {
                v = initial.get();
                System.setProperty("faults." + key, v);
            }
            return v;
        }
    }

    static Path dataDir(String test) {
        return Path.of(value(test + ".data", () -> Path.of("target", "faults-" + test + "-"
                + Long.toString(System.nanoTime(), 36)).toAbsolutePath().toString()));
    }

    static int port(String name) {
        return Integer.parseInt(value(name + ".port", () -> {
            try {
                return Integer.toString(PrivateInflux.freePort());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }));
    }

    /** Short periods, quick retries: a poll cycle is about a second. */
    static Map<String, String> fastPipeline(Path data) {
        Map<String, String> m = new HashMap<>();
        m.put("enphase.data-dir", data.toString());
        m.put("enphase.poll.first-delay", "200");
        m.put("enphase.poll.production-json.period", "1s");
        m.put("enphase.poll.api-v1-production.period", "1s");
        m.put("enphase.poll.api-v1-production-inverters.period", "1s");
        m.put("enphase.poll.ivp-meters-readings.period", "1s");
        m.put("enphase.sink.poll-delay", "200");
        m.put("enphase.sink.retry.delay", "200");
        m.put("enphase.sink.retry.max-delay", "1000");
        m.put("enphase.sink.retry.max-redeliveries", "1");
        m.put("enphase.sink.retry.scan-backoff", "2");
        m.put("enphase.ledger.enabled", "false");
        return m;
    }

    /** {@link #fastPipeline} with InfluxDB and the line protocol files as the only sinks. */
    static Map<String, String> influxOnly(Path data, String influxUrl, String database) {
        Map<String, String> m = fastPipeline(data);
        m.put("enphase.sink.influxdb.url", influxUrl);
        m.put("enphase.sink.influxdb.database", database);
        m.put("enphase.sink.influxdb.connect-timeout", "1s");
        m.put("enphase.sink.influxdb.read-timeout", "5s");
        m.put("enphase.sink.jdbc.enabled", "false");
        m.put("enphase.sink.csv.enabled", "false");
        return m;
    }

    /** Stops every timer route: no new polls, the spools can drain to a fixed end state. */
    static void stopPolling(CamelContext camel) throws Exception {
        for (Route r : List.copyOf(camel.getRoutes())) {
            // every timer but the sinks' spool scans (routes/30: timer:spool-<sink>)
            if (r.getEndpoint().getEndpointUri().startsWith("timer:")
                    && !r.getEndpoint().getEndpointUri().startsWith("timer://spool-")) {
                camel.getRouteController().stopRoute(r.getRouteId());
            }
        }
        // polls already queued or in flight finish within the response timeout
        Thread.sleep(Duration.ofSeconds(2).toMillis());
    }
}
