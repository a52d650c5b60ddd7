package dev.enphaseetl.sink.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.enphaseetl.model.GatewayIdentity;
import dev.enphaseetl.model.Reading;

/**
 * Keeps the {@code gateways} table (migration V6) in step with the identities (serial, configured name, extra tags)
 * the delivered readings carry: a row is upserted in the readings' own transaction when a serial is new to this
 * process or its name or tags changed, so the table never names a gateway whose readings were not written.
 */
final class GatewayRows {

    static final String TABLE = "gateways";
    private static final List<String> COLUMNS = List.of("gateway", "name", "tags", "since_time", "since_utc");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> TAGS = new TypeReference<>() {
    };

    private Map<String, GatewayIdentity> written;

    /**
     * Upserts the rows the readings change; returns them, to be passed to {@link #committed(Map)} once the
     * transaction committed.
     */
    Map<String, GatewayIdentity> write(Connection c, SqlDialect dialect, List<Reading> readings) throws SQLException {
        if (written == null) {
            written = load(c);
        }
        Map<String, GatewayIdentity> changed = new LinkedHashMap<>();
        GatewayIdentity.of(readings).forEach((serial, id) -> {
            if (!id.equals(written.get(serial))) {
                changed.put(serial, id);
            }
        });
        if (changed.isEmpty()) {
            return changed;
        }
        String sql = dialect.upsert(TABLE, COLUMNS, List.of("gateway"), List.of("name", "tags", "since_time",
                "since_utc"), false);
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (GatewayIdentity id : changed.values()) {
                long since = GatewayIdentity.firstTime(readings, id.serial());
                ps.setString(1, id.serial());
                ps.setString(2, id.name());
                ps.setString(3, json(id.tags()));
                ps.setLong(4, since);
                ps.setString(5, Instant.ofEpochSecond(since).toString());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return changed;
    }

    /** The rows as stored, so that a restart does not rewrite (and move the {@code since} of) unchanged rows. */
    private static Map<String, GatewayIdentity> load(Connection c) throws SQLException {
        Map<String, GatewayIdentity> rows = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT gateway, name, tags FROM " + TABLE);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                try {
                    Map<String, String> tags = JSON.readValue(rs.getString("tags"), TAGS);
                    rows.put(rs.getString("gateway"),
                            new GatewayIdentity(rs.getString("gateway"), rs.getString("name"), new TreeMap<>(tags)));
                } catch (JsonProcessingException e) {
                    // a row edited by hand into something else: it is written again from the readings
                }
            }
        }
        return rows;
    }

    void committed(Map<String, GatewayIdentity> rows) {
        written.putAll(rows);
    }

    private static String json(Map<String, String> tags) {
        try {
            return JSON.writeValueAsString(tags);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("tags cannot be written as JSON", e);
        }
    }
}
