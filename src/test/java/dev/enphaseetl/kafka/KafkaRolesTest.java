package dev.enphaseetl.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import dev.enphaseetl.delivery.PermanentSinkException;
import dev.enphaseetl.model.Reading;
import dev.enphaseetl.pipeline.GatewayShares;
import dev.enphaseetl.sink.ReadingRecords;

/** The pure parts of the Kafka roles: the record format and the gateway slots. */
class KafkaRolesTest {

    static Reading reading(String gateway, long time, double w) {
        return Reading.of("production", time).tag("gateway", gateway).tag("type", "eim").field("w_now", w).build();
    }

    @Test
    void oneRecordPerGatewayKeyedBySerialThatReadsBackToTheSameReadings() {
        List<Reading> batch = List.of(reading("122301000001", 1000, 1.5), reading("122301000002", 1000, 2.5),
                reading("122301000001", 2000, 3.5));
        List<ReadingRecords.Record> records = ReadingRecords.records(batch);
        assertThat(records).extracting(ReadingRecords.Record::key).containsExactly("122301000001", "122301000002");
        assertThat(ReadingRecords.readings(records.get(0).value(), ReadingRecords.SCHEMA_VERSION))
                .containsExactly(batch.get(0), batch.get(2));
        assertThat(new String(records.get(1).value(), StandardCharsets.UTF_8)).startsWith("{").endsWith("}\n");
    }

    @Test
    void aRecordOfAnotherSchemaOrNotJsonLinesIsRefusedForItsContent() {
        byte[] value = ReadingRecords.records(List.of(reading("1", 1, 1))).get(0).value();
        assertThatThrownBy(() -> ReadingRecords.readings(value, "2")).isInstanceOf(PermanentSinkException.class)
                .hasMessageContaining("enphase-schema '2'");
        assertThatThrownBy(() -> ReadingRecords.readings(value, null)).isInstanceOf(PermanentSinkException.class)
                .hasMessageContaining("missing");
        assertThatThrownBy(() -> ReadingRecords.readings("<html>".getBytes(StandardCharsets.UTF_8), "1"))
                .isInstanceOf(PermanentSinkException.class).hasMessageContaining("not readings");
        assertThatThrownBy(() -> ReadingRecords.readings(new byte[0], "1")).isInstanceOf(PermanentSinkException.class);
        // another producer's nanoseconds where seconds belong: no sink could file it, so it is refused for its
        // content (dead-letter topic), never retried as an outage that would stall its partition
        String nanos = new String(value, StandardCharsets.UTF_8).replaceFirst("\"time\":1\\b",
                "\"time\":1700000000000000000");
        assertThat(nanos).contains("1700000000000000000");
        assertThatThrownBy(() -> ReadingRecords.readings(nanos.getBytes(StandardCharsets.UTF_8), "1"))
                .isInstanceOf(PermanentSinkException.class).hasMessageContaining("not an epoch second");
    }

    @Test
    void gatewaysSpreadOverTheSlotsAndKeepTheirSlot() {
        Map<Integer, Integer> perSlot = new HashMap<>();
        IntStream.range(0, 1000).forEach(i -> perSlot.merge(GatewayShares.slot("gw-" + i, 60), 1, Integer::sum));
        assertThat(perSlot).hasSize(60);
        assertThat(perSlot.values()).allSatisfy(n -> assertThat(n).isBetween(5, 35));
        assertThat(GatewayShares.slot("gw-7", 60)).isEqualTo(GatewayShares.slot("gw-7", 60));
        assertThat(GatewayShares.all().owns("anything")).isTrue();
    }
}
