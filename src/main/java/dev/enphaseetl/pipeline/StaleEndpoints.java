package dev.enphaseetl.pipeline;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.jboss.logging.Logger;

import dev.enphaseetl.config.EnphaseConfig;
import dev.enphaseetl.gateway.Fetched;
import dev.enphaseetl.model.Reading;
import dev.enphaseetl.parse.Endpoint;

/**
 * Finds endpoints that keep answering 200 while their data stands still (firmware that stopped refreshing an
 * endpoint, a live stream that is off). An endpoint's data is its device timestamp (the newest time of its readings)
 * or, for endpoints whose payload has none ({@code /api/v1/production}, {@code /ivp/pdm/energy}), its whole payload.
 * It is stale when that stayed the same for {@code enphase.poll.stale-after} further polls while other data of the
 * same gateway moved (another endpoint whose readings show power changed meanwhile), so a whole gateway at rest at
 * night is not stale. One WARN line when it starts, one INFO line when it ends.
 *
 * <p>
 * Not judged: endpoints that stand still by design ({@code /info}, {@code /ivp/meters}, the ensemble endpoints, and
 * the inverter endpoints, whose reports stop every night), and an answer that shows power fields all zero (nothing
 * to move).
 */
@ApplicationScoped
@Named("staleEndpoints")
public class StaleEndpoints {

    private static final Logger LOG = Logger.getLogger("dev.enphaseetl.poll");

    /** Endpoints whose data stands still by design; never reported stale. */
    static final Set<Endpoint> NOT_JUDGED = EnumSet.of(Endpoint.INFO, Endpoint.IVP_METERS,
            Endpoint.IVP_ENSEMBLE_INVENTORY, Endpoint.IVP_ENSEMBLE_SECCTRL, Endpoint.API_V1_PRODUCTION_INVERTERS,
            Endpoint.IVP_PDM_DEVICE_DATA);
    /** Endpoints without a device timestamp of their own (their readings borrow one): compared by payload. */
    static final Set<Endpoint> BY_PAYLOAD = EnumSet.of(Endpoint.API_V1_PRODUCTION, Endpoint.IVP_PDM_ENERGY);

    /** A stale endpoint: data unchanged since {@code since}. */
    public record Stale(String gateway, Endpoint endpoint, Instant since, Duration age) {}

    private static final class Track {
        String fingerprint;
        Instant changedAt;
        int unchanged;
        Instant staleSince;
    }

    private final Map<String, Track> tracks = new ConcurrentHashMap<>();
    private final Map<String, Instant> moved = new ConcurrentHashMap<>();
    /**
     * A standstill shorter than this is never called stale, however short the poll period: device timestamps of
     * some endpoints move in steps of several seconds, and an answer delayed by a gateway restart repeats its last
     * values once.
     */
    static final Duration MIN_STANDSTILL = Duration.ofMinutes(2);
    private final int staleAfter;
    private final Clock clock;

    @Inject
    public StaleEndpoints(EnphaseConfig config) {
        this(config.poll().staleAfter(), Clock.systemUTC());
    }

    public StaleEndpoints(int staleAfter, Clock clock) {
        if (staleAfter < 1) {
            throw new IllegalArgumentException("enphase.poll.stale-after must be at least 1, was " + staleAfter);
        }
        this.staleAfter = staleAfter;
        this.clock = clock;
    }

    /** Notes one usable answer and the readings it gave (route poll-gateway, after parsing). */
    public void observe(Fetched fetched, List<Reading> readings) {
        Endpoint endpoint = fetched.task().endpoint();
        if (NOT_JUDGED.contains(endpoint) || fetched.status() != 200 || readings == null || readings.isEmpty()) {
            return;
        }
        String gateway = fetched.task().gateway().id();
        String fingerprint = BY_PAYLOAD.contains(endpoint)
                ? fetched.body().length() + ":" + fetched.body().hashCode()
                : Long.toString(readings.stream().mapToLong(Reading::time).max().orElse(0));
        Power power = power(readings);
        Instant now = clock.instant();
        Track t = tracks.computeIfAbsent(gateway + " " + endpoint.id(), k -> new Track());
        synchronized (t) {
            if (!fingerprint.equals(t.fingerprint)) {
                if (t.staleSince != null) {
                    LOG.infof("Gateway %s endpoint %s delivers fresh data again (it stood still for %s)", gateway,
                            endpoint.id(), minutes(Duration.between(t.changedAt, now)));
                }
                t.fingerprint = fingerprint;
                t.changedAt = now;
                t.unchanged = 0;
                t.staleSince = null;
                if (power == Power.FLOWS) {
                    moved.put(gateway, now);
                }
                return;
            }
            t.unchanged++;
            Instant othersMoved = moved.get(gateway);
            if (t.staleSince == null && power != Power.NONE && t.unchanged >= staleAfter && othersMoved != null
                    && othersMoved.isAfter(t.changedAt)
                    && !Duration.between(t.changedAt, now).minus(MIN_STANDSTILL).isNegative()) {
                t.staleSince = now;
                LOG.warnf("Gateway %s endpoint %s is stale: it answers, but its %s has not changed for %s (%d polls)"
                        + " while the gateway's other data moved; its readings repeat old values. A firmware that"
                        + " stopped refreshing it, or a live stream that is off (docs/live.md); logged once until it"
                        + " moves again",
                        gateway, endpoint.id(), BY_PAYLOAD.contains(endpoint) ? "payload" : "device timestamp",
                        minutes(Duration.between(t.changedAt, now)), t.unchanged);
            }
        }
    }

    private enum Power {
        /** Some power field is not zero. */
        FLOWS,
        /** The readings have power fields, all zero: nothing to move (night). */
        NONE,
        /** The readings have no power fields (energy counters only). */
        NO_FIELDS
    }

    private static Power power(List<Reading> readings) {
        boolean any = false;
        for (Reading r : readings) {
            for (Map.Entry<String, Double> f : r.fields().entrySet()) {
                if (f.getKey().endsWith("_w")) {
                    any = true;
                    if (f.getValue() != null && f.getValue() != 0) {
                        return Power.FLOWS;
                    }
                }
            }
        }
        return any ? Power.NONE : Power.NO_FIELDS;
    }

    /** The endpoints stale now, oldest first. */
    public List<Stale> stale() {
        Instant now = clock.instant();
        List<Stale> out = new ArrayList<>();
        tracks.forEach((key, t) -> {
            synchronized (t) {
                if (t.staleSince != null) {
                    int space = key.lastIndexOf(' ');
                    out.add(new Stale(key.substring(0, space), Endpoint.requireById(key.substring(space + 1)),
                            t.changedAt, Duration.between(t.changedAt, now)));
                }
            }
        });
        out.sort(Comparator.comparing(Stale::since));
        return out;
    }

    static String minutes(Duration d) {
        long s = Math.max(0, d.toSeconds());
        return s < 120 ? s + " s" : (s / 60) + " min";
    }
}
