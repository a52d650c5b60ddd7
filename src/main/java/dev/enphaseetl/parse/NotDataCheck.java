package dev.enphaseetl.parse;

import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Recognizes what a gateway sends instead of data: 401/403/404 status, an empty body, an HTML page, a JSON
 * {@code {"error": ...}} object, or {@code []} where an object is expected.
 */
final class NotDataCheck {

    private NotDataCheck() {}

    /** Checks on the raw response, before any parsing. */
    static void beforeParsing(Endpoint endpoint, int status, String body) throws PayloadException {
        if (status == 401 || status == 403 || status == 404) {
            throw new NotDataException(endpoint.path() + ": HTTP " + status);
        }
        if (status < 200 || status > 299) {
            throw new PayloadException(endpoint.path() + ": HTTP " + status);
        }
        if (body == null || body.isBlank()) {
            throw new NotDataException(endpoint.path() + ": empty body");
        }
        String head = body.stripLeading();
        String lower = head.substring(0, Math.min(head.length(), 300)).toLowerCase(Locale.ROOT);
        boolean html = lower.startsWith("<!doctype html") || lower.contains("<html");
        if (html || endpoint != Endpoint.INFO && head.startsWith("<")) {
            throw new NotDataException(endpoint.path() + ": HTML page instead of data");
        }
    }

    /** Checks on parsed JSON: error objects, and {@code []} where the endpoint answers with an object. */
    static void afterParsing(Endpoint endpoint, JsonNode root) throws NotDataException {
        if (root.isObject() && root.has("error")) {
            JsonNode e = root.get("error");
            String msg = e.isTextual() ? Json.excerpt(e.asText(), 60) : e.getNodeType().toString().toLowerCase();
            throw new NotDataException(endpoint.path() + ": gateway error: " + msg);
        }
        if (root.isArray() && root.isEmpty() && expectsObject(endpoint)) {
            throw new NotDataException(endpoint.path() + ": empty array instead of an object");
        }
    }

    static boolean expectsObject(Endpoint endpoint) {
        return switch (endpoint) {
            case PRODUCTION_JSON, API_V1_PRODUCTION, IVP_PDM_ENERGY, IVP_PDM_DEVICE_DATA, IVP_LIVEDATA_STATUS,
                    IVP_ENSEMBLE_SECCTRL ->
                true;
            default -> false;
        };
    }
}
