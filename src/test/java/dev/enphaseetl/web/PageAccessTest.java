package dev.enphaseetl.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Who may see the page: trusted clients are narrowed to 127.0.0.1, so a client bound to 127.0.0.2 plays "the
 * network". Without the password it is refused (page, API, health, metrics); with it (basic auth with any user name,
 * or a bearer token) it is served; a wrong password is refused. Metrics are opened separately and answer it without
 * a password. The password never reaches the log.
 */
@QuarkusTest
@TestProfile(PageAccessTest.Profile.class)
class PageAccessTest {

    static final String PASSWORD = "p455-w0rd:with colon";
    static final Path DATA = Path.of("target", "page-access-" + Long.toString(System.nanoTime(), 36));

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> m = new HashMap<>();
            m.put("enphase.data-dir", DATA.toString());
            m.put("enphase.web.trusted", "127.0.0.1");
            m.put("enphase.web.password", PASSWORD);
            m.put("enphase.web.metrics-open", "true");
            m.put("enphase.ledger.enabled", "false");
            m.put("quarkus.log.file.enabled", "true");
            m.put("quarkus.log.file.path", DATA.resolve("debug.log").toString());
            m.put("quarkus.log.file.level", "DEBUG");
            m.put("quarkus.log.category.\"dev.enphaseetl\".level", "DEBUG");
            return m;
        }
    }

    @TestHTTPResource("/")
    URL root;

    record Answer(int status, String head, String body) {}

    /** A raw HTTP/1.0 GET (no chunked answer to decode) from a chosen loopback source address (java.net.http cannot bind one). */
    Answer get(String from, String path, String authorization) throws IOException {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            s.connect(new InetSocketAddress(root.getHost(), root.getPort()), 5000);
            s.setSoTimeout(10_000);
            String req = "GET " + path + " HTTP/1.0\r\nHost: " + root.getHost() + ":" + root.getPort()
                    + "\r\nConnection: close\r\n" + (authorization == null
                            ? ""
                            : "Authorization: " + authorization
                                    + "\r\n")
                    + "\r\n";
            OutputStream out = s.getOutputStream();
            out.write(req.getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            in.transferTo(buf);
            String all = buf.toString(StandardCharsets.UTF_8);
            int split = all.indexOf("\r\n\r\n");
            String head = split < 0 ? all : all.substring(0, split);
            int status = Integer.parseInt(head.substring(9, 12));
            return new Answer(status, head, split < 0 ? "" : all.substring(split + 4));
        }
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aTrustedClientIsServedWithoutAPassword() throws Exception {
        assertThat(get("127.0.0.1", "/", null).status()).isEqualTo(200);
        Answer now = get("127.0.0.1", "/api/now", null);
        assertThat(now.status()).isEqualTo(200);
        assertThat(now.body()).contains("\"gateways\"");
        assertThat(get("127.0.0.1", "/q/health/ready", null).status()).isIn(200, 503);
    }

    @Test
    void anotherClientIsRefusedWithoutThePasswordAndServedWithIt() throws Exception {
        for (String path : new String[]{"/", "/page.js", "/api/now", "/api/pipeline", "/api/ledger.csv",
                "/q/health", "/q/health/ready", "/webjars/uplot/dist/uPlot.iife.min.js"}) {
            Answer refused = get("127.0.0.2", path, null);
            assertThat(refused.status()).as("%s without password", path).isEqualTo(401);
            assertThat(refused.head()).contains("WWW-Authenticate: Basic realm=\"enphase-etl\"");
            assertThat(refused.body()).doesNotContain("production_w").contains("enphase.web.password");
            assertThat(get("127.0.0.2", path, basic("any", "wrong")).status()).as("%s wrong password", path)
                    .isEqualTo(401);
            assertThat(get("127.0.0.2", path, "Bearer " + PASSWORD.substring(1)).status())
                    .as("%s a prefix-shortened token", path).isEqualTo(401);
        }
        Answer page = get("127.0.0.2", "/", basic("anyone", PASSWORD));
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("<title>enphase-etl</title>");
        Answer api = get("127.0.0.2", "/api/pipeline", "Bearer " + PASSWORD);
        assertThat(api.status()).isEqualTo(200);
        assertThat(api.body()).contains("\"sinks\"").contains("\"dead_letters\"")
                .contains("\"archive_gaps\":{\"cloud\":null,\"state\":\"no-report\"");
        assertThat(get("127.0.0.2", "/webjars/uplot/dist/uPlot.iife.min.js", basic("", PASSWORD)).status())
                .isEqualTo(200);
    }

    @Test
    void metricsOpenedSeparatelyAnswerEveryone() throws Exception {
        Answer metrics = get("127.0.0.2", "/q/metrics", null);
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body()).contains("# TYPE");
        // opening metrics opens nothing else
        assertThat(get("127.0.0.2", "/q/metricsX", null).status()).isEqualTo(401);
        assertThat(get("127.0.0.2", "/api/now", null).status()).isEqualTo(401);
    }

    @Test
    void badParametersGetOneClearLine() throws Exception {
        Answer a = get("127.0.0.1", "/api/power?day=21.06.2024", null);
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.body().trim()).isEqualTo("day must be a date like 2024-06-21, not '21.06.2024'");
        Answer p = get("127.0.0.1", "/api/power?points=1e9", null);
        assertThat(p.status()).isEqualTo(400);
        assertThat(p.body()).contains("points must be a whole number");
    }

    @Test
    void thePasswordNeverReachesTheLog() throws Exception {
        get("127.0.0.2", "/api/now", basic("x", PASSWORD));
        get("127.0.0.2", "/api/now", basic("x", "wrong"));
        String log = Files.exists(DATA.resolve("debug.log")) ? Files.readString(DATA.resolve("debug.log")) : "";
        assertThat(log).as("DEBUG log").contains("dev.enphaseetl");
        assertThat(log).doesNotContain(PASSWORD).doesNotContain(Base64.getEncoder().encodeToString(("x:" + PASSWORD)
                .getBytes(StandardCharsets.UTF_8)));
    }
}
