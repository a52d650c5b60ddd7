package dev.enphaseetl.parse;

import com.fasterxml.jackson.databind.JsonNode;

/** Power now and energy today / last seven days / lifetime as one source reports them; null = not reported. */
record Values(Double wNow, Double whToday, Double whLast7Days, Double whLifetime) {

    /** From a /production.json entry or line ({@code wNow}, {@code whToday}, ...). */
    static Values ofProductionJson(JsonNode n) {
        return new Values(Json.num(n, "wNow"), Json.num(n, "whToday"), Json.num(n, "whLastSevenDays"),
                Json.num(n, "whLifetime"));
    }

    /** From /api/v1/production or an /ivp/pdm/energy entry ({@code wattsNow}, {@code wattHoursToday}, ...). */
    static Values ofApiV1(JsonNode n) {
        return new Values(Json.num(n, "wattsNow"), Json.num(n, "wattHoursToday"), Json.num(n, "wattHoursSevenDays"),
                Json.num(n, "wattHoursLifetime"));
    }

    boolean isEmpty() { return wNow == null && whToday == null && whLast7Days == null && whLifetime == null; }
}
