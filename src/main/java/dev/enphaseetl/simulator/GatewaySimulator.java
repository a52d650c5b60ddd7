package dev.enphaseetl.simulator;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PfxOptions;

/**
 * Serves virtual Enphase gateways over HTTP and HTTPS with Vert.x: one server per port, any number of gateways.
 * Gateway {@code i} answers at {@code /gw/<serial>/...} on both ports; the first gateway also at the root. See
 * {@code docs/simulator.md}.
 */
public final class GatewaySimulator implements AutoCloseable {

    /** Ports actually bound; -1 for a port that is off. */
    public record Ports(int http, int https) {}

    private final SimulatorConfig config;
    private final List<VirtualGateway> gateways;
    private final Map<String, VirtualGateway> bySerial;
    private final SelfSignedCertificate certificate;
    private Vertx vertx;
    private final List<HttpServer> servers = new ArrayList<>();
    private Ports ports;

    public GatewaySimulator(SimulatorConfig config) {
        this.config = config;
        this.gateways = Collections.unmodifiableList(createGateways(config));
        Map<String, VirtualGateway> map = new LinkedHashMap<>();
        for (VirtualGateway g : gateways) {
            if (map.putIfAbsent(g.serial(), g) != null) {
                throw new IllegalStateException("duplicate gateway serial " + g.serial());
            }
        }
        this.bySerial = Collections.unmodifiableMap(map);
        this.certificate = SelfSignedCertificate.generate("envoy");
    }

    private static List<VirtualGateway> createGateways(SimulatorConfig c) {
        List<VirtualGateway> list = new ArrayList<>();
        if (c.captureDir() != null) {
            list.add(new VirtualGateway(new CaptureReplay(c.captureDir()), c.tokens(), c.legacyDigest(), c.clock(),
                    c.liveStreamLapse()));
            return list;
        }
        if (c.gatewayCount() < 1) {
            throw new IllegalArgumentException("gatewayCount must be >= 1 without a capture folder");
        }
        for (int i = 0; i < c.gatewayCount(); i++) {
            list.add(new VirtualGateway(new ModelBackend(model(c, i)), c.tokens(), c.legacyDigest(), c.clock(),
                    c.liveStreamLapse()));
        }
        return list;
    }

    /** The model of gateway {@code i} under {@code c}: serial, seed, inverter and phase counts derive from the seed. */
    public static SimulatedGateway model(SimulatorConfig c, int i) {
        long seed = SimRandom.hash(c.seed(), 100, i);
        int inverters = c.inverters() > 0 ? c.inverters() : 10 + (int) Math.floorMod(SimRandom.hash(seed, 101), 21);
        int phases = c.phases() > 0 ? c.phases() : 1 + (int) Math.floorMod(SimRandom.hash(seed, 102), 3);
        return new SimulatedGateway(serial(c.seed(), i), seed, inverters, phases, c.firmware(), c.zone());
    }

    /** Serial of gateway {@code i}: {@code 20}, four digits from the seed, six digits {@code i + 1}. */
    public static String serial(long seed, int i) {
        return String.format("20%04d%06d", Math.floorMod(SimRandom.hash(seed, 9), 10000), i + 1);
    }

    public synchronized Ports start() {
        if (ports != null) {
            return ports;
        }
        vertx = Vertx.vertx();
        if (config.addressPerGateway()) {
            return startAddressPerGateway();
        }
        HttpServerOptions tls = new HttpServerOptions().setSsl(true).setKeyCertOptions(new PfxOptions()
                .setValue(Buffer.buffer(certificate.pkcs12())).setPassword(SelfSignedCertificate.storePassword()));
        RequestRouter router = new RequestRouter(vertx, bySerial, gateways.get(0), config.clock(),
                config.latencyMs());
        int http = config.httpPort() < 0
                ? -1
                : listen(new HttpServerOptions(), config.host(), config.httpPort(),
                        router);
        int https = config.httpsPort() < 0 ? -1 : listen(tls, config.host(), config.httpsPort(), router);
        ports = new Ports(http, https);
        return ports;
    }

    /**
     * Gateway i at the root of its own loopback address: the first gateway's listeners pick the ports (0 = any free
     * one), the others take the same ones, all listening at once, with one key manager shared by every TLS listener
     * (no key store decoded per address), so that thousands of addresses are up in seconds.
     */
    private Ports startAddressPerGateway() {
        HttpServerOptions tls;
        try {
            java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
            ks.load(new java.io.ByteArrayInputStream(certificate.pkcs12()), SelfSignedCertificate.storePassword()
                    .toCharArray());
            javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance(
                    javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, SelfSignedCertificate.storePassword().toCharArray());
            tls = new HttpServerOptions().setSsl(true).setKeyCertOptions(io.vertx.core.net.KeyCertOptions.wrap(kmf));
        } catch (Exception e) {
            close();
            throw new IllegalStateException("cannot load the simulator's certificate", e);
        }
        int http = config.httpPort() < 0
                ? -1
                : listen(new HttpServerOptions(), SimulatorConfig.address(0),
                        config.httpPort(), new RequestRouter(vertx, bySerial, gateways.get(0), config.clock(),
                                config.latencyMs()));
        int https = config.httpsPort() < 0
                ? -1
                : listen(new HttpServerOptions(tls), SimulatorConfig.address(0),
                        config.httpsPort(), new RequestRouter(vertx, bySerial, gateways.get(0), config.clock(),
                                config.latencyMs()));
        List<io.vertx.core.Future<HttpServer>> listening = new ArrayList<>();
        for (int i = 1; i < gateways.size(); i++) {
            RequestRouter router = new RequestRouter(vertx, bySerial, gateways.get(i), config.clock(),
                    config.latencyMs());
            String address = SimulatorConfig.address(i);
            if (http >= 0) {
                listening.add(listenLater(new HttpServerOptions(), address, http, router));
            }
            if (https >= 0) {
                listening.add(listenLater(new HttpServerOptions(tls), address, https, router));
            }
        }
        try {
            io.vertx.core.Future.all(listening).toCompletionStage().toCompletableFuture().get(10, TimeUnit.MINUTES);
        } catch (Exception e) {
            close();
            throw new IllegalStateException("cannot listen on the gateways' addresses", e);
        }
        ports = new Ports(http, https);
        return ports;
    }

    private io.vertx.core.Future<HttpServer> listenLater(HttpServerOptions options, String host, int port,
            RequestRouter router) {
        HttpServer server = vertx.createHttpServer(options.setHost(host).setPort(port)).requestHandler(router);
        synchronized (servers) {
            servers.add(server);
        }
        return server.listen();
    }

    private int listen(HttpServerOptions options, String host, int port, RequestRouter router) {
        HttpServer server = vertx.createHttpServer(options.setHost(host).setPort(port)).requestHandler(router);
        try {
            server.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            close();
            throw new IllegalStateException("cannot listen on " + host + ":" + port, e);
        }
        servers.add(server);
        return server.actualPort();
    }

    public SimulatorConfig config() {
        return config;
    }

    public Ports ports() {
        if (ports == null) {
            throw new IllegalStateException("not started");
        }
        return ports;
    }

    public List<VirtualGateway> gateways() {
        return gateways;
    }

    public VirtualGateway gateway(int index) {
        return gateways.get(index);
    }

    public VirtualGateway gateway(String serial) {
        VirtualGateway g = bySerial.get(serial);
        if (g == null) {
            throw new IllegalArgumentException("no gateway " + serial);
        }
        return g;
    }

    /**
     * {@code https://host:port/gw/<serial>} (or http): append an endpoint path such as {@code /ivp/meters}. With an
     * address per gateway, {@code https://127.1.x.y:port}.
     */
    public String baseUrl(int index, boolean https) {
        if (config.addressPerGateway()) {
            return (https ? "https://" : "http://") + SimulatorConfig.address(index) + ":" + port(https);
        }
        return rootUrl(https) + RequestRouter.PREFIX + gateways.get(index).serial();
    }

    /** {@code https://host:port}: the first gateway answers here too. */
    public String rootUrl(boolean https) {
        int port = port(https);
        if (config.addressPerGateway()) {
            return (https ? "https://" : "http://") + SimulatorConfig.address(0) + ":" + port;
        }
        String host = config.host().equals("0.0.0.0") || config.host().equals("::") ? "127.0.0.1" : config.host();
        return (https ? "https://" : "http://") + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    private int port(boolean https) {
        Ports p = ports();
        int port = https ? p.https() : p.http();
        if (port < 0) {
            throw new IllegalStateException((https ? "HTTPS" : "HTTP") + " is off");
        }
        return port;
    }

    /** SHA-256 of the HTTPS certificate (DER), lowercase hex. */
    public String certificateSha256() {
        return certificate.sha256();
    }

    public String certificatePem() {
        return certificate.pem();
    }

    public X509Certificate certificate() {
        return certificate.certificate();
    }

    @Override
    public synchronized void close() {
        if (vertx == null) {
            return;
        }
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // closing anyway
        } finally {
            vertx = null;
            servers.clear();
            ports = null;
        }
    }

    public static void main(String[] args) throws Exception {
        SimulatorMain.run(args);
    }
}
