package dev.loginpulse.archiver.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The archiver's settings, {@code pulse.archiver.*} (docs/lake.md). */
@ConfigMapping(prefix = "pulse.archiver")
public interface ArchiverConfig {

    /**
     * Where the Iceberg warehouse (the Hadoop catalog's root) lives: a local directory, relative to the working
     * directory or absolute, or a Hadoop file system URI ({@code hdfs://...}, or {@code s3a://...} with the S3A
     * connector on the class path). {@code ./run.sh} uses {@code .pulse-data/lake}.
     */
    @WithDefault(".pulse-data/lake")
    String warehouse();

    /**
     * Commit a table's buffered rows once the Kafka values they came from add up to this many bytes. It bounds the
     * archiver's memory (rows are held in memory until their commit): about 3 bytes of heap per byte of JSON. The
     * Parquet files are several times smaller than this (zstd, dictionary encoding).
     */
    @WithDefault("16777216")
    long rollBytes();

    /** Commit a table's buffered rows at the latest this long after the first of them arrived. */
    @WithDefault("PT60S")
    Duration rollAge();

    /** First wait before retrying a failed write or commit; doubled after each failure up to {@link #retryMax()}. */
    @WithDefault("PT1S")
    Duration retryMin();

    /** Longest wait between two attempts to write or commit while the warehouse fails. */
    @WithDefault("PT30S")
    Duration retryMax();

    /**
     * How often buffered rows are checked against {@link #rollAge()} and a failed commit is retried once its back-off
     * is over (a Quarkus scheduler interval, e.g. {@code 1s}).
     */
    @WithDefault("1s")
    String tick();

    /** Rows whose day (login time, window start, dead letter time) is older than this many days are deleted. */
    @WithDefault("365")
    int retentionDays();

    /**
     * How often the maintenance job runs, the first time a minute after start (compaction, retention, snapshot
     * expiry; a Quarkus scheduler interval, e.g.
     * {@code 1h}), or {@code off}.
     */
    @WithDefault("1h")
    String maintenanceEvery();

    /** Data files smaller than this are compacted with the other small files of their partition. */
    @WithDefault("67108864")
    long compactTargetBytes();

    /** Snapshots older than this are expired (the newest is always kept), with the files only they referenced. */
    @WithDefault("PT24H")
    Duration snapshotMaxAge();
}
