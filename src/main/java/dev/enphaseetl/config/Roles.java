package dev.enphaseetl.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/**
 * The role of this process ({@code enphase.role}) as switches the routes read: {@code {{bean:roles.edge}}} starts
 * the Kafka sink (routes/30), {@code {{bean:roles.central}}} the consumer of the central tier (routes/35).
 */
@ApplicationScoped
@Named("roles")
public class Roles {

    private final EnphaseConfig.Role role;

    @Inject
    public Roles(EnphaseConfig config) {
        this(config.role());
    }

    public Roles(EnphaseConfig.Role role) {
        this.role = role;
    }

    public EnphaseConfig.Role role() {
        return role;
    }

    /** Delivers spooled readings to Kafka. */
    public boolean edge() {
        return role == EnphaseConfig.Role.EDGE;
    }

    /** Consumes readings from Kafka into its sinks. */
    public boolean central() {
        return role == EnphaseConfig.Role.CENTRAL;
    }

    /** Polls gateways (every role but central). */
    public boolean polls() {
        return role != EnphaseConfig.Role.CENTRAL;
    }
}
