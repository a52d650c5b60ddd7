package dev.enphaseetl.gateway;

import dev.enphaseetl.parse.Endpoint;

/**
 * One poll of one endpoint of one gateway; {@code live} for a poll of the high-rate mode (docs/live.md), whose
 * readings go to the {@code live} measurement.
 */
public record PollTask(GatewayTarget gateway, Endpoint endpoint, boolean live) {

    public PollTask(GatewayTarget gateway, Endpoint endpoint) {
        this(gateway, endpoint, false);
    }

    public String key() {
        return gateway.id() + " " + endpoint.id();
    }

    @Override
    public String toString() {
        return "gateway " + gateway.id() + " endpoint " + endpoint.id() + (live ? " (live)" : "");
    }
}
