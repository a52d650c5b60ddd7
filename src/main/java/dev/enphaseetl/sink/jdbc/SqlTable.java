package dev.enphaseetl.sink.jdbc;

import java.util.ArrayList;
import java.util.List;

import dev.enphaseetl.model.Schema;

/**
 * How one measurement maps to one SQL table, derived from {@link Schema} so that tables follow the schema: the table
 * is named as the measurement; tag columns (VARCHAR, NOT NULL, '' for an absent tag) and {@code time} (BIGINT epoch
 * seconds) form the natural primary key; {@code time_utc} is the same instant as ISO-8601 text for humans, {@code ts}
 * as the database's native timestamp (UTC; {@link SqlDialect#placeholders()}); every field is a nullable DOUBLE
 * PRECISION column.
 */
public record SqlTable(String name, List<String> tagColumns, List<String> fieldColumns) {

    public static final String TIME = "time";
    public static final String TIME_UTC = "time_utc";
    public static final String TS = "ts";
    public static final int TAG_LENGTH = 64;

    public static SqlTable of(Schema.Measurement m) {
        return new SqlTable(m.name(), m.tagNames(), m.fieldNames());
    }

    /** Primary key: the tags in schema order, then time. */
    public List<String> keyColumns() {
        List<String> key = new ArrayList<>(tagColumns);
        key.add(TIME);
        return key;
    }

    /** All columns in insert order: tags, time, time_utc, ts, fields. */
    public List<String> columns() {
        List<String> all = new ArrayList<>(keyColumns());
        all.add(TIME_UTC);
        all.add(TS);
        all.addAll(fieldColumns);
        return all;
    }

    /** Columns an upsert overwrites when the row exists. */
    public List<String> updateColumns() {
        List<String> update = new ArrayList<>();
        update.add(TIME_UTC);
        update.add(TS);
        update.addAll(fieldColumns);
        return update;
    }

    /**
     * The dialect-neutral CREATE TABLE (PostgreSQL, MariaDB, SQLite; {@code ${ts_type}} is a Flyway placeholder) for
     * this measurement: paste it into a new migration under {@code db/migration/common} when a measurement is added
     * to the schema, with {@code CREATE INDEX <name>_ts ON <name> (ts);}.
     */
    public String createTableDdl() {
        StringBuilder sb = new StringBuilder("CREATE TABLE ").append(name).append(" (\n");
        for (String tag : tagColumns) {
            sb.append("    ").append(tag).append(" VARCHAR(").append(TAG_LENGTH).append(") NOT NULL DEFAULT '',\n");
        }
        sb.append("    ").append(TIME).append(" BIGINT NOT NULL,\n");
        sb.append("    ").append(TIME_UTC).append(" VARCHAR(20) NOT NULL,\n");
        sb.append("    ").append(TS).append(" ${ts_type},\n");
        for (String field : fieldColumns) {
            sb.append("    ").append(field).append(" DOUBLE PRECISION,\n");
        }
        sb.append("    PRIMARY KEY (").append(String.join(", ", keyColumns())).append(")\n);\n");
        return sb.toString();
    }

    /** Prints the DDL of every schema measurement (a starting point for a new migration). */
    public static void main(String[] args) {
        for (Schema.Measurement m : Schema.all()) {
            if (args.length == 0 || List.of(args).contains(m.name())) {
                System.out.println(of(m).createTableDdl());
            }
        }
    }
}
