package dev.loginpulse.archiver.history;

import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * A warehouse of the test class's own: the Quarkus tests of this module share one JVM (and {@code quarkus.uuid}), but
 * each has a broker of its own, and a lake must never outlive the topics whose offsets it records (docs/lake.md).
 */
public class OwnWarehouseProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("pulse.archiver.warehouse", Path.of(System.getProperty("java.io.tmpdir"))
                .resolve("login-pulse-lake-history-" + UUID.randomUUID()).toString());
    }
}
