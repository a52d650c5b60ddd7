package dev.enphaseetl.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import io.smallrye.config.WithParentName;

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

    /**
     * A gateway list file (CSV with a header row, or YAML) of any size, polled as well as {@link #gateways()}: for
     * fleets too large for the configuration file. See docs/configuration.md#large-fleets.
     */
    @WithName("gateways-file")
    Optional<String> gatewaysFile();

    Http http();

    Simulator simulator();

    Poll poll();

    Ledger ledger();

    Status status();

    Inbox inbox();

    Web web();

    /**
     * What this process does (docs/kafka.md): {@code standalone} polls and delivers to its own sinks; {@code edge}
     * polls, spools and delivers to Kafka (and to whichever local sinks stay enabled); {@code central} polls nothing
     * and delivers what it consumes from Kafka to its sinks.
     */
    @WithDefault("standalone")
    Role role();

    /** The roles of {@link #role()}. */
    enum Role {
        STANDALONE, EDGE, CENTRAL
    }

    /** Kafka, for the edge and central roles and for pollers that share gateways (docs/kafka.md). */
    Kafka kafka();

    interface Kafka {
        /** {@code host:port,host:port} of the Kafka brokers; needed by the edge and central roles. */
        @WithName("bootstrap-servers")
        Optional<String> bootstrapServers();

        /** The topic of readings: edges write it, central instances read it. */
        @WithDefault("enphase.readings")
        String topic();

        /** Where central instances put records a sink refuses for their content, with the reason. */
        @WithName("dead-letter-topic")
        @WithDefault("enphase.readings.dead-letter")
        String deadLetterTopic();

        /** The consumer group of the central instances: they share the topic's partitions. */
        @WithName("group-id")
        @WithDefault("enphase-central")
        String groupId();

        /** Records a central instance delivers to its sinks as one batch, at most. */
        @WithName("max-poll-records")
        @WithDefault("500")
        int maxPollRecords();

        /**
         * How long an edge waits for Kafka to acknowledge a record before the delivery counts as failed (the entry
         * stays in the spool and is tried again).
         */
        @WithName("delivery-timeout")
        @WithDefault("30s")
        Duration deliveryTimeout();

        /**
         * After this silence (milliseconds) a central instance or poller counts as gone and its share moves to the
         * others; 6000 or more (the brokers' {@code group.min.session.timeout.ms}).
         */
        @WithName("session-timeout-ms")
        @WithDefault("10000")
        int sessionTimeoutMs();

        /** Pollers that share one list of gateways through Kafka's group membership. */
        @WithName("share-gateways")
        ShareGateways shareGateways();
    }

    interface ShareGateways {
        /** Off: every poller polls every configured gateway. */
        @WithDefault("false")
        boolean enabled();

        /** The pollers' consumer group. */
        @WithName("group-id")
        @WithDefault("enphase-pollers")
        String groupId();

        /** The assignment topic: one partition per gateway slot, never written to. */
        @WithDefault("enphase.gateway-slots")
        String topic();

        /** Gateway slots (the assignment topic's partitions): more slots than pollers spread gateways evenly. */
        @WithDefault("60")
        int slots();
    }

    /** The page at {@code /}, its JSON API under {@code /api/} and who may see them (docs/page.md). */
    interface Web {
        /**
         * Clients served without a password: IP addresses or CIDR ranges (literals only, no host names). Default:
         * loopback. Everyone else needs {@link #password()}; without one they are refused.
         */
        @WithDefault("127.0.0.0/8,::1")
        List<String> trusted();

        /** Lets other clients in: HTTP basic auth (any user name) or {@code Authorization: Bearer <password>}. */
        Optional<String> password();

        /** {@code /q/metrics} answers every client (a Prometheus on another host), without a password. */
        @WithName("metrics-open")
        @WithDefault("false")
        boolean metricsOpen();

        /** {@code /q/health} answers every client (a container orchestrator's probe), without a password. */
        @WithName("health-open")
        @WithDefault("false")
        boolean healthOpen();
    }

    interface Inbox {
        /** How often the inbox is scanned, in milliseconds. */
        @WithDefault("2000")
        long delay();
    }

    interface Status {
        /** Print the one-line status and refresh the gauges. */
        @WithDefault("true")
        boolean enabled();

        @WithDefault("60s")
        String period();

        /**
         * Readiness is DOWN, and the status line names the problem, when a gateway has given no reading for this
         * long (whatever it answers: HTML, not-data, 401, errors or nothing), or a sink's oldest spooled entry is
         * this old.
         */
        @WithName("stale-after")
        @WithDefault("10m")
        Duration staleAfter();
    }

    interface Ledger {
        /** Recompute today's and yesterday's ledger rows from the SQL archive (needs the jdbc sink). */
        @WithDefault("true")
        boolean enabled();

        /** How often the recent days are recomputed. */
        @WithDefault("15m")
        String period();

        /** Delay after start before the first recomputation. */
        @WithName("first-delay")
        @WithDefault("60s")
        String firstDelay();

        /**
         * How often the route checks whether a recomputation is due: until the first ledger rows are written (the
         * archive needs two readings of a counter), every check recomputes; then once per {@link #period()}.
         */
        @WithName("check-period")
        @WithDefault("15s")
        String checkPeriod();

        /** The time zone whose days the ledger counts, e.g. {@code Europe/Berlin}. */
        @WithDefault("UTC")
        String zone();

        /** An interval between two readings that crosses midnight is split by time if not longer than this. */
        @WithName("max-cross-day-gap")
        @WithDefault("2h")
        Duration maxCrossDayGap();

        /** Where the yearly ledger CSV files go. Default {@code <data-dir>/ledger}. */
        Optional<String> directory();
    }

    /** Enphase accounts by name, for gateways that get their tokens from Enphase's cloud. */
    Map<String, Account> accounts();

    Cloud cloud();

    TokenPolicy token();

    interface Account {
        String email();

        String password();

        @WithName("session-ttl")
        @WithDefault("30m")
        Duration sessionTtl();
    }

    interface Cloud {
        @WithName("login-url")
        @WithDefault("https://enlighten.enphaseenergy.com/login/login.json")
        String loginUrl();

        @WithName("token-url")
        @WithDefault("https://entrez.enphaseenergy.com/tokens")
        String tokenUrl();

        @WithName("connect-timeout")
        @WithDefault("10s")
        Duration connectTimeout();

        @WithName("request-timeout")
        @WithDefault("30s")
        Duration requestTimeout();

        // ----- Enlighten Systems API v4: gap filling and history import (docs/cloud.md)

        /** Base URL of the Enlighten Systems API v4. */
        @WithName("api-url")
        @WithDefault("https://api.enphaseenergy.com/api/v4")
        String apiUrl();

        /** OAuth 2 authorization page the owner opens once (authorization-code grant). */
        @WithName("authorize-url")
        @WithDefault("https://api.enphaseenergy.com/oauth/authorize")
        String authorizeUrl();

        /** OAuth 2 token endpoint: the code and every refresh token are exchanged here. */
        @WithName("oauth-token-url")
        @WithDefault("https://api.enphaseenergy.com/oauth/token")
        String oauthTokenUrl();

        /** The redirect URI registered with the application; Enphase's own page shows the code to copy. */
        @WithName("redirect-uri")
        @WithDefault("https://api.enphaseenergy.com/oauth/redirect_uri")
        String redirectUri();

        /** Client id of the application registered on developer-v4.enphase.com. No id: no cloud calls. */
        @WithName("client-id")
        Optional<String> clientId();

        /** Client secret of that application (a secret: never logged). */
        @WithName("client-secret")
        Optional<String> clientSecret();

        /** API key of that application, sent with every call (a secret: never logged). */
        @WithName("api-key")
        Optional<String> apiKey();

        /** Calls per minute the plan allows (free plan: 10). */
        @WithName("requests-per-minute")
        @WithDefault("10")
        int requestsPerMinute();

        /** Calls per calendar month (UTC) the plan allows (free plan: 1000); counted on disk. */
        @WithName("requests-per-month")
        @WithDefault("1000")
        int requestsPerMonth();

        /** Calls of each month the history import leaves for gap filling. */
        @WithName("fill-reserve")
        @WithDefault("100")
        int fillReserve();

        /**
         * Most Enlighten API calls one cloud round spends on filling gaps; the rest of a backlog waits for the next
         * round (oldest gaps first). Must be 1 or more.
         */
        @WithName("max-calls-per-round")
        @WithDefault("20")
        int maxCallsPerRound();

        /**
         * Ask the cloud for 5-minute per-microinverter production in the daylight part of gaps (one call per 20
         * micros per day of a gap).
         */
        @WithDefault("false")
        boolean micros();

        /** A period longer than this without a local reading of a measurement is a gap. */
        @WithName("gap-threshold")
        @WithDefault("10m")
        Duration gapThreshold();

        /** How far back gaps are looked for (and filled) in the archive. */
        @WithName("gap-window")
        @WithDefault("7d")
        Duration gapWindow();

        /** Look for gaps (and fill them with a cloud account) at all: route cloud-round. */
        @WithDefault("true")
        boolean enabled();

        /** Delay after start before the first look for gaps. */
        @WithName("first-delay")
        @WithDefault("2m")
        String firstDelay();

        /** How often gaps are looked for and, with a cloud account, filled. */
        @WithName("fill-period")
        @WithDefault("1h")
        String fillPeriod();

        /** How far back the history import asks for 15-minute telemetry (the API keeps about two years). */
        @WithName("telemetry-history")
        @WithDefault("730d")
        Duration telemetryHistory();

        /** Longest wait after an HTTP 429 without Retry-After (the backoff doubles from one minute up to this). */
        @WithName("max-backoff")
        @WithDefault("15m")
        Duration maxBackoff();

        /** Enlighten system id per gateway serial; a gateway not listed is looked up (retrieve_system_id). */
        Map<String, String> systems();
    }

    interface TokenPolicy {
        /** Renew an owner token this long before it expires. */
        @WithName("renew-ahead-owner")
        @WithDefault("30d")
        Duration renewAheadOwner();

        /** Renew an installer token this long before it expires. */
        @WithName("renew-ahead-installer")
        @WithDefault("1h")
        Duration renewAheadInstaller();

        /** How often token expiry is checked in the background. */
        @WithName("check-interval")
        @WithDefault("1m")
        Duration checkInterval();

        /** How often a token file is checked for changes. */
        @WithName("file-recheck")
        @WithDefault("30s")
        Duration fileRecheck();

        /** After failed logins: first pause, doubling up to the maximum; and a cap on login attempts per hour. */
        @WithName("login-backoff-initial")
        @WithDefault("1m")
        Duration loginBackoffInitial();

        @WithName("login-backoff-max")
        @WithDefault("1h")
        Duration loginBackoffMax();

        @WithName("login-max-per-hour")
        @WithDefault("6")
        int loginMaxPerHour();

        /** Where tokens made from account credentials are kept (mode 0600). Default {@code <data-dir>/tokens}. */
        @WithName("store-dir")
        Optional<String> storeDir();
    }

    Sink sink();

    /** Poll dead letters (payloads the parser rejected) under {@code <data-dir>/dead-letter/poll/}. */
    @WithName("dead-letter")
    DeadLetter deadLetter();

    Spool spool();

    /** Bounds of the poll dead letters (sink dead letters are data and are never dropped). */
    interface DeadLetter {
        /**
         * Size limit in bytes of {@code dead-letter/poll/}; beyond it a rejected payload is counted, not kept. Per
         * gateway, endpoint and reason only the first and the latest payload are kept in any case.
         */
        @WithName("max-bytes")
        @WithDefault("67108864")
        long maxBytes();
    }

    /** The durable spool between polling and the sinks ({@code <data-dir>/spool/<sink>/}). */
    interface Spool {
        /** Size limit in bytes over all sinks' spool directories; a poll that would pass it is refused. */
        @WithName("max-bytes")
        @WithDefault("1073741824")
        long maxBytes();

        /** A WARN is logged once when the spool fills past this percentage of the limit. */
        @WithName("warn-percent")
        @WithDefault("80")
        int warnPercent();

        /** How often the spool directories are counted again (size, depth, oldest entry). */
        @WithName("recount-interval")
        @WithDefault("10s")
        Duration recountInterval();
    }

    /** The gateways' live stream and the optional high-rate mode (docs/live.md). */
    Live live();

    interface Live {
        /** Enable each gateway's live stream before polling /ivp/livedata/status, and keep it on. */
        @WithDefault("true")
        boolean stream();

        /** Enable the stream again this long after the last time (a gateway switches it off after ~15 minutes). */
        @WithName("stream-renew")
        @WithDefault("12m")
        Duration streamRenew();

        /** High-rate mode: poll the live endpoints at {@code period} into the {@code live} measurement. */
        @WithDefault("false")
        boolean enabled();

        /** Period of the high-rate polls (down to 1s); a poll is skipped while its gateway is busy. */
        @WithDefault("1s")
        String period();

        /** Endpoints polled in high-rate mode: ivp-livedata-status and/or ivp-meters-readings. */
        @WithDefault("ivp-livedata-status")
        List<String> endpoints();

        /** Whether the live measurement also goes to the sinks (else only to outputs on seda:live, such as MQTT). */
        @WithDefault("true")
        boolean spool();

        /** Gateways (ids) in high-rate mode; {@code *} = all. */
        @WithDefault("*")
        List<String> gateways();
    }

    interface Poll {
        /**
         * Step threads of the polls: they read tokens, parse and spool answers. A request in flight holds none of them
         * (the HTTP client is non-blocking), so this does not bound the polls in flight and need not grow with the
         * fleet.
         */
        @WithDefault("8")
        int threads();

        /** Delay before the first poll of data endpoints (info and ivp-meters go first). */
        @WithName("first-delay")
        @WithDefault("2s")
        String firstDelay();

        /** Capacity of the poll queue; the in-flight guard keeps it below gateways x endpoints. */
        @WithName("queue-size")
        @WithDefault("1000000")
        int queueSize();

        /** Retries of a poll that failed transiently (unreachable, timeout, HTTP 5xx), before the next tick. */
        PollRetry retry();

        /**
         * How long a gateway may fail before it is a warning: shorter failures (such as the gateway's nightly
         * restart) are logged at INFO and cleared without alarm.
         */
        @WithName("outage-grace")
        @WithDefault("30m")
        Duration outageGrace();

        /**
         * An endpoint whose device timestamp (or whole payload) stayed the same for this many further polls while the
         * gateway's other data moved is reported stale.
         */
        @WithName("stale-after")
        @WithDefault("2")
        int staleAfter();

        /** Per endpoint id ({@code production-json}, {@code ivp-meters-readings}, ...): period and on/off. */
        @WithParentName
        Map<String, EndpointPoll> endpoints();
    }

    interface PollRetry {
        /** Retries per failed poll before the endpoint's next tick (0 = none). */
        @WithDefault("2")
        int max();

        /** Delay before the first retry; doubled for each further one, each jittered 50 to 150 %. */
        @WithDefault("5s")
        Duration initial();

        @WithName("max-delay")
        @WithDefault("30s")
        Duration maxDelay();

        /** A gateway failing longer than this is in an outage: only the regular ticks ask it until it answers. */
        @WithDefault("2m")
        Duration window();
    }

    interface EndpointPoll {
        /**
         * How often each gateway is asked, e.g. {@code 60s}, {@code 5m};
         * default: the endpoint's period in routes/10.
         */
        Optional<String> period();

        /** Whether the endpoint is polled; default on (routes/10). */
        Optional<Boolean> enabled();
    }

    interface Sink {
        /**
         * How often each sink's spool directory is scanned, in milliseconds: the longest a reading waits in the spool
         * of a sink that is up (while entries wait, batches follow each other without this wait).
         */
        @WithName("poll-delay")
        @WithDefault("1000")
        long pollDelay();

        Batch batch();

        Retry retry();

        FileSink lineprotocol();

        FileSink csv();

        Influx influxdb();

        Jdbc jdbc();
    }

    interface Batch {
        /**
         * The most readings one delivery carries (whole spool entries, at least one); InfluxDB uses its batch-size.
         */
        @WithName("max-points")
        @WithDefault("5000")
        int maxPoints();
    }

    interface Retry {
        @WithName("max-redeliveries")
        @WithDefault("3")
        int maxRedeliveries();

        /** First redelivery delay in milliseconds, doubled each time. */
        @WithDefault("1000")
        long delay();

        @WithName("max-delay")
        @WithDefault("30000")
        long maxDelay();

        /** After a failed scan the spool is scanned this many times less often. */
        @WithName("scan-backoff")
        @WithDefault("10")
        int scanBackoff();
    }

    interface FileSink {
        @WithDefault("true")
        boolean enabled();

        Optional<String> directory();

        Optional<String> pattern();
    }

    interface Influx {
        /** On when the URL is set, unless switched off. */
        Optional<Boolean> enabled();

        Optional<String> url();

        @WithDefault("enphase")
        String database();

        @WithName("retention-policy")
        Optional<String> retentionPolicy();

        Optional<String> username();

        Optional<String> password();

        Optional<String> token();

        @WithName("batch-size")
        @WithDefault("5000")
        int batchSize();

        @WithDefault("false")
        boolean gzip();

        @WithName("create-database")
        @WithDefault("true")
        boolean createDatabase();

        @WithName("connect-timeout")
        @WithDefault("5s")
        Duration connectTimeout();

        @WithName("read-timeout")
        @WithDefault("30s")
        Duration readTimeout();
    }

    interface Jdbc {
        @WithDefault("true")
        boolean enabled();

        /** Default: an SQLite file {@code <data-dir>/enphase.db}. */
        Optional<String> url();

        Optional<String> user();

        Optional<String> password();
    }

    interface Gateway {
        /** Base URL, e.g. {@code https://192.168.1.50}; a bare host means https. */
        String host();

        /**
         * A name for logs, the poll queue, dead-letter paths and the inbox folder. Defaults to the host. Never the
         * {@code gateway} tag: that is always the serial.
         */
        Optional<String> name();

        /** A bearer JWT for firmware 7+. */
        Optional<String> token();

        /** A file holding the bearer JWT, re-read when it changes. */
        @WithName("token-file")
        Optional<String> tokenFile();

        /** Name of an account under {@code enphase.accounts} whose credentials make and renew tokens. */
        Optional<String> account();

        /**
         * The gateway's serial number (needed with {@code account}: tokens are made per serial). With it, readings are
         * written before /info has answered; without it, they are held until /info gives the serial.
         */
        Optional<String> serial();

        /**
         * User for HTTP digest authentication of legacy firmware (below 7). Default: {@code envoy} with the last six
         * digits of the serial (read from /info) as password.
         */
        Optional<String> username();

        /** Password for {@link #username()}. */
        Optional<String> password();

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
         * The longest a request to a gateway may take in total (connect, answer and body); after it the request is
         * cancelled. Unlike the response timeout it also ends answers that trickle in a byte at a time.
         */
        @WithName("request-deadline")
        @WithDefault("60s")
        Duration requestDeadline();

        /**
         * The largest answer taken from a gateway, in bytes, counted after decompression; a larger one is cut off
         * and reported, never read into memory.
         */
        @WithName("max-answer-bytes")
        @WithDefault("4194304")
        long maxAnswerBytes();

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

        /**
         * A folder of real gateway captures (named like {@code production.json_details_1}, statuses from
         * {@code NAME_log.json}) to serve instead of simulated values: the whole pipeline runs on a real device's data.
         */
        Optional<String> captures();

        /**
         * Start the simulator's clock at this instant (ISO-8601, e.g. {@code 2024-06-21T00:00:00Z}) instead of now:
         * together with {@link #speed()} a whole simulated day passes in minutes (demos, the page's browser test).
         */
        @WithName("clock-start")
        Optional<java.time.Instant> clockStart();

        /** How many times faster than real time the simulator's clock runs (1 = real time). */
        @WithDefault("1")
        double speed();
    }
}
