package dev.enphaseetl.gateway;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;

import org.jboss.logging.Logger;

import dev.enphaseetl.health.FirstFew;

/**
 * Trusts a gateway's self-signed certificate on first use and pins it: the SHA-256 fingerprint seen first for a
 * host:port is remembered in a file, and a different certificate later is refused with a message naming both
 * fingerprints. A fingerprint pinned in configuration is required from the first connection on. With
 * {@code insecure} every certificate is accepted.
 */
public final class TrustOnFirstUse extends X509ExtendedTrustManager {

    private static final Logger LOG = Logger.getLogger(TrustOnFirstUse.class);
    private final FirstFew firstUse = new FirstFew(LOG, "certificates trusted on first use");

    private final Path store;
    private final Map<String, String> pinned;
    private final boolean insecure;
    private final Map<String, String> known = new TreeMap<>();

    /**
     * @param store    properties file of remembered fingerprints ({@code host:port=fingerprint})
     * @param pinned   fingerprints from configuration, by {@code host:port}
     * @param insecure accept every certificate
     */
    public TrustOnFirstUse(Path store, Map<String, String> pinned, boolean insecure) {
        this.store = store;
        this.insecure = insecure;
        this.pinned = new TreeMap<>();
        pinned.forEach((k, v) -> this.pinned.put(k, CertificateFingerprints.normalize(v)));
        load();
    }

    /** Pins a fingerprint for {@code hostPort} from now on (configuration, or the embedded simulator). */
    public synchronized void pin(String hostPort, String fingerprint) {
        pinned.put(hostPort, CertificateFingerprints.normalize(fingerprint));
    }

    /** The fingerprint remembered on first use for {@code hostPort}, if any (not the configured pins). */
    public synchronized Optional<String> remembered(String hostPort) {
        return Optional.ofNullable(known.get(hostPort));
    }

    /** Checks a certificate presented by {@code hostPort}; public so that it can be tested without a handshake. */
    public synchronized void check(String hostPort, X509Certificate leaf) throws CertificateException {
        if (insecure) {
            return;
        }
        String seen = CertificateFingerprints.sha256(leaf);
        String pin = pinned.get(hostPort);
        if (pin != null) {
            if (!pin.equals(seen)) {
                throw new CertificateException("gateway " + hostPort + " presented certificate SHA-256 " + seen
                        + " but the configuration pins " + pin + ". Refusing to connect.");
            }
            return;
        }
        String remembered = known.get(hostPort);
        if (remembered == null) {
            known.put(hostPort, seen);
            remember(hostPort, seen);
            firstUse.info("Trusting the certificate of gateway %s on first use: SHA-256 %s (remembered in %s)",
                    hostPort,
                    seen, store);
        } else if (!remembered.equals(seen)) {
            throw new CertificateException("gateway " + hostPort + " presented a different certificate: SHA-256 "
                    + seen + ", but " + remembered + " was trusted on first use. Refusing to connect. If the gateway"
                    + " was replaced or reset, delete its line from " + store + " or pin the new fingerprint.");
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        SSLSession session = socket instanceof SSLSocket s ? s.getHandshakeSession() : null;
        check(hostPort(session, socket.getInetAddress().getHostAddress(), socket.getPort()), leaf(chain));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        check(hostPort(engine.getHandshakeSession(), engine.getPeerHost(), engine.getPeerPort()), leaf(chain));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("gateway certificates are checked per host; no peer known");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        throw new CertificateException("not a server");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        throw new CertificateException("not a server");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("not a server");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }

    private static X509Certificate leaf(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("gateway presented no certificate");
        }
        return chain[0];
    }

    private static String hostPort(SSLSession session, String fallbackHost, int fallbackPort) {
        String host = session != null && session.getPeerHost() != null ? session.getPeerHost() : fallbackHost;
        int port = session != null && session.getPeerPort() > 0 ? session.getPeerPort() : fallbackPort;
        return host + ":" + port;
    }

    private void load() {
        if (!Files.exists(store)) {
            return;
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(store, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read remembered gateway certificates from " + store, e);
        }
        p.stringPropertyNames().forEach(k -> known.put(k, p.getProperty(k)));
    }

    /**
     * Appends {@code hostPort=fingerprint} to the store (a properties file): one line per new gateway, so that a
     * fleet of thousands does not rewrite the whole file for each.
     */
    private void remember(String hostPort, String fingerprint) {
        try {
            Files.createDirectories(store.toAbsolutePath().getParent());
            boolean fresh = !Files.exists(store);
            try (Writer w = Files.newBufferedWriter(store, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND)) {
                if (fresh) {
                    w.write("# gateway certificates trusted on first use (SHA-256); delete a line to trust anew\n");
                }
                w.write(escapeKey(hostPort) + "=" + fingerprint + "\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remember gateway certificates in " + store, e);
        }
    }

    /** A properties key as {@link Properties#load} reads it back: {@code :}, {@code =}, blanks and the like escaped. */
    static String escapeKey(String key) {
        StringBuilder b = new StringBuilder(key.length() + 4);
        for (char c : key.toCharArray()) {
            if (c == ':' || c == '=' || c == ' ' || c == '#' || c == '!' || c == '\\') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }
}
