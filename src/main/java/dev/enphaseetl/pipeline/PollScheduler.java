package dev.enphaseetl.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.jboss.logging.Logger;

import dev.enphaseetl.gateway.GatewayRegistry;
import dev.enphaseetl.gateway.GatewayTarget;
import dev.enphaseetl.parse.Endpoint;

/**
 * Decides which polls start when an endpoint's timer fires: one task per gateway, except where the previous poll of
 * the same gateway and endpoint is still in flight. The guard makes "never two polls of the same gateway endpoint at
 * once" hold however slow a gateway is, and bounds the poll queue to gateways x endpoints.
 */
@ApplicationScoped
@Named("pollScheduler")
public class PollScheduler {

    private static final Logger LOG = Logger.getLogger(PollScheduler.class);

    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final GatewayRegistry registry;

    @Inject
    public PollScheduler(GatewayRegistry registry) {
        this.registry = registry;
    }

    /** The polls to start now for an endpoint; each must later be {@link #release released}. */
    public List<PollTask> due(String endpointId) {
        Endpoint endpoint = Endpoint.requireById(endpointId);
        List<GatewayTarget> gateways = registry.gateways();
        List<PollTask> tasks = new ArrayList<>(gateways.size());
        for (GatewayTarget g : gateways) {
            PollTask task = new PollTask(g, endpoint);
            if (inFlight.add(task.key())) {
                tasks.add(task);
            } else {
                LOG.debugf("skipping %s: the previous poll is still in flight", task);
            }
        }
        return tasks;
    }

    public void release(PollTask task) {
        if (task != null) {
            inFlight.remove(task.key());
        }
    }

    public int inFlightCount() {
        return inFlight.size();
    }
}
