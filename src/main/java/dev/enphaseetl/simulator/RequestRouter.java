package dev.enphaseetl.simulator;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import dev.enphaseetl.parse.Endpoint;

/**
 * Routes a request to a virtual gateway ({@code /gw/<serial>/...}, or the first gateway at the root), checks
 * credentials, applies the gateway's fault knobs and answers. A {@link Hostile} gateway gets its hostile answer on
 * every path, before anything else.
 */
final class RequestRouter implements Handler<HttpServerRequest> {

    static final String PREFIX = "/gw/";
    static final String CHECK_JWT = "/auth/check_jwt";
    static final String LIVE_STREAM = "/ivp/livedata/stream";
    private static final Pattern ENABLE = Pattern.compile("\\{\\s*\"enable\"\\s*:\\s*([01])\\s*}");

    private final Vertx vertx;
    private final Map<String, VirtualGateway> bySerial;
    private final VirtualGateway root;
    private final Clock clock;
    private final HostileAnswers hostile;
    /** Every data endpoint answers after this delay, plus any fault latency. */
    private final long latencyMs;

    RequestRouter(Vertx vertx, Map<String, VirtualGateway> bySerial, VirtualGateway root, Clock clock,
            long latencyMs) {
        this.vertx = vertx;
        this.latencyMs = latencyMs;
        this.hostile = new HostileAnswers(vertx);
        this.bySerial = bySerial;
        this.root = root;
        this.clock = clock;
    }

    @Override
    public void handle(HttpServerRequest req) {
        String path = req.path() == null ? "/" : req.path();
        VirtualGateway gw = root;
        String sub = path;
        if (path.startsWith(PREFIX)) {
            int slash = path.indexOf('/', PREFIX.length());
            gw = bySerial.get(slash < 0 ? path.substring(PREFIX.length()) : path.substring(PREFIX.length(), slash));
            sub = slash < 0 ? "/" : path.substring(slash);
        }
        if (gw == null) {
            send(req, SimResponse.notFound());
            return;
        }
        VirtualGateway counted = gw;
        counted.requestStarted();
        java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();
        Runnable end = () -> {
            if (ended.compareAndSet(false, true)) {
                counted.requestEnded();
            }
        };
        req.response().endHandler(v -> end.run());
        req.connection().closeHandler(v -> end.run());
        Hostile mode = gw.hostile();
        if (mode != Hostile.NONE) {
            hostile.answer(req, mode);
            return;
        }
        if (sub.equals(CHECK_JWT)) {
            checkJwt(req, gw);
            return;
        }
        if (sub.equals(LIVE_STREAM)) {
            liveStream(req, gw);
            return;
        }
        Optional<Endpoint> endpoint = ModelBackend.endpointOf(sub);
        if (!authorized(req, gw, endpoint)) {
            return;
        }
        Fault fault = endpoint.map(gw::fault).orElse(Fault.NONE);
        VirtualGateway target = gw;
        String subPath = sub;
        long delay = fault.latencyMs() + (endpoint.isPresent() ? latencyMs : 0);
        if (delay > 0) {
            vertx.setTimer(delay, id -> answer(req, target, subPath, endpoint, fault));
        } else {
            answer(req, target, subPath, endpoint, fault);
        }
    }

    /**
     * {@code POST /ivp/livedata/stream} with {@code {"enable":1}} (or 0), a token or session required, as on a real
     * gateway: 200 {@code {"sc_stream":"enabled"}}; legacy firmware does not have it (404); the refusal knob answers
     * its status instead.
     */
    private void liveStream(HttpServerRequest req, VirtualGateway gw) {
        if (gw.legacy()) {
            send(req, SimResponse.notFound());
            return;
        }
        if (!gw.tokenValid(bearer(req)) && !gw.sessionValid(sessionCookie(req))) {
            send(req, SimResponse.unauthorized());
            return;
        }
        if (!"POST".equals(req.method().name())) {
            send(req, new SimResponse(405, "text/plain", "Method Not Allowed"));
            return;
        }
        req.body().onComplete(ar -> {
            Instant now = clock.instant();
            int refusal = gw.liveStreamRefusal();
            if (refusal != 0) {
                gw.liveStreamRequest(false, now);
                send(req, refusal == 401
                        ? SimResponse.unauthorized()
                        : refusal == 404 ? SimResponse.notFound() : SimResponse.errorPage(refusal));
                return;
            }
            String body = ar.succeeded() && ar.result() != null ? ar.result().toString() : "";
            Boolean enable = enableFlag(body);
            if (enable == null) {
                send(req, new SimResponse(400, SimResponse.JSON, "{\"error\":\"expected {\\\"enable\\\":1}\"}"));
                return;
            }
            gw.liveStreamRequest(enable, now);
            send(req, SimResponse.json("{\"sc_stream\":\"" + (enable ? "enabled" : "disabled") + "\"}"));
        });
    }

    /** {@code enable} of a request body {@code {"enable":1}}: true, false, or null when the body is not that. */
    static Boolean enableFlag(String body) {
        var m = ENABLE.matcher(body.trim());
        return m.matches() ? "1".equals(m.group(1)) : null;
    }

    private void answer(HttpServerRequest req, VirtualGateway gw, String sub, Optional<Endpoint> endpoint,
            Fault fault) {
        if (fault.hang()) {
            return; // never answer
        }
        if (fault.status() != 0) {
            send(req, SimResponse.errorPage(fault.status()));
        } else if (fault.htmlPage()) {
            send(req, SimResponse.htmlPage());
        } else {
            Instant now = clock.instant();
            Instant at = endpoint.map(e -> gw.dataInstant(e, now)).orElse(now);
            SimResponse r = endpoint.filter(e -> e == Endpoint.IVP_LIVEDATA_STATUS).isPresent()
                    && gw.model().isPresent()
                            ? SimResponse.json(gw.model().get().livedataStatus(at, gw.liveStreamOn(now)))
                            : gw.backend().respond(sub, req.query(), at);
            send(req, fault.malformed() ? r.truncated() : r);
        }
    }

    /** Answers 401 itself and returns false when the request may not proceed. */
    private boolean authorized(HttpServerRequest req, VirtualGateway gw, Optional<Endpoint> endpoint) {
        if (endpoint.isPresent() && endpoint.get() == Endpoint.INFO) {
            return true;
        }
        if (gw.legacy()) {
            if (endpoint.isEmpty() || !gw.digestRequired(endpoint.get())
                    || gw.digest().verify(req.method().name(), req.uri(), req.getHeader("Authorization"))) {
                return true;
            }
            req.response().putHeader("WWW-Authenticate", gw.digest().challenge());
            send(req, new SimResponse(401, "text/plain", "Unauthorized"));
            return false;
        }
        if (gw.tokenValid(bearer(req)) || gw.sessionValid(sessionCookie(req))) {
            return true;
        }
        send(req, SimResponse.unauthorized());
        return false;
    }

    private void checkJwt(HttpServerRequest req, VirtualGateway gw) {
        if (gw.tokenValid(bearer(req))) {
            req.response().putHeader("Set-Cookie", "sessionId=" + gw.newSession() + "; Path=/; HttpOnly");
            send(req, new SimResponse(200, SimResponse.HTML, "<!DOCTYPE html><h2>Valid token.</h2>\n"));
        } else {
            send(req, new SimResponse(401, SimResponse.HTML, "<!DOCTYPE html><h2>Invalid token.</h2>\n"));
        }
    }

    static String bearer(HttpServerRequest req) {
        String h = req.getHeader("Authorization");
        return h != null && h.regionMatches(true, 0, "Bearer ", 0, 7) ? h.substring(7).trim() : null;
    }

    static String sessionCookie(HttpServerRequest req) {
        String h = req.getHeader("Cookie");
        if (h == null) {
            return null;
        }
        for (String part : h.split(";")) {
            String p = part.trim();
            if (p.startsWith("sessionId=")) {
                return p.substring("sessionId=".length());
            }
        }
        return null;
    }

    private static void send(HttpServerRequest req, SimResponse r) {
        HttpServerResponse resp = req.response();
        if (resp.closed() || resp.ended()) {
            return;
        }
        resp.setStatusCode(r.status()).putHeader("Content-Type", r.contentType())
                .putHeader("Cache-Control", "no-cache").end(r.body());
    }
}
