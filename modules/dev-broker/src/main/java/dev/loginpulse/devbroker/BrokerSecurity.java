package dev.loginpulse.devbroker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;

/**
 * The security a {@link KafkaBroker} sets up on start and what its clients need: SCRAM users, ACLs, the client
 * settings of its {@link BrokerConfig#clientProtocol() client listener}.
 */
final class BrokerSecurity {

    private BrokerSecurity() {
    }

    /** The settings of a client of {@code config}'s client listener, as its own identity. */
    static Map<String, Object> clientConfig(BrokerConfig config) {
        Map<String, Object> client = new HashMap<>();
        if (config.scramUser == null && config.tls == null) {
            return client;
        }
        client.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, config.clientProtocol());
        if (config.scramUser != null) {
            client.put(SaslConfigs.SASL_MECHANISM, KafkaBroker.SCRAM_MECHANISM);
            client.put(SaslConfigs.SASL_JAAS_CONFIG, KafkaBroker.jaasConfig(config.scramUser, config.scramPassword));
        }
        BrokerTls tls = config.tls;
        if (tls != null) {
            client.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, tls.truststore().toString());
            client.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, tls.password());
            client.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, TestCertificates.STORE_TYPE);
            if (tls.clientKeystore() != null) {
                client.put(SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, tls.clientKeystore().toString());
                client.put(SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG, tls.password());
                client.put(SslConfigs.SSL_KEY_PASSWORD_CONFIG, tls.password());
                client.put(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, TestCertificates.STORE_TYPE);
            }
        }
        return client;
    }

    /** Creates (or updates) SCRAM-SHA-512 users and waits until the broker describes them. */
    static void createScramUsers(Admin admin, Map<String, String> users, Duration timeout) {
        List<UserScramCredentialAlteration> upserts = new ArrayList<>();
        users.forEach((user, password) -> upserts.add(new UserScramCredentialUpsertion(user,
                new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password)));
        try {
            admin.alterUserScramCredentials(upserts).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            admin.describeUserScramCredentials(List.copyOf(users.keySet())).all().get(timeout.toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Cannot create SCRAM users " + users.keySet(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating SCRAM users", e);
        }
    }

    /** Creates ACLs and waits until the broker lists at least as many as were asked for. */
    static void createAcls(Admin admin, List<AclBinding> acls, Duration timeout) {
        try {
            admin.createAcls(acls).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (admin.describeAcls(AclBindingFilter.ANY).values().get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .size() < acls.size()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("The broker did not list the " + acls.size() + " ACLs within "
                            + timeout);
                }
                Thread.onSpinWait();
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Cannot create ACLs " + acls, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating ACLs", e);
        }
    }
}
