package dev.enphaseetl.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Writing files so that they are either complete on disk or absent: temporary file, fsync, atomic rename. */
public final class DurableFiles {

    private DurableFiles() {}

    /** Writes {@code content} to {@code target} via a temporary file in {@code tmpDir} (same file system). */
    public static void writeAtomically(Path tmpDir, Path target, byte[] content) throws IOException {
        writeAndRename(tmpDir, target, content);
        fsyncDirectory(target.getParent());
    }

    /**
     * As {@link #writeAtomically}, but the directory of {@code target} is not synced: the caller syncs it (possibly
     * once for several files, see {@code GroupCommit}) before it relies on the rename being durable.
     */
    public static void writeAndRename(Path tmpDir, Path target, byte[] content) throws IOException {
        Files.createDirectories(tmpDir);
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(tmpDir, "spool-", ".part");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Puts {@code source} (complete and durable) at {@code target} too: a hard link, or a durable copy where the file
     * system has none. A target that exists already is left as it is.
     */
    public static void linkOrCopy(Path source, Path target, Path tmpDir) throws IOException {
        if (linkOrCopyUnsynced(source, target, tmpDir)) {
            fsyncDirectory(target.getParent());
        }
    }

    /**
     * As {@link #linkOrCopy}, without syncing the directory of a new link; returns whether a link was made (its
     * directory is then the caller's to sync).
     */
    public static boolean linkOrCopyUnsynced(Path source, Path target, Path tmpDir) throws IOException {
        Files.createDirectories(target.getParent());
        try {
            Files.createLink(target, source);
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (UnsupportedOperationException | IOException e) {
            if (Files.exists(target)) {
                return false;
            }
            writeAtomically(tmpDir, target, Files.readAllBytes(source));
            return false;
        }
        return true;
    }

    /** Makes a rename durable: on Linux the directory entry is only on disk after the directory is synced. */
    public static void fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // some file systems (and Windows) cannot open a directory for sync; the rename itself is still atomic
        }
    }
}
