package dev.enphaseetl.simulator;

import java.time.Instant;

/** Where a virtual gateway's answers come from: the model or a folder of captures. */
interface GatewayBackend {

    String serial();

    String firmware();

    /**
     * @param path  request path below the gateway's base, starting with {@code /}
     * @param query the raw query string, or {@code null}
     */
    SimResponse respond(String path, String query, Instant now);
}
