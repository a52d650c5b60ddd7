package dev.enphaseetl.parse;

/** One CT meter as /ivp/meters configures it. */
public record MeterConfig(long eid, boolean enabled, String measurementType, String phaseMode, int phaseCount) {
}
