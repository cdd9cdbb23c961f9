package dev.loginpulse.devbroker;

import java.nio.file.Path;

/**
 * TLS on a broker's client listener ({@link KafkaBrokerBuilder#tls(BrokerTls)}): {@code SSL}, or {@code SASL_SSL}
 * with a {@link KafkaBrokerBuilder#scramUser(String, String) SCRAM user}. Every store is PKCS12 with one password.
 *
 * @param keystore the broker's key and certificate
 * @param truststore the CA(s) the broker and its clients trust
 * @param password of every store and key
 * @param requireClientCertificates mutual TLS on an {@code SSL} listener: a client without a certificate signed by
 *        a trusted CA is refused, one with a certificate is the principal {@code User:<its CN>}
 * @param clientKeystore the key store of {@link KafkaBroker#clientConfig()}'s clients (the tests' and tools' own
 *        identity), or {@code null}
 * @param clientName the CN of {@code clientKeystore}: the principal that is a super user when ACLs are on
 */
public record BrokerTls(Path keystore, Path truststore, String password, boolean requireClientCertificates,
        Path clientKeystore, String clientName) {
}
