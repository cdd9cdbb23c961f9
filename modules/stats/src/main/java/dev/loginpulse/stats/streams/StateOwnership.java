package dev.loginpulse.stats.streams;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.jboss.logging.Logger;

import dev.loginpulse.events.Topics;

/**
 * Keeps the local Kafka Streams state from mixing with another cluster's. Kafka Streams trusts the checkpoints in its
 * state directory; a directory that outlived its Kafka (a second {@code ./run.sh} without a data directory, a
 * PersistentVolume that outlives a recreated cluster) holds offsets of changelogs that belong to a different log, and
 * the counts come out wrong. So the state directory records which cluster and which topics (by id, which a re-created
 * topic changes) it belongs to, in {@value #MARKER}; when that does not match the broker's, or the state has no such
 * record, the application's state is wiped before Kafka Streams opens it, with a log line saying why, and restored
 * from the changelogs of the cluster it now talks to. Wiping is always safe: everything in it is in the changelogs.
 */
final class StateOwnership {

    /** The file in the state directory naming the cluster and topic ids the state belongs to. */
    static final String MARKER = "login-pulse-owner.properties";
    private static final Logger LOG = Logger.getLogger(StateOwnership.class);
    private static final List<String> TOPICS = List.of(Topics.USER_LOGIN, Topics.USER_LOGIN_CLEAN);

    private StateOwnership() {
    }

    /**
     * Checks the state of {@code applicationId} under {@code stateDir} against the cluster {@code admin} talks to, wipes
     * it if it belongs elsewhere, and records the owner. If the broker cannot tell (it is not reachable within the
     * timeout, or the topics do not exist yet), nothing is wiped or recorded.
     *
     * @return true if the state was wiped
     */
    static boolean check(Path stateDir, String applicationId, Admin admin, long timeoutMs) {
        Map<String, String> owner;
        try {
            owner = owner(admin, timeoutMs);
        } catch (Exception e) {
            LOG.warnf("Cannot tell which Kafka cluster the state in %s belongs to (%s); keeping it", stateDir,
                    e.toString());
            return false;
        }
        return check(stateDir, applicationId, owner);
    }

    /** {@link #check(Path, String, Admin, long)} with the owner already known: cluster id and topic ids. */
    static boolean check(Path stateDir, String applicationId, Map<String, String> owner) {
        Path appState = stateDir.resolve(applicationId);
        Path marker = stateDir.resolve(MARKER);
        Map<String, String> recorded = read(marker);
        boolean wiped = false;
        if (!owner.equals(recorded) && hasState(appState)) {
            LOG.warnf("The stats state in %s belongs to %s, not to this cluster %s: wiping it; Kafka Streams restores"
                    + " it from this cluster's changelogs", appState,
                    recorded.isEmpty() ? "an unknown cluster"
                            : recorded,
                    owner);
            delete(appState);
            wiped = true;
        }
        write(marker, owner);
        return wiped;
    }

    private static Map<String, String> owner(Admin admin, long timeoutMs) throws Exception {
        Map<String, String> owner = new TreeMap<>();
        owner.put("cluster.id", admin.describeCluster().clusterId().get(timeoutMs, TimeUnit.MILLISECONDS));
        Map<String, TopicDescription> topics = admin.describeTopics(TOPICS).allTopicNames().get(timeoutMs,
                TimeUnit.MILLISECONDS);
        for (String topic : TOPICS) {
            owner.put("topic-id." + topic, topics.get(topic).topicId().toString());
        }
        return owner;
    }

    private static boolean hasState(Path appState) {
        if (!Files.isDirectory(appState)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(appState)) {
            return entries.findAny().isPresent();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> read(Path marker) {
        if (!Files.isRegularFile(marker)) {
            return Map.of();
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(marker)) {
            properties.load(reader);
        } catch (IOException e) {
            return Map.of(); // unreadable: as if absent
        }
        Map<String, String> recorded = new TreeMap<>();
        properties.stringPropertyNames().forEach(name -> recorded.put(name, properties.getProperty(name)));
        return recorded;
    }

    private static void write(Path marker, Map<String, String> owner) {
        Properties properties = new Properties();
        properties.putAll(owner);
        try {
            Files.createDirectories(marker.getParent());
            Path temporary = marker.resolveSibling(MARKER + ".tmp");
            try (Writer writer = Files.newBufferedWriter(temporary)) {
                properties.store(writer, "The Kafka cluster and topics this stats state belongs to (StateOwnership)");
            }
            Files.move(temporary, marker, StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot record the state's owner in " + marker, e);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> {
                try {
                    Files.delete(file);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
