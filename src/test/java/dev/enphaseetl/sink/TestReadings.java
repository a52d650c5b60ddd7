package dev.enphaseetl.sink;

import java.util.ArrayList;
import java.util.List;

import dev.enphaseetl.model.Reading;

/** Synthetic readings of every contract measurement, with awkward tag values and non-round numbers. */
public final class TestReadings {

    public static final String GATEWAY = "122233344455";
    public static final long T0 = 1_700_000_000L; // 2023-11-14T22:13:20Z

    private TestReadings() {}

    public static List<Reading> batch(long t0, int polls) {
        List<Reading> out = new ArrayList<>();
        for (int i = 0; i < polls; i++) {
            long t = t0 + 60L * i;
            out.add(Reading.of("system", t).tag("gateway", GATEWAY)
                    .field("production_w", 1234.5 + i)
                    .field("production_wh_lifetime", 9_876_543.25 + 20.5 * i)
                    .field("consumption_w", 456.125)
                    .field("consumption_wh_lifetime", 5_432_109.5 + 7.75 * i)
                    .field("net_w", -778.375)
                    .field("net_wh_lifetime", -1_234.0 - 12.75 * i).build());
            for (String phase : List.of("L1", "L2")) {
                out.add(Reading.of("system_phase", t).tag("gateway", GATEWAY).tag("phase", phase)
                        .field("production_w", 600.0 + i + (phase.equals("L2") ? 0.5 : 0)).build());
            }
            out.add(Reading.of("inverter", t).tag("gateway", GATEWAY).tag("serial", "48210" + i % 2)
                    .tag("dev_type", "1").field("watts", 250.0 + i).field("max_watts", 295.0).build());
            out.add(Reading.of("meter", t).tag("gateway", GATEWAY).tag("eid", "704643328")
                    .tag("type", "net-consumption").tag("phase", "total")
                    .field("active_power_w", -778.375).field("energy_delivered_wh", 3_000_000.5 + i)
                    .field("energy_received_wh", 4_100_000.25 + 2 * i).field("power_factor", -0.97)
                    .field("frequency_hz", 50.01).build());
        }
        return out;
    }
}
