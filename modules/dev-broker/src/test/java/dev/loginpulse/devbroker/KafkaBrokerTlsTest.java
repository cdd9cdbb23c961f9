package dev.loginpulse.devbroker;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AclBinding;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.loginpulse.events.Topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KafkaBrokerTlsTest {

    private static final String PASSWORD = "test-only-" + System.nanoTime();

    @TempDir
    static Path dir;
    private static TestCertificates certificates;

    @BeforeAll
    static void makeCertificates() {
        certificates = TestCertificates.create(dir, PASSWORD, List.of("cleaner"));
    }

    @Test
    void brokerCertificateIsSignedByTheTestCaForTheLoopbackAddressAndClientCertificatesCarryTheirName()
            throws Exception {
        KeyStore broker = load(certificates.keystore(TestCertificates.BROKER));
        X509Certificate brokerCertificate = (X509Certificate) broker.getCertificate(TestCertificates.BROKER);
        assertThat(broker.getCertificateChain(TestCertificates.BROKER)).hasSize(2);
        assertThat(brokerCertificate.getSubjectAlternativeNames()).extracting(name -> (Object) name.get(1))
                .containsExactlyInAnyOrder((Object) "127.0.0.1", "localhost");
        KeyStore trust = load(certificates.truststore());
        X509Certificate ca = (X509Certificate) trust.getCertificate(trust.aliases().nextElement());
        brokerCertificate.verify(ca.getPublicKey());
        assertThat(trust.size()).as("the CA alone").isEqualTo(1);
        assertThat(trust.isKeyEntry(trust.aliases().nextElement())).as("no private key in the trust store").isFalse();
        X509Certificate cleaner = (X509Certificate) load(certificates.keystore("cleaner")).getCertificate("cleaner");
        assertThat(cleaner.getSubjectX500Principal().getName()).isEqualTo("CN=cleaner");
        cleaner.verify(ca.getPublicKey());
    }

    @Test
    void sslListenerWithServerAuthenticationOnlyCarriesRecordsForClientsTrustingTheCa() throws Exception {
        try (KafkaBroker broker = KafkaBroker.builder().partitions(1)
                .tls(certificates.brokerTls(false, null)).build().start()) {
            assertThat(broker.securityProtocol()).isEqualTo("SSL");
            assertThat(broker.clientConfig()).containsEntry("security.protocol", "SSL")
                    .doesNotContainKey("ssl.keystore.location");
            TopicClient client = TopicClient.of(broker);
            try (KafkaProducer<byte[], byte[]> producer = client.rawProducer()) {
                producer.send(new ProducerRecord<>(Topics.USER_LOGIN, "over-tls".getBytes(StandardCharsets.UTF_8)))
                        .get(30, TimeUnit.SECONDS);
            }

            assertThat(client.readAll(Topics.USER_LOGIN, 1, Duration.ofSeconds(30)))
                    .extracting(record -> new String(record.value(), StandardCharsets.UTF_8))
                    .containsExactly("over-tls");
        }
    }

    @Test
    void aclsAreRefusedUnlessTheClientListenerAuthenticates() {
        List<AclBinding> none = List.of();
        assertThatThrownBy(() -> KafkaBroker.builder().acls(none).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("super user");
        BrokerTls serverOnly = new BrokerTls(dir.resolve("k.p12"), dir.resolve("t.p12"), PASSWORD, false, null, null);
        assertThatThrownBy(() -> KafkaBroker.builder().tls(serverOnly).acls(none).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("client certificates required");
        assertThatThrownBy(() -> KafkaBroker.builder().scramUsers(Map.of("cleaner", PASSWORD)).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("scramUser");
    }

    private static KeyStore load(Path path) throws Exception {
        KeyStore store = KeyStore.getInstance(TestCertificates.STORE_TYPE);
        try (InputStream in = Files.newInputStream(path)) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store;
    }
}
