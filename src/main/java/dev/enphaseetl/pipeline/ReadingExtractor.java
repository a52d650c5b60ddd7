package dev.enphaseetl.pipeline;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.jboss.logging.Logger;

import dev.enphaseetl.gateway.Fetched;
import dev.enphaseetl.gateway.GatewayStates;
import dev.enphaseetl.gateway.GatewayTarget;
import dev.enphaseetl.gateway.PollTask;
import dev.enphaseetl.health.FirstFew;
import dev.enphaseetl.model.GatewayIdentity;
import dev.enphaseetl.model.Reading;
import dev.enphaseetl.parse.Endpoint;
import dev.enphaseetl.parse.GatewayState;
import dev.enphaseetl.parse.NotDataException;
import dev.enphaseetl.parse.PayloadException;
import dev.enphaseetl.parse.PayloadParser;

/**
 * Turns a gateway's answer into readings with the shared {@link PayloadParser}, keeping one {@link GatewayState} per
 * gateway and adding the gateway's configured extra tags. Not-data answers are reported once and give no readings.
 * <p>
 * The {@code gateway} tag is always the serial: the one /info reports, or before /info has answered the configured
 * {@code serial}. A data payload of a gateway whose serial is not known yet is held (the raw answer, in memory) and
 * parsed when /info answers, in the order the polls were made, so that its readings carry the serial and are parsed
 * with the firmware and meter facts /info and /ivp/meters give, like every later poll. Held answers beyond
 * {@link #MAX_HELD_CHARS} per gateway are parked as poll dead letters (replayable through the inbox), never dropped.
 */
@ApplicationScoped
@Named("readingExtractor")
public class ReadingExtractor {

    private static final Logger LOG = Logger.getLogger(ReadingExtractor.class);
    private final FirstFew serialUnknown = new FirstFew(LOG, "gateways whose serial is not known yet");
    private final FirstFew serialKnown = new FirstFew(LOG, "gateways whose serial became known");

    /** Characters of held answers kept in memory per gateway while its serial is unknown. */
    static final long MAX_HELD_CHARS = 32L * 1024 * 1024;

    private final PayloadParser parser;
    private final PollProblems problems;
    private final GatewayStates states;
    private final DeadLetters deadLetters;
    private final Map<String, Deque<Fetched>> held = new HashMap<>();
    private final Map<String, Long> heldChars = new HashMap<>();
    private final Set<String> saidMismatch = new HashSet<>();
    private final Set<String> saidOverflow = new HashSet<>();

    @Inject
    public ReadingExtractor(PayloadParser parser, PollProblems problems, GatewayStates states,
            DeadLetters deadLetters) {
        this.parser = parser;
        this.problems = problems;
        this.states = states;
        this.deadLetters = deadLetters;
    }

    public List<Reading> extract(Fetched fetched) throws PayloadException, IOException {
        PollTask task = fetched.task();
        GatewayState state = states.of(task.gateway().id());
        if (task.endpoint() != Endpoint.INFO && serial(task.gateway(), state).isEmpty()) {
            hold(fetched);
            problems.succeeded(task);
            return List.of();
        }
        List<Reading> readings = new ArrayList<>();
        if (task.endpoint() != Endpoint.INFO) {
            // the serial became known another way (an inbox info file): the held answers first, in poll order
            readings.addAll(release(task.gateway(), state));
        }
        readings.addAll(parse(fetched, state));
        if (task.endpoint() == Endpoint.INFO) {
            checkConfiguredSerial(task.gateway(), state);
            readings.addAll(release(task.gateway(), state));
        }
        return readings;
    }

    /** The gateway's serial: from /info, else the configured one; empty while neither is known. */
    static Optional<String> serial(GatewayTarget gateway, GatewayState state) {
        Optional<String> fromInfo = state.serial();
        return fromInfo.isPresent() ? fromInfo : Optional.ofNullable(gateway.serial());
    }

    /** Number of answers held for a gateway (for tests and the status). */
    public synchronized int heldCount(String gatewayId) {
        Deque<Fetched> q = held.get(gatewayId);
        return q == null ? 0 : q.size();
    }

    private List<Reading> parse(Fetched fetched, GatewayState state) throws PayloadException, java.io.IOException {
        PollTask task = fetched.task();
        List<Reading> readings;
        String firmwareBefore = state.firmware().orElse(null);
        try {
            // the gateway id only for /info itself, which gives no readings
            String gateway = serial(task.gateway(), state).orElse(task.gateway().id());
            readings = parser.parse(gateway, task.endpoint(), fetched.status(), fetched.body(), state);
        } catch (NotDataException e) {
            problems.notAvailable(fetched, e.getMessage());
            return List.of();
        }
        problems.succeeded(task, readings);
        String firmwareNow = state.firmware().orElse(null);
        if (firmwareBefore != null && firmwareNow != null && !firmwareBefore.equals(firmwareNow)) {
            state.redetect();
            problems.firmwareChanged(task.gateway().id(), firmwareBefore, firmwareNow);
        }
        return GatewayIdentity.withTags(readings, task.gateway().tags());
    }

    private void hold(Fetched fetched) throws IOException {
        String id = fetched.task().gateway().id();
        List<Fetched> overflow = new ArrayList<>();
        boolean first;
        synchronized (this) {
            Deque<Fetched> q = held.computeIfAbsent(id, k -> new ArrayDeque<>());
            first = q.isEmpty();
            q.addLast(fetched);
            long chars = heldChars.merge(id, size(fetched), Long::sum);
            while (chars > MAX_HELD_CHARS && q.size() > 1) {
                Fetched oldest = q.removeFirst();
                chars = heldChars.merge(id, -size(oldest), Long::sum);
                overflow.add(oldest);
            }
        }
        if (first) {
            serialUnknown
                    .info("Gateway %s: its serial is not known yet (/info has not answered): holding its readings until"
                            + " it is; set enphase.gateways[n].serial to write them without waiting for /info", id);
        }
        for (Fetched f : overflow) {
            deadLetters.parkPayload(f.task(), f,
                    "held while the gateway's serial was unknown, beyond the in-memory limit");
        }
        if (!overflow.isEmpty() && saidOverflowOnce(id)) {
            LOG.warnf("Gateway %s: /info still gives no serial and the held answers exceed %d MB: the oldest are parked"
                    + " under dead-letter/poll/%s/ (move them to inbox/%s/ once the serial is known); set"
                    + " enphase.gateways[n].serial", id, MAX_HELD_CHARS / 1024 / 1024, id, id);
        }
    }

    private synchronized boolean saidOverflowOnce(String id) {
        return saidOverflow.add(id);
    }

    private List<Reading> release(GatewayTarget gateway, GatewayState state) throws IOException {
        if (serial(gateway, state).isEmpty()) {
            return List.of();
        }
        Deque<Fetched> q;
        synchronized (this) {
            q = held.remove(gateway.id());
            heldChars.remove(gateway.id());
        }
        if (q == null || q.isEmpty()) {
            return List.of();
        }
        List<Reading> out = new ArrayList<>();
        for (Fetched f : q) {
            try {
                out.addAll(parse(f, state));
            } catch (PayloadException e) {
                deadLetters.parkPayload(f.task(), f, e.getMessage());
                LOG.warnf("Gateway %s endpoint %s: a held answer was rejected: %s; kept as a dead letter",
                        gateway.id(), f.task().endpoint().id(), e.getMessage());
            }
        }
        serialKnown.info("Gateway %s: serial %s known; %d held answers give %d readings", gateway.id(),
                serial(gateway, state).orElseThrow(), q.size(), out.size());
        return out;
    }

    private void checkConfiguredSerial(GatewayTarget gateway, GatewayState state) {
        String configured = gateway.serial();
        String reported = state.serial().orElse(null);
        if (configured == null || reported == null || configured.equals(reported)) {
            return;
        }
        boolean first;
        synchronized (this) {
            first = saidMismatch.add(gateway.id() + " " + configured + " " + reported);
        }
        if (first) {
            LOG.warnf("Gateway %s: the configured serial %s differs from the serial %s its /info reports; readings are"
                    + " tagged %s from now on (those written before /info answered carry %s): correct"
                    + " enphase.gateways[n].serial of this gateway", gateway.id(), configured, reported, reported,
                    configured);
        }
    }

    private static long size(Fetched f) {
        return f.body() == null ? 0 : f.body().length();
    }
}
