package dev.enphaseetl.web;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.apache.camel.Header;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import dev.enphaseetl.config.EnphaseConfig;

/**
 * The page's read-only JSON API (routes {@code page-api-*} in {@code routes/80-page.camel.yaml}, docs/page.md). Each
 * method takes the query parameters as Camel headers and returns a map that the route marshals to JSON; a bad
 * parameter throws {@link IllegalArgumentException} (HTTP 400 with its one-line message).
 */
@ApplicationScoped
@Named("pageApi")
public class PageApi {

    /** Column order of the ledger CSV: the same as the ledger's own files (docs/sinks.md). */
    static final List<String> LEDGER_COLUMNS = List.of("gateway", "day", "zone", "produced_kwh", "consumed_kwh",
            "imported_kwh", "exported_kwh", "self_consumption_pct", "self_sufficiency_pct", "grid_source", "flags");

    private final ArchiveReader archive;
    private final PipelineView pipeline;
    private final ZoneId zone;

    @Inject
    public PageApi(ArchiveReader archive, PipelineView pipeline, EnphaseConfig config) {
        this(archive, pipeline, ZoneId.of(config.ledger().zone()));
    }

    public PageApi(ArchiveReader archive, PipelineView pipeline, ZoneId zone) {
        this.archive = archive;
        this.pipeline = pipeline;
        this.zone = zone;
    }

    /** Per gateway: the newest production, consumption, net power, its age, battery state of charge if any. */
    public Map<String, Object> now() throws SQLException {
        long now = Instant.now().getEpochSecond();
        List<Map<String, Object>> gateways = new ArrayList<>();
        for (Map.Entry<String, Long> g : archive.gateways().entrySet()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("gateway", g.getKey());
            Optional<Map<String, Object>> sys = archive.latest("system", g.getKey(), ArchiveReader.POWER, null);
            m.put("time", g.getValue());
            m.put("age_s", now - g.getValue());
            ArchiveReader.POWER.forEach(c -> m.put(c, sys.map(s -> s.get(c)).orElse(null)));
            m.put("day", Instant.ofEpochSecond(g.getValue()).atZone(zone).toLocalDate().toString());
            m.put("battery_soc_pct", soc(g.getKey()).orElse(null));
            gateways.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("now", now);
        out.put("zone", zone.getId());
        out.put("gateways", gateways);
        return out;
    }

    /**
     * The battery's state of charge: the aggregate of /ivp/ensemble, else /ivp/livedata (which reports zeros when
     * there is no battery, so only with stored energy or charge), else production.json's storage with active units.
     */
    private Optional<Double> soc(String gateway) throws SQLException {
        String[][] sources = {{"battery_aggregate", "soc_pct IS NOT NULL"},
                {"livedata_battery",
                        "soc_pct IS NOT NULL AND (soc_pct > 0 OR encharge_energy_wh > 0 OR acb_energy_wh > 0)"},
                {"storage", "soc_pct IS NOT NULL AND active_count > 0"}};
        for (String[] source : sources) {
            Optional<Map<String, Object>> row = archive.latest(source[0], gateway, List.of("soc_pct"), source[1]);
            if (row.isPresent()) {
                return Optional.of((Double) row.get().get("soc_pct"));
            }
        }
        return Optional.empty();
    }

    /** Production, consumption and net power of one gateway, bucketed; per phase when the archive has phases. */
    public Map<String, Object> power(@Header("gateway") String gateway, @Header("day") String day,
            @Header("from") String from, @Header("to") String to, @Header("points") String points)
            throws SQLException {
        PageQuery.Range r = PageQuery.range(day, from, to, zone, Instant.now());
        int n = PageQuery.points(points);
        String gw = gatewayOrFirst(gateway);
        Map<String, Object> out = header(gw, r, r.bucket(n));
        if (gw == null) {
            out.put("time", List.of());
            out.put("phases", Map.of());
            return out;
        }
        ArchiveReader.Series s = archive.systemPower(gw, r.from(), r.to(), r.bucket(n));
        out.put("time", s.time());
        out.putAll(s.values());
        Map<String, Object> phases = new LinkedHashMap<>();
        archive.phasePower(gw, r.from(), r.to(), r.bucket(n)).forEach((phase, ps) -> {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("time", ps.time());
            p.putAll(ps.values());
            phases.put(phase, p);
        });
        out.put("phases", phases);
        out.put("ledger", archive.ledger(gw, day(r.from()), day(r.to() - 1)));
        return out;
    }

    /** Average watts per inverter and bucket (a heatmap: one row per inverter), and the list of inverters. */
    public Map<String, Object> inverters(@Header("gateway") String gateway, @Header("day") String day,
            @Header("from") String from, @Header("to") String to, @Header("points") String points)
            throws SQLException {
        PageQuery.Range r = PageQuery.range(day, from, to, zone, Instant.now());
        int n = PageQuery.points(PageQuery.present(points) ? points : "288");
        String gw = gatewayOrFirst(gateway);
        long bucket = r.bucket(n);
        Map<String, Object> out = header(gw, r, bucket);
        Map<String, Map<Long, Double>> watts = gw == null
                ? Map.of()
                : archive.inverterWatts(gw, r.from(), r.to(), bucket);
        TreeSet<Long> times = new TreeSet<>();
        watts.values().forEach(m -> times.addAll(m.keySet()));
        List<String> serials = new ArrayList<>(watts.keySet());
        List<List<Double>> rows = new ArrayList<>();
        for (String serial : serials) {
            List<Double> row = new ArrayList<>();
            for (Long t : times) {
                row.add(watts.get(serial).get(t));
            }
            rows.add(row);
        }
        out.put("time", new ArrayList<>(times));
        out.put("serials", serials);
        out.put("watts", rows);
        out.put("list", gw == null ? List.of() : archive.inverterList(gw, r.from(), r.to()));
        return out;
    }

    /** Daily ledger rows ({@code by=day}, default) or their monthly sums ({@code by=month}). */
    public Map<String, Object> ledger(@Header("gateway") String gateway, @Header("from") String from,
            @Header("to") String to, @Header("by") String by) throws SQLException {
        LocalDate[] days = ledgerDays(from, to);
        String gw = PageQuery.gateway(gateway);
        List<Map<String, Object>> rows = archive.ledger(gw, days[0].toString(), days[1].toString());
        String grouping = PageQuery.present(by) ? by.trim() : "day";
        if (!grouping.equals("day") && !grouping.equals("month")) {
            throw new IllegalArgumentException("by must be day or month, not '" + grouping.replaceAll("\\p{Cntrl}", "?")
                    + "'");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("gateway", gw);
        out.put("from", days[0].toString());
        out.put("to", days[1].toString());
        out.put("by", grouping);
        out.put("rows", grouping.equals("month") ? LedgerMonths.of(rows) : rows);
        return out;
    }

    /** The ledger rows as CSV, columns as in the ledger's own files. */
    public String ledgerCsv(@Header("gateway") String gateway, @Header("from") String from, @Header("to") String to)
            throws SQLException, IOException {
        LocalDate[] days = ledgerDays(from, to);
        List<Map<String, Object>> rows = archive.ledger(PageQuery.gateway(gateway), days[0].toString(),
                days[1].toString());
        StringWriter w = new StringWriter();
        try (CSVPrinter p = new CSVPrinter(w, CSVFormat.RFC4180.builder()
                .setHeader(LEDGER_COLUMNS.toArray(String[]::new)).get())) {
            for (Map<String, Object> row : rows) {
                List<String> cells = new ArrayList<>();
                for (String c : LEDGER_COLUMNS) {
                    Object v = row.get(c);
                    cells.add(v == null ? "" : v instanceof Double d ? plain(d) : v.toString());
                }
                p.printRecord(cells);
            }
        }
        return w.toString();
    }

    public Map<String, Object> pipeline() {
        return pipeline.state();
    }

    private LocalDate[] ledgerDays(String from, String to) {
        LocalDate last = PageQuery.present(to) ? PageQuery.date("to", to) : LocalDate.now(zone);
        LocalDate first = PageQuery.present(from) ? PageQuery.date("from", from) : last.minusYears(1).plusDays(1);
        if (first.isAfter(last)) {
            throw new IllegalArgumentException("from must not be after to (got from=" + first + ", to=" + last + ")");
        }
        return new LocalDate[]{first, last};
    }

    private String gatewayOrFirst(String gateway) throws SQLException {
        String gw = PageQuery.gateway(gateway);
        if (gw != null) {
            return gw;
        }
        return archive.gateways().keySet().stream().findFirst().orElse(null);
    }

    private Map<String, Object> header(String gateway, PageQuery.Range r, long bucket) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("gateway", gateway);
        out.put("zone", zone.getId());
        out.put("from", r.from());
        out.put("to", r.to());
        out.put("bucket_s", bucket);
        return out;
    }

    private String day(long epochSecond) {
        return Instant.ofEpochSecond(epochSecond).atZone(zone).toLocalDate().toString();
    }

    private static String plain(double d) {
        return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }
}
