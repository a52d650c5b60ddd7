package dev.enphaseetl.simulator;

/** An answer of a virtual gateway, before faults are applied. */
record SimResponse(int status, String contentType, String body) {

    static final String JSON = "application/json";
    static final String XML = "text/xml";
    static final String HTML = "text/html";

    static SimResponse json(String body) {
        return new SimResponse(200, JSON, body);
    }

    static SimResponse notFound() {
        return new SimResponse(404, JSON, "{\"status\":404,\"error\":\"Not Found\"}");
    }

    static SimResponse unauthorized() {
        return new SimResponse(401, JSON,
                "{\"status\":401,\"error\":\"Unauthorized\",\"info\":\"a valid token or session is required\"}");
    }

    static SimResponse errorPage(int status) {
        return new SimResponse(status, HTML, "<html>\r\n<head><title>" + status + " Error</title></head>\r\n"
                + "<body>\r\n<center><h1>" + status + " Error</h1></center>\r\n<hr><center>openresty</center>\r\n"
                + "</body>\r\n</html>\r\n");
    }

    static SimResponse htmlPage() {
        return new SimResponse(200, HTML, "<!DOCTYPE html>\n<html><head><title>Envoy</title></head>"
                + "<body><h1>Envoy</h1><p>Please log in to continue.</p></body></html>\n");
    }

    SimResponse truncated() {
        return new SimResponse(200, contentType, body.substring(0, body.length() / 2));
    }
}
