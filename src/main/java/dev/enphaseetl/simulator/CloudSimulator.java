package dev.enphaseetl.simulator;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.HmacKey;
import org.jose4j.lang.JoseException;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SelfSignedCertificate;

/**
 * A stand-in for Enphase's cloud for tests and demos: {@code POST /login/login.json} (form with {@code user[email]}
 * and {@code user[password]}) and {@code POST /tokens} (JSON with {@code session_id}, {@code serial_num},
 * {@code username}; answers an HS256-signed JWT whose {@code exp} follows the simulator's clock). Failure modes per
 * endpoint, MFA accounts and call counters for tests. Never logs anything.
 */
public final class CloudSimulator implements AutoCloseable {

    /** How an endpoint misbehaves. */
    public enum Failure {
        NONE, FORBIDDEN, HTML, SERVER_ERROR
    }

    /** How an account logs in. */
    public enum AccountMode {
        NORMAL, MFA, BLOCKED
    }

    private record Account(String password, AccountMode mode, String role) {}

    private final Vertx vertx = Vertx.vertx();
    private final Clock clock;
    private final boolean https;
    private final byte[] signingKey = new byte[32];
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Account> accounts = new ConcurrentHashMap<>();
    private final Map<String, String> sessions = new ConcurrentHashMap<>(); // session id -> e-mail
    private final List<String> issuedSecrets = new CopyOnWriteArrayList<>();
    private final AtomicInteger loginCalls = new AtomicInteger();
    private final AtomicInteger tokenCalls = new AtomicInteger();
    private final Set<String> revokedSessions = ConcurrentHashMap.newKeySet();

    private volatile Failure loginFailure = Failure.NONE;
    private volatile Failure tokenFailure = Failure.NONE;
    private volatile Duration ownerLifetime = Duration.ofDays(365);
    private volatile Duration installerLifetime = Duration.ofHours(12);
    private SelfSignedCertificate certificate;
    private HttpServer server;

    public CloudSimulator(Clock clock, boolean https) {
        this.clock = clock;
        this.https = https;
        random.nextBytes(signingKey);
    }

    /** Adds an account; {@code role} is {@code owner} or {@code installer}. */
    public CloudSimulator account(String email, String password, AccountMode mode, String role) {
        accounts.put(email, new Account(password, mode, role));
        return this;
    }

    public CloudSimulator lifetimes(Duration owner, Duration installer) {
        this.ownerLifetime = owner;
        this.installerLifetime = installer;
        return this;
    }

    public void failLogin(Failure f) {
        loginFailure = f;
    }

    public void failTokens(Failure f) {
        tokenFailure = f;
    }

    /** Makes every session issued so far unknown to {@code /tokens} (as if they had expired). */
    public void expireSessions() {
        revokedSessions.addAll(sessions.keySet());
    }

    public CloudSimulator start() {
        HttpServerOptions opts = new HttpServerOptions();
        if (https) {
            certificate = SelfSignedCertificate.create("127.0.0.1");
            opts.setSsl(true).setKeyCertOptions(certificate.keyCertOptions());
        }
        try {
            server = vertx.createHttpServer(opts).requestHandler(this::handle).listen(0, "127.0.0.1")
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cloud simulator did not start", e);
        }
        return this;
    }

    public int port() {
        return server.actualPort();
    }

    public String baseUrl() {
        return (https ? "https" : "http") + "://127.0.0.1:" + port();
    }

    public String loginUrl() {
        return baseUrl() + "/login/login.json";
    }

    public String tokenUrl() {
        return baseUrl() + "/tokens";
    }

    /** Path of the PEM certificate of an HTTPS simulator (to trust it in tests). */
    public String certificatePath() {
        return certificate == null ? null : certificate.certificatePath();
    }

    public int loginCalls() {
        return loginCalls.get();
    }

    public int tokenCalls() {
        return tokenCalls.get();
    }

    /** Every session id, cookie and token this simulator handed out: for tests that check nothing leaks. */
    public List<String> issuedSecrets() {
        return List.copyOf(issuedSecrets);
    }

    private void handle(HttpServerRequest req) {
        String path = req.path();
        if ("POST".equals(req.method().name()) && "/login/login.json".equals(path)) {
            req.setExpectMultipart(true);
            req.endHandler(v -> login(req));
        } else if ("POST".equals(req.method().name()) && "/tokens".equals(path)) {
            req.body().onSuccess(b -> token(req, b.toString(StandardCharsets.UTF_8)));
        } else {
            req.response().setStatusCode(404).end();
        }
    }

    private void login(HttpServerRequest req) {
        loginCalls.incrementAndGet();
        if (fail(req, loginFailure)) {
            return;
        }
        String email = req.getFormAttribute("user[email]");
        String password = req.getFormAttribute("user[password]");
        Account a = email == null ? null : accounts.get(email);
        if (a == null || !a.password().equals(password)) {
            json(req, 401, new JsonObject().put("message", "Invalid email or password"));
            return;
        }
        if (a.mode() == AccountMode.MFA) {
            json(req, 200, new JsonObject().put("requires_mfa", true).put("message", "Login requires MFA"));
            return;
        }
        if (a.mode() == AccountMode.BLOCKED) {
            json(req, 200, new JsonObject().put("isBlocked", true).put("message", "Account blocked"));
            return;
        }
        String sid = secret();
        String cookie = secret();
        sessions.put(sid, email);
        req.response().putHeader("Set-Cookie", "_enlighten_4_session=" + cookie + "; Path=/; HttpOnly");
        json(req, 200, new JsonObject().put("message", "success").put("session_id", sid)
                .put("manager_token", secret()).put("is_consumer", true));
    }

    private void token(HttpServerRequest req, String body) {
        tokenCalls.incrementAndGet();
        if (fail(req, tokenFailure)) {
            return;
        }
        JsonObject in;
        try {
            in = new JsonObject(body);
        } catch (RuntimeException e) {
            json(req, 400, new JsonObject().put("message", "bad request"));
            return;
        }
        String sid = in.getString("session_id");
        String email = sid == null || revokedSessions.contains(sid) ? null : sessions.get(sid);
        String serial = in.getString("serial_num");
        if (email == null || !email.equals(in.getString("username")) || serial == null) {
            json(req, 401, new JsonObject().put("message", "session not valid"));
            return;
        }
        String role = accounts.get(email).role();
        JwtClaims c = new JwtClaims();
        c.setIssuer("Entrez");
        c.setAudience(serial);
        NumericDate now = NumericDate.fromMilliseconds(clock.millis());
        c.setIssuedAt(now);
        c.setExpirationTime(NumericDate.fromSeconds(now.getValue()
                + ("owner".equals(role) ? ownerLifetime : installerLifetime).getSeconds()));
        c.setClaim("enphaseUser", role);
        c.setClaim("username", email);
        c.setJwtId(secret());
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(c.toJson());
        jws.setKey(new HmacKey(signingKey));
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        try {
            String jwt = jws.getCompactSerialization();
            issuedSecrets.add(jwt);
            req.response().setStatusCode(200).putHeader("Content-Type", "text/plain").end(jwt);
        } catch (JoseException e) {
            req.response().setStatusCode(500).end();
        }
    }

    private boolean fail(HttpServerRequest req, Failure f) {
        switch (f) {
            case NONE :
                return false;
            case FORBIDDEN :
                json(req, 403, new JsonObject().put("message", "Forbidden"));
                return true;
            case HTML :
                req.response().setStatusCode(200).putHeader("Content-Type", "text/html; charset=utf-8")
                        .end("<!DOCTYPE html><html><body><h1>Enlighten</h1><p>Please sign in</p></body></html>");
                return true;
            default :
                req.response().setStatusCode(503).putHeader("Content-Type", "text/html")
                        .end("<html><body>Service unavailable</body></html>");
                return true;
        }
    }

    private static void json(HttpServerRequest req, int status, JsonObject o) {
        req.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(o.encode());
    }

    private String secret() {
        byte[] b = new byte[16];
        random.nextBytes(b);
        String s = HexFormat.of().formatHex(b);
        issuedSecrets.add(s);
        return s;
    }

    @Override
    public void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // closing a test server
        }
        if (certificate != null) {
            certificate.delete();
        }
    }
}
