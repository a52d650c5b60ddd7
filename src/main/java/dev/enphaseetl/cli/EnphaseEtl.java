package dev.enphaseetl.cli;

import java.io.PrintStream;
import java.net.BindException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.inject.Inject;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.QuarkusBindException;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.smallrye.config.ConfigValidationException;

import dev.enphaseetl.ops.ConfigCheck;

import picocli.CommandLine;

/**
 * The {@code enphase-etl} command: {@code run} (the default) starts the pipeline, the other subcommands are tools
 * that start Quarkus without Camel routes and without the HTTP server. With a {@code @QuarkusMain} in the
 * application Camel Quarkus does not start Camel by itself (its {@code CamelMainProcessor} sets the runtime's
 * auto-startup only when there is none): {@link RunCommand} checks the configuration first and then starts Camel
 * Main, as Camel Quarkus' own {@code CamelMainApplication} does. Tests ({@code @QuarkusTest}) start it the same
 * way from a test bean.
 */
@QuarkusMain
public class EnphaseEtl implements QuarkusApplication {

    static final String NAME = "enphase-etl";

    private static final Set<String> HELP = Set.of("-h", "--help", "-V", "--version");

    @Inject
    CommandLine.IFactory factory;

    public static void main(String... args) {
        // the configuration files are read by Quarkus before any code of ours: a file that is not UTF-8 would
        // be read with replacement characters or fail with a parser's stack trace
        Optional<String> badFile = ConfigCheck.configFileProblem(Path.of("").toAbsolutePath(), System.getenv());
        if (badFile.isPresent()) {
            System.err.println(NAME + ": " + badFile.get());
            System.exit(2);
        }
        boolean run = isRun(args);
        if (run) {
            // the start failures are told in one line by exit() below, not as Quarkus' stack trace
            setDefault("quarkus.log.category.\"io.quarkus.runtime.Application\".level", "OFF");
        } else {
            // a tool: no HTTP server (the pipeline may be running on the port), no start-up log lines
            setDefault("quarkus.http.host-enabled", "false");
            if (System.getenv("QUARKUS_LOG_LEVEL") == null) {
                setDefault("quarkus.log.level", "WARN");
            }
        }
        Quarkus.run(EnphaseEtl.class, EnphaseEtl::exit, args);
    }

    /** No arguments, or {@code run} without help: the pipeline. */
    static boolean isRun(String[] args) {
        if (args.length == 0) {
            return true;
        }
        return args[0].equals("run") && List.of(args).stream().noneMatch(HELP::contains);
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    @Override
    public int run(String... args) {
        return commandLine(factory).execute(args.length == 0 ? new String[]{"run"} : args);
    }

    static CommandLine commandLine(CommandLine.IFactory factory) {
        CommandLine cl = new CommandLine(EnphaseEtlCommand.class, factory);
        cl.setParameterExceptionHandler(EnphaseEtl::badUsage);
        return cl;
    }

    /** Bad usage: one line and exit status 2; the command never starts the pipeline. */
    private static int badUsage(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        String path = cmd.getCommandSpec().qualifiedName();
        cmd.getErr().println(path + ": " + e.getMessage() + " (see: " + path + " --help)");
        return 2;
    }

    /** How the process ends: a failed start is told in one line naming the fix. */
    static void exit(int code, Throwable failure) {
        if (failure != null) {
            describe(failure, System.err);
        }
        System.exit(code);
    }

    static void describe(Throwable failure, PrintStream err) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof QuarkusBindException b) {
                err.println(NAME + ": " + ConfigCheck.portInUse(Integer.toString(b.getPort())));
                return;
            }
            if (t instanceof BindException) {
                err.println(NAME + ": " + ConfigCheck.portInUse("(" + t.getMessage() + ")"));
                return;
            }
            if (t instanceof ConfigValidationException v) {
                // an unknown or malformed key: one line each, naming it
                for (int i = 0; i < v.getProblemCount(); i++) {
                    err.println(NAME + ": configuration: " + oneLine(v.getProblem(i).getMessage()));
                }
                return;
            }
            if (t instanceof ConfigurationException) {
                err.println(NAME + ": configuration: " + oneLine(t.getMessage()));
                return;
            }
            if (t instanceof IllegalArgumentException && t.getMessage() != null
                    && t.getMessage().startsWith("Configuration error")) {
                err.println(NAME + ": " + t.getMessage());
                return;
            }
        }
        err.println(NAME + ": failed to start: " + oneLine(String.valueOf(failure)));
        failure.printStackTrace(err);
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.strip().replaceAll("\\s*\\R\\s*", "; ");
    }
}
