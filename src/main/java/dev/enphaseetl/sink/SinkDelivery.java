package dev.enphaseetl.sink;

import java.util.List;

import dev.enphaseetl.model.Reading;

/**
 * One sink's delivery, a route step of the {@code spool-to-sink} template ({@code bean: {ref: csvDelivery, method:
 * deliver}}): it delivers or throws ({@link TransientSinkException} to be retried, {@link PermanentSinkException} for
 * readings the destination refuses). Success and failure are counted by the template's steps, the same for every sink.
 */
public interface SinkDelivery {

    void deliver(List<Reading> readings);
}
