package dev.enphaseetl.simulator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * The answers of a {@link Hostile} gateway. Large bodies are written chunk by chunk as the client takes them (each
 * chunk once the previous one is flushed), so the simulator's own memory stays small and its event loop free, and
 * writing stops as soon as the client closes the connection.
 */
final class HostileAnswers {

    /** Size of the {@link Hostile#HUGE} body. */
    static final long HUGE_BYTES = 500L * 1024 * 1024;
    /** Zeros per gzip member of the {@link Hostile#GZIP_BOMB}; the body repeats the member. */
    private static final int BOMB_MEMBER_ZEROS = 16 * 1024 * 1024;
    /** Members in the bomb: 64 x 16 MB = 1 GB once inflated. */
    private static final int BOMB_MEMBERS = 64;
    private static final int CHUNK = 64 * 1024;

    private static volatile Buffer bombMember;

    private final Vertx vertx;

    HostileAnswers(Vertx vertx) {
        this.vertx = vertx;
    }

    void answer(HttpServerRequest req, Hostile mode) {
        HttpServerResponse resp = req.response();
        switch (mode) {
            case HUGE -> {
                resp.setStatusCode(200).putHeader("Content-Type", SimResponse.JSON)
                        .putHeader("Content-Length", Long.toString(HUGE_BYTES));
                Buffer head = Buffer.buffer("{\"padding\":\"");
                Buffer filler = Buffer.buffer(filler(CHUNK, (byte) 'x'));
                Buffer tail = Buffer.buffer("\"}");
                long middle = HUGE_BYTES - head.length() - tail.length();
                resp.write(head);
                stream(resp, new long[]{middle}, filler, tail);
            }
            case GZIP_BOMB -> {
                resp.setStatusCode(200).putHeader("Content-Type", SimResponse.JSON)
                        .putHeader("Content-Encoding", "gzip").setChunked(true);
                Buffer member = bombMember();
                repeat(resp, member, BOMB_MEMBERS);
            }
            case ENDLESS -> {
                resp.setStatusCode(200).putHeader("Content-Type", SimResponse.JSON).setChunked(true);
                resp.write("[");
                StringBuilder sb = new StringBuilder(CHUNK + 32);
                while (sb.length() < CHUNK) {
                    sb.append("{\"watts\":1234,\"state\":\"endless\"},");
                }
                stream(resp, new long[]{Long.MAX_VALUE}, Buffer.buffer(sb.toString()), Buffer.buffer("]"));
            }
            case TRICKLE -> {
                byte[] body = "{\"production\":[],\"consumption\":[],\"storage\":[]}".getBytes(StandardCharsets.UTF_8);
                resp.setStatusCode(200).putHeader("Content-Type", SimResponse.JSON)
                        .putHeader("Content-Length", Integer.toString(body.length));
                int[] next = {0};
                long timer = vertx.setPeriodic(1000, id -> {
                    if (resp.closed() || resp.ended()) {
                        vertx.cancelTimer(id);
                        return;
                    }
                    if (next[0] == body.length - 1) {
                        vertx.cancelTimer(id);
                        resp.end(Buffer.buffer(new byte[]{body[next[0]]}));
                        return;
                    }
                    resp.write(Buffer.buffer(new byte[]{body[next[0]++]}));
                });
                resp.closeHandler(v -> vertx.cancelTimer(timer));
            }
            case HTML -> end(resp, SimResponse.htmlPage());
            case UNAUTHORIZED -> end(resp, SimResponse.unauthorized());
            case NONE -> throw new IllegalArgumentException("not hostile");
        }
    }

    private static void end(HttpServerResponse resp, SimResponse r) {
        resp.setStatusCode(r.status()).putHeader("Content-Type", r.contentType()).end(r.body());
    }

    /**
     * Writes {@code chunk} until {@code left[0]} bytes are written (the last one cut), then ends with {@code tail}:
     * each chunk once the previous one is flushed to the socket, so that at most one chunk waits in memory and the
     * event loop is never held.
     */
    private static void stream(HttpServerResponse resp, long[] left, Buffer chunk, Buffer tail) {
        if (resp.closed() || resp.ended()) {
            return;
        }
        if (left[0] <= 0) {
            resp.end(tail);
            return;
        }
        Buffer b = left[0] >= chunk.length() ? chunk : chunk.getBuffer(0, (int) left[0]);
        left[0] -= b.length();
        resp.write(b).onSuccess(v -> stream(resp, left, chunk, tail));
    }

    /** Writes {@code member} {@code times} times, one after the other is flushed, then ends. */
    private static void repeat(HttpServerResponse resp, Buffer member, int times) {
        stream(resp, new long[]{(long) member.length() * times}, member, Buffer.buffer());
    }

    private static byte[] filler(int size, byte b) {
        byte[] a = new byte[size];
        Arrays.fill(a, b);
        return a;
    }

    /** One gzip member of {@link #BOMB_MEMBER_ZEROS} zeros (about 16 KB), made once. */
    private static Buffer bombMember() {
        Buffer b = bombMember;
        if (b == null) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
                byte[] zeros = new byte[CHUNK];
                for (int i = 0; i < BOMB_MEMBER_ZEROS / CHUNK; i++) {
                    gz.write(zeros);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            b = Buffer.buffer(out.toByteArray());
            bombMember = b;
        }
        return b;
    }
}
