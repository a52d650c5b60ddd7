package dev.enphaseetl.spool;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import org.apache.camel.Exchange;

import dev.enphaseetl.model.Reading;

/** Route step that reads a spool entry (JSON Lines) back into readings for a sink. */
@ApplicationScoped
@Named("spoolEntries")
public class SpoolEntries {

    /** Exchange property holding the entry's readings, for steps after the body became something else. */
    public static final String READINGS = "readings";

    public List<Reading> read(String jsonLines, Exchange exchange) {
        List<Reading> readings = SpoolCodec.decode(jsonLines);
        exchange.setProperty(READINGS, readings);
        return readings;
    }
}
