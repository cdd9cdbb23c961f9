package dev.loginpulse.archiver.lake;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.parquet.InternalWriter;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.parquet.Parquet;
import org.jboss.logging.Logger;

import dev.loginpulse.events.RawOffsets;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * One Iceberg table fed from one topic: each row goes straight into the open Parquet writer of its partition, and
 * the files are appended in one commit when the rows reach the roll size or age; the commit's snapshot summary
 * records the topic's {@link Positions} as they are after the rows it adds, so the table alone says where to resume.
 * Until their commit the records themselves (their Kafka values) are kept too: when a file or the commit fails, the
 * files written so far are deleted and, at the next attempt, written again from them. While the warehouse fails,
 * {@link #append} holds the calling consumer thread (the consumer then stops fetching), retrying with a bounded,
 * doubling back-off.
 */
public final class ArchiveTable implements AutoCloseable {

    /** Summary key with the number of rows a commit of the archiver added. */
    public static final String ROWS_SUMMARY = "pulse.archiver.rows";

    private static final Logger LOG = Logger.getLogger(ArchiveTable.class);

    /**
     * One record read from Kafka; {@code row} makes its row, and may be called again when its files must be written
     * again (it should hold the record's value, not the whole consumer record).
     */
    public record Received(int partition, long offset, String source, int bytes, Supplier<StructLike> row) {
    }

    private final Table table;
    private final Map<String, String> writeProperties;
    private final String name;
    private final long rollBytes;
    private final long rollAgeMillis;
    private final long retryMinMillis;
    private final long retryMaxMillis;
    private final LongSupplier clock;
    private final RawOffsets rawEnds;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();

    private Positions committed;
    private Positions pending;
    private volatile Map<Integer, Long> resumeAt;
    /** What makes the rows not committed yet, in order (only that is kept of their records). */
    private final List<Supplier<StructLike>> rows = new ArrayList<>();
    /** The open data file of each partition the uncommitted rows fall in. */
    private final Map<PartitionKey, DataWriter<StructLike>> writers = new LinkedHashMap<>();
    private final PartitionKey key;
    /** Whether the open files miss rows (a write failed): the next commit attempt writes them all again. */
    private boolean rewrite;
    private String filePrefix;
    /** Every data file opened since the last commit, whether closed or not. */
    private final List<String> opened = new ArrayList<>();
    private long bufferedBytes;
    private volatile int buffered;
    private long firstRowAt = -1;

    private volatile String failure;
    private long nextAttemptAt;
    private long backoffMillis;
    private volatile boolean closed;

    private final Counter rowsCounter;
    private final Counter commitsCounter;
    private final Counter errorsCounter;
    private final Counter skippedOffsets;
    private final Counter skippedRedeliveries;
    private final Counter rejected;
    private final Counter malformedSources;
    private final Counter impossibleSources;
    private final Timer commitTimer;

    public ArchiveTable(Table table, String topic, long rollBytes, Duration rollAge, Duration retryMin,
            Duration retryMax, LongSupplier clock, MeterRegistry registry) {
        this(table, topic, rollBytes, rollAge, retryMin, retryMax, clock, registry, RawOffsets.UNCHECKED);
    }

    /** @param rawEnds the raw topic's end offsets, to refuse impossible source offsets ({@link Positions#accept}) */
    public ArchiveTable(Table table, String topic, long rollBytes, Duration rollAge, Duration retryMin,
            Duration retryMax, LongSupplier clock, MeterRegistry registry, RawOffsets rawEnds) {
        this.table = table;
        this.writeProperties = LakeTables.writeProperties(table.schema());
        this.key = new PartitionKey(table.spec(), table.schema());
        this.name = table.name().substring(table.name().lastIndexOf('.') + 1);
        this.rollBytes = rollBytes;
        this.rollAgeMillis = rollAge.toMillis();
        this.retryMinMillis = Math.max(1, retryMin.toMillis());
        this.retryMaxMillis = Math.max(retryMinMillis, retryMax.toMillis());
        this.backoffMillis = retryMinMillis;
        this.clock = clock;
        this.rawEnds = rawEnds;
        this.committed = readPositions(table, topic);
        this.pending = committed.copy();
        this.resumeAt = pending.nextOffsets();
        this.rowsCounter = registry.counter("pulse.archiver.rows", "table", name);
        this.commitsCounter = registry.counter("pulse.archiver.commits", "table", name);
        this.errorsCounter = registry.counter("pulse.archiver.errors", "table", name);
        this.skippedOffsets = registry.counter("pulse.archiver.skipped", "table", name, "reason", "offset-seen");
        this.skippedRedeliveries = registry.counter("pulse.archiver.skipped", "table", name, "reason", "redelivery");
        this.rejected = registry.counter("pulse.archiver.skipped", "table", name, "reason", "unreadable");
        this.malformedSources = registry.counter("pulse.archiver.skipped", "table", name, "reason",
                "malformed-source-offset");
        this.impossibleSources = registry.counter("pulse.archiver.skipped", "table", name, "reason",
                "impossible-source-offset");
        this.commitTimer = registry.timer("pulse.archiver.commit.duration", "table", name);
        LOG.infof("%s resumes %s at %s", name, topic, committed);
    }

    /**
     * The positions the newest snapshot of a table records for a topic (walking back past snapshots that record none,
     * e.g. of a maintenance job); empty for a new table.
     */
    public static Positions readPositions(Table table, String topic) {
        Snapshot snapshot = table.currentSnapshot();
        while (snapshot != null) {
            if (Positions.recordedIn(topic, snapshot.summary())) {
                return Positions.fromSummary(topic, snapshot.summary());
            }
            snapshot = snapshot.parentId() == null ? null : table.snapshot(snapshot.parentId());
        }
        return new Positions(topic);
    }

    /** The table's short name, e.g. {@code logins}. */
    public String name() {
        return name;
    }

    /** The topic the table is fed from. */
    public String topic() {
        return pending.topic();
    }

    /** Where to read a partition from after an assignment: past everything archived or buffered; null when unknown. */
    public Long resumeAt(int partition) {
        return resumeAt.get(partition);
    }

    /** Why the table cannot be written right now, or null when it can. */
    public String failure() {
        return failure;
    }

    /** Rows waiting for their commit. */
    public int bufferedRows() {
        return buffered;
    }

    /**
     * Buffers a batch of records (skipping those already archived or buffered, and the cleaner's re-deliveries) and
     * commits when the roll size or age is reached. While the warehouse fails it does not return: it retries the pending
     * commit with back-off until it succeeds or the table is closed.
     */
    public void append(List<Received> batch) {
        lock.lock();
        try {
            holdWhileFailing();
            for (Received record : batch) {
                switch (pending.accept(record.partition(), record.offset(), record.source(), rawEnds)) {
                    case OFFSET_SEEN -> skippedOffsets.increment();
                    case REDELIVERY -> skippedRedeliveries.increment();
                    case MALFORMED_SOURCE -> notFromTheCleaner(malformedSources, record);
                    case IMPOSSIBLE_SOURCE -> notFromTheCleaner(impossibleSources, record);
                    case NEW -> buffer(record);
                }
            }
            resumeAt = pending.nextOffsets();
            buffered = rows.size();
            // the age is checked here too: while batches arrive back to back this thread holds the lock nearly all
            // the time, and tick() (which only tries it) would seldom get to commit
            if (bufferedBytes >= rollBytes
                    || !rows.isEmpty() && clock.getAsLong() - firstRowAt >= rollAgeMillis) {
                flush();
                holdWhileFailing();
            }
        } finally {
            lock.unlock();
        }
    }

    private void notFromTheCleaner(Counter counter, Received record) {
        counter.increment();
        String source = record.source().length() > 60 ? record.source().substring(0, 60) + "..." : record.source();
        LOG.warnf("%s: skipped the record at %s-%d@%d, which cannot come from the cleaner (source offset %s)", name,
                topic(), record.partition(), record.offset(), source);
    }

    private void buffer(Received record) {
        StructLike row;
        try {
            row = record.row().get();
        } catch (RuntimeException e) {
            rejected.increment();
            LOG.warnf("%s: skipped the unreadable record at %s-%d@%d: %s", name, topic(), record.partition(),
                    record.offset(), e.toString());
            return;
        }
        if (rows.isEmpty()) {
            firstRowAt = clock.getAsLong();
        }
        rows.add(record.row());
        bufferedBytes += record.bytes();
        if (!rewrite) {
            try {
                write(row);
            } catch (RuntimeException | IOException e) {
                // surfaces at the commit, which then writes every row again
                LOG.warnf("%s: cannot write a data file (%s); the commit will write its rows again", name, e);
                abortFiles();
                rewrite = true;
            }
        }
    }

    /** Writes a row into the open file of its partition, opening one if needed. */
    private void write(StructLike row) throws IOException {
        key.partition(row);
        DataWriter<StructLike> writer = writers.get(key);
        if (writer == null) {
            PartitionKey partition = key.copy();
            if (filePrefix == null) {
                filePrefix = UUID.randomUUID().toString();
            }
            String file = FileFormat.PARQUET.addExtension(filePrefix + "-" + opened.size());
            OutputFile out = table.io()
                    .newOutputFile(table.locationProvider().newDataLocation(table.spec(), partition, file));
            opened.add(out.location());
            writer = Parquet.writeData(out)
                    .forTable(table)
                    .setAll(writeProperties)
                    .createWriterFunc(InternalWriter::createWriter)
                    .withSpec(table.spec())
                    .withPartition(partition)
                    .overwrite()
                    .build();
            writers.put(partition, writer);
        }
        writer.write(row);
    }

    /** The Iceberg table. */
    public Table table() {
        return table;
    }

    /** Runs a maintenance step on the table while no append commits (the table's lock is held). */
    public void maintain(MaintenanceStep step) throws IOException {
        lock.lock();
        try {
            step.run(table);
        } finally {
            lock.unlock();
        }
    }

    /** A maintenance step on the table. */
    @FunctionalInterface
    public interface MaintenanceStep {
        void run(Table table) throws IOException;
    }

    /** Commits buffered rows that are older than the roll age, or retries a failed commit whose back-off is over. */
    public void tick() {
        if (!lock.tryLock()) {
            return;
        }
        try {
            long now = clock.getAsLong();
            if (failure != null ? now >= nextAttemptAt : !rows.isEmpty() && now - firstRowAt >= rollAgeMillis) {
                flush();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Commits whatever is buffered now; returns whether the table holds it. */
    public boolean flushNow() {
        lock.lock();
        try {
            return flush();
        } finally {
            lock.unlock();
        }
    }

    private void holdWhileFailing() {
        while (failure != null && !closed) {
            long wait = nextAttemptAt - clock.getAsLong();
            if (wait > 0) {
                try {
                    wake.await(wait, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(name + ": interrupted while the warehouse fails: " + failure);
                }
                continue;
            }
            flush();
        }
        if (failure != null) {
            throw new IllegalStateException(name + ": closed while the warehouse fails: " + failure);
        }
    }

    private boolean flush() {
        if (rows.isEmpty()) {
            failure = null;
            return true;
        }
        long started = System.nanoTime();
        try {
            commit();
        } catch (RuntimeException | IOException e) {
            if (!landed()) {
                abortFiles();
                rewrite = true;
                errorsCounter.increment();
                failure = "cannot write " + name + " to the warehouse: " + e;
                nextAttemptAt = clock.getAsLong() + backoffMillis;
                LOG.errorf("%s; %d rows kept, next attempt in %d ms", failure, rows.size(), backoffMillis);
                backoffMillis = Math.min(retryMaxMillis, backoffMillis * 2);
                return false;
            }
            LOG.warnf("%s: the commit landed although it reported %s", name, e);
        }
        commitTimer.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        commitsCounter.increment();
        rowsCounter.increment(rows.size());
        if (failure != null) {
            LOG.infof("%s: the warehouse is writable again", name);
        }
        committed = pending.copy();
        rows.clear();
        writers.clear();
        opened.clear();
        filePrefix = null;
        rewrite = false;
        buffered = 0;
        bufferedBytes = 0;
        firstRowAt = -1;
        failure = null;
        backoffMillis = retryMinMillis;
        return true;
    }

    /** Whether the table's newest snapshot already records the pending positions (a commit reported as failed). */
    private boolean landed() {
        try {
            table.refresh();
            return readPositions(table, topic()).equals(pending) && !pending.equals(committed);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * Closes the files (after writing them all again if a write failed) and appends them with the positions. When it
     * throws, {@link #flush} decides: a commit that landed keeps its files; otherwise they are deleted.
     */
    private void commit() throws IOException {
        if (rewrite) {
            abortFiles();
            for (Supplier<StructLike> row : rows) {
                write(row.get());
            }
            rewrite = false;
        }
        List<DataFile> written = new ArrayList<>();
        for (DataWriter<StructLike> writer : writers.values()) {
            writer.close();
            written.add(writer.toDataFile());
        }
        AppendFiles append = table.newAppend();
        written.forEach(append::appendFile);
        pending.toSummary().forEach(append::set);
        append.set(ROWS_SUMMARY, Integer.toString(rows.size()));
        append.commit();
    }

    /**
     * Closes the open files and deletes every file opened since the last commit: none is part of the table. A file
     * whose deletion fails stays as an orphan, which no snapshot lists.
     */
    private void abortFiles() {
        for (DataWriter<StructLike> writer : writers.values()) {
            try {
                writer.close();
            } catch (RuntimeException | IOException ignored) {
                // its file is deleted below
            }
        }
        for (String location : opened) {
            try {
                table.io().deleteFile(location);
            } catch (RuntimeException ignored) {
                // not created, or an orphan: no snapshot lists it
            }
        }
        writers.clear();
        opened.clear();
        filePrefix = null;
    }

    /** Commits what is buffered (once, without retrying) and releases a consumer thread held by a failure. */
    @Override
    public void close() {
        closed = true;
        lock.lock();
        try {
            wake.signalAll();
            if (!rows.isEmpty()) {
                flush();
            }
        } finally {
            lock.unlock();
        }
    }
}
