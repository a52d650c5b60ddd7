package dev.enphaseetl.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.enphaseetl.gateway.GatewayException;
import dev.enphaseetl.gateway.GatewayTarget;
import dev.enphaseetl.gateway.PollTask;
import dev.enphaseetl.health.GatewayActivity;
import dev.enphaseetl.health.PipelineMetrics;
import dev.enphaseetl.parse.Endpoint;
import dev.enphaseetl.testing.MutableClock;

/**
 * A gateway whose host name does not resolve and that never answered is a WARN at once naming the fix, not an INFO
 * for the outage grace (30 min): a typo in the URL does not pass like a nightly restart. Once logged, repeats are not.
 */
class UnknownHostTest {

    @TempDir
    Path dir;

    @Test
    void anUnknownHostOfAGatewayThatNeverAnsweredIsAWarningAtOnce() throws Exception {
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord r) {
                records.add(r);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger log = Logger.getLogger("dev.enphaseetl.poll");
        log.addHandler(h);
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            PollProblems problems = new PollProblems(new DeadLetters(dir),
                    new PipelineMetrics(new SimpleMeterRegistry()),
                    RetryPlanTest.plan(new MutableClock(Instant.parse("2026-06-21T23:00:00Z"))), Duration.ofMinutes(30),
                    new GatewayActivity());
            GatewayTarget gw = new GatewayTarget("typo", URI.create("https://envoy.no-such-host.invalid"), null,
                    Map.of());
            for (Endpoint e : List.of(Endpoint.PRODUCTION_JSON, Endpoint.IVP_METERS_READINGS,
                    Endpoint.PRODUCTION_JSON)) {
                PollTask task = new PollTask(gw, e);
                Exchange x = new DefaultExchange(camel);
                x.setProperty(PollProblems.TASK, task);
                x.setProperty(Exchange.EXCEPTION_CAUGHT, new GatewayException(GatewayException.Reason.UNREACHABLE,
                        task + ": unreachable (UnknownHostException: envoy.no-such-host.invalid)",
                        new UnknownHostException("envoy.no-such-host.invalid")));
                problems.gatewayFailed(x);
            }
        } finally {
            log.removeHandler(h);
        }
        List<LogRecord> shown = records.stream().filter(r -> r.getLevel().intValue() >= Level.INFO.intValue())
                .toList();
        assertThat(shown).hasSize(1);
        assertThat(shown.get(0).getLevel().getName()).isIn("WARN", "WARNING");
        assertThat(shown.get(0).getMessage()).contains("typo").contains("does not resolve")
                .contains("enphase.gateways[n].url");
    }
}
