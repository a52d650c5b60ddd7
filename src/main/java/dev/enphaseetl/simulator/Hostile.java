package dev.enphaseetl.simulator;

import java.util.Locale;

/**
 * How a whole simulated gateway misbehaves on every path (data endpoints, {@code /info} and
 * {@code /auth/check_jwt} alike), to prove that one such gateway among healthy ones costs the pipeline nothing
 * but its own polls. Unlike a {@link Fault}, which is per endpoint, a hostile mode is per gateway. Nothing large is
 * held in memory: big answers are generated on the fly, honouring back-pressure, and stop when the client leaves.
 */
public enum Hostile {
    /** Answers normally. */
    NONE,
    /** 200 with a 500 MB JSON body (Content-Length given), streamed. */
    HUGE,
    /** 200 with {@code Content-Encoding: gzip}: about 1 MB on the wire that inflates to 1 GB of zeros. */
    GZIP_BOMB,
    /** 200, chunked, a JSON array that never ends. */
    ENDLESS,
    /** 200 with a small JSON body sent one byte per second. */
    TRICKLE,
    /** 200 with an HTML page on every path. */
    HTML,
    /** 401 on every path. */
    UNAUTHORIZED;

    /** The mode named {@code name} (any case, {@code -} or {@code _}), e.g. {@code gzip-bomb}. */
    public static Hostile parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown hostile mode " + name + "; one of huge, gzip-bomb, endless,"
                    + " trickle, html, unauthorized, none");
        }
    }
}
