package dev.enphaseetl.sink.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Appends a block of complete, newline-terminated lines to a file and fsyncs it.
 *
 * <p>
 * Guarantee, honestly stated: when {@link #append} returns, the file holds only complete lines and they are on disk
 * (data and size fsynced; the directory is fsynced when the file was created). The block is written at the end of the
 * file under an exclusive lock, in as few write calls as the OS allows, but a concurrent reader can still observe the
 * block half-written while it is being written: readers must only consume newline-terminated lines (as {@code tail -F}
 * consumers do). If the process dies mid-write, the incomplete last line is cut off before the next append, so files
 * never keep half a line.
 */
public final class LineAppender {

    private LineAppender() {}

    /**
     * @param header written first if the file is new or empty (may be null); must end with a newline
     * @param block  complete lines, each ending with a newline
     * @return true if the file was created (or was empty) and got the header
     */
    public static boolean append(Path file, String header, String block) throws IOException {
        if (!block.isEmpty() && !block.endsWith("\n")) {
            throw new IllegalArgumentException("block must end with a line break");
        }
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        boolean created = !Files.exists(file);
        boolean headerWritten;
        // the OS file lock guards against other processes; within this JVM two locks on one file would throw, so
        // writers of the same file (e.g. two sink instances) take turns on a per-path monitor first
        synchronized (IN_JVM.computeIfAbsent(file.toAbsolutePath().normalize(), k -> new Object())) {
            headerWritten = write(file, header, block);
        }
        if (created) {
            fsyncDirectory(dir);
        }
        return headerWritten;
    }

    private static final ConcurrentMap<Path, Object> IN_JVM = new ConcurrentHashMap<>();

    private static boolean write(Path file, String header, String block) throws IOException {
        boolean headerWritten = false;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE); FileLock lock = ch.lock()) {
            long size = cutIncompleteTail(ch);
            String text = block;
            if (size == 0 && header != null) {
                text = header + block;
                headerWritten = true;
            }
            ByteBuffer buf = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            long pos = size;
            while (buf.hasRemaining()) {
                pos += ch.write(buf, pos);
            }
            ch.force(true);
        }
        return headerWritten;
    }

    /** The first line of a file without its line break, or null if the file is absent or empty. */
    public static String firstLine(Path file) throws IOException {
        if (!Files.exists(file) || Files.size(file) == 0) {
            return null;
        }
        try (var r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return r.readLine();
        }
    }

    private static long cutIncompleteTail(FileChannel ch) throws IOException {
        long size = ch.size();
        if (size == 0 || lastByte(ch, size - 1) == '\n') {
            return size;
        }
        long pos = size - 1;
        while (pos > 0 && lastByte(ch, pos - 1) != '\n') {
            pos--;
        }
        ch.truncate(pos);
        return pos;
    }

    private static byte lastByte(FileChannel ch, long at) throws IOException {
        ByteBuffer one = ByteBuffer.allocate(1);
        ch.read(one, at);
        return one.get(0);
    }

    private static void fsyncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // some platforms cannot open a directory for fsync; the file itself is synced
        }
    }
}
