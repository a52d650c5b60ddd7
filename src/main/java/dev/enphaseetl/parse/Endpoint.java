package dev.enphaseetl.parse;

import java.util.Arrays;
import java.util.Optional;

/**
 * The gateway endpoints enphase-etl reads. {@link #id()} is the name used in configuration, route files and dead
 * letters; {@link #path()} is the HTTP path; {@link #captureName()} is the file name of a capture of it
 * ({@code / ? = &} and space turned into {@code _}, leading slash dropped).
 */
public enum Endpoint {
    INFO("info", "/info"), PRODUCTION_JSON("production-json", "/production.json?details=1"), API_V1_PRODUCTION(
            "api-v1-production", "/api/v1/production"), API_V1_PRODUCTION_INVERTERS("api-v1-production-inverters",
                    "/api/v1/production/inverters"), IVP_METERS("ivp-meters", "/ivp/meters"), IVP_METERS_READINGS(
                            "ivp-meters-readings", "/ivp/meters/readings"), IVP_PDM_ENERGY("ivp-pdm-energy",
                                    "/ivp/pdm/energy"), IVP_PDM_DEVICE_DATA("ivp-pdm-device-data",
                                            "/ivp/pdm/device_data"), IVP_LIVEDATA_STATUS("ivp-livedata-status",
                                                    "/ivp/livedata/status"), IVP_METERS_REPORTS_CONSUMPTION(
                                                            "ivp-meters-reports-consumption",
                                                            "/ivp/meters/reports/consumption"), IVP_ENSEMBLE_INVENTORY(
                                                                    "ivp-ensemble-inventory",
                                                                    "/ivp/ensemble/inventory"), IVP_ENSEMBLE_SECCTRL(
                                                                            "ivp-ensemble-secctrl",
                                                                            "/ivp/ensemble/secctrl");

    private final String id;
    private final String path;

    Endpoint(String id, String path) {
        this.id = id;
        this.path = path;
    }

    public String id() {
        return id;
    }

    public String path() {
        return path;
    }

    public String captureName() {
        return path.substring(1).replaceAll("[/?=& ]", "_");
    }

    public static Optional<Endpoint> byId(String id) {
        return Arrays.stream(values()).filter(e -> e.id.equals(id)).findFirst();
    }

    public static Endpoint requireById(String id) {
        return byId(id).orElseThrow(() -> new IllegalArgumentException("unknown endpoint '" + id + "'; known: "
                + String.join(", ", Arrays.stream(values()).map(Endpoint::id).toList())));
    }
}
