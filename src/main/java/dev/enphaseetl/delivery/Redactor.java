package dev.enphaseetl.delivery;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** Removes secrets (and credential query parameters) from text that goes into exception messages or logs. */
public final class Redactor {

    private final List<String> secrets;

    public Redactor(String... secrets) {
        this.secrets = Arrays.stream(secrets).filter(Objects::nonNull).filter(s -> !s.isEmpty()).toList();
    }

    public String redact(String text) {
        if (text == null) {
            return "";
        }
        String out = text;
        for (String s : secrets) {
            out = out.replace(s, "***");
        }
        // InfluxDB 1.x credentials may travel as query parameters u= and p=; JDBC URLs may carry password=; OAuth
        // and the Enlighten API v4 use code=, refresh_token=, access_token=, client_secret= and key=
        out = out.replaceAll("([?&](?:p|u|password|user|token|key|code|refresh_token|access_token|client_secret)=)"
                + "[^&\\s\"]*", "$1***");
        // and a URL may carry user:password@
        return out.replaceAll("(//[^/@\\s:]+:)[^@/\\s]+@", "$1***@");
    }
}
