package dev.enphaseetl.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import dev.enphaseetl.config.EnphaseConfig;
import dev.enphaseetl.gateway.GatewayRegistry;
import dev.enphaseetl.gateway.GatewayTarget;
import dev.enphaseetl.gateway.PollTask;
import dev.enphaseetl.model.Reading;
import dev.enphaseetl.parse.Endpoint;

/**
 * The high-rate mode (docs/live.md): on each tick of route {@code poll-live} ({@code enphase.live.period}, down to
 * 1 s) every gateway in {@code enphase.live.gateways} gets one poll of its next live endpoint
 * ({@code enphase.live.endpoints}, taken in turn), but only when no other request of it is in flight: a busy gateway
 * skips the tick, so there is never more than one request per gateway and the regular polls keep their periods. The
 * answers become the {@code live} measurement ({@link #toLive}).
 */
@ApplicationScoped
@Named("livePolls")
public class LivePolls {

    /** Endpoints the high-rate mode can poll. */
    public static final Set<Endpoint> LIVE_ENDPOINTS = Set.of(Endpoint.IVP_LIVEDATA_STATUS,
            Endpoint.IVP_METERS_READINGS);

    private final Supplier<List<GatewayTarget>> gateways;
    private final PollScheduler scheduler;
    private final List<Endpoint> endpoints;
    private final Set<String> only;
    private final Map<String, Integer> turn = new ConcurrentHashMap<>();
    private final AtomicLong due = new AtomicLong();
    private final AtomicLong started = new AtomicLong();

    @Inject
    public LivePolls(EnphaseConfig config, GatewayRegistry registry, PollScheduler scheduler) {
        this(registry::gateways, scheduler, config.live().endpoints(), config.live().gateways());
    }

    /**
     * @param endpointIds ids of live endpoints (ivp-livedata-status, ivp-meters-readings)
     * @param gatewayIds  ids of the gateways in high-rate mode; {@code *} for all
     */
    public LivePolls(Supplier<List<GatewayTarget>> gateways, PollScheduler scheduler, List<String> endpointIds,
            List<String> gatewayIds) {
        this.gateways = gateways;
        this.scheduler = scheduler;
        this.endpoints = endpointIds.stream().map(String::trim).map(Endpoint::requireById).distinct().toList();
        for (Endpoint e : endpoints) {
            if (!LIVE_ENDPOINTS.contains(e)) {
                throw new IllegalArgumentException("enphase.live.endpoints: " + e.id() + " cannot be polled in"
                        + " high-rate mode; use ivp-livedata-status and/or ivp-meters-readings");
            }
        }
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("enphase.live.endpoints is empty; use ivp-livedata-status and/or"
                    + " ivp-meters-readings");
        }
        this.only = gatewayIds.stream().map(String::trim).anyMatch("*"::equals)
                ? null
                : Set.copyOf(gatewayIds.stream().map(String::trim).toList());
    }

    /** The live polls to start on this tick; each must later be released like any poll. */
    public List<PollTask> due() {
        List<PollTask> tasks = new ArrayList<>();
        for (GatewayTarget g : gateways.get()) {
            if (only != null && !only.contains(g.id())) {
                continue;
            }
            due.incrementAndGet();
            int i = turn.getOrDefault(g.id(), 0);
            PollTask task = new PollTask(g, endpoints.get(i % endpoints.size()), true);
            if (scheduler.startIfIdle(task)) {
                turn.put(g.id(), i + 1);
                started.incrementAndGet();
                tasks.add(task);
            }
        }
        return tasks;
    }

    /** Live polls that were due (gateway and tick). */
    public long dueCount() {
        return due.get();
    }

    /** Live polls started; the rest were skipped because their gateway was busy. */
    public long startedCount() {
        return started.get();
    }

    /**
     * The {@code live} readings of a live poll's readings: power per source and phase from {@code livedata}, and
     * from {@code meter} with the meter type as source; everything else (battery, energy counters) is left out.
     */
    public static List<Reading> toLive(List<Reading> readings) {
        List<Reading> out = new ArrayList<>(readings.size());
        for (Reading r : readings) {
            String source = switch (r.measurement()) {
                case "livedata" -> r.tags().get("source");
                case "meter" -> r.tags().get("type");
                default -> null;
            };
            if (source == null) {
                continue;
            }
            Map<String, String> tags = new TreeMap<>(r.tags());
            tags.keySet().retainAll(Set.of("gateway", "phase"));
            tags.put("source", source);
            Map<String, Double> fields = new TreeMap<>();
            Double p = r.fields().get("active_power_w");
            Double s = r.fields().get("apparent_power_va");
            if (p != null) {
                fields.put("active_power_w", p);
            }
            if (s != null) {
                fields.put("apparent_power_va", s);
            }
            if (!fields.isEmpty()) {
                out.add(new Reading("live", new TreeMap<>(tags), new TreeMap<>(fields), r.time()));
            }
        }
        return out;
    }

    /** {@link #toLive} as a route step. */
    public List<Reading> live(List<Reading> readings) {
        return toLive(readings);
    }
}
