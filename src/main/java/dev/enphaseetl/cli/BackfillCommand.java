package dev.enphaseetl.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;

import io.quarkus.arc.Unremovable;

import dev.enphaseetl.cloud.CloudException;
import dev.enphaseetl.cloud.CloudSettings;
import dev.enphaseetl.cloud.CloudTelemetry;
import dev.enphaseetl.cloud.EnlightenApi;
import dev.enphaseetl.config.EnphaseConfig;
import dev.enphaseetl.history.HistoryImport;
import dev.enphaseetl.spool.Spool;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code enphase-etl backfill}: the one-time OAuth step of the Enlighten API ({@code --authorize}) and the history
 * import ({@code --since install|DATE}) into the spool, which the pipeline delivers to every sink (docs/cloud.md).
 */
@Dependent
@Unremovable // created by picocli through Arc, injected nowhere
@Command(name = "backfill", mixinStandardHelpOptions = true, description = "Import a system's history from Enphase's cloud (Enlighten API v4) into the spool: daily energy since"
        + " the system's start and 15-minute telemetry as far back as the API allows, within the plan's quota;"
        + " resumable. --authorize does the one-time OAuth step. Exit 0 done or paused by the quota, 1 on a cloud"
        + " error, 2 on bad usage or configuration.")
public class BackfillCommand implements Callable<Integer> {

    @Option(names = "--authorize", description = "Print the authorization URL, then read the code (or take --code) and store the tokens.")
    boolean authorize;

    @Option(names = "--code", paramLabel = "CODE", description = "The code the authorization page showed.")
    String code;

    @Option(names = "--since", paramLabel = "install|DATE", description = "First day to import: install (the system's start) or YYYY-MM-DD (default: install, or that of the import under way).")
    String since;

    @Option(names = "--gateway", paramLabel = "SERIAL", description = "Gateway serial to import (repeatable; default: the keys of enphase.cloud.systems).")
    List<String> gateways;

    @Inject
    EnphaseConfig config;

    @Inject
    Spool spool;

    @Override
    public Integer call() {
        CloudSettings settings = CloudSettings.from(config);
        if (!settings.configured()) {
            System.err.println(EnphaseEtl.NAME + " backfill: set " + settings.missingKeys()
                    + " (the application registered on developer-v4.enphase.com; see docs/cloud.md)");
            return 2;
        }
        LocalDate first = null;
        if (since != null && !since.equals("install")) {
            try {
                first = LocalDate.parse(since);
            } catch (DateTimeParseException e) {
                System.err.println(EnphaseEtl.NAME + " backfill: --since must be install or a date like 2024-01-31,"
                        + " not " + since);
                return 2;
            }
        }
        EnlightenApi api = EnlightenApi.create(settings, Clock.systemUTC());
        try {
            if (authorize || code != null) {
                String c = code;
                if (c == null) {
                    System.out.println("Open this page, sign in as the system's owner, allow the application and"
                            + " paste the code it shows:");
                    System.out.println(api.tokens().authorizationUrl());
                    System.out.print("code: ");
                    System.out.flush();
                    c = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                }
                api.tokens().exchangeCode(c);
                System.out.println("Authorized; the tokens are kept in " + settings.dir());
                if (gateways == null && config.cloud().systems().isEmpty()) {
                    return 0;
                }
            }
            List<String> serials = gateways != null ? gateways : new ArrayList<>(config.cloud().systems().keySet());
            if (serials.isEmpty()) {
                System.err.println(EnphaseEtl.NAME + " backfill: name the gateway with --gateway SERIAL (or set"
                        + " enphase.cloud.systems.\"SERIAL\" to its system id)");
                return 2;
            }
            HistoryImport history = new HistoryImport(new CloudTelemetry(api, config.cloud().systems()), spool,
                    settings.dir(), Clock.systemUTC(), ZoneId.of(config.ledger().zone()),
                    config.cloud().telemetryHistory());
            for (String serial : serials) {
                String started = history.since(serial).orElse(null);
                if (since != null && started != null && !started.equals(first == null ? "install" : first.toString())) {
                    // an import resumes from its own progress: a different --since would be ignored silently
                    System.err.println(EnphaseEtl.NAME + " backfill: the import of " + serial + " was started with"
                            + " --since " + started + "; run it with --since " + started + " (or without --since)"
                            + " to resume it, or delete " + history.progressFile(serial) + " to start over from "
                            + since);
                    return 2;
                }
                LocalDate from = first;
                if (since == null && started != null && !started.equals("install")) {
                    from = LocalDate.parse(started);
                }
                HistoryImport.Progress p = history.run(serial, from, x -> System.out.println(x));
                System.out.println(p.finished() ? "finished: " + p : "paused: " + p);
            }
            return 0;
        } catch (CloudException e) {
            System.err.println(EnphaseEtl.NAME + " backfill: " + e.getMessage());
            return 1;
        } catch (Exception e) {
            System.err.println(EnphaseEtl.NAME + " backfill: " + e.getClass().getSimpleName() + ": "
                    + e.getMessage());
            return 1;
        }
    }
}
