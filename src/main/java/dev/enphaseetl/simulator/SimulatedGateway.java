package dev.enphaseetl.simulator;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;

import dev.enphaseetl.parse.Endpoint;

/**
 * A pure model of one Enphase IQ Gateway with CT meters and micro-inverters: no I/O, no hidden state. Every value
 * is a function of the constructor arguments and the instant asked for, so the same seed and clock always give
 * byte-identical payloads.
 * <p>
 * Physics: production follows {@link SolarProfile}, consumption {@link LoadProfile}; lifetime counters are their
 * exact integrals since the installation day; net = consumption - production. Meters refresh every
 * {@link #METER_REFRESH}, inverters report every {@link #INVERTER_REFRESH} (staggered by whole minutes), so
 * every payload only changes at minute boundaries.
 */
public final class SimulatedGateway {

    public static final Duration METER_REFRESH = Duration.ofSeconds(60);
    public static final Duration INVERTER_REFRESH = Duration.ofMinutes(5);
    public static final String DEFAULT_FIRMWARE = "8.2.4345";
    /** Nameplate of one simulated micro-inverter, W. */
    static final double INVERTER_NAMEPLATE_W = 290;

    private final String serial;
    private final long seed;
    private final int inverterCount;
    private final int phaseCount;
    private final String firmware;
    private final ZoneId zone;
    private final SolarProfile solar;
    private final EnergyCounter production;
    private final EnergyCounter consumption;
    private final double[] inverterShares;
    private final double[] productionPhaseShares;
    private final double[] consumptionPhaseShares;
    private final SimulatedBattery battery;

    public SimulatedGateway(String serial, long seed, int inverterCount, int phaseCount) {
        this(serial, seed, inverterCount, phaseCount, DEFAULT_FIRMWARE, ZoneOffset.UTC);
    }

    /**
     * @param serial        the gateway serial ({@code sn} in /info)
     * @param seed          all per-gateway variation (weather, load, inverter spread) derives from it
     * @param inverterCount number of micro-inverters (at least 1)
     * @param phaseCount    1, 2 (split phase, 120 V lines) or 3 (230 V lines)
     * @param firmware      version without the leading {@code D}, e.g. {@code 8.2.4345}; below 7 is legacy
     * @param zone          the gateway's time zone: day boundaries for whToday and the sun curve
     */
    public SimulatedGateway(String serial, long seed, int inverterCount, int phaseCount, String firmware,
            ZoneId zone) {
        this(serial, seed, inverterCount, phaseCount, firmware, zone, 0, 0);
    }

    private SimulatedGateway(String serial, long seed, int inverterCount, int phaseCount, String firmware,
            ZoneId zone, double batteryWh, double batteryW) {
        if (inverterCount < 1 || phaseCount < 1 || phaseCount > 3) {
            throw new IllegalArgumentException("need inverterCount >= 1 and phaseCount in 1..3");
        }
        this.serial = serial;
        this.seed = seed;
        this.inverterCount = inverterCount;
        this.phaseCount = phaseCount;
        this.firmware = firmware;
        this.zone = zone;
        LocalDate installed = LocalDate.of(2018, 1, 1).plusDays((long) SimRandom.between(seed, 0, 1500, 1));
        this.solar = new SolarProfile(zone, seed, 0.85 * INVERTER_NAMEPLATE_W * inverterCount);
        this.production = new EnergyCounter(solar, installed);
        this.consumption = new EnergyCounter(new LoadProfile(zone, seed), installed);
        this.inverterShares = normalized(IntStream.range(0, inverterCount)
                .mapToDouble(i -> SimRandom.between(seed, 0.9, 1.1, 2, i)).toArray());
        this.productionPhaseShares = normalized(IntStream.range(0, phaseCount)
                .mapToDouble(k -> SimRandom.between(seed, 0.98, 1.02, 3, k)).toArray());
        this.consumptionPhaseShares = normalized(IntStream.range(0, phaseCount)
                .mapToDouble(k -> SimRandom.between(seed, 0.6, 1.4, 4, k)).toArray());
        this.battery = batteryWh > 0
                ? new SimulatedBattery(batteryWh, batteryW, zone, t -> productionW(t) - consumptionW(t))
                : null;
    }

    /**
     * The same gateway with an Encharge battery of {@code capacityWh} and {@code maxPowerW}: served by
     * {@code /ivp/ensemble/inventory} and {@code /ivp/ensemble/secctrl} and by the v4 simulator's
     * {@code telemetry/battery}, from one model ({@link SimulatedBattery}).
     */
    public SimulatedGateway withBattery(double capacityWh, double maxPowerW) {
        return new SimulatedGateway(serial, seed, inverterCount, phaseCount, firmware, zone, capacityWh, maxPowerW);
    }

    /** The battery, if this gateway has one. */
    public java.util.Optional<SimulatedBattery> battery() {
        return java.util.Optional.ofNullable(battery);
    }

    /** Serial of the simulated Encharge battery. */
    public String batterySerial() {
        return String.format("12%04d%06d", Math.floorMod(SimRandom.hash(seed, 8), 10000), 1);
    }

    private static double[] normalized(double[] weights) {
        double sum = 0;
        for (double w : weights) {
            sum += w;
        }
        double[] out = new double[weights.length];
        for (int i = 0; i < weights.length; i++) {
            out[i] = weights[i] / sum;
        }
        return out;
    }

    // ----- identity

    public String serial() {
        return serial;
    }

    public long seed() {
        return seed;
    }

    public int inverterCount() {
        return inverterCount;
    }

    public int phaseCount() {
        return phaseCount;
    }

    public String firmware() {
        return firmware;
    }

    public ZoneId zone() {
        return zone;
    }

    /** Firmware below 7: no tokens (like real legacy gateways). */
    public boolean legacy() {
        return isLegacyFirmware(firmware);
    }

    static boolean isLegacyFirmware(String firmware) {
        String digits = firmware.replaceFirst("^[A-Za-z]+", "");
        int dot = digits.indexOf('.');
        try {
            return Integer.parseInt(dot < 0 ? digits : digits.substring(0, dot)) < 7;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Local midnight of the installation day; counters are 0 before it. */
    public Instant installedAt() {
        return production.installedAt();
    }

    // ----- clock quantization

    /** The instant of the meter reading a fetch at {@code now} sees. */
    public Instant meterTime(Instant now) {
        return floor(now, METER_REFRESH.getSeconds(), 0);
    }

    /** The last report of inverter {@code i} at or before {@code now}. */
    public Instant inverterReportTime(int i, Instant now) {
        long offset = 60 * Math.floorMod(SimRandom.hash(seed, 5, i), 5);
        return floor(now, INVERTER_REFRESH.getSeconds(), offset);
    }

    private static Instant floor(Instant now, long period, long offset) {
        return Instant.ofEpochSecond(Math.floorDiv(now.getEpochSecond() - offset, period) * period + offset);
    }

    public Instant localMidnight(Instant t) {
        return LocalDate.ofInstant(t, zone).atStartOfDay(zone).toInstant();
    }

    /** Local midnight six days before the day of {@code t}: the start of the "last seven days" window. */
    public Instant sevenDaysStart(Instant t) {
        return LocalDate.ofInstant(t, zone).minusDays(6).atStartOfDay(zone).toInstant();
    }

    // ----- ground truth (instantaneous, not quantized)

    public double productionW(Instant t) {
        return production.powerW(t);
    }

    public double consumptionW(Instant t) {
        return consumption.powerW(t);
    }

    public double netW(Instant t) {
        return consumptionW(t) - productionW(t);
    }

    public double productionLifetimeWh(Instant t) {
        return production.lifetimeWh(t);
    }

    public double consumptionLifetimeWh(Instant t) {
        return consumption.lifetimeWh(t);
    }

    public double productionWhBetween(Instant a, Instant b) {
        return productionLifetimeWh(b) - productionLifetimeWh(a);
    }

    public double consumptionWhBetween(Instant a, Instant b) {
        return consumptionLifetimeWh(b) - consumptionLifetimeWh(a);
    }

    public double netWhBetween(Instant a, Instant b) {
        return consumptionWhBetween(a, b) - productionWhBetween(a, b);
    }

    /** Highest production power the system can reach, W. */
    public double capacityW() {
        return solar.capacityW();
    }

    // ----- inverters

    public List<String> inverterSerials() {
        return IntStream.range(0, inverterCount).mapToObj(this::inverterSerial).toList();
    }

    public String inverterSerial(int i) {
        return String.format("48%04d%06d", Math.floorMod(SimRandom.hash(seed, 6), 10000), i + 1);
    }

    /** Fraction of the production inverter {@code i} makes (constant; shares sum to 1). */
    public double inverterShare(int i) {
        return inverterShares[i];
    }

    /** Watts inverter {@code i} reported last before {@code now}. */
    public int inverterWatts(int i, Instant now) {
        return (int) Math.round(inverterShares[i] * productionW(inverterReportTime(i, now)));
    }

    /** Lifetime Wh of inverter {@code i} at its last report before {@code now}. */
    public double inverterLifetimeWh(int i, Instant now) {
        return inverterShares[i] * productionLifetimeWh(inverterReportTime(i, now));
    }

    /** The maximum an inverter can report: its share of the system's capacity, rounded up. */
    public int inverterMaxWatts(int i) {
        return (int) Math.ceil(inverterShares[i] * capacityW());
    }

    // ----- phases

    public double productionPhaseShare(int k) {
        return productionPhaseShares[k];
    }

    public double consumptionPhaseShare(int k) {
        return consumptionPhaseShares[k];
    }

    /** Nominal line voltage: 120 V on split-phase systems, 230 V otherwise. */
    public double nominalVoltage() {
        return phaseCount == 2 ? 120.0 : 230.0;
    }

    /** Line voltage of phase {@code k} at {@code t}: nominal +-2 %, changing each minute. */
    public double voltage(int k, Instant t) {
        return nominalVoltage() * SimRandom.between(seed, 0.98, 1.02, 7, k, Math.floorDiv(t.getEpochSecond(), 60));
    }

    /** Grid frequency: 60 Hz on split-phase systems, 50 Hz otherwise. */
    public double frequency() {
        return phaseCount == 2 ? 60.0 : 50.0;
    }

    // ----- payloads

    /** The body this gateway returns for {@code endpoint} when fetched at {@code now}. */
    public String body(Endpoint endpoint, Instant now) {
        return endpoint == Endpoint.INFO ? infoXml(now) : GatewayPayloads.write(json(endpoint, now));
    }

    /** The JSON payload of {@code endpoint} (not {@link Endpoint#INFO}, which is XML). */
    public JsonNode json(Endpoint endpoint, Instant now) {
        GatewayPayloads p = new GatewayPayloads(this);
        return switch (endpoint) {
            case INFO -> throw new IllegalArgumentException("/info is XML: use infoXml");
            case PRODUCTION_JSON -> p.productionJson(now, true);
            case API_V1_PRODUCTION -> p.apiV1Production(now);
            case API_V1_PRODUCTION_INVERTERS -> p.apiV1ProductionInverters(now);
            case IVP_METERS -> p.ivpMeters();
            case IVP_METERS_READINGS -> p.ivpMetersReadings(now);
            case IVP_PDM_ENERGY -> p.ivpPdmEnergy(now);
            case IVP_PDM_DEVICE_DATA -> p.ivpPdmDeviceData(now);
            case IVP_LIVEDATA_STATUS -> p.ivpLivedataStatus(now);
            case IVP_METERS_REPORTS_CONSUMPTION -> p.ivpMetersReportsConsumption(now);
            case IVP_ENSEMBLE_INVENTORY -> p.ivpEnsembleInventory(now);
            case IVP_ENSEMBLE_SECCTRL -> p.ivpEnsembleSecctrl(now);
        };
    }

    /**
     * {@code /ivp/livedata/status} as of {@code at}, with the live stream on ({@code sc_stream} enabled,
     * {@code last_update} to the second) or off.
     */
    public String livedataStatus(Instant at, boolean stream) {
        return GatewayPayloads.write(new GatewayPayloads(this).ivpLivedataStatus(at, stream));
    }

    /** {@code /production.json}, with per-phase {@code lines} when {@code details} is true. */
    public String productionJson(Instant now, boolean details) {
        return GatewayPayloads.write(new GatewayPayloads(this).productionJson(now, details));
    }

    /** {@code /info}: serial, part number, firmware as {@code D<version>}, {@code imeter} true. */
    public String infoXml(Instant now) {
        return InfoXml.render(this, meterTime(now));
    }
}
