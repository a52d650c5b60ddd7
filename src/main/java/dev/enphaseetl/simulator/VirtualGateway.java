package dev.enphaseetl.simulator;

import java.security.SecureRandom;
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

    VirtualGateway(GatewayBackend backend, Collection<String> tokens, boolean legacyDigest) {
        this.backend = backend;
        this.tokens.addAll(tokens);
        this.digest = new DigestAuth(DIGEST_USER, digestPassword(backend.serial()));
        this.digestOnInverters = legacyDigest && legacy();
    }

    public String serial() {
        return backend.serial();
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

    public synchronized void clearFaults() {
        faults.clear();
    }

    public synchronized Fault fault(Endpoint endpoint) {
        return faults.getOrDefault(endpoint, Fault.NONE);
    }
}
