package dev.enphaseetl.pipeline;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import dev.enphaseetl.gateway.Fetched;
import dev.enphaseetl.gateway.GatewayStates;
import dev.enphaseetl.gateway.PollTask;
import dev.enphaseetl.model.Reading;
import dev.enphaseetl.parse.GatewayState;
import dev.enphaseetl.parse.NotDataException;
import dev.enphaseetl.parse.PayloadException;
import dev.enphaseetl.parse.PayloadParser;

/**
 * Turns a gateway's answer into readings with the shared {@link PayloadParser}, keeping one {@link GatewayState} per
 * gateway and adding the gateway's configured extra tags. Not-data answers are reported once and give no readings.
 */
@ApplicationScoped
@Named("readingExtractor")
public class ReadingExtractor {

    private final PayloadParser parser;
    private final PollProblems problems;
    private final GatewayStates states;

    @Inject
    public ReadingExtractor(PayloadParser parser, PollProblems problems, GatewayStates states) {
        this.parser = parser;
        this.problems = problems;
        this.states = states;
    }

    public List<Reading> extract(Fetched fetched) throws PayloadException, IOException {
        PollTask task = fetched.task();
        GatewayState state = states.of(task.gateway().id());
        List<Reading> readings;
        String firmwareBefore = state.firmware().orElse(null);
        try {
            String gateway = state.serial().orElse(task.gateway().id());
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
        Map<String, String> extra = task.gateway().tags();
        if (extra.isEmpty()) {
            return readings;
        }
        List<Reading> tagged = new ArrayList<>(readings.size());
        for (Reading r : readings) {
            Map<String, String> tags = new TreeMap<>(extra);
            tags.putAll(r.tags());
            tagged.add(new Reading(r.measurement(), new TreeMap<>(tags), r.fields(), r.time()));
        }
        return tagged;
    }
}
