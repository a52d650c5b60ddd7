package dev.enphaseetl.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.hc.core5.util.Timeout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.enphaseetl.auth.RenewalPolicy;
import dev.enphaseetl.auth.StaticTokenSource;
import dev.enphaseetl.auth.TokenManager;
import dev.enphaseetl.gateway.Fetched;
import dev.enphaseetl.gateway.GatewayFetcher;
import dev.enphaseetl.gateway.GatewayList;
import dev.enphaseetl.gateway.GatewayTarget;
import dev.enphaseetl.gateway.PollTask;
import dev.enphaseetl.gateway.TrustOnFirstUse;
import dev.enphaseetl.parse.Endpoint;

/**
 * The fleet benchmark's simulator: each gateway at the root of a loopback address of its own, answering after a set
 * latency, read by the pipeline's fetcher, and its gateway list file as the pipeline reads it.
 */
class AddressPerGatewayTest {

    @TempDir
    Path dir;

    @Test
    void eachGatewayAnswersAtItsOwnAddressAfterTheLatency() throws Exception {
        try (GatewaySimulator sim = new GatewaySimulator(SimulatorConfig.builder().httpPort(-1).httpsPort(0)
                .gatewayCount(300).addressPerGateway(true).latencyMs(300).build())) {
            sim.start();
            assertThat(sim.baseUrl(299, true)).isEqualTo("https://127.1.1.46:" + sim.ports().https());

            Path file = dir.resolve("gateways.csv");
            SimulatorMain.writeGatewaysFile(sim, file);
            List<GatewayList.Entry> entries = GatewayList.read(file);
            assertThat(entries).hasSize(300);
            assertThat(entries.get(254).gateway().host()).isEqualTo(sim.baseUrl(254, true));
            assertThat(entries.get(254).gateway().token()).contains(SimulatorConfig.DEV_TOKEN);
            assertThat(entries.get(254).gateway().certificateSha256()).contains(sim.certificateSha256());

            TokenManager tokens = new TokenManager(Clock.systemUTC(), RenewalPolicy.defaults());
            TrustOnFirstUse trust = new TrustOnFirstUse(dir.resolve("known.properties"), Map.of(), false);
            GatewayFetcher fetcher = new GatewayFetcher(trust, tokens, id -> Optional.empty(), Timeout.ofSeconds(5),
                    Timeout.ofSeconds(5));
            for (int i : List.of(0, 1, 253, 254, 299)) {
                GatewayTarget gw = new GatewayTarget("g" + i, URI.create(sim.baseUrl(i, true)), null, Map.of(),
                        sim.certificateSha256());
                tokens.register(gw.id(), new StaticTokenSource(SimulatorConfig.DEV_TOKEN, "test"));
                long started = System.nanoTime();
                Fetched f = fetcher.fetch(new PollTask(gw, Endpoint.INFO));
                assertThat(f.status()).isEqualTo(200);
                assertThat(f.body()).as("gateway %d at %s", i, sim.baseUrl(i, true)).contains(sim.gateway(i).serial());
                assertThat(System.nanoTime() - started).as("answered after the latency").isGreaterThanOrEqualTo(
                        300_000_000L);
            }
        }
    }
}
