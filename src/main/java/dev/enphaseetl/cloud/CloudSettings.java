package dev.enphaseetl.cloud;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import dev.enphaseetl.config.EnphaseConfig;

/**
 * What the cloud client needs, from {@code enphase.cloud.*} (or built by tests against the simulator).
 *
 * @param dir where the OAuth tokens, the quota count and the import progress are kept ({@code <data-dir>/cloud})
 */
public record CloudSettings(URI apiUrl, URI authorizeUrl, URI tokenUrl, String redirectUri, Optional<String> clientId,
        Optional<String> clientSecret, Optional<String> apiKey, int perMinute, int perMonth, int fillReserve,
        Duration connectTimeout, Duration requestTimeout, Duration maxBackoff, Map<String, String> systems,
        Path dir) {

    public static CloudSettings from(EnphaseConfig config) {
        EnphaseConfig.Cloud c = config.cloud();
        return new CloudSettings(URI.create(c.apiUrl()), URI.create(c.authorizeUrl()), URI.create(c.oauthTokenUrl()),
                c.redirectUri(), c.clientId().filter(s -> !s.isBlank()), c.clientSecret().filter(s -> !s.isBlank()),
                c.apiKey().filter(s -> !s.isBlank()), c.requestsPerMinute(), c.requestsPerMonth(), c.fillReserve(),
                c.connectTimeout(), c.requestTimeout(), c.maxBackoff(), c.systems(),
                Path.of(config.dataDir(), "cloud"));
    }

    /** Client id, secret and API key are all set: cloud calls can be made once the owner has authorized. */
    public boolean configured() {
        return clientId.isPresent() && clientSecret.isPresent() && apiKey.isPresent();
    }

    /** The configuration keys that are missing for cloud calls, for one clear line. */
    public String missingKeys() {
        StringBuilder b = new StringBuilder();
        if (clientId.isEmpty()) {
            b.append("enphase.cloud.client-id ");
        }
        if (clientSecret.isEmpty()) {
            b.append("enphase.cloud.client-secret ");
        }
        if (apiKey.isEmpty()) {
            b.append("enphase.cloud.api-key ");
        }
        return b.toString().trim();
    }

    @Override
    public String toString() {
        return "CloudSettings[" + apiUrl + ", " + perMinute + "/min, " + perMonth + "/month, " + dir + "]";
    }
}
