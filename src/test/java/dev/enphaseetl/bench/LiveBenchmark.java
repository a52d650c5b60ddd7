package dev.enphaseetl.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.hc.core5.util.Timeout;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.enphaseetl.auth.RenewalPolicy;
import dev.enphaseetl.auth.StaticTokenSource;
import dev.enphaseetl.auth.TokenManager;
import dev.enphaseetl.gateway.Fetched;
import dev.enphaseetl.gateway.GatewayFetcher;
import dev.enphaseetl.gateway.GatewayRegistry;
import dev.enphaseetl.gateway.GatewayStates;
import dev.enphaseetl.gateway.GatewayTarget;
import dev.enphaseetl.gateway.LiveStream;
import dev.enphaseetl.gateway.PollTask;
import dev.enphaseetl.gateway.TrustOnFirstUse;
import dev.enphaseetl.health.PipelineMetrics;
import dev.enphaseetl.model.Reading;
import dev.enphaseetl.parse.DefaultPayloadParser;
import dev.enphaseetl.parse.Endpoint;
import dev.enphaseetl.pipeline.DeadLetters;
import dev.enphaseetl.pipeline.LivePolls;
import dev.enphaseetl.pipeline.PollProblems;
import dev.enphaseetl.pipeline.PollScheduler;
import dev.enphaseetl.pipeline.ReadingExtractor;
import dev.enphaseetl.pipeline.RetryPlan;
import dev.enphaseetl.render.LineProtocol;
import dev.enphaseetl.simulator.GatewaySimulator;
import dev.enphaseetl.simulator.SimulatorConfig;

/**
 * The high-rate mode (docs/live.md) at 1 s for many gateways: a simulator in its own process serves {@code gateways}
 * gateways over HTTPS; this process runs the pipeline's polling as the routes do (the real {@link PollScheduler},
 * {@link LivePolls}, {@link GatewayFetcher} with the live stream, {@link ReadingExtractor}, rendering to line
 * protocol), with {@code threads} workers (enphase.poll.threads, default 8) on one queue (seda:poll), the live tick every
 * {@code period} with fixed delay (Camel's timer) and the regular endpoints at their default periods. Reports live
 * polls achieved / due, regular polls done / due, and RSS and CPU of this process and of the simulator.
 *
 * <p>
 * Run: {@code ./mvnw -q test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.enphaseetl.bench.LiveBenchmark -Dexec.args="50 90 1000 8"} (gateways, seconds, period ms, poll threads)
 */
public final class LiveBenchmark {

    /** Regular endpoints and their default periods (routes/10), seconds. */
    private static final Map<Endpoint, Integer> REGULAR = Map.of(Endpoint.PRODUCTION_JSON, 60,
            Endpoint.API_V1_PRODUCTION, 60, Endpoint.IVP_METERS_READINGS, 60, Endpoint.IVP_PDM_ENERGY, 60,
            Endpoint.IVP_LIVEDATA_STATUS, 60, Endpoint.IVP_METERS_REPORTS_CONSUMPTION, 60,
            Endpoint.API_V1_PRODUCTION_INVERTERS, 300, Endpoint.IVP_PDM_DEVICE_DATA, 300);

    private LiveBenchmark() {}

    public static void main(String[] args) throws Exception {
        int gateways = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 120;
        long periodMs = args.length > 2 ? Long.parseLong(args[2]) : 1000;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 8;
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process sim = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                classPath(), "dev.enphaseetl.simulator.GatewaySimulator", "--gateways",
                Integer.toString(gateways), "--https-port", Integer.toString(port), "--http-port", "-1", "--seed", "1")
                .redirectErrorStream(true)
                .redirectOutput(Path.of(System.getProperty("java.io.tmpdir"), "live-bench-simulator.log")
                        .toFile())
                .start();
        try {
            run(sim, port, gateways, seconds, periodMs, threads);
        } finally {
            sim.destroy();
            sim.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static void run(Process sim, int port, int gateways, int seconds, long periodMs, int threads)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                break;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("simulator did not start on port " + port);
                }
                Thread.sleep(200);
            }
        }
        Path dir = Files.createTempDirectory("live-bench");
        TokenManager tokens = new TokenManager(Clock.systemUTC(), RenewalPolicy.defaults());
        List<GatewayTarget> targets = new ArrayList<>();
        for (int i = 0; i < gateways; i++) {
            String serial = GatewaySimulator.serial(1, i);
            targets.add(new GatewayTarget(serial, URI.create("https://127.0.0.1:" + port + "/gw/" + serial),
                    SimulatorConfig.DEV_TOKEN, Map.of()));
            tokens.register(serial, new StaticTokenSource(SimulatorConfig.DEV_TOKEN, "bench"));
        }
        GatewayRegistry registry = new GatewayRegistry(null, null, null) {
            @Override
            public List<GatewayTarget> gateways() {
                return targets;
            }
        };
        RetryPlan retries = new RetryPlan(2, Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMinutes(2),
                Clock.systemUTC(), new Random(1));
        PollScheduler scheduler = new PollScheduler(registry, retries);
        LivePolls live = new LivePolls(registry::gateways, scheduler, List.of("ivp-livedata-status"), List.of("*"));
        GatewayFetcher fetcher = new GatewayFetcher(new TrustOnFirstUse(dir.resolve("known.properties"), Map.of(),
                false), tokens, id -> Optional.empty(), Timeout.ofSeconds(10), Timeout.ofSeconds(10),
                new LiveStream(true, Duration.ofMinutes(12), Clock.systemUTC()));
        DeadLetters deadLetters = new DeadLetters(dir.resolve("dead"));
        PollProblems problems = new PollProblems(deadLetters,
                new PipelineMetrics(new SimpleMeterRegistry()), retries, Duration.ofMinutes(30));
        ReadingExtractor extractor = new ReadingExtractor(new DefaultPayloadParser(), problems, new GatewayStates(),
                deadLetters);

        BlockingQueue<PollTask> queue = new LinkedBlockingQueue<>();
        AtomicLong liveOk = new AtomicLong();
        AtomicLong liveReadings = new AtomicLong();
        AtomicLong regularDue = new AtomicLong();
        AtomicLong regularDone = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        ExecutorService workers = Executors.newFixedThreadPool(threads);
        for (int w = 0; w < threads; w++) {
            workers.submit(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    PollTask task;
                    try {
                        task = queue.take();
                    } catch (InterruptedException e) {
                        return;
                    }
                    try {
                        Fetched f = fetcher.requireAnswer(fetcher.fetch(task));
                        List<Reading> readings = extractor.extract(f);
                        if (task.live()) {
                            readings = LivePolls.toLive(readings);
                            liveOk.incrementAndGet();
                            liveReadings.addAndGet(readings.size());
                        } else {
                            regularDone.incrementAndGet();
                        }
                        for (Reading r : readings) {
                            bytes.addAndGet(LineProtocol.render(r).length());
                        }
                    } catch (Exception e) {
                        failed.incrementAndGet();
                    } finally {
                        PollTask next = scheduler.release(task);
                        if (next != null) {
                            queue.add(next);
                        }
                    }
                }
            });
        }
        ScheduledExecutorService timers = Executors.newScheduledThreadPool(2);
        // info and ivp-meters first, as routes/10 does, so that the parser knows the meters
        for (Endpoint e : List.of(Endpoint.INFO, Endpoint.IVP_METERS)) {
            regularDue.addAndGet(gateways);
            queue.addAll(scheduler.due(e.id()));
        }
        Thread.sleep(3000);
        for (Map.Entry<Endpoint, Integer> e : REGULAR.entrySet()) {
            timers.scheduleWithFixedDelay(() -> {
                regularDue.addAndGet(gateways);
                queue.addAll(scheduler.due(e.getKey().id()));
            }, 0, e.getValue(), TimeUnit.SECONDS);
        }
        long cpu0 = cpuNanos();
        long simCpu0 = simCpuNanos(sim);
        long t0 = System.nanoTime();
        timers.scheduleWithFixedDelay(() -> queue.addAll(live.due()), 0, periodMs, TimeUnit.MILLISECONDS);
        long rssMax = 0;
        long simRssMax = 0;
        for (int s = 0; s < seconds; s++) {
            Thread.sleep(1000);
            rssMax = Math.max(rssMax, BenchProcesses.rssKb(ProcessHandle.current().pid()));
            simRssMax = Math.max(simRssMax, BenchProcesses.rssKb(sim.pid()));
        }
        timers.shutdownNow();
        double wall = (System.nanoTime() - t0) / 1e9;
        long cpu = cpuNanos() - cpu0;
        long simCpu = simCpuNanos(sim) - simCpu0;
        long due = live.dueCount();
        long ideal = (long) (gateways * wall * 1000 / periodMs);
        Thread.sleep(2000);
        workers.shutdownNow();
        System.out.printf("high-rate mode: %d gateways, period %d ms, %.0f s, %d poll threads, endpoint"
                + " ivp-livedata-status%n", gateways, periodMs, wall, threads);
        System.out.printf("live polls achieved / due: %d / %d (%.1f %%); due at an exact period would be %d; %d live"
                + " readings%n", liveOk.get(), due, 100.0 * liveOk.get() / Math.max(1, due), ideal, liveReadings.get());
        System.out.printf("live polls per second: %.1f (ideal %.1f)%n", liveOk.get() / wall,
                gateways * 1000.0 / periodMs);
        System.out.printf("regular polls done / due: %d / %d; failed polls: %d; line protocol: %.1f MB%n",
                regularDone.get(), regularDue.get(), failed.get(), bytes.get() / 1e6);
        System.out.printf("pipeline process: CPU %.0f %% of one core, RSS max %d MB%n", 100.0 * cpu / 1e9 / wall,
                rssMax / 1024);
        System.out.printf("simulator process: CPU %.0f %% of one core, RSS max %d MB%n", 100.0 * simCpu / 1e9 / wall,
                simRssMax / 1024);
    }

    /** The class path of this class (exec:java runs it in a class loader of its own, not on java.class.path). */
    private static String classPath() {
        List<String> entries = new ArrayList<>();
        for (ClassLoader l = LiveBenchmark.class.getClassLoader(); l != null; l = l.getParent()) {
            if (l instanceof java.net.URLClassLoader u) {
                for (java.net.URL url : u.getURLs()) {
                    try {
                        entries.add(Path.of(url.toURI()).toString());
                    } catch (Exception e) {
                        // not a file
                    }
                }
            }
        }
        return entries.isEmpty()
                ? System.getProperty("java.class.path")
                : String.join(java.io.File.pathSeparator, entries);
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** utime + stime of the simulator from /proc (clock ticks of 10 ms on Linux). */
    private static long simCpuNanos(Process p) {
        return BenchProcesses.cpuTicks(p.pid()) * 10_000_000L;
    }
}
