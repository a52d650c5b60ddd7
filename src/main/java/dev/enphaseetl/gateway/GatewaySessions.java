package dev.enphaseetl.gateway;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;

import dev.enphaseetl.parse.Endpoint;

/**
 * The gateway's session cookie: opened with {@code /auth/check_jwt} as the gateway expects and reused while the
 * gateway accepts it. Firmware without the endpoint gets bearer-only requests (asked again after an hour). Sessions
 * are never logged.
 */
final class GatewaySessions {

    private static final String CHECK_PATH = "/auth/check_jwt";
    private static final String COOKIE = "sessionId";
    private static final Duration ASK_AGAIN_AFTER = Duration.ofHours(1);

    /** What /auth/check_jwt said: the token refused, a session, or no session (firmware without sessions). */
    private record Answer(boolean refused, Optional<String> session) {}

    private final GatewayHttpClient http;
    /** The gateway's session, by gateway id. */
    private final Map<String, String> sessions = new ConcurrentHashMap<>();
    /** Gateways whose firmware gave no session: when to ask again (epoch millis). */
    private final Map<String, Long> noSessionUntil = new ConcurrentHashMap<>();

    GatewaySessions(GatewayHttpClient http) {
        this.http = http;
    }

    /** The value of the {@code Cookie} header that carries {@code session}. */
    static String cookie(String session) {
        return COOKIE + "=" + session;
    }

    /**
     * The gateway's session: the current one, else a new one opened at {@code base} with {@code bearer}. Completes on
     * an I/O thread.
     */
    CompletableFuture<Optional<String>> open(GatewayTarget gw, URI base, String bearer) {
        Optional<String> current = current(gw.id());
        if (current.isPresent()) {
            return CompletableFuture.completedFuture(current);
        }
        Long until = noSessionUntil.get(gw.id());
        if (until != null && until > System.currentTimeMillis()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        SimpleHttpRequest check = GatewayHttpClient.get(GatewayTarget.resolve(base, CHECK_PATH), Optional.of(bearer));
        return http.execute(check, new PollTask(gw, Endpoint.INFO)).thenApply(response -> {
            Answer answer;
            if (Fetched.accessRefused(response.status())) {
                // the token is refused: no session now, the data request will say so
                answer = new Answer(true, Optional.empty());
            } else if (response.status() != 200) {
                answer = new Answer(false, Optional.empty());
            } else {
                answer = new Answer(false, sessionCookie(response.setCookies()));
            }
            if (answer.refused()) {
                return Optional.empty();
            }
            if (answer.session().isEmpty()) {
                noSessionUntil.put(gw.id(), System.currentTimeMillis() + ASK_AGAIN_AFTER.toMillis());
                return Optional.empty();
            }
            sessions.put(gw.id(), answer.session().get());
            return answer.session();
        });
    }

    private static Optional<String> sessionCookie(List<String> setCookies) {
        String prefix = COOKIE + "=";
        for (String h : setCookies) {
            for (String part : h.split(";")) {
                String p = part.trim();
                if (p.startsWith(prefix) && p.length() > prefix.length()) {
                    return Optional.of(p.substring(prefix.length()));
                }
            }
        }
        return Optional.empty();
    }

    /** The gateway's session, if one is open. */
    Optional<String> current(String gatewayId) {
        return Optional.ofNullable(sessions.get(gatewayId));
    }

    /** Forgets the gateway's session (the gateway refused a request made with it). */
    void forget(String gatewayId) {
        sessions.remove(gatewayId);
    }
}
