package dev.enphaseetl.faults;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

import dev.enphaseetl.model.Reading;
import dev.enphaseetl.spool.DurableFiles;
import dev.enphaseetl.spool.Spool;
import dev.enphaseetl.spool.SpoolCodec;

/**
 * A spool that cannot be written. Tests run as root, for whom {@code chmod 555} blocks nothing, so the spool's
 * staging directory {@code spool/.tmp} is made a regular file: every write fails with an I/O error, as on a
 * read-only or broken file system. Entries already in the spool are still delivered; readiness is DOWN naming the
 * error; once the file is gone, polls are spooled again.
 */
@QuarkusTest
@TestProfile(SpoolUnwritableTest.Profile.class)
class SpoolUnwritableTest {

    static final Path DATA = FaultEnv.dataDir("unwritable");
    static final int EARLIER = 50;

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Path spool = DATA.resolve("spool");
                if (!Files.exists(spool.resolve(".tmp"))) {
                    List<Reading> earlier = new ArrayList<>();
                    for (int i = 0; i < EARLIER; i++) {
                        earlier.add(Reading.of("earlierprobe", 1_700_000_000L + i).tag("gateway", "earlier")
                                .field("n", (double) i).build());
                    }
                    DurableFiles.writeAtomically(spool.resolve(".staging"),
                            spool.resolve("lineprotocol").resolve("0000000000000-000000001.jsonl"),
                            SpoolCodec.encode(earlier));
                    Files.writeString(spool.resolve(".tmp"), "a regular file where the spool needs a directory");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Map<String, String> m = FaultEnv.fastPipeline(DATA);
            m.put("enphase.sink.jdbc.enabled", "false");
            m.put("enphase.sink.csv.enabled", "false");
            return m;
        }
    }

    @Inject
    Spool spool;

    @Test
    void anUnwritableSpoolTurnsReadinessDownAndLosesNothingAlreadySpooled() throws Exception {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .until(() -> spool.state().writeError().isPresent()
                        && FaultFiles.list(DATA.resolve("spool").resolve("lineprotocol"), ".jsonl").isEmpty());
        List<String> lines = FaultFiles.lineProtocol(DATA);
        long earlier = lines.stream().filter(l -> l.startsWith("earlierprobe")).count();
        long fresh = lines.size() - earlier;
        JsonPath ready = given().when().get("/q/health/ready").then().statusCode(503).extract().jsonPath();
        String error = ready.getString("checks.find { it.name == 'enphase-etl pipeline' }.data.'spool.write_error'");
        System.out.printf("FIGURES unwritable: earlier entry readings delivered=%d of %d, new lines while "
                + "unwritable=%d, readiness 503, spool.write_error=%s%n", earlier, EARLIER, fresh, error);
        assertThat(earlier).isEqualTo(EARLIER);
        assertThat(fresh).isZero();
        assertThat(error).contains("cannot write spool").contains(".tmp");

        // repaired: polls are spooled and delivered again, the write error clears
        Files.delete(DATA.resolve("spool").resolve(".tmp"));
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300))
                .until(() -> spool.state().writeError().isEmpty()
                        && FaultFiles.lineProtocol(DATA).size() > EARLIER);
        System.out.printf("FIGURES unwritable: after repair %d new lines%n",
                FaultFiles.lineProtocol(DATA).size() - EARLIER);
    }
}
