package dev.enphaseetl.parse;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import com.fasterxml.jackson.databind.JsonNode;

import dev.enphaseetl.model.Reading;
import dev.enphaseetl.parse.GatewayState.ApiV1Status;

/**
 * The parser the pipeline and the convert command share. Not-data answers throw {@link NotDataException}, malformed
 * payloads {@link PayloadException}; nothing else escapes. Every reading it returns renders as line protocol.
 */
@ApplicationScoped
@Named("payloadParser")
public class DefaultPayloadParser implements PayloadParser {

    public DefaultPayloadParser() {}

    @Override
    public List<Reading> parse(String gateway, Endpoint endpoint, int httpStatus, String body, GatewayState state)
            throws PayloadException {
        if (endpoint == null || state == null) {
            throw new PayloadException("no endpoint or gateway state given");
        }
        String gw = Json.cleanTag(gateway);
        if (gw == null) {
            throw new PayloadException(endpoint.path() + ": no usable gateway name");
        }
        try {
            List<Reading> readings = parseChecked(gw, endpoint, httpStatus, body, state);
            for (Reading r : readings) {
                state.observeDeviceTime(r.time());
            }
            return readings;
        } catch (NotDataException e) {
            if (endpoint == Endpoint.API_V1_PRODUCTION) {
                state.setApiV1(ApiV1Status.UNAVAILABLE, null);
            }
            if (endpoint == Endpoint.IVP_PDM_DEVICE_DATA) {
                // back to /api/v1/production/inverters for the inverter readings
                state.setDeviceDataInverters(java.util.Set.of());
            }
            if (endpoint == Endpoint.IVP_METERS && state.meters().isEmpty()) {
                // a firmware without /ivp/meters has no CT meters
                state.setMeters(List.of());
            }
            throw e;
        } catch (PayloadException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            // the cause is not attached: its message could quote payload text
            throw new PayloadException(endpoint.path() + ": unexpected payload shape (" + e.getClass().getSimpleName()
                    + ")");
        }
    }

    private static List<Reading> parseChecked(String gateway, Endpoint endpoint, int status, String body,
            GatewayState state) throws PayloadException {
        NotDataCheck.beforeParsing(endpoint, status, body);
        if (endpoint == Endpoint.INFO) {
            return InfoParser.parse(body, state);
        }
        JsonNode root = Json.read(endpoint, body);
        NotDataCheck.afterParsing(endpoint, root);
        return switch (endpoint) {
            case PRODUCTION_JSON -> ProductionJsonParser.parse(gateway, root, state);
            case API_V1_PRODUCTION -> ApiV1ProductionParser.parse(gateway, root, state);
            case API_V1_PRODUCTION_INVERTERS -> InvertersParser.parse(gateway, root, state);
            case IVP_METERS -> MetersParser.parse(root, state);
            case IVP_METERS_READINGS -> MeterReadingsParser.parse(gateway, root, state);
            case IVP_PDM_ENERGY -> PdmEnergyParser.parse(gateway, root, state);
            case IVP_PDM_DEVICE_DATA -> DeviceDataParser.parse(gateway, root, state);
            case IVP_LIVEDATA_STATUS -> LivedataParser.parse(gateway, root);
            case IVP_METERS_REPORTS_CONSUMPTION -> ConsumptionReportParser.parse(gateway, root);
            case IVP_ENSEMBLE_INVENTORY -> EnsembleInventoryParser.parse(gateway, root);
            case IVP_ENSEMBLE_SECCTRL -> SecctrlParser.parse(gateway, root, state);
            case INFO -> InfoParser.parse(body, state);
        };
    }
}
