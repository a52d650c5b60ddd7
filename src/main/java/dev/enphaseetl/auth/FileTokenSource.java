package dev.enphaseetl.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.jboss.logging.Logger;

/**
 * A token kept in a file (written by hand or by another tool). The file is read again when its modification time or
 * size changes; the check happens on access, at most once per {@code recheckEvery}, so no watcher thread is needed.
 * A file that turns unreadable or holds no JWT keeps the last good token in use (with a warning).
 */
public final class FileTokenSource implements TokenSource {

    private static final Logger LOG = Logger.getLogger(FileTokenSource.class);

    private final Path file;
    private final Clock clock;
    private final Duration recheckEvery;

    private Token token;
    private String stamp;
    private Instant nextCheck = Instant.MIN;

    public FileTokenSource(Path file, Clock clock, Duration recheckEvery) {
        this.file = file;
        this.clock = clock;
        this.recheckEvery = recheckEvery;
    }

    @Override
    public synchronized Token current() throws TokenUnavailableException {
        Instant now = clock.instant();
        if (token == null || !now.isBefore(nextCheck)) {
            nextCheck = now.plus(recheckEvery);
            reloadIfChanged(token == null);
        }
        return token;
    }

    @Override
    public synchronized Optional<Token> renew(String reason) throws TokenUnavailableException {
        Token before = token;
        nextCheck = clock.instant().plus(recheckEvery);
        reloadIfChanged(true);
        return token != null && (before == null || !before.sameAs(token.value()))
                ? Optional.of(token)
                : Optional.empty();
    }

    private void reloadIfChanged(boolean force) throws TokenUnavailableException {
        String newStamp;
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            newStamp = a.lastModifiedTime().toMillis() + ":" + a.size();
        } catch (NoSuchFileException e) {
            failOrKeep("token file " + file + " does not exist");
            return;
        } catch (IOException e) {
            failOrKeep("token file " + file + " cannot be read: " + e.getClass().getSimpleName());
            return;
        }
        if (!force && newStamp.equals(stamp)) {
            return;
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            failOrKeep("token file " + file + " cannot be read: " + e.getClass().getSimpleName());
            return;
        }
        stamp = newStamp;
        try {
            Token read = Token.parse(text);
            if (token == null || !token.sameAs(read.value())) {
                LOG.infof("Read %s from token file %s", read, file);
            }
            token = read;
        } catch (NotAJwtException e) {
            failOrKeep("token file " + file + " does not hold a usable token: " + e.getMessage());
        }
    }

    private void failOrKeep(String problem) throws TokenUnavailableException {
        if (token == null) {
            throw new TokenUnavailableException(problem);
        }
        LOG.warnf("%s; still using the token read before (%s)", problem, token);
    }

    @Override
    public boolean canRenew() {
        return false;
    }

    @Override
    public String kind() {
        return "file";
    }

    @Override
    public String describe() {
        return "token file " + file;
    }

    @Override
    public String toString() {
        return "FileTokenSource[" + file + "]";
    }
}
