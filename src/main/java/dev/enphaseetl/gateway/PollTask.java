package dev.enphaseetl.gateway;

import dev.enphaseetl.parse.Endpoint;

/**
 * One poll of one endpoint of one gateway; {@code live} for a poll of the high-rate mode (docs/live.md), whose
 * readings go to the {@code live} measurement; {@code dueNanos} when it fell due ({@link System#nanoTime()}), for the
 * lateness of its start.
 */
public record PollTask(GatewayTarget gateway, Endpoint endpoint, boolean live, long dueNanos) {

    public PollTask(GatewayTarget gateway, Endpoint endpoint) {
        this(gateway, endpoint, false);
    }

    public PollTask(GatewayTarget gateway, Endpoint endpoint, boolean live) {
        this(gateway, endpoint, live, System.nanoTime());
    }

    /** The same poll, due at {@code dueNanos} ({@link System#nanoTime()}): when its tick fell. */
    public PollTask dueAt(long nanos) {
        return new PollTask(gateway, endpoint, live, nanos);
    }

    public String key() {
        return gateway.id() + " " + endpoint.id();
    }

    @Override
    public String toString() {
        return "gateway " + gateway.id() + " endpoint " + endpoint.id() + (live ? " (live)" : "");
    }
}
