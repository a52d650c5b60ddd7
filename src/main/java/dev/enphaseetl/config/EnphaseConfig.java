package dev.enphaseetl.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/**
 * Typed view of the {@code enphase.*} configuration. The same keys reach the route files as {@code {{placeholders}}};
 * the README's configuration reference lists each with its default and environment variable.
 */
@ConfigMapping(prefix = "enphase")
public interface EnphaseConfig {

    /** Directory for output files, spools, dead letters and remembered certificates. */
    @WithName("data-dir")
    @WithDefault("./data")
    String dataDir();

    /** The gateways to poll. None configured: the built-in simulator is started and polled. */
    Optional<List<Gateway>> gateways();

    Http http();

    Simulator simulator();

    interface Gateway {
        /** Base URL, e.g. {@code https://192.168.1.50}; a bare host means https. */
        String host();

        /** A name for logs and the tag {@code gateway} until /info tells the serial. Defaults to the host. */
        Optional<String> name();

        /** A bearer JWT for firmware 7+. */
        Optional<String> token();

        /** SHA-256 fingerprint of the gateway's certificate to require; without it the first one seen is pinned. */
        @WithName("certificate-sha256")
        Optional<String> certificateSha256();

        /** Extra tags (site, array) added to every reading of this gateway. */
        Map<String, String> tags();
    }

    interface Http {
        /** Time to establish a TCP/TLS connection to a gateway. */
        @WithName("connect-timeout")
        @WithDefault("5s")
        Duration connectTimeout();

        /** Time to wait for a gateway's response. */
        @WithName("response-timeout")
        @WithDefault("20s")
        Duration responseTimeout();

        /**
         * Accept any gateway certificate without checking it. Off by default: certificates are trusted on first use
         * and pinned.
         */
        @WithDefault("false")
        boolean insecure();
    }

    interface Simulator {
        /** {@code auto}: run the simulator when no gateway is configured; {@code true}/{@code false} force it. */
        @WithDefault("auto")
        String enabled();

        /** How many virtual gateways the simulator serves. */
        @WithDefault("1")
        int gateways();

        /** Seed of the simulated values; the same seed and clock give the same payloads. */
        @WithDefault("42")
        long seed();

        /** HTTPS port of the simulator; 0 picks a free port. */
        @WithName("https-port")
        @WithDefault("0")
        int httpsPort();
    }
}
