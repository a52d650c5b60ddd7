package dev.enphaseetl.parse;

import dev.enphaseetl.parse.GatewayState.ApiV1Status;

/**
 * Where the system production values come from, by pyenphase's rules: the production CT of /production.json when one
 * exists; otherwise /api/v1/production unless it is all zero, unavailable, or stalled (metered without CT on firmware
 * 8.2.4264 or later), in which case the {@code inverters} entry of /production.json.
 */
enum ProductionSource {
    /** production CT ({@code eim}) of /production.json */
    EIM,
    /** /api/v1/production */
    API_V1,
    /** the {@code inverters} entry of /production.json */
    INVERTERS,
    /** no usable source (a production CT is configured but reports activeCount 0, or nothing reports production) */
    NONE,
    /** not decidable yet: the payload that decides has not been seen */
    UNDECIDED;

    /**
     * The code the {@code system} reading carries in {@code production_source} with the production values, so that a
     * change of source (whose lifetime counters differ) is never taken for energy; 0 for the states without values.
     */
    int code() {
        return switch (this) {
            case EIM -> 1;
            case API_V1 -> 2;
            case INVERTERS -> 3;
            case NONE, UNDECIDED -> 0;
        };
    }

    static ProductionSource decide(GatewayState state) {
        ProductionSnapshot pj = state.production().orElse(null);
        if (pj == null && state.meters().isEmpty()) {
            // whether a production CT exists is not known yet (neither /ivp/meters nor /production.json was seen):
            // deciding now could archive /api/v1/production values for a gateway whose best source is its CT
            return UNDECIDED;
        }
        boolean productionCt = state.hasEnabledMeter("production") || pj != null && pj.hasActiveProductionEim();
        if (productionCt) {
            if (pj == null) {
                return UNDECIDED;
            }
            return pj.hasActiveProductionEim() ? EIM : NONE;
        }
        boolean stalled = state.meteredWithoutCtOnStalledFirmware();
        ApiV1Status api = state.apiV1Status();
        if (!stalled && api == ApiV1Status.USABLE) {
            return API_V1;
        }
        if (stalled || api == ApiV1Status.ALL_ZERO || api == ApiV1Status.UNAVAILABLE) {
            if (pj == null) {
                return UNDECIDED;
            }
            return pj.inverters() != null && pj.inverters().active() ? INVERTERS : NONE;
        }
        return UNDECIDED;
    }
}
