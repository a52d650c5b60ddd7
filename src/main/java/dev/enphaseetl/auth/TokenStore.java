package dev.enphaseetl.auth;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Keeps tokens made from Enphase credentials across restarts: one file per gateway serial, {@code <serial>.jwt},
 * readable only by the service's user (0600, in a 0700 directory), written via a temporary file and an atomic move.
 */
public final class TokenStore {

    private static final Pattern SAFE_KEY = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private final Path dir;

    public TokenStore(Path dir) {
        this.dir = dir;
    }

    public Path fileFor(String key) {
        if (!SAFE_KEY.matcher(key).matches() || key.startsWith(".")) {
            throw new IllegalArgumentException("not a usable file name for a token: " + key);
        }
        return dir.resolve(key + ".jwt");
    }

    /** The stored token text, if any. */
    public Optional<String> load(String key) throws IOException {
        try {
            String s = Files.readString(fileFor(key), StandardCharsets.UTF_8).trim();
            return s.isEmpty() ? Optional.empty() : Optional.of(s);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    public void save(String key, String jwt) throws IOException {
        Path target = fileFor(key);
        if (!Files.isDirectory(dir)) {
            if (POSIX) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                        "rwx------")));
            } else {
                Files.createDirectories(dir);
            }
        }
        FileAttribute<?>[] attrs = POSIX
                ? new FileAttribute<?>[]{PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
        Path tmp = Files.createTempFile(dir, "." + key + "-", ".part", attrs);
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap((jwt.trim() + "\n").getBytes(StandardCharsets.UTF_8));
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public String toString() {
        return "TokenStore[" + dir + "]";
    }
}
