package dev.enphaseetl.status;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import dev.enphaseetl.pipeline.StaleEndpoints;

/**
 * Readiness details of endpoints that answer but whose data stands still ({@link StaleEndpoints}): per stale
 * endpoint {@code gateway.<id>.<endpoint>: stale} and {@code gateway.<id>.<endpoint>.stale_for_s}. Always UP: the
 * pipeline works, a gateway's firmware does not; the details tell what to look at.
 */
@Readiness
@ApplicationScoped
public class StaleDataReadiness implements HealthCheck {

    private final StaleEndpoints stale;

    @Inject
    public StaleDataReadiness(StaleEndpoints stale) {
        this.stale = stale;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("enphase-etl stale data").up();
        var now = stale.stale();
        b.withData("stale_endpoints", now.size());
        for (StaleEndpoints.Stale s : now) {
            String key = "gateway." + s.gateway() + "." + s.endpoint().id();
            b.withData(key, "stale");
            b.withData(key + ".stale_for_s", s.age().toSeconds());
        }
        return b.build();
    }
}
