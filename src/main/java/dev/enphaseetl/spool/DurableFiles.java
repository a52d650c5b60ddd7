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
            fsyncDirectory(target.getParent());
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Puts {@code source} (complete and durable) at {@code target} too: a hard link, or a durable copy where the file
     * system has none. A target that exists already is left as it is.
     */
    public static void linkOrCopy(Path source, Path target, Path tmpDir) throws IOException {
        Files.createDirectories(target.getParent());
        try {
            Files.createLink(target, source);
        } catch (FileAlreadyExistsException e) {
            return;
        } catch (UnsupportedOperationException | IOException e) {
            if (Files.exists(target)) {
                return;
            }
            writeAtomically(tmpDir, target, Files.readAllBytes(source));
            return;
        }
        fsyncDirectory(target.getParent());
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
