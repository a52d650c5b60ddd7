package dev.enphaseetl.gateway;

import java.util.List;

/**
 * Gateways that do not come from {@code enphase.gateways} but from a bean that provides them (the built-in
 * simulator); {@link GatewayRegistry} polls them like configured ones, without naming where they come from.
 */
public interface GatewaySource {

    /** Whether this source contributes gateways, given whether any gateway is configured. */
    boolean active(boolean noneConfigured);

    /** Starts what serves the gateways, if not yet running, and returns them (each with a JWT token). */
    List<GatewayTarget> start();

    /** Stops what {@link #start()} started; safe to call when nothing runs. */
    void stop();

    /** What the source is, for log lines, e.g. "the built-in simulator". */
    String description();
}
