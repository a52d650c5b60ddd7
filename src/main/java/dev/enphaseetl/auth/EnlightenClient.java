package dev.enphaseetl.auth;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import javax.net.ssl.SSLContext;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The two calls to Enphase's cloud: log in ({@code login-url}, form post of {@code user[email]} and
 * {@code user[password]}, answer JSON with {@code session_id}) and ask for a gateway token ({@code token-url}, JSON
 * post of session, serial and e-mail, answer the JWT as plain text).
 *
 * <p>
 * Uses {@code java.net.http} with normal certificate and host name verification (the JVM's trust store unless a
 * context is given), no redirects followed, no cookie store, and no request or response logging: secrets never pass
 * through a logging HTTP library. Error messages hold status, content type and the masked e-mail, never a body.
 */
public final class EnlightenClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI loginUrl;
    private final URI tokenUrl;
    private final Duration requestTimeout;
    private final HttpClient http;

    public EnlightenClient(URI loginUrl, URI tokenUrl, Duration connectTimeout, Duration requestTimeout) {
        this(loginUrl, tokenUrl, connectTimeout, requestTimeout, null);
    }

    /** @param ssl a TLS context with the trust anchors to use (still verifying); {@code null}: the JVM default */
    public EnlightenClient(URI loginUrl, URI tokenUrl, Duration connectTimeout, Duration requestTimeout,
            SSLContext ssl) {
        this.loginUrl = loginUrl;
        this.tokenUrl = tokenUrl;
        this.requestTimeout = requestTimeout;
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER);
        if (ssl != null) {
            b.sslContext(ssl);
        }
        this.http = b.build();
    }

    /** Logs in and returns the session id. */
    public String login(String email, String password) throws EnlightenException {
        String who = Secrets.maskEmail(email);
        String form = "user%5Bemail%5D=" + URLEncoder.encode(email, StandardCharsets.UTF_8)
                + "&user%5Bpassword%5D=" + URLEncoder.encode(password, StandardCharsets.UTF_8);
        HttpRequest req = HttpRequest.newBuilder(loginUrl).timeout(requestTimeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form, StandardCharsets.UTF_8)).build();
        HttpResponse<String> resp = send(req, "Enphase login for account " + who);
        String prefix = "Enphase login failed for account " + who + ": ";
        int status = resp.statusCode();
        JsonNode json = parseJson(resp.body());
        if (json != null && (json.path("requires_mfa").asBoolean(false) || json.path("requiresMfa").asBoolean(false)
                || mentions(json, "mfa") || mentions(json, "multi-factor") || mentions(json, "two-factor"))) {
            throw new EnlightenException(EnlightenException.Kind.MFA_REQUIRED, prefix
                    + "the account requires multi-factor login, which this service cannot do; make a token by hand "
                    + "and put it in a token file (see docs/auth.md)");
        }
        if (json != null && (json.path("isBlocked").asBoolean(false) || json.path("is_blocked").asBoolean(false))) {
            throw new EnlightenException(EnlightenException.Kind.ACCOUNT_BLOCKED, prefix
                    + "Enphase reports the account as blocked; log in on the Enlighten web site to unblock it");
        }
        if (status == 401 || (json != null && mentions(json, "invalid email or password"))) {
            throw new EnlightenException(EnlightenException.Kind.INVALID_CREDENTIALS,
                    prefix + "invalid email or password");
        }
        checkStatus(resp, prefix);
        if (json == null) {
            throw new EnlightenException(EnlightenException.Kind.UNEXPECTED_ANSWER, prefix + "expected JSON but got "
                    + describeBody(resp) + "; Enphase may have changed the login flow (check enphase.cloud.login-url)");
        }
        JsonNode sid = json.get("session_id");
        if (sid == null || !sid.isTextual() || sid.asText().isBlank()) {
            throw new EnlightenException(EnlightenException.Kind.UNEXPECTED_ANSWER, prefix
                    + "the answer has no session_id (HTTP " + status + "); Enphase may have changed the login flow");
        }
        return sid.asText();
    }

    /** Asks for a token for the gateway {@code serial}; returns it parsed. */
    public Token requestToken(String sessionId, String serial, String email) throws EnlightenException {
        String what = "Enphase token request for gateway " + serial + " (account " + Secrets.maskEmail(email) + ")";
        String prefix = what + " failed: ";
        Map<String, String> body = new LinkedHashMap<>();
        body.put("session_id", sessionId);
        body.put("serial_num", serial);
        body.put("username", email);
        String json;
        try {
            json = JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON object of strings", e);
        }
        HttpRequest req = HttpRequest.newBuilder(tokenUrl).timeout(requestTimeout)
                .header("Content-Type", "application/json")
                .header("Accept", "text/plain, application/jwt, */*")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build();
        HttpResponse<String> resp = send(req, what);
        if (resp.statusCode() == 401) {
            throw new EnlightenException(EnlightenException.Kind.SESSION_REJECTED,
                    prefix + "the session was not accepted (HTTP 401)");
        }
        checkStatus(resp, prefix);
        try {
            return Token.parse(resp.body());
        } catch (NotAJwtException e) {
            throw new EnlightenException(EnlightenException.Kind.UNEXPECTED_ANSWER, prefix + "expected a token but got "
                    + describeBody(resp) + " (" + e.getMessage()
                    + "); Enphase may have changed the token service (check enphase.cloud.token-url)");
        }
    }

    private HttpResponse<String> send(HttpRequest req, String what) throws EnlightenException {
        try {
            return http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw new EnlightenException(EnlightenException.Kind.UNREACHABLE, what + ": no answer from "
                    + req.uri().getHost() + " in time");
        } catch (IOException e) {
            throw new EnlightenException(EnlightenException.Kind.UNREACHABLE, what + ": cannot reach "
                    + req.uri().getHost() + " (" + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EnlightenException(EnlightenException.Kind.UNREACHABLE, what + ": interrupted");
        }
    }

    private static void checkStatus(HttpResponse<String> resp, String prefix) throws EnlightenException {
        int status = resp.statusCode();
        if (status == 403) {
            throw new EnlightenException(EnlightenException.Kind.FORBIDDEN, prefix + "Enphase refused the request "
                    + "(HTTP 403)");
        }
        if (status < 200 || status >= 300) {
            throw new EnlightenException(EnlightenException.Kind.SERVICE_ERROR, prefix + "HTTP " + status + " ("
                    + describeBody(resp) + ")");
        }
    }

    private static String describeBody(HttpResponse<String> resp) {
        String ct = resp.headers().firstValue("Content-Type").orElse("no content type");
        String b = resp.body() == null ? "" : resp.body().trim();
        String shape = b.isEmpty()
                ? "an empty body"
                : b.startsWith("<") ? "an HTML page" : b.startsWith("{") ? "a JSON object" : "a text";
        return shape + ", " + ct;
    }

    private static JsonNode parseJson(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            JsonNode n = JSON.readTree(body);
            return n != null && n.isObject() ? n : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean mentions(JsonNode json, String needle) {
        for (String field : new String[]{"message", "error", "errors"}) {
            JsonNode n = json.get(field);
            if (n != null && n.toString().toLowerCase(Locale.ROOT).contains(needle)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "EnlightenClient[" + loginUrl + ", " + tokenUrl + "]";
    }
}
