package dev.enphaseetl.gateway;

/** A gateway's answer to one poll: status, content type and the raw body. */
public record Fetched(PollTask task, int status, String contentType, String body) {

    /** Whether {@code status} says the gateway refused access (401 or 403). */
    static boolean accessRefused(int status) {
        return status == 401 || status == 403;
    }

    /** Whether the gateway refused access (401 or 403). */
    public boolean accessRefused() {
        return accessRefused(status);
    }

    @Override
    public String toString() {
        return "Fetched[" + task + " status=" + status + " " + (body == null ? 0 : body.length()) + " chars]";
    }
}
