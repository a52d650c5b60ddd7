package dev.enphaseetl.simulator;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;

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

    private final Vertx vertx;
    private final Map<String, VirtualGateway> bySerial;
    private final VirtualGateway root;
    private final Clock clock;
    private final HostileAnswers hostile;

    RequestRouter(Vertx vertx, Map<String, VirtualGateway> bySerial, VirtualGateway root, Clock clock) {
        this.vertx = vertx;
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
        Hostile mode = gw.hostile();
        if (mode != Hostile.NONE) {
            hostile.answer(req, mode);
            return;
        }
        if (sub.equals(CHECK_JWT)) {
            checkJwt(req, gw);
            return;
        }
        Optional<Endpoint> endpoint = ModelBackend.endpointOf(sub);
        if (!authorized(req, gw, endpoint)) {
            return;
        }
        Fault fault = endpoint.map(gw::fault).orElse(Fault.NONE);
        VirtualGateway target = gw;
        String subPath = sub;
        if (fault.latencyMs() > 0) {
            vertx.setTimer(fault.latencyMs(), id -> answer(req, target, subPath, fault));
        } else {
            answer(req, target, subPath, fault);
        }
    }

    private void answer(HttpServerRequest req, VirtualGateway gw, String sub, Fault fault) {
        if (fault.hang()) {
            return; // never answer
        }
        if (fault.status() != 0) {
            send(req, SimResponse.errorPage(fault.status()));
        } else if (fault.htmlPage()) {
            send(req, SimResponse.htmlPage());
        } else {
            SimResponse r = gw.backend().respond(sub, req.query(), clock.instant());
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
