package dev.enphaseetl.parse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What the pipeline remembers about one gateway between polls: serial, firmware, part number and metering flag from
 * /info; the meter configuration from /ivp/meters; the latest /production.json and /api/v1/production content; the
 * most recent device timestamp seen on any endpoint. One instance per gateway; the parser updates it. All methods are
 * synchronized, so concurrent polls of different endpoints of the same gateway are safe.
 */
public class GatewayState {

    /** What the last /api/v1/production poll showed. */
    public enum ApiV1Status {
        /** not polled yet */
        UNKNOWN,
        /** answered with values */
        USABLE,
        /** all wattHours values zero: the known firmware bug, not a source */
        ALL_ZERO,
        /** answered with something that is not data (404, HTML, error object) */
        UNAVAILABLE
    }

    private String serial;
    private String firmware;
    private String partNumber;
    private Boolean metered;
    private Map<Long, MeterConfig> meters;
    private ProductionSnapshot production;
    private ApiV1Status apiV1Status = ApiV1Status.UNKNOWN;
    private Values apiV1;
    private long latestDeviceTime;
    private Set<String> deviceDataInverters = Set.of();

    public synchronized void setInfo(String serial, String firmware, String partNumber, Boolean metered) {
        this.serial = serial;
        this.firmware = firmware;
        this.partNumber = partNumber;
        this.metered = metered;
    }

    public synchronized Optional<String> serial() {
        return Optional.ofNullable(serial);
    }

    public synchronized Optional<String> firmware() {
        return Optional.ofNullable(firmware);
    }

    public synchronized Optional<String> partNumber() {
        return Optional.ofNullable(partNumber);
    }

    /** {@code imeter} of /info: metering hardware present (CTs may still be absent or disabled). */
    public synchronized Optional<Boolean> metered() {
        return Optional.ofNullable(metered);
    }

    synchronized FirmwareVersion firmwareVersion() {
        return FirmwareVersion.parse(firmware);
    }

    public synchronized void setMeters(List<MeterConfig> configs) {
        Map<Long, MeterConfig> m = new LinkedHashMap<>();
        for (MeterConfig c : configs) {
            m.put(c.eid(), c);
        }
        this.meters = m;
    }

    /** The meter configuration, empty when /ivp/meters was not read (yet). */
    public synchronized Optional<List<MeterConfig>> meters() {
        return meters == null ? Optional.empty() : Optional.of(new ArrayList<>(meters.values()));
    }

    synchronized Optional<MeterConfig> meter(long eid) {
        return meters == null ? Optional.empty() : Optional.ofNullable(meters.get(eid));
    }

    synchronized boolean metersKnown() {
        return meters != null;
    }

    synchronized int enabledMeterCount() {
        return meters == null ? 0 : (int) meters.values().stream().filter(MeterConfig::enabled).count();
    }

    synchronized boolean hasEnabledMeter(String measurementType) {
        return meters != null && meters.values().stream()
                .anyMatch(m -> m.enabled() && measurementType.equals(m.measurementType()));
    }

    /** The largest phaseCount of the enabled meters; 1 when none is known (pyenphase's rule). */
    public synchronized int phaseCount() {
        int n = 1;
        if (meters != null) {
            for (MeterConfig m : meters.values()) {
                if (m.enabled()) {
                    n = Math.max(n, m.phaseCount());
                }
            }
        }
        return Math.min(n, 3);
    }

    synchronized void setProduction(ProductionSnapshot snapshot) { this.production = snapshot; }

    synchronized Optional<ProductionSnapshot> production() {
        return Optional.ofNullable(production);
    }

    /**
     * Forgets what was detected about the endpoints (availability of /api/v1/production); called when the firmware
     * changes, since an update can add, drop or fix endpoints. Identity and meter configuration are re-read anyway.
     */
    public synchronized void redetect() {
        this.apiV1Status = ApiV1Status.UNKNOWN;
        this.apiV1 = null;
    }

    synchronized void setApiV1(ApiV1Status status, Values values) {
        this.apiV1Status = status;
        this.apiV1 = values;
    }

    public synchronized ApiV1Status apiV1Status() {
        return apiV1Status;
    }

    synchronized Optional<Values> apiV1() {
        return Optional.ofNullable(apiV1);
    }

    /**
     * The inverter serials whose {@code inverter} readings come from /ivp/pdm/device_data (active pcu devices, when
     * the payload lists all devices: deviceCount below deviceDataLimit); empty when that endpoint is not usable, so
     * /api/v1/production/inverters is the source.
     */
    synchronized void setDeviceDataInverters(Set<String> serials) { this.deviceDataInverters = Set.copyOf(serials); }

    synchronized boolean invertersFromDeviceData(String serial) {
        return deviceDataInverters.contains(serial);
    }

    /** Remembers a device timestamp; the latest one dates payloads that carry none. */
    public synchronized void observeDeviceTime(long epochSeconds) {
        if (epochSeconds >= Json.MIN_TIME && epochSeconds <= Json.MAX_TIME && epochSeconds > latestDeviceTime) {
            latestDeviceTime = epochSeconds;
        }
    }

    /** The most recent device timestamp any endpoint of this gateway reported, if any. */
    public synchronized OptionalLong latestDeviceTime() {
        return latestDeviceTime == 0 ? OptionalLong.empty() : OptionalLong.of(latestDeviceTime);
    }

    /** Metered hardware with no enabled CT on firmware 8.2.4264 or later: /api/v1/production is stalled there. */
    synchronized boolean meteredWithoutCtOnStalledFirmware() {
        FirmwareVersion v = FirmwareVersion.parse(firmware);
        return Boolean.TRUE.equals(metered) && v != null && v.atLeast(FirmwareVersion.METERED_NOCT_STALLED_API_V1)
                && enabledMeterCount() == 0;
    }
}
