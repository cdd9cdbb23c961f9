package dev.loginpulse.launcher;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

import dev.loginpulse.events.Topics;

/**
 * What each service may do on Kafka, and nothing more: the one definition of the pipeline's ACLs, for a broker with
 * KRaft's {@code StandardAuthorizer} and {@code allow.everyone.if.no.acl.found=false}. A service is the principal
 * {@code User:<module name>} ({@link #principal(Service)}): its SCRAM user, or the CN of its client certificate.
 * docs/security.md shows the same table and the {@code kafka-acls.sh} commands for a cluster of your own.
 */
public final class ServiceAcls {

    /** The cleaner's consumer group ({@code mp.messaging.incoming.user-login.group.id}). */
    public static final String CLEANER_GROUP = "cleaner";
    /**
     * The stats application id ({@code quarkus.application.name}): its consumer group, the prefix of its internal
     * topics ({@code stats-...-changelog}, {@code -repartition}) and of its transactional ids (exactly-once).
     */
    public static final String STATS_APPLICATION_ID = "stats";
    /** The prefix of every consumer group of the dashboard ({@code dashboard-<instance uuid>} and the like). */
    public static final String DASHBOARD_GROUP_PREFIX = "dashboard-";
    /** The prefix of the archiver's consumer groups, one per table (modules/archiver application.properties). */
    public static final String ARCHIVER_GROUP_PREFIX = "archiver-";

    private ServiceAcls() {
    }

    /** The principal a service authenticates as. */
    public static String principal(Service service) {
        return "User:" + service.moduleName();
    }

    /** Every ACL of the pipeline, all of them ALLOW from any host. */
    public static List<AclBinding> bindings() {
        List<AclBinding> acls = new ArrayList<>();
        // generator: writes raw logins (WRITE implies DESCRIBE; idempotence needs no cluster ACL since Kafka 2.8)
        allow(acls, Service.GENERATOR, topic(Topics.USER_LOGIN), AclOperation.WRITE);

        // cleaner: reads raw logins in its group, writes clean logins and dead letters
        allow(acls, Service.CLEANER, topic(Topics.USER_LOGIN), AclOperation.READ);
        allow(acls, Service.CLEANER, group(CLEANER_GROUP, PatternType.LITERAL), AclOperation.READ);
        allow(acls, Service.CLEANER, topic(Topics.USER_LOGIN_CLEAN), AclOperation.WRITE);
        allow(acls, Service.CLEANER, topic(Topics.USER_LOGIN_DLQ), AclOperation.WRITE);

        // stats: reads clean logins (Kafka Streams, exactly-once), looks at the raw topic's partitions and offsets
        // (source-offset checks, state ownership), writes its four output topics, owns its internal topics,
        // group and transactional ids
        allow(acls, Service.STATS, topic(Topics.USER_LOGIN_CLEAN), AclOperation.READ);
        allow(acls, Service.STATS, topic(Topics.USER_LOGIN), AclOperation.DESCRIBE);
        for (String output : List.of(Topics.USER_LOGIN_STATS, Topics.USER_LOGIN_INSIGHTS,
                Topics.USER_LOGIN_STATE_INSIGHTS, Topics.USER_LOGIN_INTEGRITY)) {
            allow(acls, Service.STATS, topic(output), AclOperation.WRITE);
        }
        allow(acls, Service.STATS, new ResourcePattern(ResourceType.TOPIC, STATS_APPLICATION_ID + "-",
                PatternType.PREFIXED), AclOperation.ALL);
        allow(acls, Service.STATS, group(STATS_APPLICATION_ID, PatternType.LITERAL), AclOperation.READ);
        allow(acls, Service.STATS, new ResourcePattern(ResourceType.TRANSACTIONAL_ID, STATS_APPLICATION_ID + "-",
                PatternType.PREFIXED), AclOperation.WRITE);

        // dashboard: reads what stats publishes and counts the dead letters, each instance in groups of its own
        for (String input : List.of(Topics.USER_LOGIN_STATS, Topics.USER_LOGIN_INSIGHTS,
                Topics.USER_LOGIN_STATE_INSIGHTS, Topics.USER_LOGIN_INTEGRITY, Topics.USER_LOGIN_DLQ)) {
            allow(acls, Service.DASHBOARD, topic(input), AclOperation.READ);
        }
        allow(acls, Service.DASHBOARD, group(DASHBOARD_GROUP_PREFIX, PatternType.PREFIXED), AclOperation.READ);

        // archiver: reads clean logins, stats and dead letters in its groups (it commits no offsets there: the lake
        // holds them), and describes user-login
        for (String input : List.of(Topics.USER_LOGIN_CLEAN, Topics.USER_LOGIN_STATS, Topics.USER_LOGIN_DLQ)) {
            allow(acls, Service.ARCHIVER, topic(input), AclOperation.READ);
        }
        allow(acls, Service.ARCHIVER, group(ARCHIVER_GROUP_PREFIX, PatternType.PREFIXED), AclOperation.READ);
        // and the raw topic's end offsets, to refuse impossible source offsets as stats does
        allow(acls, Service.ARCHIVER, topic(Topics.USER_LOGIN), AclOperation.DESCRIBE);
        return List.copyOf(acls);
    }

    private static ResourcePattern topic(String name) {
        return new ResourcePattern(ResourceType.TOPIC, name, PatternType.LITERAL);
    }

    private static ResourcePattern group(String name, PatternType type) {
        return new ResourcePattern(ResourceType.GROUP, name, type);
    }

    private static void allow(List<AclBinding> acls, Service service, ResourcePattern resource,
            AclOperation operation) {
        acls.add(new AclBinding(resource, new AccessControlEntry(principal(service), "*", operation,
                AclPermissionType.ALLOW)));
    }
}
