package dev.enphaseetl.sink;

import java.nio.file.Path;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import dev.enphaseetl.config.EnphaseConfig;
import dev.enphaseetl.model.Reading;
import dev.enphaseetl.sink.file.FileSinkConfig;
import dev.enphaseetl.sink.file.LineProtocolFileSink;

/** The line protocol files ({@code enphase.sink.lineprotocol.*}), built on first use. */
@ApplicationScoped
@Named("lineProtocolDelivery")
public class LineProtocolDelivery implements SinkDelivery {

    private final Path dataDir;
    private final EnphaseConfig.FileSink config;
    private LineProtocolFileSink sink;

    @Inject
    public LineProtocolDelivery(EnphaseConfig enphase) {
        this.dataDir = Path.of(enphase.dataDir());
        this.config = enphase.sink().lineprotocol();
    }

    @Override
    public void deliver(List<Reading> readings) {
        sink().deliver(readings);
    }

    synchronized LineProtocolFileSink sink() {
        if (sink == null) {
            sink = new LineProtocolFileSink(
                    FileSinkConfig.lineProtocol(dataDir).with(config.directory(), config.pattern()));
        }
        return sink;
    }
}
