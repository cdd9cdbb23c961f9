package dev.loginpulse.devbroker;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Throwaway certificates for tests, made with the JDK's own {@code keytool} in a directory of the caller's: a CA, the
 * broker's certificate signed by it for {@code IP:127.0.0.1,DNS:localhost}, a client certificate per name
 * ({@code CN=<name>}, which a broker with {@link BrokerTls} maps to the principal {@code User:<name>}), each in a
 * PKCS12 key store of its own, and a PKCS12 trust store holding the CA. Valid for two days; nothing is committed.
 */
public final class TestCertificates {

    /** The type of every store made here. */
    public static final String STORE_TYPE = "PKCS12";
    /** The name (alias and CN) of the broker's certificate. */
    public static final String BROKER = "broker";
    private static final String CA = "ca";
    private static final long KEYTOOL_TIMEOUT_SECONDS = 120;

    private final Path dir;
    private final String password;

    private TestCertificates(Path dir, String password) {
        this.dir = dir;
        this.password = password;
    }

    /**
     * Makes the CA, the broker's key store, a key store per client name and the trust store in {@code dir}.
     *
     * @param password of every store and key (at least 6 characters, as keytool wants)
     */
    public static TestCertificates create(Path dir, String password, Collection<String> clients) {
        TestCertificates certificates = new TestCertificates(dir, password);
        certificates.generate(clients);
        return certificates;
    }

    public String password() {
        return password;
    }

    /** The trust store: the CA alone. */
    public Path truststore() {
        return dir.resolve("truststore.p12");
    }

    /** The key store of {@code name}: its key and its certificate chain up to the CA. */
    public Path keystore(String name) {
        return dir.resolve(name + ".p12");
    }

    /** The broker side: its key store and the trust store, client certificates required or not. */
    public BrokerTls brokerTls(boolean requireClientCertificates, String clientName) {
        return new BrokerTls(keystore(BROKER), truststore(), password, requireClientCertificates,
                clientName == null ? null : keystore(clientName), clientName);
    }

    private void generate(Collection<String> clients) {
        try {
            Files.createDirectories(dir);
            Path ca = dir.resolve("ca-signer.p12");
            keytool(List.of("-genkeypair", "-alias", CA, "-dname", "CN=login-pulse-test-ca", "-ext", "bc:c",
                    "-keystore", ca.toString())).waitFor();
            // each certificate in a copy of the CA's store (keytool signs with a key of the same store), in parallel
            Map<String, Path> copies = new LinkedHashMap<>();
            List<String> names = new ArrayList<>(clients);
            names.addFirst(BROKER);
            List<Keytool> running = new ArrayList<>();
            for (String name : names) {
                Path copy = dir.resolve("ca-signer-" + name + ".p12");
                Files.copy(ca, copy);
                copies.put(name, copy);
                List<String> args = new ArrayList<>(List.of("-genkeypair", "-alias", name, "-dname", "CN=" + name,
                        "-signer", CA, "-keystore", copy.toString()));
                if (name.equals(BROKER)) {
                    args.addAll(List.of("-ext", "san=ip:127.0.0.1,dns:localhost"));
                }
                running.add(keytool(args));
            }
            for (Keytool keytool : running) {
                keytool.waitFor();
            }
            KeyStore signer = load(ca);
            KeyStore trust = KeyStore.getInstance(STORE_TYPE);
            trust.load(null, null);
            trust.setCertificateEntry(CA, signer.getCertificate(CA));
            store(trust, truststore());
            for (Map.Entry<String, Path> copy : copies.entrySet()) {
                String name = copy.getKey();
                KeyStore source = load(copy.getValue());
                Key key = source.getKey(name, password.toCharArray());
                KeyStore own = KeyStore.getInstance(STORE_TYPE);
                own.load(null, null);
                own.setKeyEntry(name, key, password.toCharArray(), source.getCertificateChain(name));
                store(own, keystore(name));
                Files.delete(copy.getValue());
            }
            Files.delete(ca); // the CA's key is not needed any more
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot make test certificates in " + dir, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot make test certificates in " + dir, e);
        }
    }

    private KeyStore load(Path path) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(STORE_TYPE);
        try (InputStream in = Files.newInputStream(path)) {
            store.load(in, password.toCharArray());
        }
        return store;
    }

    private void store(KeyStore store, Path path) throws IOException, GeneralSecurityException {
        try (OutputStream out = Files.newOutputStream(path)) {
            store.store(out, password.toCharArray());
        }
    }

    /** Starts {@code keytool} with the common options: EC P-256 keys, two days, PKCS12, the store password. */
    private Keytool keytool(List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(keytoolPath().toString(), "-J-XX:TieredStopAtLevel=1",
                "-J-XX:+UseSerialGC"));
        command.addAll(args);
        command.addAll(List.of("-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2", "-storetype", STORE_TYPE,
                "-storepass", password, "-noprompt"));
        Path log = Files.createTempFile(dir, "keytool-", ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new Keytool(process, log, String.join(" ", args));
    }

    /** The {@code keytool} beside the {@code java} running this JVM. */
    static Path keytoolPath() {
        Path java = Path.of(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        return java.resolveSibling("keytool");
    }

    private record Keytool(Process process, Path log, String what) {
        void waitFor() throws IOException {
            try {
                if (!process.waitFor(KEYTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException("keytool " + what + " did not finish within "
                            + KEYTOOL_TIMEOUT_SECONDS + " s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted waiting for keytool", e);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("keytool " + what + " failed: " + Files.readString(log));
            }
            Files.delete(log);
        }
    }
}
