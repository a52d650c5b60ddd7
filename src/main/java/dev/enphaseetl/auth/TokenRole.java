package dev.enphaseetl.auth;

import java.util.Locale;

/** Who a gateway token was made for, from its {@code enphaseUser} claim. */
public enum TokenRole {
    /** System owner: Enphase issues these for a year. */
    OWNER,
    /** Installer: Enphase issues these for 12 hours. */
    INSTALLER,
    /** The claim is missing or has a value this code does not know. */
    UNKNOWN;

    static TokenRole fromClaim(String value) {
        if (value == null) {
            return UNKNOWN;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "owner" -> OWNER;
            case "installer" -> INSTALLER;
            default -> UNKNOWN;
        };
    }
}
