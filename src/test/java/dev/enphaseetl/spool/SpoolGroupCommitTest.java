package dev.enphaseetl.spool;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.enphaseetl.model.Reading;

/**
 * Group commit of the spool's directory syncs: polls that finish together share fsyncs, and none is acknowledged
 * before the directories holding its entry were synced with the entry in them.
 */
class SpoolGroupCommitTest {

    @TempDir
    Path tmp;

    @Test
    void concurrentOffersShareSyncsAndNoneIsAcknowledgedBeforeItsEntryIsSynced() throws Exception {
        List<String> sinks = List.of("lineprotocol", "csv", "influxdb", "jdbc");
        Path root = tmp.resolve("spool");
        // what each directory held when it was synced: an entry is durable in a directory once it was in it at a sync
        Map<Path, Set<String>> syncedWith = new ConcurrentHashMap<>();
        AtomicInteger syncs = new AtomicInteger();
        CountDownLatch firstSyncMayEnd = new CountDownLatch(1);
        CountDownLatch firstSyncStarted = new CountDownLatch(1);
        Spool spool = new Spool(root, SinkSwitches.of(sinks), Long.MAX_VALUE, 80, Duration.ofSeconds(10),
                Clock.systemUTC(), dir -> {
                    syncs.incrementAndGet();
                    syncedWith.computeIfAbsent(dir, d -> ConcurrentHashMap.newKeySet()).addAll(names(dir));
                    firstSyncStarted.countDown();
                    try {
                        firstSyncMayEnd.await(); // a slow disk: the first sync takes until the test lets it go
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
        spool.recount();
        int offers = 12;
        ExecutorService pool = Executors.newFixedThreadPool(offers);
        try {
            List<Future<Integer>> acks = new ArrayList<>();
            acks.add(pool.submit(() -> spool.offer(List.of(reading(0)))));
            assertThat(firstSyncStarted.await(10, TimeUnit.SECONDS)).isTrue();
            for (int i = 1; i < offers; i++) {
                int n = i;
                acks.add(pool.submit(() -> spool.offer(List.of(reading(n)))));
            }
            Thread.sleep(500);
            // every offer has written its entry, but the sync is not done: nobody is acknowledged
            assertThat(acks).noneMatch(Future::isDone);
            firstSyncMayEnd.countDown();
            for (Future<Integer> ack : acks) {
                assertThat(ack.get(20, TimeUnit.SECONDS)).isEqualTo(sinks.size());
            }
        } finally {
            pool.shutdownNow();
        }
        // every acknowledged entry was in each sink's directory at one of its syncs
        Set<String> entries = names(root.resolve("jdbc"));
        assertThat(entries).hasSize(offers);
        for (String sink : sinks) {
            assertThat(names(root.resolve(sink))).isEqualTo(entries);
            assertThat(syncedWith.get(root.resolve(sink))).as("synced with its entries: %s", sink)
                    .containsAll(entries);
        }
        assertThat(names(root.resolve(Spool.STAGED))).isEmpty();
        // alone, each offer would sync .staged and four sink directories: 12 x 5 = 60 syncs
        System.out.printf("FIGURES group-commit: %d offers, %d directory syncs (%d without sharing)%n", offers,
                syncs.get(), offers * (sinks.size() + 1));
        assertThat(syncs.get()).isLessThan(offers * (sinks.size() + 1));
    }

    @Test
    void aFailedSyncIsNotTakenForDurability() throws Exception {
        Path root = tmp.resolve("spool");
        AtomicInteger calls = new AtomicInteger();
        Spool spool = new Spool(root, SinkSwitches.of(List.of("csv")), Long.MAX_VALUE, 80, Duration.ofSeconds(10),
                Clock.systemUTC(), dir -> {
                    if (calls.incrementAndGet() == 1) {
                        throw new UncheckedIOException(new IOException("disk gone"));
                    }
                });
        spool.recount();
        // the offer whose sync failed is not acknowledged
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> spool.offer(List.of(reading(1))))
                .isInstanceOf(SpoolWriteException.class);
        // the next one syncs again, for itself
        assertThat(spool.offer(List.of(reading(2)))).isEqualTo(1);
        assertThat(calls.get()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void pollsFinishingWhileAnEntryIsWrittenShareTheNextEntryAndEachIsAcknowledgedOnceDurable() throws Exception {
        List<String> sinks = List.of("lineprotocol", "jdbc");
        Path root = tmp.resolve("spool");
        CountDownLatch firstSyncMayEnd = new CountDownLatch(1);
        CountDownLatch firstSyncStarted = new CountDownLatch(1);
        Map<Path, Set<String>> syncedWith = new ConcurrentHashMap<>();
        Spool spool = new Spool(root, SinkSwitches.of(sinks), Long.MAX_VALUE, 80, Duration.ofSeconds(10),
                Clock.systemUTC(), heldSync(firstSyncStarted, firstSyncMayEnd, syncedWith));
        spool.recount();
        // the first poll's entry is being written (its sync hangs on a slow disk); 20 more polls finish meanwhile.
        // The caller's thread is never held: every offer returns at once
        List<java.util.concurrent.CompletableFuture<Integer>> acks = new ArrayList<>();
        acks.add(spool.offerAsync(List.of(reading(0))));
        assertThat(firstSyncStarted.await(10, TimeUnit.SECONDS)).isTrue();
        for (int i = 1; i <= 20; i++) {
            acks.add(spool.offerAsync(List.of(reading(i), reading(1000 + i))));
        }
        Thread.sleep(300);
        assertThat(acks).as("acknowledged before their entry is durable").noneMatch(Future::isDone);
        firstSyncMayEnd.countDown();
        for (var ack : acks) {
            assertThat(ack.get(20, TimeUnit.SECONDS)).isEqualTo(sinks.size());
        }
        // two entries: the first poll alone, then the 20 that waited, together; every reading exactly once
        Set<String> entries = names(root.resolve("jdbc"));
        assertThat(entries).hasSize(2);
        for (String sink : sinks) {
            assertThat(names(root.resolve(sink))).isEqualTo(entries);
            assertThat(syncedWith.get(root.resolve(sink))).containsAll(entries);
            List<Double> values = new ArrayList<>();
            for (String e : entries) {
                for (Reading r : SpoolCodec.decode(Files.readAllBytes(root.resolve(sink).resolve(e)))) {
                    values.add(r.field("power_w"));
                }
            }
            assertThat(values).as("readings in %s", sink).hasSize(41).doesNotHaveDuplicates();
        }
    }

    @Test
    void aFullSpoolRefusesEveryPollOfTheEntryAndWritesNothing() throws Exception {
        Path root = tmp.resolve("spool");
        Spool spool = new Spool(root, SinkSwitches.of(List.of("csv")), 64, 80, Duration.ofSeconds(10),
                Clock.systemUTC());
        spool.recount();
        List<java.util.concurrent.CompletableFuture<Integer>> acks = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            acks.add(spool.offerAsync(List.of(reading(i))));
        }
        for (var ack : acks) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> ack.get(10, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(SpoolFullException.class);
        }
        assertThat(names(root.resolve("csv"))).isEmpty();
        // nothing to write: done at once, no entry
        assertThat(spool.offerAsync(List.of()).get()).isZero();
    }

    @Test
    void anEntryOfManyPollsThatDoesNotFitCostsOnlyThePollsThatDoNot() throws Exception {
        Path root = tmp.resolve("spool");
        List<Reading> first = List.of(reading(0));
        List<Reading> a = List.of(reading(1), reading(2), reading(3));
        List<Reading> b = List.of(reading(4), reading(5), reading(6));
        // room for the first poll and for a, not for b too
        long room = SpoolCodec.encode(first).length + SpoolCodec.encode(a).length + 10;
        CountDownLatch firstSyncMayEnd = new CountDownLatch(1);
        CountDownLatch firstSyncStarted = new CountDownLatch(1);
        Spool spool = new Spool(root, SinkSwitches.of(List.of("csv")), room, 80, Duration.ofSeconds(10),
                Clock.systemUTC(), heldSync(firstSyncStarted, firstSyncMayEnd, new ConcurrentHashMap<>()));
        spool.recount();
        var ackFirst = spool.offerAsync(first);
        assertThat(firstSyncStarted.await(10, TimeUnit.SECONDS)).isTrue();
        var ackA = spool.offerAsync(a);
        var ackB = spool.offerAsync(b); // a and b wait together for the next entry, which would not fit
        firstSyncMayEnd.countDown();
        assertThat(ackFirst.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(ackA.get(10, TimeUnit.SECONDS)).as("the poll that fits alone").isEqualTo(1);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ackB.get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(SpoolFullException.class);
        List<Double> values = new ArrayList<>();
        for (String e : names(root.resolve("csv"))) {
            for (Reading r : SpoolCodec.decode(Files.readAllBytes(root.resolve("csv").resolve(e)))) {
                values.add(r.field("power_w"));
            }
        }
        assertThat(values).containsExactlyInAnyOrder(0.0, 1.0, 2.0, 3.0);
    }

    /** A slow disk: every directory sync waits until {@code mayEnd}; notes what each directory held when synced. */
    private static java.util.function.Consumer<Path> heldSync(CountDownLatch started, CountDownLatch mayEnd,
            Map<Path, Set<String>> syncedWith) {
        return dir -> {
            syncedWith.computeIfAbsent(dir, d -> ConcurrentHashMap.newKeySet()).addAll(names(dir));
            started.countDown();
            try {
                mayEnd.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    private static Reading reading(int n) {
        return Reading.of("system", 1_700_000_000L + n).tag("gateway", "g").field("power_w", (double) n).build();
    }

    private static Set<String> names(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Set.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return new HashSet<>(s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jsonl")).toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
