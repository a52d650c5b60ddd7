package dev.enphaseetl.sink.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.enphaseetl.model.GatewayIdentity;
import dev.enphaseetl.model.Reading;

/**
 * The {@code gateways} table on the real servers and a SQLite file: one row per serial with the configured name and
 * extra tags the readings carry; a restart does not rewrite an unchanged row (its {@code since} stays), a renamed
 * gateway is updated, a gateway without name or tags is listed too.
 */
class GatewaysTableTest {

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql", "mariadb"})
    void oneRowPerSerialWithNameAndTags(String vendor) throws Exception {
        TestDatabases.TestDb db = TestDatabases.create(vendor, tmp);
        try {
            Map<String, String> roof = GatewayIdentity.readingTags("roof", Map.of("site", "home", "array", "south"));
            try (JdbcSink sink = new JdbcSink(db.config())) {
                sink.deliver(readings("121", roof, 1_700_000_000));
                sink.deliver(readings("999", Map.of(), 1_700_000_100));
            }
            assertThat(rows(db)).containsExactly(
                    "121|roof|{\"array\":\"south\",\"site\":\"home\"}|1700000000|2023-11-14T22:13:20Z",
                    "999|null|{}|1700000100|2023-11-14T22:15:00Z");

            // a restart with the same configuration: the row (and its since) stays as it was
            try (JdbcSink sink = new JdbcSink(db.config())) {
                sink.deliver(readings("121", roof, 1_700_000_500));
            }
            assertThat(rows(db)).first().asString().endsWith("|1700000000|2023-11-14T22:13:20Z");

            // renamed, a tag dropped: updated, since moves to the first reading with the new identity
            try (JdbcSink sink = new JdbcSink(db.config())) {
                sink.deliver(readings("121", GatewayIdentity.readingTags("garage", Map.of("site", "home")),
                        1_700_000_900));
            }
            assertThat(rows(db)).first().isEqualTo("121|garage|{\"site\":\"home\"}|1700000900|2023-11-14T22:28:20Z");
        } finally {
            db.drop().run();
        }
    }

    private static List<Reading> readings(String serial, Map<String, String> extra, long time) {
        List<Reading> out = new ArrayList<>();
        out.add(Reading.of("system", time).tag("gateway", serial).field("production_w", 100.0).build());
        out.add(Reading.of("system", time + 60).tag("gateway", serial).field("production_w", 110.0).build());
        return GatewayIdentity.withTags(out, extra);
    }

    private static List<String> rows(TestDatabases.TestDb db) throws Exception {
        List<String> out = new ArrayList<>();
        try (JdbcSink sink = new JdbcSink(db.config())) {
            sink.withConnection((c, d) -> {
                try (Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery("SELECT gateway, name, tags, since_time, since_utc FROM gateways"
                                + " ORDER BY gateway")) {
                    while (rs.next()) {
                        out.add(rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3) + "|" + rs.getLong(4)
                                + "|" + rs.getString(5));
                    }
                }
                return null;
            });
        }
        return out;
    }
}
