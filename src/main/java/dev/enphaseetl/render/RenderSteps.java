package dev.enphaseetl.render;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import dev.enphaseetl.delivery.PermanentSinkException;
import dev.enphaseetl.model.Reading;

/**
 * Renderings as route steps, for outputs wired in YAML alone ({@code bean: {ref: render, method: lineProtocol}}):
 * the body goes from the readings of a spool entry to text that an MQTT broker, a webhook or a second InfluxDB takes.
 */
@ApplicationScoped
@Named("render")
public class RenderSteps {

    /** InfluxDB line protocol, one line per reading, second precision. */
    public String lineProtocol(List<Reading> readings) {
        try {
            return LineProtocol.render(readings);
        } catch (IllegalArgumentException e) {
            throw new PermanentSinkException("cannot render as line protocol: " + e.getMessage(), e);
        }
    }
}
