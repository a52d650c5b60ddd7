package dev.enphaseetl.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.enphaseetl.delivery.PermanentSinkException;
import dev.enphaseetl.delivery.TransientSinkException;
import dev.enphaseetl.model.Reading;
import dev.enphaseetl.sink.file.FileSinkConfig;
import dev.enphaseetl.sink.file.LineProtocolFileSink;
import dev.enphaseetl.sink.influx.InfluxPoints;
import dev.enphaseetl.sink.influx.InfluxSink;
import dev.enphaseetl.sink.influx.InfluxSinkConfig;

/**
 * How the integrator wires the sinks into Camel (plain Camel here, no Quarkus): bean steps calling
 * {@code deliver(List<Reading>)}, with onException per exception class, and the {@code influxdb:} endpoint using the
 * sink's client as its {@code connectionBean}.
 */
class CamelWiringIT {

    @TempDir
    Path data;

    @Test
    void beanStepsAndInfluxdbEndpoint() throws Exception {
        ItSupport.requireServer("InfluxDB", 8086);
        String db = ItSupport.uniqueDatabaseName();
        try (InfluxSink influx = new InfluxSink(
                InfluxSinkConfig.of("http://127.0.0.1:8086", db).withCreateDatabase(true));
                CamelContext camel = new DefaultCamelContext()) {
            LineProtocolFileSink files = new LineProtocolFileSink(FileSinkConfig.lineProtocol(data));
            camel.getRegistry().bind("influxSink", influx);
            camel.getRegistry().bind("lineProtocolFiles", files);
            camel.getRegistry().bind("influxDb", influx.client());
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    onException(TransientSinkException.class).maximumRedeliveries(3).redeliveryDelay(10).handled(false);
                    onException(PermanentSinkException.class).handled(true).to("log:dead-letter?level=WARN");
                    from("direct:readings")
                            .bean("lineProtocolFiles", "deliver")
                            .bean("influxSink", "deliver");
                    from("direct:camel-influxdb")
                            .process(e -> e.getMessage().setBody(
                                    InfluxPoints.toBatchPoints(db, null, e.getMessage().getBody(List.class))))
                            .to("influxdb:influxDb?databaseName=" + db + "&batch=true");
                }
            });
            camel.start();
            ProducerTemplate template = camel.createProducerTemplate();
            List<Reading> batch = TestReadings.batch(TestReadings.T0, 3);
            template.sendBody("direct:readings", batch);
            List<Reading> later = TestReadings.batch(TestReadings.T0 + 3600, 2);
            template.sendBody("direct:camel-influxdb", later);

            try (var lp = Files.list(data.resolve("lineprotocol"))) {
                assertThat(lp).hasSize(1);
            }
            QueryResult r = influx.client().query(new Query("SELECT count(production_w) FROM \"system\"", db));
            assertThat(((Number) r.getResults().get(0).getSeries().get(0).getValues().get(0).get(1)).intValue())
                    .isEqualTo(5);
            QueryResult v = influx.client().query(new Query(
                    "SELECT production_wh_lifetime FROM \"system\" WHERE time = " + (TestReadings.T0 + 3600 + 60) + "s",
                    db));
            assertThat(v.getResults().get(0).getSeries().get(0).getValues().get(0).get(1))
                    .isEqualTo(later.stream().filter(x -> x.measurement().equals("system")).toList().get(1)
                            .field("production_wh_lifetime"));
            influx.client().query(new Query("DROP DATABASE \"" + db + "\""));
        }
    }
}
