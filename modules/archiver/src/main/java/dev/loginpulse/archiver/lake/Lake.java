package dev.loginpulse.archiver.lake;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.hadoop.HadoopCatalog;
import org.apache.iceberg.util.ThreadPools;

import dev.loginpulse.archiver.config.ArchiverConfig;
import dev.loginpulse.events.Topics;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The warehouse: a Hadoop catalog (no server; the table metadata are files beside the data) under
 * {@code pulse.archiver.warehouse}, with the three tables created on first start, and one {@link ArchiveTable} per
 * table.
 */
@ApplicationScoped
public class Lake {

    private final HadoopCatalog catalog;
    private final ArchiveTable logins;
    private final ArchiveTable stateWindows;
    private final ArchiveTable deadLetters;

    public Lake(ArchiverConfig config, MeterRegistry registry, RawTopicEnds rawEnds) {
        this.catalog = catalog(config.warehouse());
        this.logins = new ArchiveTable(table(catalog, LakeTables.LOGINS, LakeTables.LOGINS_SCHEMA,
                LakeTables.LOGINS_SPEC), Topics.USER_LOGIN_CLEAN, config.rollBytes(), config.rollAge(),
                config.retryMin(), config.retryMax(), System::currentTimeMillis, registry, rawEnds);
        this.stateWindows = archive(config, registry, LakeTables.STATE_WINDOWS, LakeTables.STATE_WINDOWS_SCHEMA,
                LakeTables.STATE_WINDOWS_SPEC, Topics.USER_LOGIN_STATS);
        this.deadLetters = archive(config, registry, LakeTables.DEAD_LETTERS, LakeTables.DEAD_LETTERS_SCHEMA,
                LakeTables.DEAD_LETTERS_SPEC, Topics.USER_LOGIN_DLQ);
    }

    /** The Hadoop catalog over a warehouse: a local path (made absolute) or a file system URI. */
    public static HadoopCatalog catalog(String warehouse) {
        // Iceberg's commit thread pool registers a JVM shutdown hook when first used: start it now, or a first commit
        // made while the archiver shuts down (its last flush) fails with "Shutdown in progress".
        ThreadPools.getWorkerPool();
        String location = warehouse.contains("://") ? warehouse
                : Path.of(warehouse).toAbsolutePath().normalize().toUri().toString();
        HadoopCatalog catalog = new HadoopCatalog();
        catalog.setConf(new Configuration());
        catalog.initialize("pulse", Map.of("warehouse", location));
        return catalog;
    }

    /** Loads a table, creating it (format v2, zstd Parquet) when the warehouse does not have it yet. */
    public static Table table(HadoopCatalog catalog, TableIdentifier id, Schema schema, PartitionSpec spec) {
        if (catalog.tableExists(id)) {
            return catalog.loadTable(id);
        }
        try {
            return catalog.createTable(id, schema, spec, Map.of(
                    TableProperties.FORMAT_VERSION, "2",
                    TableProperties.PARQUET_COMPRESSION, "zstd"));
        } catch (AlreadyExistsException e) {
            return catalog.loadTable(id);
        }
    }

    private ArchiveTable archive(ArchiverConfig config, MeterRegistry registry, TableIdentifier id, Schema schema,
            PartitionSpec spec, String topic) {
        return new ArchiveTable(table(catalog, id, schema, spec), topic, config.rollBytes(), config.rollAge(),
                config.retryMin(), config.retryMax(), System::currentTimeMillis, registry);
    }

    public HadoopCatalog catalog() {
        return catalog;
    }

    public ArchiveTable logins() {
        return logins;
    }

    public ArchiveTable stateWindows() {
        return stateWindows;
    }

    public ArchiveTable deadLetters() {
        return deadLetters;
    }

    /** Every table, in flow order. */
    public List<ArchiveTable> all() {
        return List.of(logins, stateWindows, deadLetters);
    }

    /** The table fed from a topic, or null. */
    public ArchiveTable forTopic(String topic) {
        return all().stream().filter(table -> table.topic().equals(topic)).findFirst().orElse(null);
    }

    /** Commits what is buffered before the application stops. */
    @PreDestroy
    void close() {
        all().forEach(ArchiveTable::close);
    }
}
