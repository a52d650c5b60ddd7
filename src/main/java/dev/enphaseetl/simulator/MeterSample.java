package dev.enphaseetl.simulator;

import java.time.Instant;

/**
 * What one CT meter measures at one (quantized) instant: totals and per-phase values. Phase values are the totals
 * times constant phase shares, so they add up to the totals; energies are lifetime-counter differences.
 */
final class MeterSample {

    enum Kind {
        PRODUCTION("production"), TOTAL_CONSUMPTION("total-consumption"), NET_CONSUMPTION("net-consumption");

        final String measurementType;

        Kind(String measurementType) {
            this.measurementType = measurementType;
        }
    }

    final Kind kind;
    final Instant time;
    final int phases;
    final double[] watts;
    final double[] lifetimeWh;
    final double[] todayWh;
    final double[] sevenDaysWh;
    /** Energy delivered / received by the meter: for the net meter, consumption / production lifetimes. */
    final double[] deliveredWh;
    final double[] receivedWh;
    final double[] voltage;
    final double powerFactor;
    final double frequency;

    MeterSample(SimulatedGateway g, Kind kind, Instant time) {
        this.kind = kind;
        this.time = time;
        this.phases = g.phaseCount();
        int n = phases + 1; // index 0..phases-1 per phase, index phases = total
        watts = new double[n];
        lifetimeWh = new double[n];
        todayWh = new double[n];
        sevenDaysWh = new double[n];
        deliveredWh = new double[n];
        receivedWh = new double[n];
        voltage = new double[n];
        powerFactor = kind == Kind.PRODUCTION ? 0.97 : 0.9;
        frequency = g.frequency();
        Instant midnight = g.localMidnight(time);
        Instant week = g.sevenDaysStart(time);
        double p = g.productionW(time);
        double c = g.consumptionW(time);
        double pNow = g.productionLifetimeWh(time);
        double cNow = g.consumptionLifetimeWh(time);
        double pDay = pNow - g.productionLifetimeWh(midnight);
        double cDay = cNow - g.consumptionLifetimeWh(midnight);
        double pWeek = pNow - g.productionLifetimeWh(week);
        double cWeek = cNow - g.consumptionLifetimeWh(week);
        double voltageSum = 0;
        for (int k = 0; k <= phases; k++) {
            double ps = k == phases ? 1.0 : g.productionPhaseShare(k);
            double cs = k == phases ? 1.0 : g.consumptionPhaseShare(k);
            double consSide = kind == Kind.PRODUCTION ? 0 : cs;
            // production meter: +production; consumption meters: consumption (- production for net)
            double prodWeight = kind == Kind.PRODUCTION ? ps : (kind == Kind.NET_CONSUMPTION ? -ps : 0);
            watts[k] = consSide * c + prodWeight * p;
            lifetimeWh[k] = consSide * cNow + prodWeight * pNow;
            todayWh[k] = consSide * cDay + prodWeight * pDay;
            sevenDaysWh[k] = consSide * cWeek + prodWeight * pWeek;
            deliveredWh[k] = kind == Kind.PRODUCTION ? ps * pNow : cs * cNow;
            receivedWh[k] = kind == Kind.NET_CONSUMPTION ? ps * pNow : 0.0;
            if (k < phases) {
                voltage[k] = g.voltage(k, time);
                voltageSum += voltage[k];
            }
        }
        voltage[phases] = phases == 2 ? voltageSum : voltageSum / phases;
    }

    int total() {
        return phases;
    }

    double apparentPower(int k) {
        return watts[k] / powerFactor;
    }

    double reactivePower(int k) {
        double s = apparentPower(k);
        return -Math.signum(watts[k]) * Math.sqrt(Math.max(0, s * s - watts[k] * watts[k]));
    }

    /** Line current; the total is the sum of the line currents. */
    double current(int k) {
        if (k == phases) {
            double sum = 0;
            for (int i = 0; i < phases; i++) {
                sum += current(i);
            }
            return sum;
        }
        return apparentPower(k) / voltage[k];
    }

    /** Apparent energy, VAh: grows with the energy that flowed either way. */
    double apparentEnergy(int k) {
        return (deliveredWh[k] + receivedWh[k]) / powerFactor;
    }

    double laggingReactiveEnergy(int k) {
        return (deliveredWh[k] + receivedWh[k]) * 0.2;
    }

    double leadingReactiveEnergy(int k) {
        return (deliveredWh[k] + receivedWh[k]) * 0.02;
    }
}
