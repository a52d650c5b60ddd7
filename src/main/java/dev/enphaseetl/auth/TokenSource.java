package dev.enphaseetl.auth;

import java.util.Optional;

/**
 * Where the token of one gateway (or of several gateways sharing a serial) comes from. Implementations are
 * thread-safe; {@link TokenManager} serialises renewals per source.
 */
public interface TokenSource {

    /** The token to use now (may be expired: the caller decides). */
    Token current() throws TokenUnavailableException;

    /**
     * Tries to get a different, newer token: re-reads a file, or asks Enphase if credentials exist.
     *
     * @param reason for logs, e.g. "expires in 2 h" or "gateway rejected the token"
     * @return the new token, or empty if this source has nothing newer (a static token, an unchanged file)
     * @throws TokenUnavailableException if asking failed (login refused, cooldown, service error)
     */
    Optional<Token> renew(String reason) throws TokenUnavailableException;

    /** Whether this source can make new tokens on its own (Enphase credentials). */
    boolean canRenew();

    /** Short kind for status and metrics: {@code static}, {@code file}, {@code account}. */
    String kind();

    /** A description for logs that holds no secret, e.g. the token file path or the masked account e-mail. */
    String describe();
}
