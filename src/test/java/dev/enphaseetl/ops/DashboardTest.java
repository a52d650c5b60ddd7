package dev.enphaseetl.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.enphaseetl.model.Schema;

/** The Grafana dashboard only asks for what the pipeline writes, through datasources that are provisioned. */
class DashboardTest {

    private static final Path GRAFANA = Path.of("deploy/grafana");
    private static final Path DASHBOARD = GRAFANA.resolve("dashboards/enphase.json");
    private static final Path LEDGER_SQL = Path.of("src/main/resources/db/migration/common/V2__daily_ledger.sql");

    private static final Pattern FROM = Pattern.compile("FROM\\s+\"(\\w+)\"");
    private static final Pattern FIELD_CALL = Pattern.compile("\\b(mean|last|first|max|min|sum|median|spread|count|"
            + "integral|difference|derivative|non_negative_derivative)\\(\\s*\"(\\w+)\"");
    private static final Pattern GROUP_BY = Pattern.compile("GROUP BY (.*?)(?: fill\\(|$)");
    private static final Pattern QUOTED = Pattern.compile("\"(\\w+)\"");
    private static final Pattern WHERE_TAG = Pattern.compile("\"(\\w+)\"\\s*(=~|!~|=|!=)");
    private static final Pattern WITH_KEY = Pattern.compile("WITH KEY\\s*=\\s*\"(\\w+)\"");

    static JsonNode dashboard;

    @BeforeAll
    static void load() throws IOException {
        dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
    }

    @Test
    void dashboardIsValidJsonWithDescribedPanels() {
        assertThat(dashboard.path("uid").asText()).isNotBlank();
        JsonNode panels = dashboard.path("panels");
        assertThat(panels.isArray()).isTrue();
        assertThat(panels.size()).isGreaterThanOrEqualTo(6);
        Set<Integer> ids = new LinkedHashSet<>();
        for (JsonNode p : panels) {
            assertThat(p.path("description").asText()).as("description of %s", p.path("title")).hasSizeGreaterThan(30);
            assertThat(p.path("targets").size()).as("targets of %s", p.path("title")).isPositive();
            assertThat(ids.add(p.path("id").asInt())).as("unique panel id").isTrue();
        }
    }

    @Test
    void influxQueriesNameSchemaMeasurementsFieldsAndTags() {
        List<String> queries = new ArrayList<>();
        for (JsonNode target : targets()) {
            if ("influxdb".equals(target.path("datasource").path("type").asText())) {
                queries.add(target.path("query").asText());
            }
        }
        dashboard.path("templating").path("list").forEach(v -> {
            if ("influxdb".equals(v.path("datasource").path("type").asText())) {
                queries.add(v.path("query").asText());
            }
        });
        assertThat(queries).hasSizeGreaterThanOrEqualTo(8);
        for (String q : queries) {
            Matcher from = FROM.matcher(q);
            assertThat(from.find()).as("FROM in %s", q).isTrue();
            Schema.Measurement m = Schema.find(from.group(1)).orElseThrow(
                    () -> new AssertionError("no measurement '" + from.group(1) + "' in Schema: " + q));
            Matcher field = FIELD_CALL.matcher(q);
            while (field.find()) {
                assertThat(m.fieldNames()).as("field in %s", q).contains(field.group(2));
            }
            Matcher where = WHERE_TAG.matcher(q);
            while (where.find()) {
                assertThat(m.tagNames()).as("WHERE tag in %s", q).contains(where.group(1));
            }
            Matcher group = GROUP_BY.matcher(q);
            if (group.find()) {
                Matcher tag = QUOTED.matcher(group.group(1));
                while (tag.find()) {
                    assertThat(m.tagNames()).as("GROUP BY tag in %s", q).contains(tag.group(1));
                }
            }
            Matcher key = WITH_KEY.matcher(q);
            if (key.find()) {
                assertThat(m.tagNames()).as("tag key in %s", q).contains(key.group(1));
            }
            if (!q.startsWith("SHOW")) {
                assertThat(FIELD_CALL.matcher(q).find()).as("a field in %s", q).isTrue();
            }
        }
    }

    @Test
    void theRequiredPanelsAreThere() {
        String all = dashboard.toString();
        assertThat(all).contains("\\\"production_w\\\"", "\\\"consumption_w\\\"", "\\\"net_w\\\"",
                "\\\"production_wh_today\\\"", "FROM \\\"system_phase\\\"", "FROM \\\"inverter\\\"",
                "FROM daily_ledger");
    }

    @Test
    void sqlQueriesNameLedgerColumnsThatExist() throws IOException {
        Set<String> columns = ledgerColumns();
        assertThat(columns).contains("gateway", "day", "produced_kwh", "self_sufficiency_pct");
        int sql = 0;
        for (JsonNode target : targets()) {
            String raw = target.path("rawSql").asText("");
            if (raw.isEmpty()) {
                continue;
            }
            sql++;
            Matcher m = Pattern.compile("(?is)SELECT\\s+(.*?)\\s+FROM\\s+(\\w+)\\b(?!\\()(.*)").matcher(raw);
            assertThat(m.find()).as(raw).isTrue();
            if (!m.group(2).equals("daily_ledger")) {
                assertThat(m.group(2)).as("the freshness panel's table, checked there").isEqualTo("system");
                continue;
            }
            for (String col : m.group(1).split(",")) {
                assertThat(columns).as("column in %s", raw).contains(col.trim());
            }
            Matcher order = Pattern.compile("(?i)ORDER BY (.*?)(?: LIMIT|$)").matcher(m.group(3));
            if (order.find()) {
                for (String col : order.group(1).split(",")) {
                    assertThat(columns).contains(col.trim().split("\\s+")[0]);
                }
            }
        }
        assertThat(sql).isPositive();
    }

    @Test
    void referencedDatasourcesAreProvisioned() throws IOException {
        Map<String, String> provisioned = provisionedDatasources();
        assertThat(provisioned).containsEntry("enphase", "influxdb");
        List<JsonNode> refs = new ArrayList<>(targets());
        dashboard.path("panels").forEach(refs::add);
        dashboard.path("templating").path("list").forEach(refs::add);
        for (JsonNode n : refs) {
            JsonNode ds = n.path("datasource");
            if (ds.isMissingNode()) {
                continue;
            }
            String uid = ds.path("uid").asText();
            assertThat(provisioned).as("datasource uid of %s", n).containsKey(uid);
            assertThat(provisioned.get(uid)).isEqualTo(ds.path("type").asText());
        }
        // the influx datasource points at the compose service and the database the sink writes by default
        String yaml = Files.readString(GRAFANA.resolve("provisioning/datasources/influxdb.yaml"));
        assertThat(yaml).contains("url: http://influxdb:8086");
        assertThat(influxDatasource()).doesNotContainKey("database").extractingByKey("jsonData")
                .asInstanceOf(InstanceOfAssertFactories.MAP).containsEntry("dbName", "enphase");
        assertThat(Files.readString(GRAFANA.resolve("provisioning/dashboards/enphase.yaml")))
                .contains("path: /var/lib/grafana/dashboards");
    }

    @Test
    void everyQueryFollowsTheGatewayVariable() {
        for (JsonNode target : targets()) {
            String q = target.path("rawSql").asText(target.path("query").asText());
            if (target.has("rawSql")) {
                assertThat(q).as("SQL follows $gateway").contains("WHERE gateway ~ '^${gateway:regex}$'");
            } else {
                assertThat(q).as("InfluxQL follows $gateway").contains("\"gateway\" =~ /^$gateway$/");
            }
        }
    }

    @Test
    void theFreshnessPanelTurnsRedPastAThreshold() throws IOException {
        JsonNode panel = null;
        for (JsonNode p : dashboard.path("panels")) {
            if (p.path("title").asText().startsWith("Freshness")) {
                panel = p;
            }
        }
        assertThat(panel).as("freshness panel").isNotNull();
        String sql = panel.path("targets").get(0).path("rawSql").asText();
        assertThat(sql).contains("MAX(time) AS age_s FROM system", "GROUP BY gateway");
        assertThat(tableColumns(Path.of("src/main/resources/db/migration/common/V1__measurement_tables.sql"),
                "system")).contains("gateway", "time");
        JsonNode defaults = panel.path("fieldConfig").path("defaults");
        assertThat(defaults.path("unit").asText()).isEqualTo("s");
        List<JsonNode> steps = new ArrayList<>();
        defaults.path("thresholds").path("steps").forEach(steps::add);
        assertThat(steps.get(0).path("color").asText()).isEqualTo("green");
        JsonNode last = steps.get(steps.size() - 1);
        assertThat(last.path("color").asText()).isEqualTo("red");
        assertThat(last.path("value").asInt()).isBetween(120, 3600);
        assertThat(panel.path("options").path("colorMode").asText()).isIn("background", "value");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> influxDatasource() throws IOException {
        Map<String, Object> doc = (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(
                Files.readString(GRAFANA.resolve("provisioning/datasources/influxdb.yaml")));
        for (Object o : (List<Object>) doc.get("datasources")) {
            if ("influxdb".equals(((Map<String, Object>) o).get("type"))) {
                return (Map<String, Object>) o;
            }
        }
        throw new AssertionError("no influxdb datasource");
    }

    // ---- helpers

    private static List<JsonNode> targets() {
        List<JsonNode> out = new ArrayList<>();
        dashboard.path("panels").forEach(p -> p.path("targets").forEach(out::add));
        return out;
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> provisionedDatasources() throws IOException {
        Load load = new Load(LoadSettings.builder().build());
        Map<String, Object> doc = (Map<String, Object>) load.loadFromString(
                Files.readString(GRAFANA.resolve("provisioning/datasources/influxdb.yaml")));
        Map<String, String> byUid = new LinkedHashMap<>();
        for (Object o : (List<Object>) doc.get("datasources")) {
            Map<String, Object> ds = (Map<String, Object>) o;
            byUid.put((String) ds.get("uid"), (String) ds.get("type"));
        }
        return byUid;
    }

    static Set<String> ledgerColumns() throws IOException {
        return tableColumns(LEDGER_SQL, "daily_ledger");
    }

    /** The columns of {@code CREATE TABLE <table>} in a migration. */
    static Set<String> tableColumns(Path sqlFile, String table) throws IOException {
        Set<String> cols = new LinkedHashSet<>();
        boolean inTable = false;
        for (String line : Files.readAllLines(sqlFile)) {
            String l = line.trim();
            if (l.equals("CREATE TABLE " + table + " (") || l.startsWith("CREATE TABLE " + table + "(")) {
                inTable = true;
                continue;
            }
            if (!inTable || l.startsWith("--") || l.isEmpty()) {
                continue;
            }
            if (l.startsWith(")")) {
                break;
            }
            String first = l.split("\\s+")[0];
            if (!first.equalsIgnoreCase("PRIMARY")) {
                cols.add(first);
            }
        }
        return cols;
    }
}
