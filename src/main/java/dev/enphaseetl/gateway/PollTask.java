package dev.enphaseetl.gateway;

import dev.enphaseetl.parse.Endpoint;

/** One poll of one endpoint of one gateway. */
public record PollTask(GatewayTarget gateway, Endpoint endpoint) {

    public String key() {
        return gateway.id() + " " + endpoint.id();
    }

    @Override
    public String toString() {
        return "gateway " + gateway.id() + " endpoint " + endpoint.id();
    }
}
