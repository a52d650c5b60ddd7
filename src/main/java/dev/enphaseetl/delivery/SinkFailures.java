package dev.enphaseetl.delivery;

import java.util.Locale;
import java.util.Set;

/**
 * The one rule for what a failed delivery means (docs/delivery.md, "Down or refused"): is the sink <b>down</b> (the
 * readings stay in the spool and are retried until it works again) or did the destination <b>refuse the data</b>
 * (only then are readings parked as dead letters)? When in doubt, down: a dead letter is for data the destination
 * refuses because of the data, never for a server, a password, a database or a permission that is wrong today.
 * <ul>
 * <li>SQL, by SQLState: class {@code 22} (data exception: value out of range, too long, invalid) and {@code 23}
 * (integrity constraint) are refused; so are MariaDB's data errors reported as {@code HY000}/{@code 01000} (1265,
 * 1292, 1366) and SQLite's CONSTRAINT, MISMATCH and TOOBIG (it gives no SQLState). Everything else is down, among them
 * {@code 08} connection, {@code 28} authentication, {@code 3D} / MariaDB 1049 unknown database, {@code 42501} /
 * MariaDB 1044, 1142 permission, {@code 57P03} server starting up, {@code 40} deadlock, {@code 53} resources, a missing
 * table or a locked SQLite file.</li>
 * <li>InfluxDB 1.x, by HTTP status and error text: 400 (partial write, unable to parse, field type conflict, points
 * beyond the retention policy) and 413 are refused, unless the text names a database, retention policy or user that
 * does not exist; 401, 403, 404, 429, 5xx and no answer at all are down.</li>
 * </ul>
 */
public final class SinkFailures {

    /** What a failure means for the readings of the batch. */
    public enum Verdict {
        /** the sink cannot take anything now: keep the readings in the spool, retry */
        DOWN,
        /** the destination refuses (some of) these readings for their content: park the refused ones */
        REFUSED
    }

    /** MariaDB/MySQL error codes of data errors that come without a class 22/23 SQLState. */
    private static final Set<Integer> MARIADB_DATA_ERRORS = Set.of(1265, 1292, 1366);
    /** SQLite primary result codes (no SQLState): TOOBIG, CONSTRAINT, MISMATCH. */
    private static final Set<Integer> SQLITE_DATA_ERRORS = Set.of(18, 19, 20);

    private SinkFailures() {}

    /**
     * One SQL error (of a chain: classify each and take REFUSED only if one says so and none says down for sure).
     *
     * @param sqlState the SQLState, may be null (SQLite)
     * @param vendorCode the driver's error code
     * @param sqlite whether the database is SQLite (its codes are result codes, not MariaDB error numbers)
     */
    public static Verdict sql(String sqlState, int vendorCode, boolean sqlite) {
        if (sqlState != null && (sqlState.startsWith("22") || sqlState.startsWith("23"))) {
            return Verdict.REFUSED;
        }
        if (sqlite) {
            return sqlState == null && SQLITE_DATA_ERRORS.contains(vendorCode & 0xff) ? Verdict.REFUSED : Verdict.DOWN;
        }
        if (("HY000".equals(sqlState) || "01000".equals(sqlState) || sqlState == null)
                && MARIADB_DATA_ERRORS.contains(vendorCode)) {
            return Verdict.REFUSED;
        }
        return Verdict.DOWN;
    }

    /** A failed InfluxDB write: {@code status} 0 when there was no HTTP answer; {@code message} the server's error. */
    public static Verdict influx(int status, String message) {
        if (status != 400 && status != 413) {
            return Verdict.DOWN;
        }
        String text = message == null ? "" : message.toLowerCase(Locale.ROOT);
        if (text.contains("database not found") || text.contains("retention policy not found")
                || text.contains("user not found") || text.contains("authorization failed")) {
            return Verdict.DOWN;
        }
        return Verdict.REFUSED;
    }

    /** An HTTP output wired in YAML (e.g. a second InfluxDB through {@code http:}): the same rule. */
    public static Verdict http(int status, String body) {
        return influx(status, body);
    }
}
