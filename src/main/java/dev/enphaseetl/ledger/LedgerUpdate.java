package dev.enphaseetl.ledger;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.apache.camel.util.TimeUtils;
import org.jboss.logging.Logger;

import dev.enphaseetl.config.EnphaseConfig;
import dev.enphaseetl.sink.JdbcDelivery;
import dev.enphaseetl.spool.SinkSwitches;

/**
 * Route step of the ledger timer ({@link #tick()}): recomputes today's and yesterday's ledger rows from the SQL
 * archive and writes them to the yearly CSV file and the {@code daily_ledger} table.
 */
@ApplicationScoped
@Named("ledgerUpdate")
public class LedgerUpdate {

    private static final Logger LOG = Logger.getLogger(LedgerUpdate.class);

    private final EnphaseConfig config;
    private final JdbcDelivery jdbc;
    private final SinkSwitches switches;
    private LedgerRecompute recompute;
    private boolean saidNoArchive;
    private boolean wroteRows;
    private long lastRecompute;

    @Inject
    public LedgerUpdate(EnphaseConfig config, JdbcDelivery jdbc, SinkSwitches switches) {
        this.config = config;
        this.jdbc = jdbc;
        this.switches = switches;
    }

    /**
     * Route step of the ledger timer (every {@code enphase.ledger.check-period}): recomputes when no ledger row was
     * written yet (the first rows come as soon as the archive holds two readings of a counter, not a whole period
     * after a first recomputation that found one) or when {@code enphase.ledger.period} has passed since the last
     * recomputation that wrote rows.
     */
    public synchronized int tick() {
        long now = System.nanoTime();
        if (wroteRows && now - lastRecompute < periodNanos()) {
            return 0;
        }
        int rows = recomputeRecent();
        if (rows > 0) {
            wroteRows = true;
            lastRecompute = now;
        }
        return rows;
    }

    private long periodNanos() {
        return TimeUnit.MILLISECONDS.toNanos(TimeUtils.toMilliSeconds(config.ledger().period()));
    }

    public synchronized int recomputeRecent() {
        if (!switches.isEnabled("jdbc")) {
            if (!saidNoArchive) {
                LOG.warn("The daily ledger is computed from the SQL archive, and the jdbc sink is off: no ledger rows"
                        + " are written (switch enphase.sink.jdbc.enabled on, or enphase.ledger.enabled off)");
                saidNoArchive = true;
            }
            return 0;
        }
        if (recompute == null) {
            EnphaseConfig.Ledger l = config.ledger();
            Path dir = l.directory().map(Path::of).orElse(Path.of(config.dataDir(), "ledger"));
            recompute = new LedgerRecompute(jdbc.sink(), new LedgerConfig(ZoneId.of(l.zone()),
                    l.maxCrossDayGap()), new LedgerCsvStore(dir), new LedgerJdbcStore(jdbc.sink()));
        }
        List<LedgerDay> days = recompute.recomputeRecent();
        LOG.debugf("ledger: %d day rows recomputed", days.size());
        return days.size();
    }
}
