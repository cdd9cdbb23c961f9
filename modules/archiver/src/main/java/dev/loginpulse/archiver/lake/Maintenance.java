package dev.loginpulse.archiver.lake;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.RewriteFiles;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotUpdate;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.parquet.Parquet;

/**
 * The lake's housekeeping, one table at a time (run under the table's {@link ArchiveTable#maintain} lock, so that no
 * append of the archiver commits in between): compaction of small files, deletion of the days past retention, expiry
 * of old snapshots. Every commit it makes carries the table's {@code pulse.*} positions forward, so the newest snapshot
 * always says where to resume (docs/lake.md).
 */
public final class Maintenance {

    private Maintenance() {
    }

    /**
     * Rewrites the data files of each partition that has at least two files smaller than {@code targetBytes} into one
     * file; returns how many files were replaced. The rows are unchanged.
     */
    public static int compact(Table table, long targetBytes) throws IOException {
        table.refresh();
        if (table.currentSnapshot() == null) {
            return 0;
        }
        Map<String, List<DataFile>> small = new LinkedHashMap<>();
        try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
            for (FileScanTask task : tasks) {
                DataFile file = task.file();
                if (file.fileSizeInBytes() < targetBytes && file.specId() == table.spec().specId()) {
                    small.computeIfAbsent(table.spec().partitionToPath(file.partition()), p -> new ArrayList<>())
                            .add(file.copy());
                }
            }
        }
        Set<DataFile> replaced = new HashSet<>();
        Set<DataFile> written = new HashSet<>();
        String prefix = "compacted-" + UUID.randomUUID();
        int n = 0;
        try {
            for (List<DataFile> files : small.values()) {
                if (files.size() < 2) {
                    continue;
                }
                String name = FileFormat.PARQUET.addExtension(prefix + "-" + n++);
                OutputFile out = table.io().newOutputFile(
                        table.locationProvider().newDataLocation(table.spec(), files.get(0).partition(), name));
                DataWriter<Record> writer = Parquet.writeData(out)
                        .forTable(table)
                        .setAll(LakeTables.writeProperties(table.schema()))
                        .createWriterFunc(GenericParquetWriter::create)
                        .withSpec(table.spec())
                        .withPartition(files.get(0).partition())
                        .overwrite()
                        .build();
                try (writer) {
                    for (DataFile file : files) {
                        try (CloseableIterable<Record> rows = Parquet.read(table.io().newInputFile(file.location()))
                                .project(table.schema())
                                .createReaderFunc(fileSchema -> GenericParquetReaders.buildReader(table.schema(),
                                        fileSchema))
                                .build()) {
                            for (Record row : rows) {
                                writer.write(row);
                            }
                        }
                    }
                }
                written.add(writer.toDataFile());
                replaced.addAll(files);
            }
            if (replaced.isEmpty()) {
                return 0;
            }
            RewriteFiles rewrite = table.newRewrite().rewriteFiles(replaced, written);
            carryPositions(table, rewrite);
            rewrite.commit();
            return replaced.size();
        } catch (IOException | RuntimeException e) {
            written.forEach(file -> table.io().deleteFile(file.location()));
            throw e;
        }
    }

    /**
     * Removes the data files of every day partition before {@code today - retentionDays} (UTC); returns how many. The
     * table's partitioning by day makes this a metadata operation on whole files.
     */
    public static int dropPastRetention(Table table, int retentionDays, Instant now) throws IOException {
        table.refresh();
        if (table.currentSnapshot() == null) {
            return 0;
        }
        int dayField = -1;
        List<PartitionField> fields = table.spec().fields();
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).transform().toString().equals("day")) {
                dayField = i;
            }
        }
        if (dayField < 0) {
            return 0;
        }
        long firstKeptDay = LocalDate.ofInstant(now, ZoneOffset.UTC).minusDays(retentionDays).toEpochDay();
        List<DataFile> expired = new ArrayList<>();
        try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
            for (FileScanTask task : tasks) {
                Integer day = task.file().partition().get(dayField, Integer.class);
                if (day != null && day < firstKeptDay) {
                    expired.add(task.file().copy());
                }
            }
        }
        if (expired.isEmpty()) {
            return 0;
        }
        DeleteFiles delete = table.newDelete();
        expired.forEach(delete::deleteFile);
        carryPositions(table, delete);
        delete.commit();
        return expired.size();
    }

    /**
     * Expires snapshots older than {@code olderThan}, always keeping the newest, and deletes the files only they
     * referenced (e.g. those replaced by {@link #compact} or dropped by {@link #dropPastRetention}).
     */
    public static void expireSnapshots(Table table, Instant olderThan) {
        table.refresh();
        if (table.currentSnapshot() == null) {
            return;
        }
        table.expireSnapshots().expireOlderThan(olderThan.toEpochMilli()).retainLast(1).commit();
    }

    /** Copies the {@code pulse.*} entries of the newest snapshot that has them into a commit's summary. */
    private static void carryPositions(Table table, SnapshotUpdate<?> update) {
        Snapshot snapshot = table.currentSnapshot();
        while (snapshot != null) {
            Map<String, String> summary = snapshot.summary();
            if (summary.keySet().stream().anyMatch(key -> key.startsWith(Positions.OFFSETS))) {
                summary.forEach((key, value) -> {
                    if (key.startsWith(Positions.OFFSETS) || key.startsWith(Positions.SOURCES)) {
                        update.set(key, value);
                    }
                });
                return;
            }
            snapshot = snapshot.parentId() == null ? null : table.snapshot(snapshot.parentId());
        }
    }
}
