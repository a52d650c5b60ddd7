package dev.enphaseetl.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.enphaseetl.sink.jdbc.JdbcSinkConfig;
import dev.enphaseetl.sink.jdbc.SchemaMigrator;
import dev.enphaseetl.web.ArchiveReader;
import dev.enphaseetl.web.PageApi;

/**
 * The page's API on a year of one gateway's one-minute {@code system} rows (525,600 rows in SQLite): the time of
 * {@code PageApi.power} for the whole year at 1000 points (the SQL {@code GROUP BY}, the answer map and its JSON), next
 * to the same query by raw JDBC and by the {@code sqlite3} command line tool. Reported, not asserted.
 * <p>
 * Run: {@code ./mvnw -q -o test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.enphaseetl.bench.PageApiBenchmark -Dservices.skip=true}
 */
public final class PageApiBenchmark {

    static final String GATEWAY = "202212345678";
    static final int RUNS = 7;

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("enphase-page-bench");
        JdbcSinkConfig config = JdbcSinkConfig.sqlite(dir);
        SchemaMigrator.migrate(config);
        Instant start = LocalDate.of(2023, 7, 1).atStartOfDay(ZoneOffset.UTC).toInstant();
        long rows = 365L * 24 * 60;
        long t0 = System.nanoTime();
        try (Connection c = DriverManager.getConnection(config.url())) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO system (gateway, time, time_utc, production_w,"
                    + " consumption_w, net_w) VALUES (?, ?, ?, ?, ?, ?)")) {
                for (long i = 0; i < rows; i++) {
                    long t = start.getEpochSecond() + i * 60;
                    double minuteOfDay = (i % 1440) / 1440.0;
                    double prod = Math.max(0, Math.sin((minuteOfDay - 0.25) * 2 * Math.PI)) * 5000;
                    double cons = 400 + 300 * Math.sin(i * 0.01);
                    ps.setString(1, GATEWAY);
                    ps.setLong(2, t);
                    ps.setString(3, Instant.ofEpochSecond(t).toString());
                    ps.setDouble(4, prod);
                    ps.setDouble(5, cons);
                    ps.setDouble(6, cons - prod);
                    ps.addBatch();
                    if (i % 10_000 == 9_999) {
                        ps.executeBatch();
                    }
                }
                ps.executeBatch();
            }
            c.commit();
        }
        System.out.printf("PageApiBenchmark: %d rows written in %.1f s to %s%n", rows, (System.nanoTime() - t0) / 1e9,
                dir.resolve("enphase.db"));

        String from = "2023-07-01";
        String to = "2024-06-30";
        long fromS = start.getEpochSecond();
        long toS = LocalDate.of(2024, 6, 30).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
        long bucket = (toS - fromS + 999) / 1000;
        String sql = "SELECT ((time / " + bucket + ") * " + bucket + "), AVG(production_w), AVG(consumption_w),"
                + " AVG(net_w) FROM system WHERE gateway = '" + GATEWAY + "' AND time >= " + fromS + " AND time < "
                + toS
                + " GROUP BY ((time / " + bucket + ") * " + bucket + ") ORDER BY 1";

        ArchiveReader reader = new ArchiveReader(config);
        PageApi api = new PageApi(reader, null, ZoneOffset.UTC);
        ObjectMapper json = new ObjectMapper();
        double[] apiMs = new double[RUNS];
        int points = 0;
        int bytes = 0;
        for (int r = 0; r < RUNS; r++) {
            long a = System.nanoTime();
            Map<String, Object> answer = api.power(GATEWAY, null, from, to, "1000");
            bytes = json.writeValueAsBytes(answer).length;
            apiMs[r] = (System.nanoTime() - a) / 1e6;
            points = ((List<?>) answer.get("time")).size();
        }
        double[] jdbcMs = new double[RUNS];
        try (Connection c = DriverManager.getConnection(config.url())) {
            for (int r = 0; r < RUNS; r++) {
                long a = System.nanoTime();
                int n = 0;
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                    while (rs.next()) {
                        n++;
                    }
                }
                jdbcMs[r] = (System.nanoTime() - a) / 1e6;
                if (n != points) {
                    throw new AssertionError("raw JDBC gave " + n + " buckets, the API " + points);
                }
            }
        }
        double[] cliMs = new double[RUNS];
        boolean cli = Files.isExecutable(Path.of("/usr/bin/sqlite3"));
        for (int r = 0; cli && r < RUNS; r++) {
            long a = System.nanoTime();
            Process p = new ProcessBuilder("/usr/bin/sqlite3", dir.resolve("enphase.db").toString(), sql)
                    .redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            p.waitFor();
            cliMs[r] = (System.nanoTime() - a) / 1e6;
            if (r == 0 && new String(out).lines().count() != points) {
                throw new AssertionError("sqlite3 gave " + new String(out).lines().count() + " lines");
            }
        }
        System.out.printf("PageApiBenchmark: a year (%s..%s) of 1-minute rows -> %d points of %d s, JSON %d bytes;"
                + " median of %d runs: PageApi.power %.0f ms (first %.0f ms), raw JDBC %.0f ms, sqlite3 CLI %s%n",
                from, to, points, bucket, bytes, RUNS, median(apiMs), apiMs[0], median(jdbcMs), cli
                        ? String.format("%.0f ms (process start included)", median(cliMs))
                        : "not installed");
        reader.getClass(); // keep the reader's connection to the end
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        return s[s.length / 2];
    }
}
