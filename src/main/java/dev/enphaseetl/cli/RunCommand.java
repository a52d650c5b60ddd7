package dev.enphaseetl.cli;

import java.util.List;
import java.util.concurrent.Callable;

import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;

import org.apache.camel.quarkus.core.CamelRuntime;
import org.jboss.logging.Logger;

import io.quarkus.arc.Arc;
import io.quarkus.arc.Unremovable;

import dev.enphaseetl.config.EnphaseConfig;
import dev.enphaseetl.ops.ConfigCheck;
import dev.enphaseetl.sink.SinkDestinations;

import picocli.CommandLine.Command;

/** {@code enphase-etl run}: checks the configuration, then starts the routes and runs until stopped. */
@Dependent
@Unremovable // created by picocli through Arc, injected nowhere
@Command(name = "run", mixinStandardHelpOptions = true, description = "Start the pipeline: poll the gateways and deliver to the sinks until stopped (the default).")
public class RunCommand implements Callable<Integer> {

    private static final Logger LOG = Logger.getLogger(SinkDestinations.class);

    @Inject
    ConfigCheck check;

    @Inject
    EnphaseConfig config;

    @Override
    public Integer call() {
        List<String> problems = check.startProblems();
        if (!problems.isEmpty()) {
            problems.forEach(p -> System.err.println(EnphaseEtl.NAME + ": " + p));
            return 2;
        }
        SinkDestinations.describe(config).forEach(LOG::info);
        CamelRuntime camel = Arc.container().instance(CamelRuntime.class).get();
        camel.start(new String[0]);
        return camel.waitForExit();
    }
}
