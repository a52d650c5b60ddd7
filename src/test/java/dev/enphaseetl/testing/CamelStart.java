package dev.enphaseetl.testing;

import java.util.List;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.apache.camel.quarkus.core.CamelRuntime;

import io.quarkus.runtime.StartupEvent;

import dev.enphaseetl.ops.ConfigCheck;

/**
 * Starts Camel in {@code @QuarkusTest}s as {@code enphase-etl run} does: the application has a {@code @QuarkusMain}
 * (dev.enphaseetl.cli.EnphaseEtl), so Camel Quarkus does not start Camel by itself, and the tests do not go through
 * that main. The configuration is checked first, a problem stops the start.
 */
@Singleton
public class CamelStart {

    void onStart(@Observes StartupEvent event, ConfigCheck check, CamelRuntime camel) {
        List<String> problems = check.startProblems();
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Configuration error: " + String.join("; ", problems));
        }
        camel.start(new String[0]);
    }
}
