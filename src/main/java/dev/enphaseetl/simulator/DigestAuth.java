package dev.enphaseetl.simulator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Server side of HTTP Digest authentication (RFC 7616 / 2617), algorithm MD5, {@code qop=auth}, as legacy gateways
 * use on {@code /api/v1/production/inverters}. Nonces are random and remembered; each nonce count must grow.
 */
final class DigestAuth {

    static final String REALM = "enphaseenergy.com";
    private static final int MAX_NONCES = 10_000;
    private static final Pattern PARAM = Pattern.compile("(\\w+)\\s*=\\s*(?:\"([^\"]*)\"|([^,\\s]*))");

    private final String username;
    private final String password;
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Map<String, Long> nonces = new ConcurrentHashMap<>();
    private volatile String opaque;

    DigestAuth(String username, String password) {
        this.username = username;
        this.password = password;
    }

    private String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** The value of a {@code WWW-Authenticate} header with a fresh nonce. */
    String challenge() {
        if (nonces.size() >= MAX_NONCES) {
            nonces.clear();
        }
        if (opaque == null) {
            opaque = randomHex(8);
        }
        String nonce = randomHex(16);
        nonces.put(nonce, 0L);
        return "Digest realm=\"" + REALM + "\", qop=\"auth\", algorithm=MD5, nonce=\"" + nonce + "\", opaque=\""
                + opaque + "\"";
    }

    /** Whether an {@code Authorization} header is a valid answer for a request of {@code method} on {@code uri}. */
    boolean verify(String method, String uri, String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Digest ", 0, 7)) {
            return false;
        }
        Map<String, String> p = parse(authorization.substring(7));
        String nonce = p.get("nonce");
        String nc = p.get("nc");
        if (!username.equals(p.get("username")) || !REALM.equals(p.get("realm")) || !"auth".equals(p.get("qop"))
                || !uri.equals(p.get("uri")) || nonce == null || nc == null || p.get("cnonce") == null
                || p.get("response") == null || !nonces.containsKey(nonce)) {
            return false;
        }
        String ha1 = md5(username + ":" + REALM + ":" + password);
        String ha2 = md5(method + ":" + uri);
        String expected = md5(ha1 + ":" + nonce + ":" + nc + ":" + p.get("cnonce") + ":auth:" + ha2);
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                p.get("response").toLowerCase().getBytes(StandardCharsets.US_ASCII))) {
            return false;
        }
        long count;
        try {
            count = Long.parseLong(nc, 16);
        } catch (NumberFormatException e) {
            return false;
        }
        // replay protection: the nonce count must grow
        boolean[] accepted = {false};
        nonces.computeIfPresent(nonce, (k, last) -> {
            accepted[0] = count > last;
            return Math.max(count, last);
        });
        return accepted[0];
    }

    static Map<String, String> parse(String params) {
        Map<String, String> out = new HashMap<>();
        Matcher m = PARAM.matcher(params);
        while (m.find()) {
            out.put(m.group(1).toLowerCase(), m.group(2) != null ? m.group(2) : m.group(3));
        }
        return out;
    }

    static String md5(String s) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
