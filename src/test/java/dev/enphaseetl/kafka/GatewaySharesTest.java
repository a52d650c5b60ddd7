package dev.enphaseetl.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.enphaseetl.pipeline.GatewayShares;

/**
 * 1,000 gateways shared by three pollers through Kafka's group membership (a real 3-broker cluster): every gateway has
 * exactly one owner; one poller, in a JVM of its own, is killed with SIGKILL, and each of its gateways has a new owner
 * among the two others within 30 s (the group's session timeout is 6 s here), the others keeping theirs.
 */
class GatewaySharesTest {

    static final String GROUP = "pollers-" + Long.toString(System.nanoTime(), 36);
    static final int SLOTS = 30;
    static final List<String> GATEWAYS = IntStream.range(0, 1000).mapToObj(i -> "gateway-" + i).toList();

    static GatewayShares shares(String servers) {
        return SharesMember.of(servers, GROUP);
    }

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void aKilledPollersGatewaysAreTakenOverWithinTheSessionTimeout() throws Exception {
        KafkaCluster kafka = KafkaCluster.shared();
        String servers = kafka.bootstrapServers();
        GatewayShares a = shares(servers);
        GatewayShares b = shares(servers);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-Djava.util.logging.manager=org.jboss.logmanager.LogManager", "-cp",
                System.getProperty("java.class.path"), SharesMember.class.getName(), servers,
                GROUP));
        Path victimLog = kafka.directory().resolve("shares-member-" + GROUP + ".log");
        Process victim = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(victimLog.toFile()).start();
        try {
            a.owns("warm-up");
            b.owns("warm-up");
            int[] victimOwns = {-1};
            // all three share the slots: each owns some, together all, none twice
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
                String line = lastLine(victimLog);
                if (line != null) {
                    victimOwns[0] = Integer.parseInt(line.substring("owned ".length()).trim());
                }
                Set<Integer> ab = new HashSet<>(a.ownedSlots());
                ab.addAll(b.ownedSlots());
                return victimOwns[0] > 0 && !a.ownedSlots().isEmpty() && !b.ownedSlots().isEmpty()
                        && ab.size() + victimOwns[0] == SLOTS
                        && a.ownedSlots().size() + b.ownedSlots().size() == ab.size();
            });
            Set<String> keptA = owned(a);
            Set<String> keptB = owned(b);
            List<String> victims = GATEWAYS.stream().filter(g -> !keptA.contains(g) && !keptB.contains(g)).toList();
            assertThat(victims).as("gateways of the poller about to be killed").isNotEmpty();

            long killed = System.nanoTime();
            victim.destroyForcibly(); // SIGKILL: no leave-group, the group notices by the missing heartbeats
            assertThat(victim.waitFor(10, TimeUnit.SECONDS)).isTrue();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> victims.stream().allMatch(g -> a.owns(g) || b.owns(g)));
            long takeoverMs = (System.nanoTime() - killed) / 1_000_000;
            assertThat(GATEWAYS).allMatch(g -> a.owns(g) ^ b.owns(g));
            assertThat(owned(a)).as("poller a keeps its gateways (cooperative sticky assignor)").containsAll(keptA);
            assertThat(owned(b)).as("poller b keeps its gateways").containsAll(keptB);
            System.out.printf("FIGURES gateway-shares: 1000 gateways in %d slots, 3 pollers; the killed one had %d "
                    + "gateways; all owned again %d ms after kill -9 (session timeout 6000 ms)%n", SLOTS,
                    victims.size(), takeoverMs);
        } finally {
            victim.destroyForcibly();
            a.stop();
            b.stop();
        }
    }

    private static Set<String> owned(GatewayShares s) {
        Set<String> out = new HashSet<>();
        GATEWAYS.stream().filter(s::owns).forEach(out::add);
        return out;
    }

    private static String lastLine(Path log) throws java.io.IOException {
        String last = null;
        for (String l : java.nio.file.Files.readAllLines(log)) {
            if (l.startsWith("owned ")) {
                last = l;
            }
        }
        return last;
    }
}
