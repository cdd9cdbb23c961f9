package dev.loginpulse.events;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaSecurityCheckTest {

    @TempDir
    Path dir;

    private final Map<String, String> config = new HashMap<>();

    private List<String> problems() {
        return KafkaSecurityCheck.problems(key -> Optional.ofNullable(config.get(key)));
    }

    /** An empty PKCS12 store with this password: what keytool's trust stores are, without a certificate. */
    private Path store(String name, String password) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        Path path = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(path)) {
            store.store(out, password.toCharArray());
        }
        return path;
    }

    @Test
    void plaintextWithoutAnySecuritySettingIsFine() {
        assertThat(problems()).isEmpty();
        config.put("kafka.security.protocol", "PLAINTEXT");
        assertThat(problems()).isEmpty();
    }

    @Test
    void sslWithAMissingTruststoreNamesTheVariableTheKeyAndThePath() {
        config.put("kafka.security.protocol", "SSL");
        config.put("kafka.ssl.truststore.location", dir.resolve("missing.p12").toString());

        assertThat(problems()).singleElement().asString()
                .contains("KAFKA_SSL_TRUSTSTORE_LOCATION (kafka.ssl.truststore.location)")
                .contains(dir.resolve("missing.p12").toString())
                .contains("does not exist");
    }

    @Test
    void sslWithAKeystoreThatTheGivenPasswordDoesNotOpenNamesThePasswordVariable() throws Exception {
        config.put("kafka.security.protocol", "ssl");
        config.put("kafka.ssl.truststore.location", store("trust.p12", "right-one").toString());
        config.put("kafka.ssl.truststore.password", "right-one");
        config.put("kafka.ssl.truststore.type", "PKCS12");
        config.put("kafka.ssl.keystore.location", store("key.p12", "right-one").toString());
        config.put("kafka.ssl.keystore.password", "wrong-one");
        config.put("kafka.ssl.keystore.type", "PKCS12");

        assertThat(problems()).singleElement().asString()
                .contains("KAFKA_SSL_KEYSTORE_LOCATION (kafka.ssl.keystore.location)")
                .contains("KAFKA_SSL_KEYSTORE_PASSWORD (kafka.ssl.keystore.password)");
    }

    @Test
    void sslWithStoresThatOpenIsFine() throws Exception {
        config.put("kafka.security.protocol", "SSL");
        config.put("kafka.ssl.truststore.location", store("trust.p12", "secret").toString());
        config.put("kafka.ssl.truststore.password", "secret");
        config.put("kafka.ssl.truststore.type", "PKCS12");

        assertThat(problems()).isEmpty();
    }

    @Test
    void storesAreNotLookedAtWithoutTls() {
        config.put("kafka.security.protocol", "SASL_PLAINTEXT");
        config.put("kafka.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        config.put("kafka.ssl.truststore.location", dir.resolve("missing.p12").toString());

        assertThat(problems()).isEmpty();
    }

    @Test
    void saslWithoutJaasConfigurationNamesTheJaasVariable() {
        config.put("kafka.security.protocol", "SASL_SSL");

        assertThat(problems()).singleElement().asString()
                .contains("KAFKA_SASL_JAAS_CONFIG (kafka.sasl.jaas.config) is not set")
                .contains("KAFKA_SECURITY_PROTOCOL (kafka.security.protocol) is SASL_SSL");
    }

    @Test
    void anUnknownProtocolIsNamedWithTheOnesThereAre() {
        config.put("kafka.security.protocol", "TLS");

        assertThat(problems()).singleElement().asString()
                .contains("KAFKA_SECURITY_PROTOCOL (kafka.security.protocol) is TLS")
                .contains("SASL_SSL");
    }
}
