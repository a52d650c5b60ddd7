package dev.enphaseetl.history;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.enphaseetl.cloud.CallBudget;
import dev.enphaseetl.cloud.CloudSettings;
import dev.enphaseetl.cloud.CloudTelemetry;
import dev.enphaseetl.cloud.EnlightenApi;
import dev.enphaseetl.cloud.OAuthTokens;
import dev.enphaseetl.cloud.Sleeper;
import dev.enphaseetl.spool.SinkSwitches;
import dev.enphaseetl.spool.Spool;

/**
 * The history import in a JVM of its own, killed with SIGKILL by {@link HistoryImportTest}: arguments data dir, API
 * URL, authorize URL, token URL, client id, client secret, API key, gateway serial, since (date), then the shared
 * accelerated clock (simulated start millis, real origin millis, factor). Prints {@code PROGRESS ...} per unit and
 * {@code RESULT ...} at the end.
 */
public final class HistoryImportMain {

    private HistoryImportMain() {}

    public static void main(String[] a) throws Exception {
        Path data = Path.of(a[0]);
        double factor = Double.parseDouble(a[11]);
        Clock clock = CloudTestSupport.accelerated(Long.parseLong(a[9]), Long.parseLong(a[10]), factor);
        CloudSettings settings = new CloudSettings(URI.create(a[1]), URI.create(a[2]), URI.create(a[3]),
                "https://example.invalid/redirect", Optional.of(a[4]), Optional.of(a[5]), Optional.of(a[6]), 10,
                1000, 100, Duration.ofSeconds(5), Duration.ofSeconds(20), Duration.ofMinutes(15), Map.of(),
                data.resolve("cloud"));
        Sleeper sleeper = d -> Thread.sleep(Math.max(1, (long) (d.toMillis() / factor)));
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        EnlightenApi api = new EnlightenApi(settings, http, new OAuthTokens(settings, http, clock),
                new CallBudget(settings.dir(), 10, 1000, 100, clock, sleeper), clock, sleeper);
        Spool spool = new Spool(data.resolve("spool"), SinkSwitches.of(List.of("jdbc")));
        HistoryImport history = new HistoryImport(new CloudTelemetry(api, Map.of()), spool, settings.dir(), clock,
                ZoneOffset.UTC, Duration.ofDays(740));
        HistoryImport.Progress p = history.run(a[7], LocalDate.parse(a[8]), x -> {
            System.out
                    .println("PROGRESS " + x + " t=" + System.currentTimeMillis() % 100000 + " sim=" + clock.instant());
            System.out.flush();
        });
        System.out.println("RESULT " + p + " calls " + api.calls() + " throttled " + api.throttled());
        System.out.flush();
    }
}
