package dev.enphaseetl.web;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Monthly sums of daily ledger rows (pure). Energies add up over the days that know them; a month with a day whose
 * value is unknown says so in {@code incomplete}. The shares are computed from the month's sums, the same way the
 * ledger computes a day's (docs/sinks.md).
 */
public final class LedgerMonths {

    private static final List<String> ENERGIES = List.of("produced_kwh", "consumed_kwh", "imported_kwh",
            "exported_kwh");

    private LedgerMonths() {}

    public static List<Map<String, Object>> of(List<Map<String, Object>> days) {
        Map<String, Map<String, Object>> months = new LinkedHashMap<>();
        for (Map<String, Object> d : days) {
            String month = ((String) d.get("day")).substring(0, 7);
            Map<String, Object> m = months.computeIfAbsent(d.get("gateway") + "|" + month, k -> {
                Map<String, Object> n = new LinkedHashMap<>();
                n.put("gateway", d.get("gateway"));
                n.put("month", month);
                n.put("days", 0);
                ENERGIES.forEach(e -> n.put(e, null));
                n.put("incomplete", false);
                return n;
            });
            m.put("days", (Integer) m.get("days") + 1);
            for (String e : ENERGIES) {
                Double v = (Double) d.get(e);
                if (v == null) {
                    m.put("incomplete", true);
                } else {
                    m.put(e, m.get(e) == null ? v : (Double) m.get(e) + v);
                }
            }
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> m : months.values()) {
            for (String e : ENERGIES) {
                if (m.get(e) != null) {
                    m.put(e, BigDecimal.valueOf((Double) m.get(e)).setScale(6, RoundingMode.HALF_UP).doubleValue());
                }
            }
            m.put("self_consumption_pct", share((Double) m.get("produced_kwh"), (Double) m.get("exported_kwh")));
            m.put("self_sufficiency_pct", share((Double) m.get("consumed_kwh"), (Double) m.get("imported_kwh")));
            out.add(m);
        }
        return out;
    }

    /** (total - part) / total x 100, clamped to 0..100, 2 decimals; null if nothing in total or part unknown. */
    static Double share(Double total, Double part) {
        if (total == null || part == null || total <= 0) {
            return null;
        }
        double pct = Math.max(0, Math.min(100, (total - part) / total * 100));
        return BigDecimal.valueOf(pct).setScale(2, RoundingMode.HALF_UP).doubleValue();
    }
}
