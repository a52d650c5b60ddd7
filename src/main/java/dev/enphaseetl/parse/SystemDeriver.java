package dev.enphaseetl.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

import dev.enphaseetl.model.Reading;
import dev.enphaseetl.parse.ProductionSnapshot.Entry;

/**
 * Builds the derived {@code system} reading (and {@code system_phase} for multi-phase systems) from the best source,
 * repairing known firmware bugs. Called after /production.json and after /api/v1/production; each call writes only
 * the fields whose source that payload is, so the two never write the same field.
 */
final class SystemDeriver {

    static final String[] PHASES = {"L1", "L2", "L3"};

    private SystemDeriver() {}

    /** The readings /production.json is the source of: production (CT or inverters fallback), consumption, net. */
    static List<Reading> fromProductionJson(String gateway, ProductionSnapshot pj, GatewayState state)
            throws PayloadException {
        ProductionSource source = ProductionSource.decide(state);
        Values production = null;
        Long time = null;
        if (source == ProductionSource.EIM) {
            production = pj.productionEim().total();
            time = pj.productionEim().readingTime();
        } else if (source == ProductionSource.INVERTERS) {
            production = invertersFallback(pj.inverters(), pj.productionEim());
            time = pj.inverters().readingTime();
        }
        Entry total = active(pj.totalConsumption());
        Entry net = active(pj.netConsumption());
        Values consumption = total == null ? null : total.total();
        Values netValues = net == null ? null : net.total();
        boolean repair = needsTotalIsNetRepair(state, source, consumption, netValues);
        if (repair) {
            consumption = production == null ? null : repaired(consumption, production);
        }
        if (time == null) {
            time = total != null && total.readingTime() != null
                    ? total.readingTime()
                    : net == null ? null : net.readingTime();
        }
        Reading.Builder system = Reading.of("system", time == null ? 0 : time).tag("gateway", gateway);
        put(system, "production", production);
        if (production != null) {
            system.field("production_source", (double) source.code());
        }
        put(system, "consumption", consumption);
        put(system, "net", netValues);
        List<Reading> out = new ArrayList<>();
        if (!system.hasFields()) {
            return out;
        }
        if (time == null) {
            throw new PayloadException(Endpoint.PRODUCTION_JSON.path() + ": no valid readingTime on the entries used");
        }
        out.add(system.build());
        int phases = state.phaseCount();
        for (int i = 0; phases > 1 && i < phases; i++) {
            Values p = source == ProductionSource.EIM ? line(pj.productionEim(), i) : null;
            Values c = line(total, i);
            Values n = line(net, i);
            if (repair && c != null && n != null && sameRounded(c.whLifetime(), n.whLifetime())
                    && sameRounded(c.wNow(), n.wNow())) {
                c = p == null ? null : repaired(c, p);
            }
            Reading.Builder b = Reading.of("system_phase", time).tag("gateway", gateway).tag("phase", PHASES[i]);
            put(b, "production", p);
            put(b, "consumption", c);
            put(b, "net", n);
            b.addTo(out);
        }
        return out;
    }

    /** The reading /api/v1/production is the source of, dated with the latest device timestamp (it has none). */
    static List<Reading> fromApiV1(String gateway, Values values, GatewayState state) throws PayloadException {
        if (ProductionSource.decide(state) != ProductionSource.API_V1) {
            return List.of();
        }
        OptionalLong time = state.latestDeviceTime();
        if (time.isEmpty()) {
            throw new PayloadException(Endpoint.API_V1_PRODUCTION.path()
                    + ": the payload has no timestamp and no device timestamp of this gateway is known yet");
        }
        Reading.Builder b = Reading.of("system", time.getAsLong()).tag("gateway", gateway);
        put(b, "production", values);
        if (b.hasFields()) {
            b.field("production_source", (double) ProductionSource.API_V1.code());
        }
        return b.hasFields() ? List.of(b.build()) : List.of();
    }

    /**
     * pyenphase's inverters fallback: power and lifetime energy from the inverters entry; today and last seven days
     * from the (inactive) eim entry when it has a non-zero value, else from the inverters entry.
     */
    static Values invertersFallback(Entry inverters, Entry eim) {
        Values inv = inverters.total();
        Values e = eim == null ? null : eim.total();
        return new Values(inv.wNow(), preferNonZero(e == null ? null : e.whToday(), inv.whToday()),
                preferNonZero(e == null ? null : e.whLast7Days(), inv.whLast7Days()), inv.whLifetime());
    }

    private static Double preferNonZero(Double first, Double second) {
        if (first != null && first != 0) {
            return first;
        }
        if (second != null && second != 0) {
            return second;
        }
        return first != null ? first : second;
    }

    /**
     * Firmware 8.3.5433 and later can report total consumption as a copy of net consumption (same rounded lifetime
     * energy and power). Only checked when a production CT is the production source.
     */
    static boolean needsTotalIsNetRepair(GatewayState state, ProductionSource source, Values total, Values net) {
        FirmwareVersion fw = state.firmwareVersion();
        boolean metering = source == ProductionSource.EIM || state.hasEnabledMeter("production");
        return fw != null && fw.atLeast(FirmwareVersion.TOTAL_CONSUMPTION_IS_NET) && metering && total != null
                && net != null && total.whLifetime() != null && total.wNow() != null
                && sameRounded(total.whLifetime(), net.whLifetime()) && sameRounded(total.wNow(), net.wNow());
    }

    /**
     * Total consumption = net consumption + production for power and lifetime energy, summed as whole numbers the way
     * the reference client does (so the result agrees with it exactly); today and last seven days are kept.
     */
    static Values repaired(Values copyOfNet, Values production) {
        return new Values(sumRounded(copyOfNet.wNow(), production.wNow()), copyOfNet.whToday(),
                copyOfNet.whLast7Days(), sumRounded(copyOfNet.whLifetime(), production.whLifetime()));
    }

    private static Double sumRounded(Double a, Double b) {
        return a == null || b == null ? null : Math.rint(a) + Math.rint(b);
    }

    static boolean sameRounded(Double a, Double b) {
        return a != null && b != null && Math.rint(a) == Math.rint(b);
    }

    private static Entry active(Entry e) {
        return e != null && e.active() ? e : null;
    }

    private static Values line(Entry e, int i) {
        return e == null || i >= e.lines().size() ? null : e.lines().get(i);
    }

    private static void put(Reading.Builder b, String prefix, Values v) {
        if (v == null) {
            return;
        }
        b.field(prefix + "_w", v.wNow());
        b.field(prefix + "_wh_today", v.whToday());
        b.field(prefix + "_wh_last_7_days", v.whLast7Days());
        b.field(prefix + "_wh_lifetime", v.whLifetime());
    }
}
