package dev.enphaseetl.spool;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import dev.enphaseetl.model.Reading;

/** Route step that reads a spool entry (JSON Lines) back into readings for a sink. */
@ApplicationScoped
@Named("spoolEntries")
public class SpoolEntries {

    public List<Reading> read(String jsonLines) {
        return SpoolCodec.decode(jsonLines);
    }
}
