package dev.enphaseetl.sink;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import dev.enphaseetl.config.EnphaseConfig;
import dev.enphaseetl.model.Reading;
import dev.enphaseetl.sink.file.CsvFileSink;
import dev.enphaseetl.sink.file.FileSinkConfig;

/** The CSV files ({@code enphase.sink.csv.*}), built on first use. */
@ApplicationScoped
@Named("csvDelivery")
public class CsvDelivery implements SinkDelivery {

    private final Path dataDir;
    private final EnphaseConfig.FileSink config;
    private final ZoneId zone;
    private CsvFileSink sink;

    @Inject
    public CsvDelivery(EnphaseConfig enphase) {
        this.dataDir = Path.of(enphase.dataDir());
        this.config = enphase.sink().csv();
        this.zone = ZoneId.of(enphase.ledger().zone());
    }

    @Override
    public void deliver(List<Reading> readings) {
        sink().deliver(readings);
    }

    synchronized CsvFileSink sink() {
        if (sink == null) {
            sink = new CsvFileSink(FileSinkConfig.csv(dataDir).with(config.directory(), config.pattern()), zone);
        }
        return sink;
    }
}
