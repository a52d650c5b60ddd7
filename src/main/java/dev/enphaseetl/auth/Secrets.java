package dev.enphaseetl.auth;

/** Helpers to name secrets' owners in messages without revealing them. */
public final class Secrets {

    private Secrets() {}

    /** {@code jane@example.com} becomes {@code j***@example.com}; anything else becomes {@code ***}. */
    public static String maskEmail(String email) {
        if (email == null) {
            return "***";
        }
        int at = email.indexOf('@');
        if (at < 1) {
            return "***";
        }
        return email.charAt(0) + "***" + email.substring(at);
    }
}
