package dev.enphaseetl.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.enphaseetl.auth.LogCapture;
import dev.enphaseetl.cloud.CallBudget;
import dev.enphaseetl.cloud.CloudException;
import dev.enphaseetl.cloud.CloudKind;
import dev.enphaseetl.cloud.CloudSettings;
import dev.enphaseetl.cloud.CloudTelemetry;
import dev.enphaseetl.cloud.EnlightenApi;
import dev.enphaseetl.cloud.OAuthTokens;
import dev.enphaseetl.cloud.Sleeper;
import dev.enphaseetl.simulator.EnlightenApiSimulator;
import dev.enphaseetl.simulator.SimulatedGateway;
import dev.enphaseetl.spool.SinkSwitches;
import dev.enphaseetl.spool.Spool;
import dev.enphaseetl.testing.MutableClock;

/**
 * The cloud client's secrets (client secret, API key, authorization code, access and refresh tokens) in every flow:
 * authorization, renewals with rotation, HTTP 429s, a refused (stale) refresh token, a wrong API key, an unreachable
 * token endpoint, an exhausted month, a history import: with every logger at the finest level, none of them appears in
 * a log record, an exception message, the spool (what a sink could dead-letter), the progress or quota files. The
 * token file holds them, readable by the owner only.
 */
class CloudSecretsTest {

    @TempDir
    Path tmp;

    @Test
    void noCloudSecretInLogsErrorsOrFiles() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-03-10T12:00:00Z"));
        SimulatedGateway model = new SimulatedGateway("122300000999", 99L, 8, 1);
        Path data = tmp.resolve("data");
        List<String> texts = new ArrayList<>();
        try (LogCapture logs = new LogCapture();
                EnlightenApiSimulator sim = new EnlightenApiSimulator(clock, List.of(model))
                        .accessLifetime(Duration.ofMinutes(20)).retryAfter(false).start()) {
            CloudSettings settings = CloudTestSupport.settings(sim, data.resolve("cloud"), 10, 1000, 100);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            Sleeper sleeper = clock::advance;
            OAuthTokens tokens = new OAuthTokens(settings, http, clock);
            texts.add(tokens.authorizationUrl().replace(sim.clientId(), "")); // the URL carries the id, no secret
            tokens.exchangeCode(sim.authorizationCode());
            OAuthTokens stale = new OAuthTokens(settings, http, clock);
            stale.authorized(); // loads the first refresh token, soon rotated away
            EnlightenApi api = new EnlightenApi(settings, http, tokens, new CallBudget(settings.dir(), 10, 1000, 100,
                    clock, sleeper), clock, sleeper);
            CloudTelemetry cloud = new CloudTelemetry(api, Map.of());
            String id = cloud.systemId(model.serial(), CallBudget.Purpose.FILL);
            sim.throttleNext(3);
            for (int i = 0; i < 6; i++) { // two hours: renewals, each rotating the refresh token
                cloud.intervals(id, model.serial(), CloudKind.values()[i % 4], clock.instant().minusSeconds(86_400),
                        "day", CallBudget.Purpose.FILL);
                clock.advance(Duration.ofMinutes(25));
            }
            assertThat(sim.tokenCalls()).isGreaterThan(3);
            clock.advance(Duration.ofHours(1));
            texts.add(message(() -> stale.accessToken()));

            CloudSettings wrongKey = new CloudSettings(settings.apiUrl(), settings.authorizeUrl(), settings.tokenUrl(),
                    settings.redirectUri(), settings.clientId(), settings.clientSecret(),
                    Optional.of(sim.apiKey() + "x"), 10, 1000, 100, settings.connectTimeout(),
                    settings.requestTimeout(), settings.maxBackoff(), Map.of(), settings.dir());
            EnlightenApi wrong = new EnlightenApi(wrongKey, http, tokens, api.budget(), clock, sleeper);
            texts.add(message(() -> wrong.get("/systems/" + id + "/energy_lifetime", Map.of(),
                    CallBudget.Purpose.FILL)));

            CloudSettings down = new CloudSettings(settings.apiUrl(), settings.authorizeUrl(),
                    URI.create("http://127.0.0.1:9/oauth/token"), settings.redirectUri(), settings.clientId(),
                    settings.clientSecret(), settings.apiKey(), 10, 1000, 100, Duration.ofSeconds(2),
                    Duration.ofSeconds(2), settings.maxBackoff(), Map.of(), tmp.resolve("other"));
            OAuthTokens unreachable = new OAuthTokens(down, http, clock);
            texts.add(message(() -> unreachable.exchangeCode(sim.authorizationCode())));

            Spool spool = new Spool(data.resolve("spool"), SinkSwitches.of(List.of("jdbc")));
            HistoryImport history = new HistoryImport(cloud, spool, settings.dir(), clock, ZoneOffset.UTC,
                    Duration.ofDays(21));
            HistoryImport.Progress p = history.run(model.serial(), LocalDate.of(2026, 2, 20), x -> texts.add(
                    x.toString()));
            texts.add(p.toString());
            sim.exhaustMonth();
            texts.add(message(() -> cloud.intervals(id, model.serial(), CloudKind.PRODUCTION, clock.instant()
                    .minusSeconds(86_400), "day", CallBudget.Purpose.FILL)));
            texts.add(message(() -> api.get("/systems/" + id + "/energy_lifetime", Map.of(),
                    CallBudget.Purpose.FILL)));
            texts.add(tokens.toString());
            texts.add(api.toString());
            texts.add(settings.toString());
            texts.addAll(logs.texts());

            for (Path f : files(data)) {
                if (!f.getFileName().toString().equals("oauth.jwt")) {
                    texts.add(Files.readString(f, StandardCharsets.UTF_8));
                }
            }
            Path tokenFile = settings.dir().resolve("oauth.jwt");
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile)))
                    .isEqualTo("rw-------");
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(
                    settings.dir()))).isEqualTo("rwx------");

            List<String> secrets = new ArrayList<>(sim.issuedSecrets());
            secrets.add(sim.clientSecret());
            secrets.add(sim.apiKey());
            assertThat(secrets).hasSizeGreaterThan(10);
            assertThat(texts).anyMatch(t -> t.contains("refused the refresh token"));
            assertThat(texts).anyMatch(t -> t.contains("HTTP 401"));
            assertThat(texts).anyMatch(t -> t.contains("monthly quota"));
            assertThat(texts).anyMatch(t -> t.contains("cannot be reached"));
            for (String text : texts) {
                for (String secret : secrets) {
                    assertThat(text).as("log/message/file text").doesNotContain(secret);
                }
            }
        }
    }

    /**
     * Battery telemetry and per-micro-inverter telemetry: a gap filled with both through {@link GapFiller} over
     * token renewals, and each endpoint's failures: HTTP 401 (a wrong API key, so the renewed token is refused too),
     * HTTP 429 until the tries run out, the month used up (429, period month), and an HTML page instead of JSON that
     * echoes the request headers (key and token): no secret in a log record, an error, the spool or any file but the
     * token file.
     */
    @Test
    void batteryAndMicroTelemetryAndTheirFailuresKeepEverySecretOut() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-03-10T12:00:00Z"));
        SimulatedGateway model = new SimulatedGateway("122300000998", 98L, 25, 1).withBattery(10_000, 3_000);
        Path data = tmp.resolve("data");
        List<String> texts = new ArrayList<>();
        try (LogCapture logs = new LogCapture();
                dev.enphaseetl.sink.jdbc.JdbcSink sql = new dev.enphaseetl.sink.jdbc.JdbcSink(
                        dev.enphaseetl.sink.jdbc.JdbcSinkConfig.sqlite(data));
                EnlightenApiSimulator sim = new EnlightenApiSimulator(clock, List.of(model))
                        .accessLifetime(Duration.ofMinutes(20)).retryAfter(false).start()) {
            CloudSettings settings = CloudTestSupport.settings(sim, data.resolve("cloud"), 10, 1000, 100);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            Sleeper sleeper = clock::advance;
            OAuthTokens tokens = new OAuthTokens(settings, http, clock);
            tokens.exchangeCode(sim.authorizationCode());
            EnlightenApi api = new EnlightenApi(settings, http, tokens, new CallBudget(settings.dir(), 10, 1000, 100,
                    clock, sleeper), clock, sleeper);
            CloudTelemetry cloud = new CloudTelemetry(api, Map.of());
            String id = cloud.systemId(model.serial(), CallBudget.Purpose.FILL);
            Instant yesterday = Instant.parse("2026-03-09T00:00:00Z");

            // the gateway reported its Encharge: a gap of yesterday's midday gets battery and micro telemetry
            sql.deliver(List.of(dev.enphaseetl.model.Reading.of("battery_aggregate", yesterday.getEpochSecond())
                    .tag("gateway", model.serial()).field("soc_pct", 50.0).build()));
            Spool spool = new Spool(data.resolve("spool"), SinkSwitches.of(List.of("jdbc")));
            sim.throttleNext(2);
            GapFiller.Result filled = new GapFiller(cloud, spool, 40, true).fill(List.of(new Gap(model.serial(),
                    "system", yesterday.plus(Duration.ofHours(10)), yesterday.plus(Duration.ofHours(14)))), sql);
            texts.add(filled.toString());
            CloudTestSupport.drain(data.resolve("spool"), "jdbc", sql::deliver);
            Map<String, Long> kinds = sql.read("cloud_interval", 0, Long.MAX_VALUE).stream().collect(
                    java.util.stream.Collectors.groupingBy(r -> r.tag("kind"), java.util.stream.Collectors.counting()));
            texts.add(kinds.toString());
            assertThat(kinds).as("a 4-hour gap: 16 battery intervals of each kind, 25 inverters' daylight")
                    .containsEntry("battery_soc", 16L).containsEntry("battery_charge", 16L)
                    .hasEntrySatisfying("micro", n -> assertThat(n).isGreaterThan(25L * 40));
            assertThat(sim.calls()).anyMatch(c -> c.path().endsWith("/telemetry/battery") && c.status() == 200);
            assertThat(sim.calls()).anyMatch(c -> c.path().endsWith("/devices/micros/telemetry")
                    && c.status() == 200);
            int renewals = sim.tokenCalls();
            for (int i = 0; i < 3; i++) { // past the access token's 20 minutes: renewals, rotating the refresh token
                clock.advance(Duration.ofMinutes(25));
                cloud.battery(id, model.serial(), yesterday, CallBudget.Purpose.FILL);
                cloud.micros(id, model.serial(), yesterday, 2, CallBudget.Purpose.FILL);
            }
            assertThat(sim.tokenCalls()).isGreaterThanOrEqualTo(renewals + 3);

            // HTML instead of JSON, echoing the key and the bearer token
            sim.htmlNext(1);
            texts.add(message(() -> cloud.battery(id, model.serial(), yesterday, CallBudget.Purpose.FILL)));
            sim.htmlNext(1);
            texts.add(message(() -> cloud.micros(id, model.serial(), yesterday, 1, CallBudget.Purpose.FILL)));

            // HTTP 429 on every try
            sim.throttleNext(6 /* EnlightenApi.MAX_TRIES */);
            texts.add(message(() -> cloud.battery(id, model.serial(), yesterday, CallBudget.Purpose.FILL)));
            sim.throttleNext(6 /* EnlightenApi.MAX_TRIES */);
            texts.add(message(() -> cloud.micros(id, model.serial(), yesterday, 1, CallBudget.Purpose.FILL)));

            // HTTP 401: a wrong API key (the renewed token is refused too)
            CloudSettings wrongKey = new CloudSettings(settings.apiUrl(), settings.authorizeUrl(), settings.tokenUrl(),
                    settings.redirectUri(), settings.clientId(), settings.clientSecret(),
                    Optional.of(sim.apiKey() + "x"), 10, 1000, 100, settings.connectTimeout(),
                    settings.requestTimeout(), settings.maxBackoff(), Map.of(), settings.dir());
            CloudTelemetry wrong = new CloudTelemetry(new EnlightenApi(wrongKey, http, tokens, api.budget(), clock,
                    sleeper), Map.of());
            texts.add(message(() -> wrong.battery(id, model.serial(), yesterday, CallBudget.Purpose.FILL)));
            texts.add(message(() -> wrong.micros(id, model.serial(), yesterday, 1, CallBudget.Purpose.FILL)));

            // the month used up by another tool: HTTP 429, period month
            sim.exhaustMonth();
            texts.add(message(() -> cloud.battery(id, model.serial(), yesterday, CallBudget.Purpose.FILL)));
            texts.add(message(() -> cloud.micros(id, model.serial(), yesterday, 1, CallBudget.Purpose.FILL)));

            texts.add(tokens.toString());
            texts.add(api.toString());
            texts.addAll(logs.texts());
            for (Path f : files(data)) {
                if (!f.getFileName().toString().equals("oauth.jwt")) {
                    texts.add(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
                }
            }

            List<String> secrets = new ArrayList<>(sim.issuedSecrets());
            secrets.add(sim.clientSecret());
            secrets.add(sim.apiKey());
            assertThat(secrets).hasSizeGreaterThan(8);
            assertThat(texts).anyMatch(t -> t.contains("/telemetry/battery answered text/html"));
            assertThat(texts).anyMatch(t -> t.contains("/devices/micros/telemetry answered text/html"));
            assertThat(texts).anyMatch(t -> t.contains("/telemetry/battery was answered HTTP 429"));
            assertThat(texts).anyMatch(t -> t.contains("/devices/micros/telemetry was answered HTTP 429"));
            assertThat(texts).filteredOn(t -> t.contains("HTTP 401")).hasSizeGreaterThanOrEqualTo(2);
            assertThat(texts).filteredOn(t -> t.contains("monthly quota")).hasSizeGreaterThanOrEqualTo(2);
            for (String text : texts) {
                for (String secret : secrets) {
                    assertThat(text).as("log/message/file text").doesNotContain(secret);
                }
            }
        }
    }

    private static String message(Runnable r) {
        Throwable t = catchThrowable(r::run);
        assertThat(t).isInstanceOf(CloudException.class);
        StringBuilder b = new StringBuilder(t.toString());
        for (StackTraceElement e : t.getStackTrace()) {
            b.append('\n').append(e);
        }
        for (Throwable c = t.getCause(); c != null; c = c.getCause()) {
            b.append("\ncaused by ").append(c);
        }
        return b.toString();
    }

    private static List<Path> files(Path root) throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }
}
