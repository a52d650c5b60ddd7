package dev.enphaseetl.simulator;

import java.time.Instant;
import java.util.Optional;

import dev.enphaseetl.parse.Endpoint;

/** Answers from a {@link SimulatedGateway}. {@code /production.json} without {@code details=1} has no lines. */
final class ModelBackend implements GatewayBackend {

    private final SimulatedGateway model;

    ModelBackend(SimulatedGateway model) {
        this.model = model;
    }

    SimulatedGateway model() {
        return model;
    }

    @Override
    public String serial() {
        return model.serial();
    }

    @Override
    public String firmware() {
        return model.firmware();
    }

    @Override
    public SimResponse respond(String path, String query, Instant now) {
        if (path.equals("/production.json")) {
            boolean details = query != null && query.contains("details=1");
            return SimResponse.json(model.productionJson(now, details));
        }
        Optional<Endpoint> endpoint = endpointOf(path);
        if (endpoint.isEmpty()) {
            return SimResponse.notFound();
        }
        if (endpoint.get() == Endpoint.INFO) {
            return new SimResponse(200, SimResponse.XML, model.infoXml(now));
        }
        return SimResponse.json(model.body(endpoint.get(), now));
    }

    /** The endpoint a request path (without query) is for. */
    static Optional<Endpoint> endpointOf(String path) {
        for (Endpoint e : Endpoint.values()) {
            String p = e.path();
            int q = p.indexOf('?');
            if ((q < 0 ? p : p.substring(0, q)).equals(path)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }
}
