package dev.enphaseetl.parse;

/** One CT meter as /ivp/meters configures it ({@code meteringStatus}: normal, not-metering, ...; null if absent). */
public record MeterConfig(long eid, boolean enabled, String measurementType, String phaseMode, int phaseCount,
        String meteringStatus) {

    public MeterConfig(long eid, boolean enabled, String measurementType, String phaseMode, int phaseCount) {
        this(eid, enabled, measurementType, phaseMode, phaseCount, null);
    }
}
