package dev.enphaseetl.spool;

import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Directory fsyncs shared by writers that finish at the same time (group commit): a writer registers the directories
 * its renames and links changed and waits until a sync that started after it registered has completed. The first
 * waiter syncs every directory registered so far; writers arriving meanwhile wait and are served together by the next
 * sync. So polls finishing within the time of one fsync share it, and each is still acknowledged only after its own
 * directory entries are durable. Without contention it costs what syncing alone does.
 */
final class GroupCommit {

    private final Consumer<Path> sync;
    private final Object lock = new Object();
    // guarded by lock
    private Set<Path> pending = new LinkedHashSet<>();
    private long registered;
    private long durable;
    private boolean syncing;
    private long syncRounds;

    GroupCommit(Consumer<Path> sync) {
        this.sync = sync;
    }

    /** Returns once every directory in {@code dirs} has been synced after this call began. */
    void await(Collection<Path> dirs) throws InterruptedIOException {
        Set<Path> round;
        long upTo;
        synchronized (lock) {
            pending.addAll(dirs);
            long ticket = ++registered;
            while (true) {
                if (durable >= ticket) {
                    return;
                }
                if (!syncing) {
                    break;
                }
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while waiting for the spool's fsync");
                }
            }
            // this writer syncs for everyone registered up to now (its own directories among them)
            syncing = true;
            round = pending;
            pending = new LinkedHashSet<>();
            upTo = registered;
        }
        boolean ok = false;
        try {
            for (Path dir : round) {
                sync.accept(dir);
            }
            ok = true;
        } finally {
            synchronized (lock) {
                if (ok) {
                    durable = upTo;
                    syncRounds++;
                } else {
                    pending.addAll(round); // the next sync takes them again
                }
                syncing = false;
                lock.notifyAll();
            }
        }
    }

    /** How many sync rounds ran (each syncs every directory registered since the one before). */
    long rounds() {
        synchronized (lock) {
            return syncRounds;
        }
    }
}
