package dev.enphaseetl.simulator;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * Settings of a {@link GatewaySimulator}. Ports: 0 = a random free port, -1 = off.
 *
 * @param host          address to bind, default 127.0.0.1
 * @param httpPort      plain HTTP port (legacy gateways; modern ones still want a token here)
 * @param httpsPort     HTTPS port with the generated self-signed certificate
 * @param gatewayCount  number of simulated gateways (ignored with a capture folder)
 * @param seed          everything random (serials, weather, load, inverter spread) derives from it
 * @param inverters     inverters per gateway; 0 = 10..30 chosen per gateway from the seed
 * @param phases        phases per gateway (1..3); 0 = chosen per gateway from the seed
 * @param firmware      firmware of the simulated gateways, e.g. {@code 8.2.4345}; below 7 = legacy (no tokens)
 * @param zone          the gateways' time zone (day boundaries, sun curve)
 * @param tokens        bearer tokens every gateway accepts at start
 * @param clock         the simulated clock (fixed or accelerated clocks for tests)
 * @param captureDir    if set, serve this folder of captures as the only gateway instead of simulating
 * @param legacyDigest  legacy gateways ask for digest auth on /api/v1/production/inverters
 * @param liveStreamLapse how long the live stream of {@code /ivp/livedata/status} stays on after a client enabled it
 *                        ({@code POST /ivp/livedata/stream}); a real gateway switches it off after about 15 minutes
 * @param addressPerGateway each gateway listens at the root of a loopback address of its own ({@link #address}),
 *                          on the same ports, instead of at {@code /gw/<serial>/} on {@code host}
 * @param latencyMs     every gateway answers every data endpoint after this delay (0 = at once)
 */
public record SimulatorConfig(String host, int httpPort, int httpsPort, int gatewayCount, long seed, int inverters,
        int phases, String firmware, ZoneId zone, List<String> tokens, Clock clock, Path captureDir,
        boolean legacyDigest, Duration liveStreamLapse, boolean addressPerGateway, long latencyMs) {

    /**
     * A fake, unsigned JWT-shaped token every simulated gateway accepts by default. Not a secret: it only opens the
     * simulator. Its payload has an {@code exp} in 2100 for clients that read it.
     */
    public static final String DEV_TOKEN = devToken();

    /** How long a real gateway keeps the live stream on after it was enabled. */
    public static final Duration DEFAULT_LIVE_STREAM_LAPSE = Duration.ofMinutes(15);

    public SimulatorConfig {
        Objects.requireNonNull(host);
        Objects.requireNonNull(firmware);
        Objects.requireNonNull(zone);
        Objects.requireNonNull(clock);
        if (liveStreamLapse == null || liveStreamLapse.isNegative() || liveStreamLapse.isZero()) {
            throw new IllegalArgumentException("liveStreamLapse must be positive");
        }
        tokens = List.copyOf(tokens);
        if (latencyMs < 0) {
            throw new IllegalArgumentException("latency must be >= 0");
        }
        if (addressPerGateway && gatewayCount > MAX_ADDRESSES) {
            throw new IllegalArgumentException("at most " + MAX_ADDRESSES + " gateways with an address each");
        }
        if (gatewayCount < 0 || inverters < 0 || phases < 0 || phases > 3) {
            throw new IllegalArgumentException("gatewayCount and inverters >= 0, phases 0..3");
        }
        if (httpPort < -1 || httpsPort < -1 || (httpPort == -1 && httpsPort == -1)) {
            throw new IllegalArgumentException("ports: 0 = random, -1 = off, at least one on");
        }
    }

    /** Gateways that can have a loopback address of their own (127.1.0.1 to 127.254.255.254). */
    public static final int MAX_ADDRESSES = 254 * 256 * 254;

    /**
     * The loopback address of gateway {@code i} with {@code addressPerGateway}: 127.1.0.1, 127.1.0.2, ...,
     * 127.1.0.254, 127.1.1.1, ... (no .0 or .255 in the last place). Linux routes all of 127.0.0.0/8 to the loopback
     * interface; other systems may need the addresses added first.
     */
    public static String address(int i) {
        int last = 1 + i % 254;
        int rest = i / 254;
        return "127." + (1 + rest / 256) + "." + rest % 256 + "." + last;
    }

    public static Builder builder() {
        return new Builder();
    }

    private static String devToken() {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = "{\"kid\":\"simulator\",\"typ\":\"JWT\",\"alg\":\"ES256\"}";
        String payload = "{\"aud\":\"simulator\",\"iss\":\"enphase-etl-simulator\",\"enphaseUser\":\"owner\","
                + "\"exp\":4102444800,\"iat\":1700000000,\"jti\":\"simulator-dev-token\","
                + "\"username\":\"simulator@example.invalid\"}";
        return b64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString("not-signed-simulator".getBytes(StandardCharsets.UTF_8));
    }

    public static final class Builder {
        private String host = "127.0.0.1";
        private int httpPort = 0;
        private int httpsPort = 0;
        private int gatewayCount = 1;
        private long seed = 1;
        private int inverters = 0;
        private int phases = 0;
        private String firmware = SimulatedGateway.DEFAULT_FIRMWARE;
        private ZoneId zone = ZoneOffset.UTC;
        private List<String> tokens = List.of(DEV_TOKEN);
        private Clock clock = Clock.systemUTC();
        private Path captureDir;
        private boolean legacyDigest = true;
        private Duration liveStreamLapse = DEFAULT_LIVE_STREAM_LAPSE;
        private boolean addressPerGateway;
        private long latencyMs;

        public Builder addressPerGateway(boolean v) {
            addressPerGateway = v;
            return this;
        }

        public Builder latencyMs(long v) {
            latencyMs = v;
            return this;
        }

        public Builder host(String v) {
            host = v;
            return this;
        }

        public Builder httpPort(int v) {
            httpPort = v;
            return this;
        }

        public Builder httpsPort(int v) {
            httpsPort = v;
            return this;
        }

        public Builder gatewayCount(int v) {
            gatewayCount = v;
            return this;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        public Builder inverters(int v) {
            inverters = v;
            return this;
        }

        public Builder phases(int v) {
            phases = v;
            return this;
        }

        public Builder firmware(String v) {
            firmware = v;
            return this;
        }

        public Builder zone(ZoneId v) {
            zone = v;
            return this;
        }

        public Builder tokens(List<String> v) {
            tokens = v;
            return this;
        }

        public Builder clock(Clock v) {
            clock = v;
            return this;
        }

        public Builder captureDir(Path v) {
            captureDir = v;
            return this;
        }

        public Builder legacyDigest(boolean v) {
            legacyDigest = v;
            return this;
        }

        public Builder liveStreamLapse(Duration v) {
            liveStreamLapse = v;
            return this;
        }

        public SimulatorConfig build() {
            return new SimulatorConfig(host, httpPort, httpsPort, gatewayCount, seed, inverters, phases, firmware,
                    zone, tokens, clock, captureDir, legacyDigest, liveStreamLapse, addressPerGateway, latencyMs);
        }
    }
}
