package dev.enphaseetl.parse;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.enphaseetl.model.Reading;

/**
 * /ivp/meters/reports/consumption: one {@code consumption_report} per report (tag {@code report} = its position, as
 * some firmware sends two reports of the same type) for the cumulative values and each line (L1..L3), dated with
 * createdAt.
 */
final class ConsumptionReportParser {

    private static final Endpoint EP = Endpoint.IVP_METERS_REPORTS_CONSUMPTION;

    private ConsumptionReportParser() {}

    static List<Reading> parse(String gateway, JsonNode root) throws PayloadException {
        Json.array(EP, root, "the payload");
        List<Reading> out = new ArrayList<>();
        int index = 0;
        for (JsonNode r : root) {
            Json.object(EP, r, "a report");
            String report = Integer.toString(index++);
            Long time = Json.time(r, "createdAt");
            String type = Json.text(r, "reportType");
            if (time == null || type == null) {
                continue;
            }
            JsonNode cum = r.get("cumulative");
            if (cum != null && cum.isObject()) {
                report(gateway, type, report, "total", time, cum).addTo(out);
            }
            JsonNode lines = r.get("lines");
            if (lines != null && lines.isArray()) {
                for (int i = 0; i < Math.min(3, lines.size()); i++) {
                    if (lines.get(i).isObject()) {
                        report(gateway, type, report, SystemDeriver.PHASES[i], time, lines.get(i)).addTo(out);
                    }
                }
            }
        }
        return out;
    }

    private static Reading.Builder report(String gateway, String type, String report, String phase, long time,
            JsonNode n) {
        return Reading.of("consumption_report", time).tag("gateway", gateway).tag("type", type).tag("report", report)
                .tag("phase", phase)
                .field("active_power_w", Json.num(n, "actPower"))
                .field("apparent_power_va", Json.num(n, "apprntPwr"))
                .field("reactive_power_var", Json.num(n, "reactPwr"))
                .field("energy_delivered_wh", Json.num(n, "whDlvdCum"))
                .field("energy_received_wh", Json.num(n, "whRcvdCum"))
                .field("apparent_energy_vah", Json.num(n, "vahCum"))
                .field("reactive_energy_lag_varh", Json.num(n, "varhLagCum"))
                .field("reactive_energy_lead_varh", Json.num(n, "varhLeadCum"))
                .field("voltage_v", Json.num(n, "rmsVoltage"))
                .field("current_a", Json.num(n, "rmsCurrent"))
                .field("power_factor", Json.num(n, "pwrFactor"))
                .field("frequency_hz", Json.num(n, "freqHz"));
    }
}
