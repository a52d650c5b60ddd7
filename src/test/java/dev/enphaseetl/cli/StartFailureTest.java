package dev.enphaseetl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.BindException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.quarkus.runtime.QuarkusBindException;

/** How the command tells a failed start: one line naming the fix, a stack trace only for the unexpected. */
class StartFailureTest {

    private static String describe(Throwable t) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        EnphaseEtl.describe(t, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aPortInUseIsOneLineNamingEnphaseHttpPort() {
        Throwable t = new RuntimeException("Unable to start HTTP server",
                new QuarkusBindException("0.0.0.0", 18080, new BindException("Address already in use")));
        assertThat(describe(t).lines()).singleElement().asString().contains("HTTP port 18080 is already in use")
                .contains("ENPHASE_HTTP_PORT");
    }

    @Test
    void anUnexpectedFailureKeepsItsStackTrace() {
        String out = describe(new IllegalStateException("boom"));
        assertThat(out).startsWith("enphase-etl: failed to start: java.lang.IllegalStateException: boom");
        assertThat(out.lines().count()).isGreaterThan(2);
    }

    @Test
    void onlyNoArgumentsOrRunWithoutHelpStartThePipeline() {
        assertThat(EnphaseEtl.isRun(new String[0])).isTrue();
        assertThat(EnphaseEtl.isRun(new String[]{"run"})).isTrue();
        assertThat(EnphaseEtl.isRun(new String[]{"run", "--help"})).isFalse();
        assertThat(EnphaseEtl.isRun(new String[]{"--run"})).isFalse();
        assertThat(EnphaseEtl.isRun(new String[]{"validate"})).isFalse();
        assertThat(EnphaseEtl.isRun(new String[]{"--bogus"})).isFalse();
    }
}
