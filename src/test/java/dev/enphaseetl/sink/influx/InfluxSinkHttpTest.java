package dev.enphaseetl.sink.influx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.enphaseetl.delivery.PermanentSinkException;
import dev.enphaseetl.delivery.TransientSinkException;
import dev.enphaseetl.sink.TestReadings;

/** Request shape and status classification against a stub HTTP server (no InfluxDB needed). */
class InfluxSinkHttpTest {

    record Seen(String query, String authorization, String encoding, String body) {}

    private HttpServer server;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private volatile int status = 204;
    private volatile String error = "";

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange ex) throws IOException {
        byte[] raw = ex.getRequestBody().readAllBytes();
        String enc = ex.getRequestHeaders().getFirst("Content-Encoding");
        byte[] body = "gzip".equals(enc) ? new GZIPInputStream(new ByteArrayInputStream(raw)).readAllBytes() : raw;
        seen.add(new Seen(ex.getRequestURI().getRawQuery(), ex.getRequestHeaders().getFirst("Authorization"), enc,
                new String(body, StandardCharsets.UTF_8)));
        byte[] resp = status == 204
                ? new byte[0]
                : ("{\"error\":\"" + error.replace("\"", "\\\"") + "\"}").getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, status == 204 ? -1 : resp.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(resp);
        }
    }

    private InfluxSinkConfig config() {
        return InfluxSinkConfig.of("http://127.0.0.1:" + server.getAddress().getPort(), "enphase").withBatchSize(4);
    }

    @Test
    void socketsSendAtOnceWithoutWaitingForAnAcknowledgement() throws IOException {
        // Nagle's algorithm held the last segment of each 5,000-line request until the server's delayed ACK
        try (java.net.Socket socket = new NoDelaySockets().createSocket()) {
            assertThat(socket.getTcpNoDelay()).isTrue();
        }
    }

    @Test
    void tokenGzipSecondPrecisionAndBatches() {
        try (InfluxSink sink = new InfluxSink(config().withToken("tok-123"))) {
            sink.deliver(TestReadings.batch(TestReadings.T0, 2)); // 10 readings -> 4 + 4 + 2
        }
        assertThat(seen).hasSize(3);
        assertThat(seen).allSatisfy(s -> {
            assertThat(s.authorization()).isEqualTo("Token tok-123");
            assertThat(s.encoding()).isEqualTo("gzip");
            assertThat(s.query()).contains("db=enphase").contains("precision=s");
        });
        assertThat(seen.get(0).body().split("\n")).hasSize(4);
        // one body per request, each line ended by a line break, as `curl --data-binary @file.lp` sends a file
        assertThat(seen.get(2).body()).endsWith(TestReadings.T0 + 60 + "\n");
    }

    @Test
    void serverErrorIsTransient() {
        status = 503;
        error = "engine: cache-max-memory-size exceeded";
        try (InfluxSink sink = new InfluxSink(config().withCredentials("u", "pw-secret"))) {
            TransientSinkException e = catchThrowableOfType(TransientSinkException.class,
                    () -> sink.deliver(TestReadings.batch(TestReadings.T0, 1)));
            assertThat(e.getMessage()).contains("HTTP 503").doesNotContain("pw-secret");
        }
    }

    @Test
    void authenticationFailureKeepsTheDataForRetry() {
        status = 401;
        error = "authorization failed";
        try (InfluxSink sink = new InfluxSink(config().withToken("bad-token-value"))) {
            TransientSinkException e = catchThrowableOfType(TransientSinkException.class,
                    () -> sink.deliver(TestReadings.batch(TestReadings.T0, 1)));
            assertThat(e.getMessage()).contains("HTTP 401").doesNotContain("bad-token-value");
        }
    }

    @Test
    void badRequestIsPermanentWithTheQuotedLines() {
        status = 400;
        error = "unable to parse 'a b c': invalid field format\nunable to parse 'x y': bad timestamp";
        try (InfluxSink sink = new InfluxSink(config())) {
            PermanentSinkException e = catchThrowableOfType(PermanentSinkException.class,
                    () -> sink.deliverLines(List.of("a b c", "ok f=1.0 1", "x y")));
            assertThat(e.rejected()).containsExactly("a b c", "x y");
            assertThat(e.getMessage()).contains("HTTP 400").contains("2 of 3 lines rejected");
        }
    }
}
