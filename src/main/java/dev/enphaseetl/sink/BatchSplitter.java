package dev.enphaseetl.sink;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import dev.enphaseetl.delivery.PermanentSinkException;
import dev.enphaseetl.model.Reading;

/**
 * After a sink refused a batch permanently, finds the readings it really refuses by delivering halves again
 * (bisection): the good readings are delivered, and only the bad ones come back, each with the sink's reason.
 * Transient failures are not split: they propagate so the whole entry is retried.
 */
public final class BatchSplitter {

    /** A reading the sink refuses, with its reason. */
    public record Rejected(Reading reading, String reason) {}

    private BatchSplitter() {}

    public static List<Rejected> isolate(List<Reading> batch, Consumer<List<Reading>> sink, String firstReason) {
        List<Rejected> rejected = new ArrayList<>();
        split(batch, sink, firstReason, rejected);
        return rejected;
    }

    private static void split(List<Reading> batch, Consumer<List<Reading>> sink, String reason,
            List<Rejected> rejected) {
        if (batch.size() == 1) {
            rejected.add(new Rejected(batch.get(0), reason));
            return;
        }
        int mid = batch.size() / 2;
        for (List<Reading> half : List.of(batch.subList(0, mid), batch.subList(mid, batch.size()))) {
            try {
                sink.accept(half);
            } catch (PermanentSinkException e) {
                split(half, sink, e.getMessage(), rejected);
            }
        }
    }
}
