package dev.loginpulse.events;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.eclipse.microprofile.config.ConfigProvider;

import io.quarkus.runtime.StartupEvent;

/**
 * A service's Kafka security settings, checked before any Kafka client is made: a wrong one stops the service at
 * start with a message naming the environment variable and the key. Kafka's own error does not: a missing trust
 * store is "Failed to load SSL keystore ... of type JKS", a wrong password "keystore password was incorrect". Every
 * service runs this (it is a bean of this module, which the services index) on the {@code kafka.*} keys, i.e. the
 * {@code KAFKA_*} variables: the messaging services read them as client properties, stats maps them to Kafka Streams.
 */
@ApplicationScoped
public class KafkaSecurityCheck {

    private static final Set<String> PROTOCOLS = Set.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");
    /** The keys of the {@code KAFKA_*} variables: stats maps them to Kafka Streams, the others read them directly. */
    private static final String PREFIX = "kafka.";

    /** Fails the start, before the messaging channels and Kafka Streams make their clients, if a setting is wrong. */
    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        List<String> problems = problems(key -> ConfigProvider.getConfig().getOptionalValue(key, String.class));
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Kafka security settings: " + String.join("; ", problems));
        }
    }

    /**
     * What is wrong with the Kafka security settings {@code config} gives (by key, e.g.
     * {@code kafka.ssl.truststore.location}), each problem naming its environment variable and key; empty if none.
     * Over TLS, every trust and key store named must exist and open with its password as its type; over SASL, a JAAS
     * configuration must be given.
     */
    public static List<String> problems(Function<String, Optional<String>> config) {
        List<String> problems = new ArrayList<>();
        String protocolKey = PREFIX + "security.protocol";
        Optional<String> protocol = config.apply(protocolKey).map(value -> value.trim().toUpperCase(Locale.ROOT));
        if (protocol.isEmpty()) {
            return problems;
        }
        if (!PROTOCOLS.contains(protocol.get())) {
            problems.add(name(protocolKey) + " is " + protocol.get() + ", not one of " + PROTOCOLS.stream().sorted()
                    .toList());
            return problems;
        }
        if (protocol.get().endsWith("SSL")) {
            checkStore(config, PREFIX + "ssl.truststore.", problems);
            checkStore(config, PREFIX + "ssl.keystore.", problems);
        }
        String jaasKey = PREFIX + "sasl.jaas.config";
        if (protocol.get().startsWith("SASL") && config.apply(jaasKey).filter(value -> !value.isBlank()).isEmpty()
                && System.getProperty("java.security.auth.login.config") == null) {
            problems.add(name(jaasKey) + " is not set, but " + name(protocolKey) + " is " + protocol.get());
        }
        return problems;
    }

    /** The store of {@code storePrefix} ({@code kafka.ssl.truststore.}), if one is named: it must open. */
    private static void checkStore(Function<String, Optional<String>> config, String storePrefix, List<String> problems) {
        String locationKey = storePrefix + "location";
        Optional<String> location = config.apply(locationKey).filter(value -> !value.isBlank());
        if (location.isEmpty()) {
            return;
        }
        Path path = Path.of(location.get());
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            problems.add(name(locationKey) + " names " + path + ", which does not exist or cannot be read");
            return;
        }
        String type = config.apply(storePrefix + "type").filter(value -> !value.isBlank()).orElse("JKS");
        if (type.equalsIgnoreCase("PEM")) {
            return;
        }
        String passwordKey = storePrefix + "password";
        Optional<String> password = config.apply(passwordKey);
        try (InputStream in = Files.newInputStream(path)) {
            KeyStore.getInstance(type).load(in, password.map(String::toCharArray).orElse(null));
        } catch (Exception e) {
            problems.add(name(locationKey) + " names " + path + ", which does not open as a " + type + " store with "
                    + (password.isPresent() ? "the password of " : "no ") + name(passwordKey) + ": " + e.getMessage());
        }
    }

    /** {@code KAFKA_SSL_TRUSTSTORE_LOCATION (kafka.ssl.truststore.location)}: the variable and the key. */
    static String name(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_') + " (" + key + ")";
    }
}
