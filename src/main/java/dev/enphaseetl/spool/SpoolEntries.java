package dev.enphaseetl.spool;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import org.apache.camel.Exchange;

import dev.enphaseetl.delivery.PermanentSinkException;
import dev.enphaseetl.model.Reading;

/** Route step that reads a spool entry (JSON Lines) back into readings for a sink. */
@ApplicationScoped
@Named("spoolEntries")
public class SpoolEntries {

    /** Exchange property holding the entry's readings, for steps after the body became something else. */
    public static final String READINGS = "readings";

    public List<Reading> read(String jsonLines, Exchange exchange) {
        List<Reading> readings;
        try {
            readings = SpoolCodec.decode(jsonLines);
        } catch (RuntimeException e) {
            // no retry makes it readable: parked as it is, with the reason (sink-errors, on-sink-permanent)
            throw new PermanentSinkException("spool entry " + exchange.getIn().getHeader(Exchange.FILE_NAME)
                    + " is not readable: " + e.getMessage(), e);
        }
        exchange.setProperty(READINGS, readings);
        return readings;
    }
}
