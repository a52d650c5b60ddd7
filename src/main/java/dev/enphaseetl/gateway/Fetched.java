package dev.enphaseetl.gateway;

import dev.enphaseetl.pipeline.PollTask;

/** A gateway's answer to one poll: status, content type and the raw body. */
public record Fetched(PollTask task, int status, String contentType, String body) {

    @Override
    public String toString() {
        return "Fetched[" + task + " status=" + status + " " + (body == null ? 0 : body.length()) + " chars]";
    }
}
