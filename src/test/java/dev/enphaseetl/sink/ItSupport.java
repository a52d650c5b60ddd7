package dev.enphaseetl.sink;

import static org.junit.jupiter.api.Assertions.fail;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.UUID;

import org.junit.jupiter.api.Assumptions;

/**
 * Integration tests need real servers (started by {@code .ci/services.sh}). A missing server fails the test, unless
 * the system property {@code enphase.it.skip} is set, which skips it instead.
 */
public final class ItSupport {

    private ItSupport() {}

    public static boolean skipRequested() {
        return System.getProperty("enphase.it.skip") != null;
    }

    /** Fails (or skips with -Denphase.it.skip) when nothing listens on 127.0.0.1:port. */
    public static void requireServer(String name, int port) {
        if (skipRequested()) {
            Assumptions.abort("enphase.it.skip is set: skipping the " + name + " integration test");
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        } catch (Exception e) {
            fail(name + " is not reachable on 127.0.0.1:" + port + " (" + e.getMessage()
                    + "); run .ci/services.sh first, or set -Denphase.it.skip to skip integration tests");
        }
    }

    /** A database name unique to this run, so tests are re-runnable and can run side by side. */
    public static String uniqueDatabaseName() {
        return "enphase_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }
}
