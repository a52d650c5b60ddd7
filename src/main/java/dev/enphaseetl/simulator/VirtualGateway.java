package dev.enphaseetl.simulator;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.enphaseetl.parse.Endpoint;

/**
 * One gateway the simulator serves: its answers (model or capture replay), its credentials and its fault knobs.
 * Tokens, sessions and faults can be changed at any time, from any thread.
 */
public final class VirtualGateway {

    public static final String DIGEST_USER = "envoy";
    private static final int MAX_SESSIONS = 10_000;

    private final GatewayBackend backend;
    private final Set<String> tokens = ConcurrentHashMap.newKeySet();
    private final Set<String> sessions = ConcurrentHashMap.newKeySet();
    private final Map<Endpoint, Fault> faults = new EnumMap<>(Endpoint.class);
    private final DigestAuth digest;
    private final boolean digestOnInverters;
    private volatile Hostile hostile = Hostile.NONE;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Clock clock;
    private final Map<Endpoint, Instant> frozen = new EnumMap<>(Endpoint.class);
    /** Live stream: off until a client enables it; while off, /ivp/livedata/status shows {@link #liveFrozenAt}. */
    private Duration liveStreamLapse;
    private int liveStreamRefusal;
    private Instant liveFrozenAt;
    private Instant liveUntil;
    private boolean lapseCounted = true;
    private int liveStreamRequests;
    private int liveStreamLapses;

    VirtualGateway(GatewayBackend backend, Collection<String> tokens, boolean legacyDigest, Clock clock,
            Duration liveStreamLapse) {
        this.backend = backend;
        this.clock = clock;
        this.liveStreamLapse = liveStreamLapse;
        this.liveFrozenAt = clock.instant();
        this.tokens.addAll(tokens);
        this.digest = new DigestAuth(DIGEST_USER, digestPassword(backend.serial()));
        this.digestOnInverters = legacyDigest && legacy();
    }

    public String serial() {
        return backend.serial();
    }

    /** Requests being answered now, and the most ever at once (a client's one-in-flight rule, seen from here). */
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger maxInFlight = new java.util.concurrent.atomic.AtomicInteger();

    void requestStarted() {
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    }

    void requestEnded() {
        inFlight.decrementAndGet();
    }

    /** The most requests this gateway was answering at once since it started. */
    public int maxRequestsAtOnce() {
        return maxInFlight.get();
    }

    public String firmware() {
        return backend.firmware();
    }

    /** Firmware below 7: data endpoints need no token (digest on the inverter list when enabled). */
    public boolean legacy() {
        return SimulatedGateway.isLegacyFirmware(firmware());
    }

    /** The model behind this gateway; empty when it replays captures. */
    public Optional<SimulatedGateway> model() {
        return backend instanceof ModelBackend m ? Optional.of(m.model()) : Optional.empty();
    }

    GatewayBackend backend() {
        return backend;
    }

    // ----- credentials

    public Set<String> tokens() {
        return Set.copyOf(tokens);
    }

    /** Replaces the accepted bearer tokens; existing sessions stay valid. */
    public void setTokens(Collection<String> newTokens) {
        tokens.clear();
        tokens.addAll(newTokens);
    }

    public void invalidateSessions() {
        sessions.clear();
    }

    boolean tokenValid(String token) {
        return token != null && tokens.contains(token);
    }

    String newSession() {
        if (sessions.size() >= MAX_SESSIONS) {
            sessions.clear();
        }
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        String id = HexFormat.of().formatHex(b);
        sessions.add(id);
        return id;
    }

    boolean sessionValid(String id) {
        return id != null && sessions.contains(id);
    }

    /** Digest password of legacy gateways: the last 6 digits of the serial. */
    public static String digestPassword(String serial) {
        return serial.length() <= 6 ? serial : serial.substring(serial.length() - 6);
    }

    boolean digestRequired(Endpoint endpoint) {
        return digestOnInverters && endpoint == Endpoint.API_V1_PRODUCTION_INVERTERS;
    }

    DigestAuth digest() {
        return digest;
    }

    // ----- faults

    /** Makes the whole gateway hostile on every path ({@link Hostile#NONE} makes it normal again). */
    public void setHostile(Hostile mode) {
        hostile = mode == null ? Hostile.NONE : mode;
    }

    public Hostile hostile() {
        return hostile;
    }

    public synchronized void setFault(Endpoint endpoint, Fault fault) {
        if (fault == null || fault.isNone()) {
            faults.remove(endpoint);
        } else {
            faults.put(endpoint, fault);
        }
    }

    /** The same fault on every endpoint. */
    public synchronized void setFaultEverywhere(Fault fault) {
        for (Endpoint e : Endpoint.values()) {
            setFault(e, fault);
        }
    }

    /** Clears the fault knobs and frozen endpoints (not the live stream's state). */
    public synchronized void clearFaults() {
        faults.clear();
        frozen.clear();
    }

    /**
     * Freezes {@code endpoint}: from now on it answers 200 with the payload of this instant (device timestamps
     * included), as gateways do whose firmware stopped refreshing an endpoint, until {@link #unfreeze}.
     */
    public synchronized void freeze(Endpoint endpoint) {
        frozen.putIfAbsent(endpoint, clock.instant());
    }

    public synchronized void unfreeze(Endpoint endpoint) {
        frozen.remove(endpoint);
    }

    /** The instant whose data a request for {@code endpoint} at {@code now} sees (earlier when it is frozen). */
    synchronized Instant dataInstant(Endpoint endpoint, Instant now) {
        Instant at = frozen.get(endpoint);
        if (endpoint == Endpoint.IVP_LIVEDATA_STATUS && !liveStreamOn(now)) {
            at = at == null || liveFrozenAt.isBefore(at) ? liveFrozenAt : at;
        }
        return at == null ? now : at;
    }

    // ----- live stream (/ivp/livedata/stream)

    /** How long the live stream stays on after a client enabled it. */
    public synchronized void setLiveStreamLapse(Duration lapse) {
        liveStreamLapse = lapse;
    }

    /**
     * Refuses {@code POST /ivp/livedata/stream} with {@code status} (401: an owner token the endpoint rejects; 404:
     * firmware without the live stream); 0 accepts again.
     */
    public synchronized void setLiveStreamRefusal(int status) { liveStreamRefusal = status; }

    synchronized int liveStreamRefusal() {
        return liveStreamRefusal;
    }

    /** Whether the live stream is on at {@code now}; notes when it lapsed. */
    synchronized boolean liveStreamOn(Instant now) {
        if (liveUntil != null && !now.isBefore(liveUntil)) {
            if (!lapseCounted) {
                lapseCounted = true;
                liveStreamLapses++;
                liveFrozenAt = liveUntil;
            }
            return false;
        }
        return liveUntil != null;
    }

    /** A client asked to switch the live stream on ({@code enable} 1) or off (0) at {@code now}. */
    synchronized void liveStreamRequest(boolean enable, Instant now) {
        liveStreamRequests++;
        boolean on = liveStreamOn(now);
        if (enable) {
            liveUntil = now.plus(liveStreamLapse);
            lapseCounted = false;
        } else if (on) {
            liveUntil = now;
            liveStreamOn(now);
            liveStreamLapses--; // switched off, not lapsed
        }
    }

    /** Requests to {@code /ivp/livedata/stream} this gateway received (accepted or refused). */
    public synchronized int liveStreamRequests() {
        return liveStreamRequests;
    }

    /** How often the live stream lapsed (its time ran out before a client enabled it again). */
    public synchronized int liveStreamLapses() {
        liveStreamOn(clock.instant());
        return liveStreamLapses;
    }

    public synchronized Fault fault(Endpoint endpoint) {
        return faults.getOrDefault(endpoint, Fault.NONE);
    }
}
