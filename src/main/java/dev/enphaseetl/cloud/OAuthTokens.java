package dev.enphaseetl.cloud;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.enphaseetl.auth.TokenStore;

/**
 * The OAuth 2 tokens of the Enlighten Systems API: the one-time authorization-code step
 * ({@link #authorizationUrl()}, {@link #exchangeCode(String)}), then an access token renewed with the refresh token
 * before it expires or when the API refuses it. Enphase rotates the refresh token on every refresh (the old one stops
 * working), so the new pair is written to disk before it is used: {@code <data-dir>/cloud/oauth.jwt} through the
 * gateway tokens' {@link TokenStore} (0600 in a 0700 directory, temporary file and atomic move). No token, client
 * secret or code ever reaches a log line or an exception message.
 */
public final class OAuthTokens {

    private static final Logger LOG = Logger.getLogger("dev.enphaseetl.cloud");
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String KEY = "oauth";
    /** Renew the access token this long before it expires. */
    static final Duration EARLY = Duration.ofMinutes(5);

    private final CloudSettings settings;
    private final HttpClient http;
    private final TokenStore store;
    private final Clock clock;

    // guarded by this
    private String access;
    private Instant accessExpires = Instant.EPOCH;
    private String refresh;
    private boolean loaded;

    public OAuthTokens(CloudSettings settings, HttpClient http, Clock clock) {
        this.settings = settings;
        this.http = http;
        this.store = new TokenStore(settings.dir());
        this.clock = clock;
    }

    /** The page the owner opens once to allow this application; it shows (or redirects with) the code. */
    public String authorizationUrl() {
        return settings.authorizeUrl() + "?response_type=code&client_id=" + enc(settings.clientId().orElse(""))
                + "&redirect_uri=" + enc(settings.redirectUri());
    }

    /** Trades the code from the authorization page for the first token pair, stored at once. */
    public synchronized void exchangeCode(String code) {
        if (code == null || code.isBlank()) {
            throw new CloudException.NotAuthorized("no authorization code given");
        }
        grant("grant_type=authorization_code&redirect_uri=" + enc(settings.redirectUri()) + "&code="
                + enc(code.trim()), "the authorization code");
        LOG.info("Enlighten API authorized; tokens stored in " + store.fileFor(KEY));
    }

    /** Whether a refresh token is stored (the owner authorized once). */
    public synchronized boolean authorized() {
        load();
        return refresh != null;
    }

    /** A valid access token, renewed first when it expires within five minutes. */
    public synchronized String accessToken() {
        load();
        if (refresh == null) {
            throw new CloudException.NotAuthorized("the Enlighten API is not authorized yet: run enphase-etl backfill"
                    + " --authorize once and enter the code");
        }
        if (access == null || !clock.instant().plus(EARLY).isBefore(accessExpires)) {
            renew();
        }
        return access;
    }

    /** The API refused {@code used}: renew unless another thread did already. */
    public synchronized void refused(String used) {
        if (used != null && used.equals(access)) {
            access = null;
        }
    }

    private void renew() {
        grant("grant_type=refresh_token&refresh_token=" + enc(refresh), "the refresh token");
        LOG.debug("Enlighten API access token renewed (refresh token rotated and stored)");
    }

    private void grant(String query, String what) {
        String basic = Base64.getEncoder().encodeToString((settings.clientId().orElse("") + ":"
                + settings.clientSecret().orElse("")).getBytes(StandardCharsets.UTF_8));
        // the code and the refresh token as a form body (OAuth 2), not in the URL: URLs reach HTTP client debug logs
        HttpRequest req = HttpRequest.newBuilder(settings.tokenUrl()).timeout(settings.requestTimeout())
                .header("Authorization", "Basic " + basic).header("Accept", "application/json")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(query, StandardCharsets.UTF_8)).build();
        HttpResponse<byte[]> resp;
        try {
            resp = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new CloudException("the OAuth token endpoint " + settings.tokenUrl().getPath()
                    + " cannot be reached", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CloudException("interrupted while renewing the Enlighten API token", e);
        }
        if (resp.statusCode() == 400 || resp.statusCode() == 401) {
            throw new CloudException.NotAuthorized("the OAuth token endpoint refused " + what + " (HTTP "
                    + resp.statusCode() + "): authorize again with enphase-etl backfill --authorize, and check"
                    + " enphase.cloud.client-id and client-secret");
        }
        if (resp.statusCode() != 200) {
            throw new CloudException("the OAuth token endpoint answered HTTP " + resp.statusCode(),
                    resp.statusCode());
        }
        JsonNode n;
        try {
            n = JSON.readTree(resp.body());
        } catch (IOException e) {
            throw new CloudException("the OAuth token endpoint answered something that is not JSON", 200);
        }
        String a = n.path("access_token").asText(null);
        String r = n.path("refresh_token").asText(null);
        if (a == null || a.isEmpty() || r == null || r.isEmpty()) {
            throw new CloudException("the OAuth token endpoint answered without access_token or refresh_token",
                    200);
        }
        Instant expires = clock.instant().plusSeconds(Math.max(60, n.path("expires_in").asLong(86_400)));
        ObjectNode saved = JSON.createObjectNode();
        saved.put("access_token", a);
        saved.put("expires_at", expires.getEpochSecond());
        saved.put("refresh_token", r);
        try {
            store.save(KEY, saved.toString()); // the old refresh token is dead now: keep the new one first
        } catch (IOException e) {
            throw new CloudException("cannot store the rotated Enlighten API tokens in " + store.fileFor(KEY)
                    + "; authorize again once the directory is writable", e);
        }
        access = a;
        accessExpires = expires;
        refresh = r;
    }

    private void load() {
        if (loaded) {
            return;
        }
        loaded = true;
        try {
            Optional<String> text = store.load(KEY);
            if (text.isPresent()) {
                JsonNode n = JSON.readTree(text.get());
                access = n.path("access_token").asText(null);
                accessExpires = Instant.ofEpochSecond(n.path("expires_at").asLong(0));
                refresh = n.path("refresh_token").asText(null);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warnf("The stored Enlighten API tokens in %s cannot be read (%s); authorize again with enphase-etl"
                    + " backfill --authorize", store.fileFor(KEY), e.getClass().getSimpleName());
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "OAuthTokens[" + store.fileFor(KEY) + "]";
    }
}
