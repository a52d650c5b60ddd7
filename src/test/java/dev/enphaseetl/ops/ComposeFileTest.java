package dev.enphaseetl.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** docker-compose.yml, the Dockerfile and the Grafana provisioning fit together and use real configuration keys. */
class ComposeFileTest {

    private static final Path COMPOSE = Path.of("docker-compose.yml");
    private static final Path DOCKERFILE = Path.of("Dockerfile");
    private static final Path DATASOURCES = Path.of("deploy/grafana/provisioning/datasources/influxdb.yaml");
    private static final Path DASHBOARD_PROVIDER = Path.of("deploy/grafana/provisioning/dashboards/enphase.yaml");

    static Map<String, Object> compose;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void load() throws IOException {
        compose = (Map<String, Object>) new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(COMPOSE));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> service(String name) {
        Map<String, Object> services = (Map<String, Object>) compose.get("services");
        assertThat(services).as("services").containsKey(name);
        return (Map<String, Object>) services.get(name);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> env(String service) {
        return (Map<String, Object>) service(service).get("environment");
    }

    @Test
    void servicesTheDashboardNeedsExist() throws IOException {
        service("enphase-etl");
        service("grafana");
        // every datasource URL of the Grafana provisioning names a compose service
        String yaml = Files.readString(DATASOURCES);
        Matcher url = Pattern.compile("(?m)^\\s*url:\\s*(\\S+)").matcher(yaml);
        int n = 0;
        while (url.find()) {
            String u = url.group(1);
            String host = u.contains("://") ? URI.create(u).getHost() : u.split(":")[0];
            service(host);
            n++;
        }
        assertThat(n).isEqualTo(2);
        assertThat(env("influxdb")).containsEntry("INFLUXDB_DB", "enphase");
        assertThat(env("postgres")).containsEntry("POSTGRES_DB", "enphase");
        assertThat((String) service("influxdb").get("image")).startsWith("influxdb:1.");
        assertThat((String) service("postgres").get("image")).startsWith("postgres:16");
    }

    @Test
    @SuppressWarnings("unchecked")
    void grafanaMountsTheProvisioningAndTheDashboards() throws IOException {
        List<String> volumes = (List<String>) service("grafana").get("volumes");
        assertThat(volumes).contains("./deploy/grafana/provisioning:/etc/grafana/provisioning:ro");
        String provider = Files.readString(DASHBOARD_PROVIDER);
        Matcher path = Pattern.compile("path:\\s*(\\S+)").matcher(provider);
        assertThat(path.find()).isTrue();
        assertThat(volumes).contains("./deploy/grafana/dashboards:" + path.group(1) + ":ro");
        assertThat(Files.exists(Path.of("deploy/grafana/dashboards/enphase.json"))).isTrue();
        // the ${VAR}s of the datasource file are set on the grafana service
        Matcher var = Pattern.compile("\\$\\{(\\w+)}").matcher(Files.readString(DATASOURCES));
        while (var.find()) {
            assertThat(env("grafana")).containsKey(var.group(1));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyServiceHasAHealthcheckAndStartsAfterItsDependenciesAreHealthy() {
        Map<String, Object> services = (Map<String, Object>) compose.get("services");
        int dependencies = 0;
        for (String name : services.keySet()) {
            Map<String, Object> hc = (Map<String, Object>) service(name).get("healthcheck");
            assertThat(hc).as("healthcheck of %s", name).isNotNull().containsKeys("test", "interval", "retries");
            assertThat(hc.get("test").toString()).as("%s healthcheck", name).isNotBlank();
            Object deps = service(name).get("depends_on");
            if (deps == null) {
                continue;
            }
            assertThat(deps).as("depends_on of %s: a map with conditions, not a list", name).isInstanceOf(Map.class);
            for (Map.Entry<String, Object> d : ((Map<String, Object>) deps).entrySet()) {
                assertThat((Map<String, Object>) d.getValue()).as("%s depends on %s", name, d.getKey())
                        .containsEntry("condition", "service_healthy");
                assertThat(service(d.getKey())).containsKey("healthcheck");
                dependencies++;
            }
        }
        // enphase-etl and grafana on influxdb and postgres; profile kafka: two edges on kafka, central on all three
        assertThat(dependencies).isEqualTo(9);
        // the pipeline's health in compose is liveness: readiness is DOWN while a sink is down, by design
        assertThat(((Map<String, Object>) service("enphase-etl").get("healthcheck")).get("test").toString())
                .contains("/q/health/live");
    }

    @Test
    @SuppressWarnings("unchecked")
    void portsArePublishedOnLoopbackUnlessTheOperatorSaysOtherwise() {
        Map<String, Object> services = (Map<String, Object>) compose.get("services");
        int ports = 0;
        for (String name : services.keySet()) {
            for (Object port : (List<Object>) service(name).getOrDefault("ports", List.of())) {
                assertThat(port.toString()).as("port of %s", name)
                        .matches("(127\\.0\\.0\\.1|\\$\\{PUBLISH_ADDRESS:-127\\.0\\.0\\.1}):\\d+:\\d+");
                ports++;
            }
        }
        assertThat(ports).isEqualTo(3);
    }

    @Test
    void enphaseEtlPointsAtTheComposeServers() {
        Map<String, Object> env = env("enphase-etl");
        assertThat(env).containsEntry("ENPHASE_SINK_INFLUXDB_URL", "http://influxdb:8086")
                .containsEntry("ENPHASE_SINK_JDBC_URL", "jdbc:postgresql://postgres:5432/enphase")
                .containsKeys("ENPHASE_SINK_JDBC_USER", "ENPHASE_SINK_JDBC_PASSWORD")
                .doesNotContainKey("ENPHASE_GATEWAYS_0__HOST"); // no gateway: the built-in simulator runs
    }

    @Test
    void theKafkaProfileHasKafkaTwoEdgesAndOneCentral() {
        for (String name : List.of("kafka", "edge-1", "edge-2", "central")) {
            assertThat(service(name).get("profiles")).as(name).isEqualTo(List.of("kafka"));
        }
        assertThat(env("edge-1")).containsEntry("ENPHASE_ROLE", "edge")
                .containsEntry("ENPHASE_KAFKA_BOOTSTRAP_SERVERS", "kafka:9092");
        assertThat(env("edge-2")).containsEntry("ENPHASE_ROLE", "edge");
        assertThat(env("edge-1").get("ENPHASE_SIMULATOR_SEED"))
                .isNotEqualTo(env("edge-2").get("ENPHASE_SIMULATOR_SEED"));
        assertThat(env("central")).containsEntry("ENPHASE_ROLE", "central")
                .containsEntry("ENPHASE_SINK_INFLUXDB_URL", "http://influxdb:8086")
                .containsEntry("ENPHASE_SINK_JDBC_URL", "jdbc:postgresql://postgres:5432/enphase");
        assertThat((String) service("kafka").get("image")).startsWith("apache/kafka:4.");
        assertThat(service("enphase-etl")).doesNotContainKey("profiles");
    }

    @Test
    void enphaseEnvironmentNamesAreConfigKeys() throws IOException {
        List<Pattern> valid = validEnvNames();
        Set<String> names = new LinkedHashSet<>();
        for (String service : List.of("enphase-etl", "edge-1", "edge-2", "central")) {
            env(service).keySet().stream().filter(k -> k.startsWith("ENPHASE_")).forEach(names::add);
        }
        // the commented examples count too
        Matcher commented = Pattern.compile("(?m)^\\s*#\\s*(ENPHASE_\\w+):").matcher(Files.readString(COMPOSE));
        while (commented.find()) {
            names.add(commented.group(1));
        }
        assertThat(names).contains("ENPHASE_GATEWAYS_0__HOST", "ENPHASE_GATEWAYS_0__TOKEN", "ENPHASE_SINK_JDBC_URL");
        for (String name : names) {
            assertThat(valid).as("%s is the environment name of a configuration key", name)
                    .anyMatch(p -> p.matcher(name).matches());
        }
        // and the check itself refuses a typo
        assertThat(valid).noneMatch(p -> p.matcher("ENPHASE_SINK_INFLUX_URL").matches());
    }

    @Test
    void dockerfileUnpacksTheDistributionAndRunsItsLauncherAsNonRoot() throws IOException {
        String df = Files.readString(DOCKERFILE);
        assertThat(df).containsPattern("(?m)^COPY --from=build /src/target/enphase-etl-\\*\\.tar\\.gz /tmp/$")
                .containsPattern("(?m)^RUN .*tar xzf /tmp/enphase-etl-\\*\\.tar\\.gz --strip-components=1 -C /app")
                .contains("ENPHASE_ROUTES_DIR=/app/routes", "ENPHASE_DATA_DIR=/data", "VOLUME /data", "EXPOSE 8080",
                        "ENTRYPOINT [\"/app/bin/enphase-etl\"]", "/q/health/ready", "-Dservices.skip=true",
                        "-Dformat.skip=true package")
                .containsPattern("(?m)^FROM maven:3\\.9-eclipse-temurin-17 AS build$")
                // the runtime is Java 19 or later, where the launcher keeps its class data sharing archive
                .containsPattern("(?m)^FROM eclipse-temurin:21-jre$")
                .containsPattern("(?m)^USER enphase$");
        assertThat(Files.readString(Path.of(".dockerignore"))).contains("target/", "data/");
    }

    @Test
    void dockerComposeAcceptsTheFile() throws Exception {
        String binary = null;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "docker-compose"))) {
                binary = Path.of(dir, "docker-compose").toString();
                break;
            }
        }
        Assumptions.assumeTrue(binary != null, "docker-compose not installed: skipping 'docker-compose config -q'");
        Process p = new ProcessBuilder(binary, "-f", COMPOSE.toString(), "config", "-q").redirectErrorStream(true)
                .start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.exitValue()).as(out).isZero();
    }

    /** Environment names of the enphase.* keys (MicroProfile rule) plus the ${ENPHASE_*} of application.properties. */
    static List<Pattern> validEnvNames() throws IOException {
        List<Pattern> out = new ArrayList<>();
        for (String key : ConfigKeys.fromEnphaseConfig().patterns()) {
            StringBuilder re = new StringBuilder();
            for (int i = 0; i < key.length(); i++) {
                char c = key.charAt(i);
                if (key.startsWith("[*]", i)) {
                    re.append("_[0-9]+_");
                    i += 2;
                } else if (c == '*') {
                    re.append("[A-Z0-9_]+");
                } else if (Character.isLetterOrDigit(c)) {
                    re.append(Character.toUpperCase(c));
                } else {
                    re.append('_');
                }
            }
            out.add(Pattern.compile(re.toString()));
        }
        Matcher m = Pattern.compile("\\$\\{(ENPHASE_\\w+)").matcher(
                Files.readString(Path.of("src/main/resources/application.properties")));
        while (m.find()) {
            out.add(Pattern.compile(Pattern.quote(m.group(1))));
        }
        return out;
    }
}
