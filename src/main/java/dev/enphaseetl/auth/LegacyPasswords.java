package dev.enphaseetl.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Credentials of Envoy gateways before firmware 7 (HTTP digest auth), derived from the gateway serial as the
 * open-source Envoy clients do (algorithm published by Markus Fritze, github.com/sarnau/EnphaseEnergy):
 *
 * <ul>
 * <li>user {@code envoy}: password = last six characters of the serial;</li>
 * <li>user {@code installer}: take MD5 hex of {@code "[e]" + user + "@" + realm + "#" + serial + " EnPhAsE eNeRgY "}
 * (realm {@code enphaseenergy.com}); count its '0' and '1' digits; walk its last 8 hex digits from the end and map
 * '0' to {@code 'f' + zeros} and '1' to {@code '@' + ones} (each count decremented after use, with the clamping and
 * skipping rules below), keep other digits.</li>
 * </ul>
 */
public final class LegacyPasswords {

    public static final String DEFAULT_REALM = "enphaseenergy.com";
    public static final String INSTALLER = "installer";
    public static final String ENVOY = "envoy";

    private LegacyPasswords() {}

    /** The {@code envoy} user's password: the serial's last six characters. */
    public static String envoyPassword(String serial) {
        requireSerial(serial);
        return serial.substring(serial.length() - 6);
    }

    /** The {@code installer} user's password for this serial (default realm). */
    public static String installerPassword(String serial) {
        return mobilePassword(serial, INSTALLER, DEFAULT_REALM);
    }

    /** The generic form of the derivation, for another user name or realm. */
    public static String mobilePassword(String serial, String user, String realm) {
        requireSerial(serial);
        String digest = md5Hex("[e]" + user + "@" + realm + "#" + serial + " EnPhAsE eNeRgY ");
        int zeros = count(digest, '0');
        int ones = count(digest, '1');
        StringBuilder password = new StringBuilder(8);
        for (int i = digest.length() - 1; i >= digest.length() - 8; i--) {
            char c = digest.charAt(i);
            if (zeros == 3 || zeros == 6 || zeros == 9) {
                zeros--;
            }
            zeros = Math.max(0, Math.min(20, zeros));
            if (ones == 9 || ones == 15) {
                ones--;
            }
            ones = Math.max(0, Math.min(26, ones));
            if (c == '0') {
                password.append((char) ('f' + zeros));
                zeros--;
            } else if (c == '1') {
                password.append((char) ('@' + ones));
                ones--;
            } else {
                password.append(c);
            }
        }
        return password.toString();
    }

    private static int count(String s, char c) {
        return (int) s.chars().filter(x -> x == c).count();
    }

    private static String md5Hex(String s) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is not available in this JVM", e);
        }
    }

    private static void requireSerial(String serial) {
        if (serial == null || serial.length() < 6) {
            throw new IllegalArgumentException("a gateway serial has at least six characters");
        }
    }
}
