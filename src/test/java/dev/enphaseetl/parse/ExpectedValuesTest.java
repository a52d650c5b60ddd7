package dev.enphaseetl.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.enphaseetl.model.Reading;

/**
 * Runs every capture folder through the {@link Converter} and compares with every reference value in expected/.
 * Values are compared rounded half-even to the decimals the reference cell shows (integers for the system values).
 * The reference was derived by pyenphase, whose test harness serves {@code production.json} for the
 * {@code ?details=1} URL, so the comparison uses {@link Converter.ProductionFile#PLAIN_FIRST}; {@code _v2} snapshots
 * (AC batteries left out of the inverter list) are handled by filtering devType 11 here.
 */
class ExpectedValuesTest {

    private static final Map<String, Converter.Result> RESULTS = new HashMap<>();
    private static final List<String> MISMATCHES = new ArrayList<>();
    private static int compared;

    @BeforeAll
    static void convertAll() throws IOException {
        Converter c = new Converter(new DefaultPayloadParser(), Converter.ProductionFile.PLAIN_FIRST);
        for (var folder : Fixtures.captureFolders()) {
            RESULTS.put(folder.getFileName().toString(), c.convert(folder));
        }
    }

    @Test
    void everyCaptureFolderConvertsWithoutRejectedPayloads() {
        assertThat(RESULTS).isNotEmpty();
        for (var e : RESULTS.entrySet()) {
            for (Converter.Outcome o : e.getValue().outcomes()) {
                if (o.problem() != null) {
                    assertThat(o.notData()).as(e.getKey() + "/" + o.file() + ": " + o.problem()).isTrue();
                }
            }
        }
    }

    @Test
    void allReferenceValuesMatch() throws IOException {
        compareSystemValues();
        comparePhases();
        compareInverters();
        compareCtMeters();
        System.out.printf("expected-values comparison: %d values compared, %d matched, %d mismatched%n", compared,
                compared - MISMATCHES.size(), MISMATCHES.size());
        MISMATCHES.forEach(m -> System.out.println("  mismatch: " + m));
        assertThat(compared).isGreaterThan(1000);
        assertThat(MISMATCHES).isEmpty();
    }

    private static void compareSystemValues() throws IOException {
        for (Map<String, String> row : Fixtures.csv("system_values.csv")) {
            String snap = row.get("snapshot_id");
            Converter.Result r = result(row.get("fixture_folder"));
            Map<String, Double> system = merged(r.readings(), "system", x -> true);
            for (String section : List.of("prod", "cons", "net")) {
                String prefix = prefix(section);
                check(snap + " system", row.get(section + "_watts_now"), system.get(prefix + "_w"));
                check(snap + " system", row.get(section + "_watt_hours_today"), system.get(prefix + "_wh_today"));
                check(snap + " system", row.get(section + "_watt_hours_last_7_days"),
                        system.get(prefix + "_wh_last_7_days"));
                check(snap + " system", row.get(section + "_watt_hours_lifetime"),
                        system.get(prefix + "_wh_lifetime"));
            }
            check(snap + " inverter_count", row.get("inverter_count"), (double) inverterCount(snap, row, r));
        }
    }

    private static long inverterCount(String snap, Map<String, String> row, Converter.Result r) {
        if (usesDeviceData(row)) {
            return r.readings().stream().filter(x -> x.measurement().equals("inverter_detail")).count();
        }
        return r.readings().stream().filter(x -> x.measurement().equals("inverter"))
                .filter(x -> !snap.endsWith("_v2") || !"11".equals(x.tag("dev_type"))).count();
    }

    private static void comparePhases() throws IOException {
        for (Map<String, String> row : Fixtures.csv("phases.csv")) {
            String snap = row.get("snapshot_id");
            String prefix = switch (row.get("section")) {
                case "system_production_phases" -> "production";
                case "system_consumption_phases" -> "consumption";
                case "system_net_consumption_phases" -> "net";
                default -> throw new IllegalStateException(row.get("section"));
            };
            String phase = row.get("phase");
            Map<String, Double> p = merged(result(snap).readings(), "system_phase", x -> phase.equals(x.tag("phase")));
            String what = snap + " " + phase;
            check(what, row.get("watts_now"), p.get(prefix + "_w"));
            check(what, row.get("watt_hours_today"), p.get(prefix + "_wh_today"));
            check(what, row.get("watt_hours_last_7_days"), p.get(prefix + "_wh_last_7_days"));
            check(what, row.get("watt_hours_lifetime"), p.get(prefix + "_wh_lifetime"));
        }
    }

    private static void compareInverters() throws IOException {
        Map<String, Map<String, String>> systemRows = new HashMap<>();
        for (Map<String, String> row : Fixtures.csv("system_values.csv")) {
            systemRows.put(row.get("snapshot_id"), row);
        }
        for (Map<String, String> row : Fixtures.csv("inverters.csv")) {
            String snap = row.get("snapshot_id");
            Converter.Result r = result(row.get("fixture_folder"));
            String serial = row.get("serial");
            String what = snap + " inverter " + serial;
            // the inverter measurement carries the reference's per-inverter values whichever endpoint it came from
            // (/ivp/pdm/device_data where the gateway offers it, /api/v1/production/inverters otherwise)
            Optional<Reading> inv = find(r, "inverter", x -> serial.equals(x.tag("serial")));
            check(what + " (inverter)", row.get("last_report_watts"), inv.map(x -> x.field("watts")).orElse(null));
            check(what + " (inverter)", row.get("max_report_watts"), inv.map(x -> x.field("max_watts")).orElse(null));
            check(what + " (inverter)", row.get("last_report_date"), inv.map(x -> (double) x.time()).orElse(null));
            if (usesDeviceData(systemRows.get(snap))) {
                Optional<Reading> d = find(r, "inverter_detail", x -> serial.equals(x.tag("serial")));
                check(what, row.get("last_report_watts"), d.map(x -> x.field("power_w")).orElse(null));
                check(what, row.get("max_report_watts"), d.map(x -> x.field("max_power_w")).orElse(null));
                check(what, row.get("last_report_date"), d.map(x -> (double) x.time()).orElse(null));
                check(what, row.get("lifetime_energy"),
                        d.map(x -> x.field("lifetime_energy_j")).map(j -> j / 3600).orElse(null));
                check(what, row.get("energy_today"), d.map(x -> x.field("energy_wh_today")).orElse(null));
                check(what, row.get("dc_voltage"), d.map(x -> x.field("dc_voltage_v")).orElse(null));
                check(what, row.get("ac_voltage"), d.map(x -> x.field("ac_voltage_v")).orElse(null));
                check(what, row.get("temperature"), d.map(x -> x.field("temperature_c")).orElse(null));
            } else {
                Optional<Reading> i = find(r, "inverter", x -> serial.equals(x.tag("serial")));
                if (snap.endsWith("_v2") && i.isPresent()) {
                    check(what + " is no AC battery", "0", "11".equals(i.get().tag("dev_type")) ? 1.0 : 0.0);
                }
                check(what, row.get("last_report_watts"), i.map(x -> x.field("watts")).orElse(null));
                check(what, row.get("max_report_watts"), i.map(x -> x.field("max_watts")).orElse(null));
                check(what, row.get("last_report_date"), i.map(x -> (double) x.time()).orElse(null));
            }
        }
    }

    private static void compareCtMeters() throws IOException {
        for (Map<String, String> row : Fixtures.csv("ctmeters.csv")) {
            String snap = row.get("snapshot_id");
            String phase = row.get("phase").equals("agg") ? "total" : row.get("phase");
            String type = row.get("ct_type");
            Optional<Reading> m = find(result(snap), "meter",
                    x -> type.equals(x.tag("type")) && phase.equals(x.tag("phase")));
            String what = snap + " meter " + type + " " + phase;
            check(what + " eid", row.get("eid"), m.map(x -> Double.valueOf(x.tag("eid"))).orElse(null));
            check(what + " timestamp", row.get("timestamp"), m.map(x -> (double) x.time()).orElse(null));
            Map<String, String> fields = Map.of("energy_delivered", "energy_delivered_wh", "energy_received",
                    "energy_received_wh", "active_power", "active_power_w", "power_factor", "power_factor",
                    "voltage", "voltage_v", "current", "current_a", "frequency", "frequency_hz");
            for (var f : fields.entrySet()) {
                check(what + " " + f.getKey(), row.get(f.getKey()), m.map(x -> x.field(f.getValue())).orElse(null));
            }
            String status = row.get("metering_status");
            if (!status.isEmpty()) {
                // text, kept in the state's meter configuration (the meter measurement carries numbers only)
                compared++;
                Optional<String> actual = m.flatMap(x -> result(snap).state().meters().orElse(List.of()).stream()
                        .filter(c -> Long.toString(c.eid()).equals(x.tag("eid"))).findFirst())
                        .map(MeterConfig::meteringStatus);
                if (!actual.equals(Optional.of(status))) {
                    MISMATCHES.add(what + " metering_status: expected " + status + ", got " + actual);
                }
            }
        }
    }

    private static void check(String what, String expectedCell, Double actual) {
        if (expectedCell == null || expectedCell.isBlank()) {
            return;
        }
        compared++;
        if (actual == null || !Fixtures.matches(expectedCell, actual)) {
            MISMATCHES.add(what + ": expected " + expectedCell + ", got " + actual);
        }
    }

    private static boolean usesDeviceData(Map<String, String> systemRow) {
        return systemRow != null && systemRow.get("endpoints_polled").contains("/ivp/pdm/device_data");
    }

    private static Converter.Result result(String snapshotOrFolder) {
        String folder = snapshotOrFolder.replaceAll("_v[23]$", "");
        return Objects.requireNonNull(RESULTS.get(folder), "no capture folder " + folder);
    }

    private static Optional<Reading> find(Converter.Result r, String measurement, Predicate<Reading> p) {
        return r.readings().stream().filter(x -> x.measurement().equals(measurement)).filter(p).findFirst();
    }

    /** The fields of all readings of a measurement (the system reading may come from two payloads). */
    private static Map<String, Double> merged(List<Reading> readings, String measurement, Predicate<Reading> p) {
        Map<String, Double> m = new HashMap<>();
        readings.stream().filter(x -> x.measurement().equals(measurement)).filter(p).forEach(x -> m.putAll(x.fields()));
        return m;
    }

    private static String prefix(String section) {
        return switch (section) {
            case "prod" -> "production";
            case "cons" -> "consumption";
            default -> "net";
        };
    }
}
