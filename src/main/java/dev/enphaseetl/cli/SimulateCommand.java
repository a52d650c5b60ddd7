package dev.enphaseetl.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import dev.enphaseetl.simulator.GatewaySimulator;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code enphase-etl simulate}: the standalone gateway simulator, until stopped. */
@Command(name = "simulate", mixinStandardHelpOptions = true, description = "Serve simulated gateways over HTTPS and HTTP (docs/simulator.md) until stopped.")
public class SimulateCommand implements Callable<Integer> {

    @Option(names = "--gateways", paramLabel = "N", description = "Virtual gateways (default 1).")
    Integer gateways;
    @Option(names = "--seed", paramLabel = "S", description = "Seed of the simulated values (default 42).")
    Long seed;
    @Option(names = "--https-port", paramLabel = "P", description = "0 = any free port, -1 = off (default 8443).")
    Integer httpsPort;
    @Option(names = "--http-port", paramLabel = "P", description = "0 = any free port, -1 = off (default 8080).")
    Integer httpPort;
    @Option(names = "--host", paramLabel = "H", description = "Address to listen on (default 127.0.0.1).")
    String host;
    @Option(names = "--captures", paramLabel = "DIR", description = "Serve captured answers from this folder.")
    Path captures;
    @Option(names = "--firmware", paramLabel = "V", description = "Firmware version, e.g. 8.2.4345 or 5.0.62.")
    String firmware;
    @Option(names = "--inverters", paramLabel = "N", description = "Microinverters per gateway.")
    Integer inverters;
    @Option(names = "--phases", paramLabel = "1|2|3", description = "Grid phases.")
    Integer phases;
    @Option(names = "--zone", paramLabel = "ZONE", description = "Time zone of the simulated sun, e.g. Europe/Berlin.")
    String zone;
    @Option(names = "--speed", paramLabel = "FACTOR", description = "Run the simulated clock this much faster.")
    Double speed;
    @Option(names = "--token", paramLabel = "T", description = "The bearer token the gateways accept.")
    String token;
    @Option(names = "--no-digest", description = "Legacy firmware without digest authentication.")
    boolean noDigest;
    @Option(names = "--pem", paramLabel = "FILE", description = "Write the HTTPS certificate (PEM) to this file.")
    Path pem;
    @Option(names = "--latency", paramLabel = "MS", description = "Every gateway answers after this many ms.")
    Long latency;
    @Option(names = "--address-per-gateway", description = "Each gateway at its own loopback address (127.1.0.1, ...).")
    boolean addressPerGateway;
    @Option(names = "--write-gateways-file", paramLabel = "FILE", description = "Write the gateways as a CSV list for enphase.gateways-file.")
    Path gatewaysFile;

    @Option(names = "--cloud", paramLabel = "FILE", description = "Also serve the Enlighten API v4 for the same gateways; write its ENPHASE_CLOUD_* settings (secrets included, owner-only) to FILE.")
    Path cloud;
    @Option(names = "--cloud-per-minute", paramLabel = "N", description = "Calls a minute the simulated cloud plan allows (default 10, the free plan).")
    Integer cloudPerMinute;

    @Override
    public Integer call() throws Exception {
        List<String> args = new ArrayList<>();
        add(args, "--gateways", gateways);
        add(args, "--seed", seed);
        add(args, "--https-port", httpsPort);
        add(args, "--http-port", httpPort);
        add(args, "--host", host);
        add(args, "--captures", captures);
        add(args, "--firmware", firmware);
        add(args, "--inverters", inverters);
        add(args, "--phases", phases);
        add(args, "--zone", zone);
        add(args, "--speed", speed);
        add(args, "--token", token);
        add(args, "--pem", pem);
        add(args, "--latency", latency);
        add(args, "--write-gateways-file", gatewaysFile);
        add(args, "--cloud", cloud);
        add(args, "--cloud-per-minute", cloudPerMinute);
        if (addressPerGateway) {
            args.add("--address-per-gateway");
        }
        if (noDigest) {
            args.add("--no-digest");
        }
        try {
            GatewaySimulator.main(args.toArray(String[]::new));
        } catch (IllegalArgumentException e) {
            System.err.println(EnphaseEtl.NAME + " simulate: " + e.getMessage().lines().findFirst().orElse(""));
            return 2;
        }
        return 0;
    }

    private static void add(List<String> args, String option, Object value) {
        if (value != null) {
            args.add(option);
            args.add(value.toString());
        }
    }
}
