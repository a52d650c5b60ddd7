package dev.enphaseetl.sink.influx;

import java.time.Duration;
import java.util.Objects;

/**
 * Where and how to write to InfluxDB through the v1 {@code /write} API (InfluxDB 1.x, the 2.x compatibility API and
 * 3.x all accept it).
 *
 * @param url               base URL, e.g. {@code http://127.0.0.1:8086}
 * @param database          database (1.x) or the bucket mapped to a database/retention policy (2.x/3.x)
 * @param retentionPolicy   retention policy; null or empty for the database default
 * @param username          1.x user, or anything non-empty for 2.x compat with a token as password; null for none
 * @param password          password for {@code username}; never printed
 * @param token             API token sent as {@code Authorization: Token ...}; used instead of username/password when
 *                          set; never printed
 * @param batchSize         lines per HTTP request (about 5,000 is the InfluxDB recommendation)
 * @param gzip              compress request bodies
 * @param createDatabase    issue {@code CREATE DATABASE} once before the first write (1.x only; 2.x/3.x refuse it)
 * @param connectTimeout    TCP connect timeout
 * @param readTimeout       read and write timeout per request
 */
public record InfluxSinkConfig(String url, String database, String retentionPolicy, String username, String password,
        String token, int batchSize, boolean gzip, boolean createDatabase, Duration connectTimeout,
        Duration readTimeout) {

    public static final int DEFAULT_BATCH_SIZE = 5000;

    public InfluxSinkConfig {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(database, "database");
        if (batchSize <= 0) {
            batchSize = DEFAULT_BATCH_SIZE;
        }
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(5) : connectTimeout;
        readTimeout = readTimeout == null ? Duration.ofSeconds(30) : readTimeout;
    }

    /** Defaults: no retention policy, no credentials, 5,000 lines per batch, gzip on, no CREATE DATABASE. */
    public static InfluxSinkConfig of(String url, String database) {
        return new InfluxSinkConfig(url, database, null, null, null, null, DEFAULT_BATCH_SIZE, true, false, null, null);
    }

    public InfluxSinkConfig withCreateDatabase(boolean create) {
        return new InfluxSinkConfig(url, database, retentionPolicy, username, password, token, batchSize, gzip, create,
                connectTimeout, readTimeout);
    }

    public InfluxSinkConfig withCredentials(String user, String pass) {
        return new InfluxSinkConfig(url, database, retentionPolicy, user, pass, token, batchSize, gzip, createDatabase,
                connectTimeout, readTimeout);
    }

    public InfluxSinkConfig withToken(String apiToken) {
        return new InfluxSinkConfig(url, database, retentionPolicy, username, password, apiToken, batchSize, gzip,
                createDatabase, connectTimeout, readTimeout);
    }

    public InfluxSinkConfig withBatchSize(int size) {
        return new InfluxSinkConfig(url, database, retentionPolicy, username, password, token, size, gzip,
                createDatabase, connectTimeout, readTimeout);
    }

    boolean hasToken() {
        return token != null && !token.isEmpty();
    }

    boolean hasUser() {
        return username != null && !username.isEmpty();
    }

    /** Never prints the password or the token. */
    @Override
    public String toString() {
        return "InfluxSinkConfig[url=" + url + ", database=" + database + ", retentionPolicy=" + retentionPolicy
                + ", username=" + username + ", password=" + (password == null ? "none" : "***") + ", token="
                + (hasToken() ? "***" : "none") + ", batchSize=" + batchSize + ", gzip=" + gzip + ", createDatabase="
                + createDatabase + "]";
    }
}
