package dev.loginpulse.stats.streams;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class StateOwnershipTest {

    private static final Map<String, String> CLUSTER_A = Map.of("cluster.id", "A", "topic-id.user-login-clean", "t1");
    private static final Map<String, String> CLUSTER_B = Map.of("cluster.id", "B", "topic-id.user-login-clean", "t2");
    private static final Map<String, String> TOPIC_RECREATED = Map.of("cluster.id", "A", "topic-id.user-login-clean",
            "t3");

    @TempDir
    Path stateDir;

    @Test
    void stateOfTheSameClusterAndTopicsIsKept() throws IOException {
        StateOwnership.check(stateDir, "stats", CLUSTER_A);
        Path store = storeFile();

        assertThat(StateOwnership.check(stateDir, "stats", CLUSTER_A)).isFalse();

        assertThat(store).exists();
    }

    @Test
    void stateOfAnotherClusterIsWipedAndTheNewOwnerRecorded() throws IOException {
        StateOwnership.check(stateDir, "stats", CLUSTER_A);
        Path store = storeFile();

        assertThat(StateOwnership.check(stateDir, "stats", CLUSTER_B)).isTrue();

        assertThat(store).doesNotExist();
        assertThat(stateDir.resolve("stats")).doesNotExist();
        assertThat(StateOwnership.check(stateDir, "stats", CLUSTER_B)).isFalse();
    }

    @Test
    void stateOfARecreatedTopicIsWiped() throws IOException {
        StateOwnership.check(stateDir, "stats", CLUSTER_A);
        Path store = storeFile();

        assertThat(StateOwnership.check(stateDir, "stats", TOPIC_RECREATED)).isTrue();

        assertThat(store).doesNotExist();
    }

    @Test
    void stateWithoutAnOwnerRecordIsWiped() throws IOException {
        Path store = storeFile();

        assertThat(StateOwnership.check(stateDir, "stats", CLUSTER_A)).isTrue();

        assertThat(store).doesNotExist();
        assertThat(stateDir.resolve(StateOwnership.MARKER)).content().contains("cluster.id=A");
    }

    @Test
    void emptyStateDirectoryOnlyRecordsTheOwner() {
        assertThat(StateOwnership.check(stateDir, "stats", CLUSTER_A)).isFalse();

        assertThat(stateDir.resolve(StateOwnership.MARKER)).exists();
    }

    @Test
    void anotherApplicationsStateInTheSameDirectoryIsLeftAlone() throws IOException {
        Path other = stateDir.resolve("other-app/0_0/store");
        Files.createDirectories(other.getParent());
        Files.writeString(other, "x");
        StateOwnership.check(stateDir, "stats", CLUSTER_A);

        StateOwnership.check(stateDir, "stats", CLUSTER_B);

        assertThat(other).exists();
    }

    /** A file of the stats application's state, as Kafka Streams lays it out (task directory, store). */
    private Path storeFile() throws IOException {
        Path store = stateDir.resolve("stats/0_0/rocksdb/login-panes/000001.sst");
        Files.createDirectories(store.getParent());
        Files.writeString(store, "data");
        return store;
    }
}
