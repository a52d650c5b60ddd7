package dev.enphaseetl.simulator;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;

/** Command line of the simulator: parses options, starts it, prints where to reach it, runs until stopped. */
final class SimulatorMain {

    private static final String USAGE = """
            usage: GatewaySimulator [--gateways N] [--seed S] [--https-port P] [--http-port P] [--host H]
                                    [--captures DIR] [--firmware 8.2.4345] [--inverters N] [--phases 1|2|3]
                                    [--zone Europe/Berlin] [--speed FACTOR] [--token T] [--no-digest] [--pem FILE]
                                    [--hostile INDEX:MODE]... [--latency MS] [--address-per-gateway]
                                    [--write-gateways-file FILE] [--cloud FILE] [--cloud-per-minute N]
              hostile modes (gateway INDEX from 0, on every path): huge, gzip-bomb, endless, trickle, html, unauthorized
              ports: 0 = random free port, -1 = off (defaults: https 8443, http 8080)
              --latency MS: every gateway answers every data endpoint after MS milliseconds
              --address-per-gateway: gateway i at the root of its own loopback address (127.1.0.1, 127.1.0.2, ...)
              --write-gateways-file FILE: write the gateways as a CSV list for enphase.gateways-file
              --cloud FILE: also serve the Enlighten API v4 for the same gateways; its enphase.cloud.* settings
                            (ENPHASE_CLOUD_* lines, secrets included, owner-only) go to FILE
              --cloud-per-minute N: calls a minute the simulated plan allows (default 10, the free plan)""";

    private SimulatorMain() {}

    static void run(String[] args) throws Exception {
        SimulatorConfig.Builder b = SimulatorConfig.builder().httpsPort(8443).httpPort(8080);
        Path pem = null;
        Path gatewaysFile = null;
        Path cloudFile = null;
        int cloudPerMinute = 10;
        Map<Integer, Hostile> hostile = new TreeMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                System.out.println(USAGE);
                return;
            }
            if (a.equals("--address-per-gateway")) {
                b.addressPerGateway(true);
                continue;
            }
            if (a.equals("--no-digest")) {
                b.legacyDigest(false);
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value for " + a + "\n" + USAGE);
            }
            String v = args[++i];
            switch (a) {
                case "--gateways" -> b.gatewayCount(Integer.parseInt(v));
                case "--seed" -> b.seed(Long.parseLong(v));
                case "--https-port" -> b.httpsPort(Integer.parseInt(v));
                case "--http-port" -> b.httpPort(Integer.parseInt(v));
                case "--host" -> b.host(v);
                case "--captures" -> b.captureDir(Path.of(v));
                case "--firmware" -> b.firmware(v.replaceFirst("^[A-Za-z]+", ""));
                case "--inverters" -> b.inverters(Integer.parseInt(v));
                case "--phases" -> b.phases(Integer.parseInt(v));
                case "--zone" -> b.zone(ZoneId.of(v));
                case "--speed" -> b.clock(SimClocks.accelerated(Instant.now(), Double.parseDouble(v)));
                case "--token" -> b.tokens(List.of(v));
                case "--pem" -> pem = Path.of(v);
                case "--latency" -> b.latencyMs(Long.parseLong(v));
                case "--write-gateways-file" -> gatewaysFile = Path.of(v);
                case "--cloud" -> cloudFile = Path.of(v);
                case "--cloud-per-minute" -> cloudPerMinute = Integer.parseInt(v);
                case "--hostile" -> {
                    int colon = v.indexOf(':');
                    if (colon < 1) {
                        throw new IllegalArgumentException("--hostile wants INDEX:MODE, e.g. 0:gzip-bomb\n" + USAGE);
                    }
                    hostile.put(Integer.parseInt(v.substring(0, colon)), Hostile.parse(v.substring(colon + 1)));
                }
                default -> throw new IllegalArgumentException("unknown option " + a + "\n" + USAGE);
            }
        }
        SimulatorConfig config = b.build();
        GatewaySimulator sim = new GatewaySimulator(config);
        hostile.forEach((i, mode) -> sim.gateway(i).setHostile(mode));
        sim.start();
        if (pem != null) {
            Files.writeString(pem, sim.certificatePem());
        }
        if (gatewaysFile != null) {
            writeGatewaysFile(sim, gatewaysFile);
        }
        describe(sim, config, pem, System.out);
        if (gatewaysFile != null) {
            System.out.println("Gateway list for enphase.gateways-file: " + gatewaysFile);
        }
        EnlightenApiSimulator cloud = null;
        if (cloudFile != null) {
            if (config.captureDir() != null) {
                throw new IllegalArgumentException("--cloud needs simulated gateways, not --captures");
            }
            List<SimulatedGateway> models = new ArrayList<>();
            for (int i = 0; i < config.gatewayCount(); i++) {
                models.add(GatewaySimulator.model(config, i));
            }
            cloud = new EnlightenApiSimulator(config.clock(), models).limits(cloudPerMinute, 1000).start();
            writeCloudFile(cloud, cloudFile);
            describeCloud(cloud, cloudFile, System.out);
        }
        EnlightenApiSimulator cloudToClose = cloud;
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (cloudToClose != null) {
                cloudToClose.close();
            }
            sim.close();
            stopped.countDown();
        }));
        stopped.await();
    }

    /**
     * The simulator's gateways as a gateway list file (docs/configuration.md#large-fleets): name, host, token (the
     * first the simulator accepts, if any) and the certificate's fingerprint, one line per gateway.
     */
    static void writeGatewaysFile(GatewaySimulator sim, Path file) throws java.io.IOException {
        boolean https = sim.ports().https() >= 0;
        String token = sim.config().tokens().isEmpty() ? "" : sim.config().tokens().get(0);
        try (java.io.BufferedWriter w = Files.newBufferedWriter(file)) {
            w.write("name,host,token,certificate-sha256\n");
            for (int i = 0; i < sim.gateways().size(); i++) {
                VirtualGateway g = sim.gateway(i);
                w.write("sim-" + g.serial() + "," + sim.baseUrl(i, https) + "," + (g.legacy() ? "" : token) + ","
                        + (https ? sim.certificateSha256() : "") + "\n");
            }
        }
    }

    /**
     * The simulated cloud's settings as {@code ENPHASE_CLOUD_*} lines (sourceable by a shell, readable as a dotenv
     * file), written owner-only: the client secret and API key are fake but handled like real ones (never printed).
     */
    static void writeCloudFile(EnlightenApiSimulator cloud, Path file) throws java.io.IOException {
        String text = "ENPHASE_CLOUD_API_URL=" + cloud.apiUrl() + "\n"
                + "ENPHASE_CLOUD_AUTHORIZE_URL=" + cloud.authorizeUrl() + "\n"
                + "ENPHASE_CLOUD_OAUTH_TOKEN_URL=" + cloud.tokenUrl() + "\n"
                + "ENPHASE_CLOUD_CLIENT_ID=" + cloud.clientId() + "\n"
                + "ENPHASE_CLOUD_CLIENT_SECRET=" + cloud.clientSecret() + "\n"
                + "ENPHASE_CLOUD_API_KEY=" + cloud.apiKey() + "\n";
        Files.deleteIfExists(file);
        Files.createFile(file, java.nio.file.attribute.PosixFilePermissions
                .asFileAttribute(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, text);
    }

    static void describeCloud(EnlightenApiSimulator cloud, Path file, PrintStream out) {
        out.println("Enlighten API v4 (simulated)  " + cloud.apiUrl() + "   client id " + cloud.clientId());
        out.println("  settings (ENPHASE_CLOUD_*, secrets included): " + file);
        out.println("  one-time authorization code: the code parameter of the redirect of " + cloud.authorizeUrl()
                + "?response_type=code&client_id=" + cloud.clientId() + "&redirect_uri=<any>");
    }

    static void describe(GatewaySimulator sim, SimulatorConfig config, Path pem, PrintStream out) {
        GatewaySimulator.Ports p = sim.ports();
        out.println("Enphase gateway simulator: " + sim.gateways().size() + " gateway(s), seed " + config.seed()
                + (config.clock().equals(Clock.systemUTC()) ? "" : ", simulated clock"));
        boolean https = p.https() >= 0;
        if (https) {
            out.println("HTTPS  " + sim.rootUrl(true) + "   certificate SHA-256 " + sim.certificateSha256()
                    + (pem != null ? " (PEM in " + pem + ")" : ""));
        }
        if (p.http() >= 0) {
            out.println("HTTP   " + sim.rootUrl(false));
        }
        int shown = Math.min(sim.gateways().size(), 5);
        for (int i = 0; i < shown; i++) {
            VirtualGateway g = sim.gateway(i);
            out.println("  gateway " + g.serial() + " (firmware " + g.firmware() + (g.legacy() ? ", legacy" : "")
                    + (g.hostile() != Hostile.NONE ? ", hostile: " + g.hostile() : "") + ")  " + sim.baseUrl(i, https)
                    + (i == 0 ? "  (also at the root)" : ""));
        }
        if (sim.gateways().size() > shown) {
            out.println("  ... " + (sim.gateways().size() - shown) + " more at "
                    + (config.addressPerGateway()
                            ? "addresses up to " + SimulatorConfig.address(sim.gateways().size() - 1)
                            : "/gw/<serial>/"));
        }
        if (config.tokens().contains(SimulatorConfig.DEV_TOKEN)) {
            out.println("Dev token (fake, simulator only): " + SimulatorConfig.DEV_TOKEN);
        }
        out.println("Try: curl -k -H 'Authorization: Bearer <token>' " + sim.baseUrl(0, https)
                + "/production.json?details=1");
    }
}
