package dev.enphaseetl.parse;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.enphaseetl.model.GatewayIdentity;
import dev.enphaseetl.model.Reading;
import dev.enphaseetl.render.CsvRows;
import dev.enphaseetl.render.LineProtocol;

/**
 * Turns a folder of gateway captures (files named by endpoint path, {@code NAME_log.json} holding the HTTP status)
 * into readings through {@link DefaultPayloadParser}, and is the {@code convert} command:
 * {@code convert <folder> [--csv] [--serial S] [--tag k=v]...} prints line protocol (or CSV per measurement) to
 * stdout and reports not-data and rejected payloads on stderr.
 */
public final class Converter {

    /**
     * Parse order: /info and /ivp/meters first so that serial, firmware and meter configuration are known; then the
     * endpoints with device timestamps (/ivp/pdm/device_data before /api/v1/production/inverters: where it is usable it
     * is the inverters' source); /api/v1/production (no timestamp) and /production.json last so that the
     * system source can be decided and dated.
     */
    public static final List<Endpoint> ORDER = List.of(Endpoint.INFO, Endpoint.IVP_METERS, Endpoint.IVP_METERS_READINGS,
            Endpoint.IVP_PDM_DEVICE_DATA, Endpoint.API_V1_PRODUCTION_INVERTERS, Endpoint.IVP_LIVEDATA_STATUS,
            Endpoint.IVP_METERS_REPORTS_CONSUMPTION, Endpoint.IVP_ENSEMBLE_INVENTORY, Endpoint.IVP_PDM_ENERGY,
            Endpoint.IVP_ENSEMBLE_SECCTRL, Endpoint.API_V1_PRODUCTION, Endpoint.PRODUCTION_JSON);

    /** What became of one capture file. */
    public record Outcome(Endpoint endpoint, String file, List<Reading> readings, String problem, boolean notData) {}

    /** The result of one folder: gateway name, readings in parse order, per-file outcomes, the final state. */
    public record Result(String gateway, List<Reading> readings, List<Outcome> outcomes, GatewayState state) {}

    /** Which capture file stands for /production.json?details=1. */
    public enum ProductionFile {
        /** {@code production.json_details_1} when present, else {@code production.json} (default) */
        DETAILS_FIRST,
        /**
         * always {@code production.json}, as the reference client's test harness does; used to compare with the
         * reference values, which were derived that way
         */
        PLAIN_FIRST
    }

    private final PayloadParser parser;
    private final ProductionFile productionFile;

    public Converter() {
        this(new DefaultPayloadParser(), ProductionFile.DETAILS_FIRST);
    }

    public Converter(PayloadParser parser, ProductionFile productionFile) {
        this.parser = parser;
        this.productionFile = productionFile;
    }

    public Result convert(Path folder) throws IOException {
        return convert(folder, null, Map.of());
    }

    /**
     * Converts a folder. The gateway tag is the serial of the folder's {@code info} capture, else {@code serial}
     * (may be null); without either, data files are rejected ({@code serial unknown}) rather than tagged with the
     * folder name. {@code tags} are added to every reading, as a gateway's configured tags are.
     */
    public Result convert(Path folder, String serial, Map<String, String> tags) throws IOException {
        Map<Endpoint, Path> files = captures(folder, productionFile);
        GatewayState state = new GatewayState();
        String gateway = serial != null ? serial : folder.getFileName().toString();
        List<Reading> readings = new ArrayList<>();
        List<Outcome> outcomes = new ArrayList<>();
        for (Endpoint ep : ORDER) {
            Path file = files.get(ep);
            if (file == null) {
                if (ep == Endpoint.IVP_METERS) {
                    // as the pipeline does when a firmware does not offer /ivp/meters: no CT meters
                    state.setMeters(List.of());
                }
                continue;
            }
            String body = Files.readString(file, StandardCharsets.UTF_8);
            int status = status(file);
            if (ep != Endpoint.INFO && serial == null && state.serial().isEmpty()) {
                outcomes.add(new Outcome(ep, file.getFileName().toString(), List.of(), "serial unknown (the gateway"
                        + " tag is always the serial): add the gateway's info capture to the folder or pass --serial",
                        false));
                continue;
            }
            try {
                List<Reading> r = parser.parse(gateway, ep, status, body, state);
                if (ep == Endpoint.INFO && state.serial().isPresent()) {
                    gateway = state.serial().get();
                }
                r = GatewayIdentity.withTags(r, tags);
                readings.addAll(r);
                outcomes.add(new Outcome(ep, file.getFileName().toString(), r, null, false));
            } catch (NotDataException e) {
                outcomes.add(new Outcome(ep, file.getFileName().toString(), List.of(), e.getMessage(), true));
            } catch (PayloadException e) {
                outcomes.add(new Outcome(ep, file.getFileName().toString(), List.of(), e.getMessage(), false));
            }
        }
        return new Result(gateway, readings, outcomes, state);
    }

    /**
     * The capture file of each endpoint. For /production.json?details=1 the file {@code production.json_details_1}
     * is used when present (DETAILS_FIRST), else {@code production.json}.
     */
    static Map<Endpoint, Path> captures(Path folder, ProductionFile productionFile) {
        Map<Endpoint, Path> files = new LinkedHashMap<>();
        for (Endpoint ep : Endpoint.values()) {
            Path p = folder.resolve(ep.captureName());
            if (ep == Endpoint.PRODUCTION_JSON
                    && (productionFile == ProductionFile.PLAIN_FIRST || !Files.isRegularFile(p))) {
                p = folder.resolve("production.json");
            }
            if (Files.isRegularFile(p)) {
                files.put(ep, p);
            }
        }
        return files;
    }

    /** The HTTP status from {@code NAME_log.json} ({@code "code"}), 200 when there is none. */
    static int status(Path file) {
        Path log = file.resolveSibling(file.getFileName() + "_log.json");
        if (!Files.isRegularFile(log)) {
            return 200;
        }
        try {
            JsonNode n = new ObjectMapper().readTree(Files.readString(log, StandardCharsets.UTF_8));
            JsonNode code = n == null ? null : n.get("code");
            return code != null && code.canConvertToInt() ? code.intValue() : 200;
        } catch (IOException | RuntimeException e) {
            return 200;
        }
    }

    /** Line protocol of all readings, or CSV: per measurement a header line, then its rows. */
    public static String render(List<Reading> readings, boolean csv) {
        if (!csv) {
            return LineProtocol.render(readings);
        }
        Map<String, List<Reading>> byMeasurement = new LinkedHashMap<>();
        for (Reading r : readings) {
            byMeasurement.computeIfAbsent(r.measurement(), k -> new ArrayList<>()).add(r);
        }
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, List<Reading>> e : byMeasurement.entrySet()) {
            sb.append(CsvRows.headerLine(e.getKey()));
            e.getValue().forEach(r -> sb.append(CsvRows.row(r)));
        }
        return sb.toString();
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** The convert command; returns the exit status (0 ok, 1 nothing converted, 2 usage or I/O error). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> rest = new ArrayList<>(List.of(args));
        if (!rest.isEmpty() && rest.get(0).equals("convert")) {
            rest.remove(0);
        }
        boolean csv = rest.remove("--csv");
        ProductionFile pf = rest.remove("--plain-production-json")
                ? ProductionFile.PLAIN_FIRST
                : ProductionFile.DETAILS_FIRST;
        String serial = null;
        Map<String, String> tags = new LinkedHashMap<>();
        for (int i = 0; i + 1 < rest.size();) {
            String opt = rest.get(i);
            if (opt.equals("--serial")) {
                serial = Json.cleanTag(rest.remove(i + 1));
                rest.remove(i);
            } else if (opt.equals("--tag") && rest.get(i + 1).matches("[A-Za-z][A-Za-z0-9_]*=.+")) {
                String[] kv = rest.remove(i + 1).split("=", 2);
                rest.remove(i);
                tags.put(kv[0], kv[1]);
            } else {
                i++;
            }
        }
        if (rest.size() != 1 || rest.get(0).startsWith("--")) {
            err.println("usage: convert <capture-folder> [--csv] [--plain-production-json] [--serial SERIAL]"
                    + " [--tag key=value]...");
            return 2;
        }
        return run(Path.of(rest.get(0)), csv, pf == ProductionFile.PLAIN_FIRST, serial, tags, null, out, err);
    }

    /**
     * The convert command: readings of the captures in {@code folder} to {@code out} (standard output) or, with
     * {@code outDir}, to {@code readings.lp} or one {@code <measurement>.csv} per measurement there. Returns the exit
     * status (0 ok, 1 nothing converted, 2 usage or I/O error).
     */
    public static int run(Path folder, boolean csv, boolean plainProductionJson, String serial,
            Map<String, String> tags, Path outDir, PrintStream out, PrintStream err) {
        if (!Files.isDirectory(folder)) {
            err.println("not a folder: " + folder);
            return 2;
        }
        ProductionFile pf = plainProductionJson ? ProductionFile.PLAIN_FIRST : ProductionFile.DETAILS_FIRST;
        Result result;
        try {
            result = new Converter(new DefaultPayloadParser(), pf).convert(folder, serial, tags);
        } catch (IOException e) {
            err.println("cannot read " + folder + ": " + e.getMessage());
            return 2;
        }
        for (Outcome o : result.outcomes()) {
            if (o.problem() != null) {
                err.println((o.notData() ? "not data: " : "rejected: ") + o.file() + ": " + o.problem());
            }
        }
        if (outDir == null) {
            out.print(render(result.readings(), csv));
            out.flush();
        } else {
            try {
                Files.createDirectories(outDir);
                if (csv) {
                    Map<String, List<Reading>> byMeasurement = new LinkedHashMap<>();
                    result.readings().forEach(
                            r -> byMeasurement.computeIfAbsent(r.measurement(), k -> new ArrayList<>()).add(r));
                    for (Map.Entry<String, List<Reading>> e : byMeasurement.entrySet()) {
                        Path file = outDir.resolve(e.getKey() + ".csv");
                        Files.writeString(file, render(e.getValue(), true), StandardCharsets.UTF_8);
                        out.println(file + ": " + e.getValue().size() + " rows");
                    }
                    Map<GatewayIdentity, Long> gateways = new LinkedHashMap<>();
                    GatewayIdentity.of(result.readings()).values().forEach(id -> gateways.put(id,
                            GatewayIdentity.firstTime(result.readings(), id.serial())));
                    if (!gateways.isEmpty()) {
                        Path file = outDir.resolve("gateways.csv");
                        Files.writeString(file, CsvRows.gateways(gateways), StandardCharsets.UTF_8);
                        out.println(file + ": " + gateways.size() + " rows");
                    }
                } else {
                    Path file = outDir.resolve("readings.lp");
                    Files.writeString(file, render(result.readings(), false), StandardCharsets.UTF_8);
                    out.println(file + ": " + result.readings().size() + " lines");
                }
            } catch (IOException e) {
                err.println("cannot write to " + outDir + ": " + e.getMessage());
                return 2;
            }
        }
        return result.readings().isEmpty() ? 1 : 0;
    }
}
