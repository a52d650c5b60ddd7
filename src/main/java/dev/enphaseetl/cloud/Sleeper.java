package dev.enphaseetl.cloud;

import java.time.Duration;

/** How the client waits (rate limit, backoff): real sleep in production, a moved clock in tests. */
@FunctionalInterface
public interface Sleeper {

    void sleep(Duration d) throws InterruptedException;

    Sleeper REAL = d -> Thread.sleep(Math.max(0, d.toMillis()));
}
