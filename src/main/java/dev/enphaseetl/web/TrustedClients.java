package dev.enphaseetl.web;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A list of IP addresses and CIDR ranges ({@code enphase.web.trusted}), matched against a client's address. Entries
 * are literals only: a host name would need a DNS lookup per request and could change under the operator's feet.
 */
public final class TrustedClients {

    private static final Pattern LITERAL = Pattern.compile("[0-9A-Fa-f:.]+(%\\w+)?");

    private record Range(byte[] network, int prefix) {}

    private final List<Range> ranges;

    private TrustedClients(List<Range> ranges) {
        this.ranges = ranges;
    }

    /** Parses {@code 127.0.0.1}, {@code 192.168.1.0/24}, {@code ::1}, {@code fd00::/8}; one clear error otherwise. */
    public static TrustedClients parse(List<String> entries) {
        List<Range> out = new ArrayList<>();
        for (String raw : entries) {
            String e = raw.trim();
            if (e.isEmpty()) {
                continue;
            }
            String addr = e;
            Integer prefix = null;
            int slash = e.indexOf('/');
            if (slash >= 0) {
                addr = e.substring(0, slash);
                try {
                    prefix = Integer.parseInt(e.substring(slash + 1));
                } catch (NumberFormatException ex) {
                    throw invalid(e);
                }
            }
            byte[] bytes = literal(addr);
            if (bytes == null) {
                throw invalid(e);
            }
            int bits = bytes.length * 8;
            if (prefix == null) {
                prefix = bits;
            }
            if (prefix < 0 || prefix > bits) {
                throw invalid(e);
            }
            out.add(new Range(bytes, prefix));
        }
        return new TrustedClients(List.copyOf(out));
    }

    /** Whether {@code address} (an IP literal as the server saw it) is in one of the ranges. */
    public boolean contains(String address) {
        byte[] a = address == null ? null : literal(address);
        if (a == null) {
            return false;
        }
        a = unmapped(a);
        for (Range r : ranges) {
            byte[] n = unmapped(r.network());
            int prefix = r.prefix() - (r.network().length - n.length) * 8;
            if (n.length == a.length && prefix >= 0 && matches(n, a, prefix)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(byte[] net, byte[] addr, int prefix) {
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (net[i] != addr[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xFF << (8 - rest)) & 0xFF;
        return (net[full] & mask) == (addr[full] & mask);
    }

    /** {@code ::ffff:127.0.0.1} is the IPv4 client 127.0.0.1 on a dual-stack socket. */
    private static byte[] unmapped(byte[] a) {
        if (a.length == 16) {
            for (int i = 0; i < 10; i++) {
                if (a[i] != 0) {
                    return a;
                }
            }
            if ((a[10] & 0xFF) == 0xFF && (a[11] & 0xFF) == 0xFF) {
                return new byte[]{a[12], a[13], a[14], a[15]};
            }
        }
        return a;
    }

    /** The address bytes of an IP literal, or null: never a DNS lookup. */
    private static byte[] literal(String s) {
        String t = s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
        if (!LITERAL.matcher(t).matches() || (!t.contains(":") && t.chars().filter(c -> c == '.').count() != 3)) {
            return null;
        }
        try {
            return InetAddress.getByName(t).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static IllegalArgumentException invalid(String entry) {
        return new IllegalArgumentException("enphase.web.trusted: '" + entry + "' is not an IP address or CIDR range"
                + " (e.g. 127.0.0.1, 192.168.1.0/24, ::1; host names are not accepted)");
    }
}
