package dev.enphaseetl.pipeline;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.apache.camel.util.TimeUtils;
import org.jboss.logging.Logger;

import dev.enphaseetl.gateway.GatewayRegistry;
import dev.enphaseetl.gateway.GatewayTarget;
import dev.enphaseetl.gateway.PollTask;
import dev.enphaseetl.health.GatewayActivity;
import dev.enphaseetl.health.PipelineMetrics;
import dev.enphaseetl.parse.Endpoint;

/**
 * Decides which polls start when an endpoint's timer fires. At most one request is in flight per gateway: while a
 * gateway is busy, further due endpoints wait in its queue (an endpoint waits at most once: a second tick of the same
 * endpoint while it waits adds nothing) and start, in order, as the running poll is released. A slow or dead gateway
 * so holds back only its own polls, and the poll queue never holds more than one task per gateway.
 */
@ApplicationScoped
@Named("pollScheduler")
public class PollScheduler {

    private static final Logger LOG = Logger.getLogger(PollScheduler.class);

    /** The gateway's state: whether a poll runs, and which endpoints wait. Guarded by itself. */
    private static final class GatewayQueue {
        private final GatewayTarget gateway;
        /** Waiting endpoints, in order, with when each fell due ({@link System#nanoTime()}). */
        private final LinkedHashMap<Endpoint, Long> waiting = new LinkedHashMap<>();
        /** Endpoints of the first round not asked yet: they go first, before any other endpoint of the gateway. */
        private final EnumSet<Endpoint> firstRound = EnumSet.copyOf(FIRST_ROUND);
        private boolean busy;

        GatewayQueue(GatewayTarget gateway) {
            this.gateway = gateway;
        }
    }

    /**
     * What the parser needs before the other endpoints make sense: /info (firmware), /production.json (device time,
     * production CT) and /ivp/meters (the meter configuration /ivp/meters/readings is matched against). Their timers
     * start at once (routes/10), but a tick can find the gateway not registered yet, or come late under load: so any
     * other endpoint of a gateway queues these first, once, if they have not been asked yet.
     */
    static final Set<Endpoint> FIRST_ROUND = EnumSet.of(Endpoint.INFO, Endpoint.PRODUCTION_JSON, Endpoint.IVP_METERS);

    private final Map<String, GatewayQueue> queues = new ConcurrentHashMap<>();
    private final GatewayRegistry registry;
    private final RetryPlan retries;
    private final GatewayActivity activity;
    private final PipelineMetrics metrics;
    private final GatewayShares shares;

    public PollScheduler(GatewayRegistry registry, RetryPlan retries) {
        this(registry, retries, new GatewayActivity());
    }

    public PollScheduler(GatewayRegistry registry, RetryPlan retries, GatewayActivity activity) {
        this(registry, retries, activity, null, GatewayShares.all());
    }

    @Inject
    public PollScheduler(GatewayRegistry registry, RetryPlan retries, GatewayActivity activity,
            PipelineMetrics metrics, GatewayShares shares) {
        this.registry = registry;
        this.retries = retries;
        this.activity = activity;
        this.metrics = metrics;
        this.shares = shares;
    }

    /**
     * Fleets of more than this many gateways spread each endpoint's polls over its period: each gateway at a phase of
     * its own (from its id), as Prometheus spreads its scrape targets, instead of all on the tick. At 5,000 gateways
     * the ticks of the one-minute endpoints otherwise made 35,000 polls due in the same second, which queued for tens
     * of seconds. A home or a small fleet is polled on the tick, as the timers say.
     */
    static final int SPREAD_ABOVE = 50;
    /**
     * The phases span at most this: a gateway keeps one phase for all its endpoints whatever their periods, so that
     * its polls stay one burst over one connection (routes/10: the endpoints of a period fall due together).
     */
    static final long SPREAD_MILLIS = 60_000;

    /** A poll started later than its tick, at its gateway's phase. */
    private record Deferred(long atNanos, PollTask task) {}

    /** Deferred polls, the earliest first. Guarded by itself. */
    private final PriorityQueue<Deferred> deferred = new PriorityQueue<>(Comparator.comparingLong(Deferred::atNanos));

    /** The polls to start now for an endpoint, all on the tick; each must later be {@link #release released}. */
    public List<PollTask> due(String endpointId) {
        return due(endpointId, null);
    }

    /**
     * The polls to start now for an endpoint polled every {@code period} (as the timer's period: 60s, 5m, 1h); in a
     * fleet of more than {@link #SPREAD_ABOVE} gateways a gateway whose phase is not now waits for it, and
     * {@link #dueRetries} starts it then. Each must later be {@link #release released}.
     */
    public List<PollTask> due(String endpointId, String period) {
        Endpoint endpoint = Endpoint.requireById(endpointId);
        List<GatewayTarget> gateways = registry.gateways();
        long spread = period == null || gateways.size() <= SPREAD_ABOVE
                ? 0
                : Math.min(SPREAD_MILLIS, TimeUtils.toMilliSeconds(period));
        long now = System.nanoTime();
        List<PollTask> tasks = new ArrayList<>(spread == 0 ? gateways.size() : gateways.size() / 8);
        long lost = 0;
        int owned = 0;
        for (GatewayTarget g : gateways) {
            if (!shares.owns(g.id())) {
                continue; // another poller's (enphase.kafka.share-gateways)
            }
            owned++;
            PollTask task = new PollTask(g, endpoint);
            retries.ticked(task);
            long phase = spread == 0 ? 0 : phaseMillis(g.id(), spread);
            if (phase >= DISPATCH_MILLIS) {
                long at = now + TimeUnit.MILLISECONDS.toNanos(phase);
                synchronized (deferred) {
                    deferred.add(new Deferred(at, task.dueAt(at)));
                }
                continue; // counted as due now, as lost (or not) when it starts
            }
            boolean kept = start(task, tasks);
            activity.due(g.id(), !kept);
            if (!kept) {
                lost++;
            }
        }
        if (metrics != null) {
            metrics.pollsDue(endpointId, owned, lost);
        }
        return tasks;
    }

    /** How often {@link #dueRetries} runs (routes/20, retry-polls): phases shorter than this start on the tick. */
    static final long DISPATCH_MILLIS = 1000;

    /** The gateway's phase within {@code spread} milliseconds: its id, hashed and mixed (MurmurHash3's finalizer). */
    static long phaseMillis(String gatewayId, long spread) {
        long h = gatewayId.hashCode();
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return Math.floorMod(h, spread);
    }

    /**
     * The retries of failed polls whose time has come ({@link RetryPlan}) and the polls deferred to their gateway's
     * phase that are due now, under the same rule: at most one request in flight per gateway. Each must later be
     * {@link #release released}.
     */
    public List<PollTask> dueRetries() {
        List<PollTask> tasks = new ArrayList<>();
        long now = System.nanoTime();
        for (PollTask task : retries.due()) {
            // a retry is due now (its lateness counts from here, not from the failed poll's tick)
            start(task.dueAt(now), tasks);
        }
        List<PollTask> phased = new ArrayList<>();
        synchronized (deferred) {
            while (!deferred.isEmpty() && deferred.peek().atNanos() <= now) {
                phased.add(deferred.poll().task());
            }
        }
        for (PollTask task : phased) {
            boolean kept = start(task, tasks);
            activity.due(task.gateway().id(), !kept);
            if (!kept && metrics != null) {
                metrics.pollsDue(task.endpoint().id(), 0, 1);
            }
        }
        return tasks;
    }

    /** Polls waiting for their gateway's phase. */
    public int deferredPolls() {
        synchronized (deferred) {
            return deferred.size();
        }
    }

    /**
     * Starts {@code task} when its gateway is free and returns true; else returns false and the task is dropped, not
     * queued (a high-rate poll: the next tick asks again, and regular polls keep their place).
     */
    public boolean startIfIdle(PollTask task) {
        GatewayTarget g = task.gateway();
        GatewayQueue q = queues.computeIfAbsent(g.id(), id -> new GatewayQueue(g));
        synchronized (q) {
            if (q.busy) {
                return false;
            }
            q.busy = true;
            activity.started(g.id(), task.endpoint().id());
            return true;
        }
    }

    /**
     * Starts the task (adds it to {@code started}) when its gateway is free; else it waits for the gateway. Returns
     * false when the endpoint already waited (this tick's poll is lost).
     */
    private boolean start(PollTask task, List<PollTask> started) {
        GatewayTarget g = task.gateway();
        GatewayQueue q = queues.computeIfAbsent(g.id(), id -> new GatewayQueue(g));
        synchronized (q) {
            if (!q.firstRound.isEmpty() && !FIRST_ROUND.contains(task.endpoint())) {
                List<Endpoint> first = List.copyOf(q.firstRound);
                q.firstRound.clear();
                LOG.debugf("gateway %s: %s is due before %s was asked; asking those first", g.id(),
                        task.endpoint().id(), first);
                for (Endpoint e : first) {
                    enqueue(q, new PollTask(g, e), started);
                }
            }
            q.firstRound.remove(task.endpoint());
            return enqueue(q, task, started);
        }
    }

    /** Starts the task, or lets it wait for its gateway; false when the endpoint already waited. */
    private boolean enqueue(GatewayQueue q, PollTask task, List<PollTask> started) {
        if (q.busy) {
            if (q.waiting.putIfAbsent(task.endpoint(), task.dueNanos()) != null) {
                LOG.debugf("gateway %s: %s is still waiting from its previous tick", task.gateway().id(),
                        task.endpoint().id());
                return false;
            }
        } else {
            q.busy = true;
            started.add(task);
            activity.started(task.gateway().id(), task.endpoint().id());
        }
        return true;
    }

    /**
     * Ends a poll; returns the gateway's next waiting poll, which the caller must start (and release in turn), or
     * {@code null} when none waits.
     */
    public PollTask release(PollTask task) {
        if (task == null) {
            return null;
        }
        GatewayQueue q = queues.get(task.gateway().id());
        if (q == null) {
            return null;
        }
        synchronized (q) {
            activity.finished(q.gateway.id());
            Iterator<Map.Entry<Endpoint, Long>> it = q.waiting.entrySet().iterator();
            if (it.hasNext()) {
                Map.Entry<Endpoint, Long> next = it.next();
                it.remove();
                activity.started(q.gateway.id(), next.getKey().id());
                return new PollTask(q.gateway, next.getKey(), false, next.getValue());
            }
            q.busy = false;
            return null;
        }
    }

    /** Gateways with a poll running. */
    public int busyGateways() {
        return (int) queues.values().stream().filter(q -> {
            synchronized (q) {
                return q.busy;
            }
        }).count();
    }

    /** Polls waiting for their gateway. */
    public int waitingPolls() {
        return queues.values().stream().mapToInt(q -> {
            synchronized (q) {
                return q.waiting.size();
            }
        }).sum();
    }
}
