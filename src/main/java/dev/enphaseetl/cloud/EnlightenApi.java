package dev.enphaseetl.cloud;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * GET calls to the Enlighten Systems API v4: the API key ({@code key} header) and the OAuth access token
 * ({@code Authorization: Bearer}) on every call, each call counted against the plan first ({@link CallBudget}), an
 * HTTP 429 waited out (its {@code Retry-After}, else a backoff doubling from one minute up to
 * {@code enphase.cloud.max-backoff}), a refused token renewed once, answers bounded in size and time. No secret is
 * ever part of a URL (the JDK HTTP client logs URLs at debug level). Errors name the path and status only: never a
 * key, a token or the body.
 */
public final class EnlightenApi {

    private static final Logger LOG = Logger.getLogger("dev.enphaseetl.cloud");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Largest answer read: a week of 5-minute intervals is far below. */
    static final int MAX_BYTES = 8 * 1024 * 1024;
    static final int MAX_TRIES = 6;

    private final CloudSettings settings;
    private final HttpClient http;
    private final OAuthTokens tokens;
    private final CallBudget budget;
    private final Clock clock;
    private final Sleeper sleeper;
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong throttled = new AtomicLong();

    public EnlightenApi(CloudSettings settings, HttpClient http, OAuthTokens tokens, CallBudget budget, Clock clock,
            Sleeper sleeper) {
        this.settings = settings;
        this.http = http;
        this.tokens = tokens;
        this.budget = budget;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** Production wiring: a Java HTTP client with the configured connect timeout, real sleeping. */
    public static EnlightenApi create(CloudSettings settings, Clock clock) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        return new EnlightenApi(settings, http, new OAuthTokens(settings, http, clock),
                new CallBudget(settings.dir(), settings.perMinute(), settings.perMonth(), settings.fillReserve(),
                        clock, Sleeper.REAL),
                clock, Sleeper.REAL);
    }

    public OAuthTokens tokens() {
        return tokens;
    }

    public CallBudget budget() {
        return budget;
    }

    /** Calls made by this client since it was created (each counted in the quota). */
    public long calls() {
        return calls.get();
    }

    /** HTTP 429 answers received since this client was created. */
    public long throttled() {
        return throttled.get();
    }

    /**
     * GET {@code <api-url><path>?<query>} (headers {@code key} and {@code Authorization}) as JSON.
     *
     * @throws CloudException.QuotaExhausted when the month is used up (counted here or told by the API)
     * @throws CloudException.NotAuthorized  when there is no usable token
     */
    public JsonNode get(String path, Map<String, String> query, CallBudget.Purpose purpose) {
        if (!settings.configured()) {
            throw new CloudException.NotAuthorized("no Enlighten API application configured: set "
                    + settings.missingKeys() + " (docs/cloud.md)");
        }
        int tooMany = 0;
        boolean renewed = false;
        for (int attempt = 1;; attempt++) {
            try {
                budget.acquire(purpose);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CloudException("interrupted while waiting for the Enlighten API rate limit", e);
            }
            String token = tokens.accessToken();
            StringJoiner q = new StringJoiner("&");
            query.forEach((k, v) -> q.add(enc(k) + "=" + enc(v)));
            // the key as the header v4 documents ("key"), not in the URL: URLs reach HTTP client debug logs
            HttpRequest req = HttpRequest.newBuilder(URI.create(settings.apiUrl() + path
                    + (q.length() == 0 ? "" : "?" + q))).timeout(settings.requestTimeout())
                    .header("Authorization", "Bearer " + token).header("key", settings.apiKey().orElseThrow())
                    .header("Accept", "application/json").GET().build();
            HttpResponse<InputStream> resp;
            byte[] body;
            calls.incrementAndGet();
            try {
                resp = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
                try (InputStream in = resp.body()) {
                    body = in.readNBytes(MAX_BYTES + 1);
                }
            } catch (IOException e) {
                if (attempt >= 3) {
                    throw new CloudException("GET " + path + " failed", e);
                }
                pause(backoff(attempt));
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CloudException("interrupted during GET " + path, e);
            }
            int status = resp.statusCode();
            if (status == 200) {
                if (body.length > MAX_BYTES) {
                    throw new CloudException("GET " + path + " answered more than " + MAX_BYTES + " bytes", 200);
                }
                try {
                    JsonNode n = JSON.readTree(body);
                    if (n == null || !n.isObject()) {
                        throw new IOException("not an object");
                    }
                    return n;
                } catch (IOException e) {
                    throw new CloudException("GET " + path + " answered "
                            + resp.headers().firstValue("Content-Type").orElse("no content type")
                            + " that is not a JSON object", 200);
                }
            }
            if (status == 401 && !renewed) {
                renewed = true;
                tokens.refused(token);
                continue;
            }
            if (status == 401) {
                throw new CloudException.NotAuthorized("GET " + path + " refused the renewed token (HTTP 401):"
                        + " authorize again with enphase-etl backfill --authorize");
            }
            if (status == 429) {
                throttled.incrementAndGet();
                JsonNode why = parseQuietly(body);
                if ("month".equalsIgnoreCase(why.path("period").asText())) {
                    budget.exhausted();
                    throw new CloudException.QuotaExhausted("the Enlighten API says the monthly quota of the plan is"
                            + " used (HTTP 429, period month); calls resume next month");
                }
                if (++tooMany >= MAX_TRIES) {
                    throw new CloudException("GET " + path + " was answered HTTP 429 " + tooMany + " times", 429);
                }
                Duration wait = retryAfter(resp).orElse(backoff(tooMany));
                LOG.debugf("Enlighten API: HTTP 429 on %s, waiting %d s", path, wait.toSeconds());
                budget.holdUntil(clock.instant().plus(wait));
                continue;
            }
            if (status >= 500 && attempt < 3) {
                pause(backoff(attempt));
                continue;
            }
            throw new CloudException("GET " + path + " answered HTTP " + status, status);
        }
    }

    /** One minute, doubling, up to {@code enphase.cloud.max-backoff}. */
    Duration backoff(int n) {
        Duration d = Duration.ofMinutes(1L << Math.min(10, Math.max(0, n - 1)));
        return d.compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : d;
    }

    private void pause(Duration d) {
        budget.holdUntil(clock.instant().plus(d));
    }

    private java.util.Optional<Duration> retryAfter(HttpResponse<?> resp) {
        return resp.headers().firstValue("Retry-After").flatMap(v -> {
            try {
                long s = Long.parseLong(v.trim());
                return java.util.Optional.of(Duration.ofSeconds(Math.max(1, Math.min(s, 86_400))));
            } catch (NumberFormatException e) {
                return java.util.Optional.empty();
            }
        });
    }

    private static JsonNode parseQuietly(byte[] body) {
        try {
            JsonNode n = JSON.readTree(body);
            return n == null ? JSON.createObjectNode() : n;
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    Instant now() {
        return clock.instant();
    }

    @Override
    public String toString() {
        return "EnlightenApi[" + settings.apiUrl() + "]";
    }
}
