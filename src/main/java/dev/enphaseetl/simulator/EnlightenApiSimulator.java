package dev.enphaseetl.simulator;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A stand-in for the Enlighten Systems API v4 (docs/cloud.md), answering from the same ground-truth model as the
 * local endpoints ({@link SimulatedGateway}), so cloud and local values agree: 15-minute meter telemetry
 * ({@code telemetry/production_meter}, {@code telemetry/consumption_meter}, {@code energy_import_telemetry},
 * {@code energy_export_telemetry}; the simulated net meter counts consumption as imported and production as
 * exported, as its local meter does), battery telemetry ({@code telemetry/battery}, from the {@link SimulatedBattery}
 * of a gateway that has one), 5-minute per-micro-inverter production ({@code devices/micros/telemetry}), daily energy ({@code energy_lifetime}, {@code consumption_lifetime}) and
 * {@code systems/retrieve_system_id}.
 * <p>
 * OAuth 2 as Enphase does it: {@code /oauth/authorize} redirects with a one-time code, {@code POST /oauth/token}
 * (client id and secret as basic auth; form or query parameters) trades a code or a refresh token for a new pair, and every refresh rotates the
 * refresh token (the old one is refused from then on). Every API call needs the API key (header or parameter {@code key}) and a valid
 * bearer token. Plan limits on the simulator's clock (per minute, per month) answer HTTP 429 like Enphase (JSON with
 * {@code period}); {@link #throttleNext(int)} forces 429s without {@code Retry-After}; {@link #uploadDelay(Duration)}
 * hides intervals the gateways have not uploaded yet. Never logs anything.
 */
public final class EnlightenApiSimulator implements AutoCloseable {

    /** One API call as the simulator saw it: simulated time, path, and the query without the key. */
    public record Call(Instant at, String path, String query, int status) {}

    private static final Pattern SYSTEM_PATH = Pattern.compile("/api/v4/systems/(\\d+)(/.*)");
    private static final long STEP = 900;

    private final Vertx vertx = Vertx.vertx();
    private final Clock clock;
    private final List<SimulatedGateway> gateways;
    private final SecureRandom random = new SecureRandom();
    private final String clientId = "sim-client-" + hex(4);
    private final String clientSecret;
    private final String apiKey;
    private final List<String> issuedSecrets = new CopyOnWriteArrayList<>();
    private final Set<String> codes = ConcurrentHashMap.newKeySet();
    private final Map<String, Instant> accessTokens = new ConcurrentHashMap<>();
    private volatile String refreshToken;
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final AtomicInteger tokenCalls = new AtomicInteger();
    private final AtomicInteger forcedThrottles = new AtomicInteger();
    private final AtomicInteger forcedHtml = new AtomicInteger();
    private final Deque<Instant> minuteWindow = new ArrayDeque<>();
    private final Map<YearMonth, Integer> monthCounts = new ConcurrentHashMap<>();

    private volatile int perMinute = 10;
    private volatile int perMonth = 1000;
    private volatile boolean retryAfter = true;
    private volatile Duration uploadDelay = Duration.ofMinutes(15);
    private volatile Duration accessLifetime = Duration.ofDays(1);
    private HttpServer server;

    public EnlightenApiSimulator(Clock clock, List<SimulatedGateway> gateways) {
        this.clock = clock;
        this.gateways = List.copyOf(gateways);
        this.clientSecret = secret();
        this.apiKey = secret();
    }

    // ----- knobs

    /** The plan's limits (free plan: 10 a minute, 1000 a month). */
    public EnlightenApiSimulator limits(int perMinute, int perMonth) {
        this.perMinute = perMinute;
        this.perMonth = perMonth;
        return this;
    }

    /** Whether a 429 of the minute limit carries {@code Retry-After} (Enphase's often does not). */
    public EnlightenApiSimulator retryAfter(boolean on) {
        this.retryAfter = on;
        return this;
    }

    /** How late the gateways upload: intervals ending after now minus this are not served yet (15 min to 6 h). */
    public EnlightenApiSimulator uploadDelay(Duration d) {
        this.uploadDelay = d;
        return this;
    }

    public EnlightenApiSimulator accessLifetime(Duration d) {
        this.accessLifetime = d;
        return this;
    }

    /** The next {@code n} API calls are answered HTTP 429 (minute period) without {@code Retry-After}. */
    public void throttleNext(int n) {
        forcedThrottles.set(n);
    }

    /**
     * The next {@code n} authorized API calls are answered HTTP 200 with an HTML page instead of JSON (a proxy's or a
     * maintenance page), one that echoes the request and its headers, as some proxies' error pages do: a client
     * that quoted the body would leak the API key and the access token.
     */
    public void htmlNext(int n) {
        forcedHtml.set(n);
    }

    /** Marks this month's quota as used (as if other tools had spent it). */
    public void exhaustMonth() {
        monthCounts.put(YearMonth.from(clock.instant().atZone(ZoneOffset.UTC)), perMonth);
    }

    // ----- identity and secrets

    public String clientId() {
        return clientId;
    }

    public String clientSecret() {
        return clientSecret;
    }

    public String apiKey() {
        return apiKey;
    }

    /** The Enlighten system id of gateway {@code i}. */
    public String systemId(int i) {
        return Long.toString(4_200_000L + i);
    }

    /** A one-time authorization code, as the owner's browser would receive after allowing the application. */
    public String authorizationCode() {
        String c = secret();
        codes.add(c);
        return c;
    }

    /** Every code, token, key and secret this simulator handed out: for tests that check nothing leaks. */
    public List<String> issuedSecrets() {
        return List.copyOf(issuedSecrets);
    }

    /** API calls (not OAuth) in order. */
    public List<Call> calls() {
        return List.copyOf(calls);
    }

    public int tokenCalls() {
        return tokenCalls.get();
    }

    /** The most API calls that fell into any 60 s of simulated time. */
    public int maxCallsPerMinute() {
        List<Instant> t = calls.stream().map(Call::at).sorted().toList();
        int max = 0;
        for (int i = 0, j = 0; i < t.size(); i++) {
            while (!t.get(j).plusSeconds(60).isAfter(t.get(i))) {
                j++;
            }
            max = Math.max(max, i - j + 1);
        }
        return max;
    }

    // ----- server

    public EnlightenApiSimulator start() {
        try {
            server = vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1")
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Enlighten API simulator did not start", e);
        }
        return this;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    public String apiUrl() {
        return baseUrl() + "/api/v4";
    }

    public String authorizeUrl() {
        return baseUrl() + "/oauth/authorize";
    }

    public String tokenUrl() {
        return baseUrl() + "/oauth/token";
    }

    private void handle(HttpServerRequest req) {
        String path = req.path();
        if (path.equals("/oauth/authorize")) {
            String redirect = req.getParam("redirect_uri");
            if (!clientId.equals(req.getParam("client_id")) || redirect == null) {
                json(req, 400, new JsonObject().put("error", "invalid_request"));
                return;
            }
            req.response().setStatusCode(302).putHeader("Location", redirect + "?code=" + authorizationCode()).end();
        } else if (path.equals("/oauth/token") && req.method().name().equals("POST")) {
            req.setExpectMultipart(true); // form parameters (OAuth 2), also accepted in the query as Enphase documents
            req.endHandler(v -> token(req));
        } else if (path.startsWith("/api/v4/")) {
            api(req);
        } else {
            req.response().setStatusCode(404).end();
        }
    }

    private synchronized void token(HttpServerRequest req) {
        tokenCalls.incrementAndGet();
        String expected = "Basic " + Base64.getEncoder()
                .encodeToString((clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8));
        if (!expected.equals(req.getHeader("Authorization"))) {
            json(req, 401, new JsonObject().put("error", "unauthorized").put("error_description",
                    "Full authentication is required to access this resource"));
            return;
        }
        String grant = param(req, "grant_type");
        boolean ok;
        if ("authorization_code".equals(grant)) {
            ok = param(req, "code") != null && codes.remove(param(req, "code"));
        } else if ("refresh_token".equals(grant)) {
            ok = refreshToken != null && refreshToken.equals(param(req, "refresh_token"));
        } else {
            ok = false;
        }
        if (!ok) {
            json(req, 400, new JsonObject().put("error", "invalid_grant").put("error_description",
                    "Invalid authorization code or refresh token"));
            return;
        }
        String access = secret();
        refreshToken = secret(); // rotated: the one just used is dead
        accessTokens.put(access, clock.instant().plus(accessLifetime));
        json(req, 200, new JsonObject().put("access_token", access).put("token_type", "bearer")
                .put("refresh_token", refreshToken).put("expires_in", accessLifetime.toSeconds())
                .put("scope", "read write").put("enl_uid", "123456").put("enl_cid", "7").put("jti", hex(8)));
    }

    private static String param(HttpServerRequest req, String name) {
        String form = req.getFormAttribute(name);
        return form != null ? form : req.getParam(name);
    }

    private void api(HttpServerRequest req) {
        Instant now = clock.instant();
        String query = req.query() == null ? "" : req.query().replaceAll("(^|&)key=[^&]*", "");
        String auth = req.getHeader("Authorization");
        String token = auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : null;
        Instant exp = token == null ? null : accessTokens.get(token);
        String key = req.getHeader("key") != null ? req.getHeader("key") : req.getParam("key");
        if (!apiKey.equals(key) || exp == null || !now.isBefore(exp)) {
            record(now, req.path(), query, 401);
            json(req, 401, new JsonObject().put("message", "Not Authorized").put("details",
                    "User is not authorized").put("code", 401));
            return;
        }
        int status = admit(now);
        record(now, req.path(), query, status);
        if (status == 429) {
            return429(req, "minute", perMinute, true);
            return;
        }
        if (status == 430) {
            return429(req, "month", perMonth, false);
            return;
        }
        if (forcedHtml.get() > 0 && forcedHtml.decrementAndGet() >= 0) {
            StringBuilder echo = new StringBuilder("<html><head><title>503 Service Temporarily Unavailable</title>"
                    + "</head><body><h1>Down for maintenance</h1><pre>GET " + req.uri() + "\n");
            req.headers().forEach(h -> echo.append(h.getKey()).append(": ").append(h.getValue()).append('\n'));
            req.response().setStatusCode(200).putHeader("Content-Type", "text/html; charset=utf-8")
                    .end(echo.append("</pre></body></html>").toString());
            return;
        }
        try {
            JsonObject answer = answer(req, now);
            if (answer == null) {
                json(req, 404, new JsonObject().put("message", "Not Found").put("code", 404));
            } else {
                json(req, 200, answer);
            }
        } catch (RuntimeException e) {
            json(req, 422, new JsonObject().put("message", "Unprocessable Entity").put("details",
                    String.valueOf(e.getMessage())).put("code", 422));
        }
    }

    /** 200, 429 (minute) or 430 (month, answered as 429); counts the call. */
    private synchronized int admit(Instant now) {
        if (forcedThrottles.get() > 0) {
            forcedThrottles.decrementAndGet();
            return 429;
        }
        YearMonth m = YearMonth.from(now.atZone(ZoneOffset.UTC));
        if (monthCounts.getOrDefault(m, 0) >= perMonth) {
            return 430;
        }
        while (!minuteWindow.isEmpty() && !minuteWindow.peekFirst().plusSeconds(60).isAfter(now)) {
            minuteWindow.removeFirst();
        }
        if (minuteWindow.size() >= perMinute) {
            return 429;
        }
        minuteWindow.addLast(now);
        monthCounts.merge(m, 1, Integer::sum);
        return 200;
    }

    private void return429(HttpServerRequest req, String period, int limit, boolean mayRetryAfter) {
        if (mayRetryAfter && retryAfter && forcedThrottles.get() == 0) {
            req.response().putHeader("Retry-After", "60");
        }
        json(req, 429, new JsonObject().put("message", "Too Many Requests").put("details",
                "Usage limit exceeded for plan Watt").put("code", 429).put("period", period).put("limit", limit));
    }

    private void record(Instant now, String path, String query, int status) {
        calls.add(new Call(now, path, query, status));
    }

    private JsonObject answer(HttpServerRequest req, Instant now) {
        if (req.path().equals("/api/v4/systems/retrieve_system_id")) {
            String serial = req.getParam("serial_num");
            for (int i = 0; i < gateways.size(); i++) {
                if (gateways.get(i).serial().equals(serial)) {
                    return new JsonObject().put("system_id", Long.parseLong(systemId(i)));
                }
            }
            return null;
        }
        Matcher m = SYSTEM_PATH.matcher(req.path());
        if (!m.matches()) {
            return null;
        }
        int index = (int) (Long.parseLong(m.group(1)) - 4_200_000L);
        if (index < 0 || index >= gateways.size()) {
            return null;
        }
        SimulatedGateway g = gateways.get(index);
        Instant uploaded = now.minus(uploadDelay);
        return switch (m.group(2)) {
            case "/telemetry/production_meter" -> telemetry(req, g, m.group(1), uploaded, "wh_del", true, false);
            case "/telemetry/consumption_meter" -> telemetry(req, g, m.group(1), uploaded, "enwh", false, false);
            case "/energy_import_telemetry" -> telemetry(req, g, m.group(1), uploaded, "wh_imported", false, true);
            case "/energy_export_telemetry" -> telemetry(req, g, m.group(1), uploaded, "wh_exported", true, true);
            case "/telemetry/battery" -> battery(req, g, m.group(1), uploaded);
            case "/devices/micros/telemetry" -> micros(req, g, m.group(1), uploaded);
            case "/energy_lifetime" -> lifetime(req, g, m.group(1), uploaded, true);
            case "/consumption_lifetime" -> lifetime(req, g, m.group(1), uploaded, false);
            default -> null;
        };
    }

    private static long span(HttpServerRequest req) {
        String granularity = granularity(req);
        return switch (granularity) {
            case "day" -> 86_400;
            case "week" -> 7 * 86_400;
            default -> throw new IllegalArgumentException("granularity must be day or week");
        };
    }

    private static String granularity(HttpServerRequest req) {
        return req.getParam("granularity") == null ? "day" : req.getParam("granularity");
    }

    private static long start(HttpServerRequest req, SimulatedGateway g, Instant uploaded) {
        return req.getParam("start_at") == null
                ? g.localMidnight(uploaded).getEpochSecond()
                : Long.parseLong(req.getParam("start_at"));
    }

    /**
     * {@code telemetry/battery}: 15-minute charge and discharge energy and the state of charge at each interval's end,
     * from the gateway's {@link SimulatedBattery} (the one {@code /ivp/ensemble/*} shows); no intervals without a
     * battery.
     */
    private JsonObject battery(HttpServerRequest req, SimulatedGateway g, String id, Instant uploaded) {
        String granularity = granularity(req);
        long span = span(req);
        long start = start(req, g, uploaded);
        long first = Math.max(Math.floorDiv(start, STEP) * STEP + STEP, g.installedAt().getEpochSecond() + STEP);
        long last = Math.min(start + span, Math.floorDiv(uploaded.getEpochSecond(), STEP) * STEP);
        JsonArray intervals = new JsonArray();
        if (g.battery().isPresent()) {
            SimulatedBattery b = g.battery().get();
            for (long e = first; e <= last; e += STEP) {
                Instant a = Instant.ofEpochSecond(e - STEP);
                Instant end = Instant.ofEpochSecond(e);
                intervals.add(new JsonObject().put("end_at", e)
                        .put("charge", new JsonObject().put("enwh", Math.round(b.chargeWhBetween(a, end)))
                                .put("devices_reporting", 1))
                        .put("discharge", new JsonObject().put("enwh", Math.round(b.dischargeWhBetween(a, end)))
                                .put("devices_reporting", 1))
                        .put("soc", new JsonObject().put("percent", Math.round(b.socPct(end)))
                                .put("devices_reporting", 1)));
            }
        }
        return new JsonObject().put("system_id", Long.parseLong(id)).put("granularity", granularity)
                .put("total_devices", g.battery().isPresent() ? 1 : 0).put("start_at", start)
                .put("end_at", start + span).put("items", "intervals").put("intervals", intervals);
    }

    /**
     * {@code devices/micros/telemetry}: per micro-inverter 5-minute intervals ({@code end_at}, {@code powr} mean W,
     * {@code enwh}), paginated ({@code page} from 1, {@code size} at most 20), each inverter's share of the model's
     * production (the one {@code /api/v1/production/inverters} reports).
     */
    private JsonObject micros(HttpServerRequest req, SimulatedGateway g, String id, Instant uploaded) {
        String granularity = granularity(req);
        long span = span(req);
        long start = start(req, g, uploaded);
        int page = req.getParam("page") == null ? 1 : Integer.parseInt(req.getParam("page"));
        int size = req.getParam("size") == null ? 10 : Integer.parseInt(req.getParam("size"));
        if (page < 1 || size < 1 || size > 20) {
            throw new IllegalArgumentException("page must be 1 or more and size 1 to 20");
        }
        long step = 300;
        long first = Math.max(Math.floorDiv(start, step) * step + step, g.installedAt().getEpochSecond() + step);
        long last = Math.min(start + span, Math.floorDiv(uploaded.getEpochSecond(), step) * step);
        JsonArray micros = new JsonArray();
        for (int i = (page - 1) * size; i < Math.min(g.inverterCount(), page * size); i++) {
            JsonArray intervals = new JsonArray();
            for (long e = first; e <= last; e += step) {
                double wh = g.inverterShare(i) * g.productionWhBetween(Instant.ofEpochSecond(e - step),
                        Instant.ofEpochSecond(e));
                intervals.add(new JsonObject().put("end_at", e).put("powr", Math.round(wh * 3600 / step))
                        .put("enwh", Math.round(wh * 100) / 100.0));
            }
            micros.add(new JsonObject().put("serial_number", g.inverterSerial(i)).put("intervals", intervals));
        }
        return new JsonObject().put("system_id", Long.parseLong(id)).put("granularity", granularity)
                .put("start_at", start).put("end_at", start + span).put("page", page).put("size", size)
                .put("total_devices", g.inverterCount()).put("items", "micros").put("micros", micros);
    }

    private JsonObject telemetry(HttpServerRequest req, SimulatedGateway g, String id, Instant uploaded,
            String field, boolean production, boolean nested) {
        String granularity = granularity(req);
        long span = span(req);
        long start = start(req, g, uploaded);
        long installed = g.installedAt().getEpochSecond();
        long first = Math.max(Math.floorDiv(start, STEP) * STEP + STEP, installed + STEP);
        long last = Math.min(start + span, Math.floorDiv(uploaded.getEpochSecond(), STEP) * STEP);
        JsonArray intervals = new JsonArray();
        JsonArray day = new JsonArray();
        LocalDate current = null;
        for (long e = first; e <= last; e += STEP) {
            Instant a = Instant.ofEpochSecond(e - STEP);
            Instant b = Instant.ofEpochSecond(e);
            double wh = production ? g.productionWhBetween(a, b) : g.consumptionWhBetween(a, b);
            JsonObject o = new JsonObject().put("end_at", e).put(field, Math.round(wh));
            if (!nested) {
                o.put("devices_reporting", production ? g.inverterCount() : 1);
                intervals.add(o);
                continue;
            }
            LocalDate d = LocalDate.ofInstant(a, g.zone());
            if (current != null && !d.equals(current)) {
                intervals.add(day);
                day = new JsonArray();
            }
            current = d;
            day.add(o);
        }
        if (nested && !day.isEmpty()) {
            intervals.add(day);
        }
        return new JsonObject().put("system_id", Long.parseLong(id)).put("granularity", granularity)
                .put("total_devices", g.inverterCount()).put("start_at", start).put("end_at", start + span)
                .put("items", "intervals").put("intervals", intervals);
    }

    private JsonObject lifetime(HttpServerRequest req, SimulatedGateway g, String id, Instant uploaded,
            boolean production) {
        LocalDate installed = LocalDate.ofInstant(g.installedAt(), g.zone());
        LocalDate lastComplete = LocalDate.ofInstant(uploaded, g.zone()).minusDays(1);
        LocalDate from = req.getParam("start_date") == null ? installed : LocalDate.parse(req.getParam("start_date"));
        LocalDate to = req.getParam("end_date") == null ? lastComplete : LocalDate.parse(req.getParam("end_date"));
        if (from.isBefore(installed)) {
            from = installed;
        }
        if (to.isAfter(lastComplete)) {
            to = lastComplete;
        }
        JsonArray values = new JsonArray();
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            Instant a = d.atStartOfDay(g.zone()).toInstant();
            Instant b = d.plusDays(1).atStartOfDay(g.zone()).toInstant();
            values.add(Math.round(production ? g.productionWhBetween(a, b) : g.consumptionWhBetween(a, b)));
        }
        JsonObject o = new JsonObject().put("system_id", Long.parseLong(id)).put("start_date", from.toString())
                .put(production ? "production" : "consumption", values);
        if (production) {
            o.put("meter_start_date", installed.toString()).put("meta", new JsonObject().put("status", "normal")
                    .put("operational_at", g.installedAt().getEpochSecond()));
        }
        return o;
    }

    private static void json(HttpServerRequest req, int status, JsonObject o) {
        req.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(o.encode());
    }

    private String secret() {
        String s = hex(16);
        issuedSecrets.add(s);
        return s;
    }

    private String hex(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    @Override
    public void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // closing a test server
        }
    }
}
