package dev.loginpulse.launcher;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;

import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ServiceAclsTest {

    private static final Path ROOT = Path.of("../..");

    private static Properties properties(Service service) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(ROOT.resolve("modules").resolve(service.moduleName())
                .resolve("src/main/resources/application.properties"))) {
            properties.load(reader);
        }
        return properties;
    }

    /** The ACLs the {@code kafka-acls.sh --add} commands of docs/security.md create. */
    private static Set<AclBinding> documentedAcls() throws IOException {
        Set<AclBinding> acls = new HashSet<>();
        for (String line : Files.readAllLines(ROOT.resolve("docs/security.md"))) {
            if (!line.startsWith("kafka-acls.sh ")) {
                continue;
            }
            List<String> words = List.of(line.split("\\s+"));
            String principal = words.get(words.indexOf("--allow-principal") + 1);
            AclOperation operation = AclOperation.fromString(words.get(words.indexOf("--operation") + 1));
            PatternType patternType = words.contains("--resource-pattern-type")
                    ? PatternType.fromString(words.get(words.indexOf("--resource-pattern-type") + 1)
                            .toUpperCase(Locale.ROOT))
                    : PatternType.LITERAL;
            List<ResourcePattern> resources = new ArrayList<>();
            for (int i = 0; i < words.size() - 1; i++) {
                ResourceType type = switch (words.get(i)) {
                    case "--topic" -> ResourceType.TOPIC;
                    case "--group" -> ResourceType.GROUP;
                    case "--transactional-id" -> ResourceType.TRANSACTIONAL_ID;
                    default -> null;
                };
                if (type != null) {
                    resources.add(new ResourcePattern(type, words.get(i + 1), patternType));
                }
            }
            for (ResourcePattern resource : resources) {
                acls.add(new AclBinding(resource, new AccessControlEntry(principal, "*", operation,
                        AclPermissionType.ALLOW)));
            }
        }
        return acls;
    }

    @Test
    void kafkaAclsCommandsOfTheSecurityDocCreateExactlyTheServiceAcls() throws IOException {
        assertThat(documentedAcls()).containsExactlyInAnyOrderElementsOf(ServiceAcls.bindings());
    }

    @Test
    void aclGroupsAreTheGroupsTheServicesConsumeIn() throws IOException {
        assertThat(properties(Service.CLEANER).getProperty("mp.messaging.incoming.user-login.group.id"))
                .isEqualTo(ServiceAcls.CLEANER_GROUP);
        assertThat(properties(Service.STATS).getProperty("quarkus.application.name"))
                .isEqualTo(ServiceAcls.STATS_APPLICATION_ID);
        assertThat(properties(Service.STATS).getProperty("quarkus.kafka-streams.application-id")).isNull();
        Properties dashboard = properties(Service.DASHBOARD);
        List<String> dashboardGroups = dashboard.stringPropertyNames().stream()
                .filter(key -> key.endsWith(".group.id")).map(dashboard::getProperty).toList();
        assertThat(dashboardGroups).hasSize(5).allSatisfy(group -> assertThat(group)
                .startsWith(ServiceAcls.DASHBOARD_GROUP_PREFIX));
        Properties archiver = properties(Service.ARCHIVER);
        List<String> archiverGroups = archiver.stringPropertyNames().stream()
                .filter(key -> key.endsWith(".group.id")).map(archiver::getProperty).toList();
        assertThat(archiverGroups).hasSize(3).allSatisfy(group -> assertThat(group)
                .startsWith(ServiceAcls.ARCHIVER_GROUP_PREFIX));
    }

    @Test
    void everyServiceIsThePrincipalOfItsOwnName() {
        for (Service service : Service.values()) {
            assertThat(ServiceAcls.principal(service)).isEqualTo("User:" + service.moduleName().toLowerCase(
                    Locale.ROOT));
        }
        assertThat(ServiceAcls.bindings()).extracting(binding -> binding.entry().principal())
                .containsOnly("User:generator", "User:cleaner", "User:stats", "User:dashboard", "User:archiver");
    }
}
