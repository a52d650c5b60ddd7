package dev.enphaseetl.parse;

/**
 * What the pipeline remembers about one gateway between polls (firmware from /info, meter configuration from
 * /ivp/meters, the latest production payloads). One instance per gateway; the parser updates it.
 */
public class GatewayState {
}
