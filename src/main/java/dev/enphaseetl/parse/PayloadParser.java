package dev.enphaseetl.parse;

import java.util.List;

import dev.enphaseetl.model.Reading;

/**
 * Entry point the pipeline and the convert command share: one payload of one endpoint of one gateway in, normalized
 * readings out. The {@link GatewayState} carries what other endpoints told about the same gateway (firmware, meter
 * configuration, latest production payloads), so that the derived {@code system} reading can use the best source.
 */
public interface PayloadParser {

    /**
     * @param  gateway          the gateway serial (tag {@code gateway})
     * @param  endpoint         which endpoint the payload came from
     * @param  httpStatus       the HTTP status the gateway answered with
     * @param  body             the raw body
     * @param  state            per-gateway state, updated by this call
     * @return                  the readings, timestamps from the device
     * @throws NotDataException the gateway sent something that is not data (endpoint not available)
     * @throws PayloadException the payload is malformed; the message says why
     */
    List<Reading> parse(String gateway, Endpoint endpoint, int httpStatus, String body, GatewayState state)
            throws PayloadException;
}
