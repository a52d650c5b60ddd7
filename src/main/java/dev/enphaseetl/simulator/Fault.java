package dev.enphaseetl.simulator;

/**
 * How a virtual gateway misbehaves on one endpoint. Latency applies first and combines with any of the others;
 * of status, hang, malformed and htmlPage the first set one wins, in that order.
 *
 * @param latencyMs extra delay before answering, ms
 * @param status    answer with this HTTP status (e.g. 500, 503) and an HTML error page instead of the payload; 0 = off
 * @param hang      never answer (the connection stays open until the client gives up or the simulator closes)
 * @param malformed answer 200 with the payload cut in half (invalid JSON / XML)
 * @param htmlPage  answer 200 with an HTML page instead of the payload (what a gateway's web UI would send)
 */
public record Fault(long latencyMs, int status, boolean hang, boolean malformed, boolean htmlPage) {

    public static final Fault NONE = new Fault(0, 0, false, false, false);

    public Fault {
        if (latencyMs < 0 || (status != 0 && (status < 100 || status > 599))) {
            throw new IllegalArgumentException("latency must be >= 0 and status 0 or 100..599");
        }
    }

    public static Fault latency(long ms) {
        return new Fault(ms, 0, false, false, false);
    }

    public static Fault httpStatus(int status) {
        return new Fault(0, status, false, false, false);
    }

    public static Fault hanging() {
        return new Fault(0, 0, true, false, false);
    }

    public static Fault malformedBody() {
        return new Fault(0, 0, false, true, false);
    }

    public static Fault html200() {
        return new Fault(0, 0, false, false, true);
    }

    public Fault withLatency(long ms) {
        return new Fault(ms, status, hang, malformed, htmlPage);
    }

    public boolean isNone() { return equals(NONE); }
}
