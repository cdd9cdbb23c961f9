package dev.loginpulse.archiver.history;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;

import dev.loginpulse.archiver.lake.Lake;
import dev.loginpulse.archiver.lake.LakeTables;

/**
 * Answers history queries from the lake's {@code logins} table (its current snapshot), one day at a time: the scan of a
 * day reads only that day's partitions (and one state's, when asked), and the tally of a day is handed out before the
 * next is read, so memory holds one day's distinct users at most.
 */
@ApplicationScoped
public class LakeHistory {

    private static final String TIMESTAMP = "timestamp";
    private static final String LOCALE = "locale";
    private static final String USER_ID = "user_id";

    private final Lake lake;

    public LakeHistory(Lake lake) {
        this.lake = lake;
    }

    /**
     * Logins and distinct users per (state, period) of the range, by period then state; only pairs with logins.
     *
     * @param state a state code, or null for every state
     */
    public List<HistoryItem> states(HistoryRange range, String state) {
        Table logins = lake.catalog().loadTable(LakeTables.LOGINS);
        if (logins.currentSnapshot() == null) {
            return List.of();
        }
        HistoryTally tally = new HistoryTally(range.granularity());
        List<HistoryItem> items = new ArrayList<>();
        for (Instant day = range.from().truncatedTo(ChronoUnit.DAYS); day.isBefore(range.to()); day = day.plus(1,
                ChronoUnit.DAYS)) {
            Instant from = day.isBefore(range.from()) ? range.from() : day;
            Instant next = day.plus(1, ChronoUnit.DAYS);
            Instant to = next.isAfter(range.to()) ? range.to() : next;
            scan(logins, from, to, state, tally);
            items.addAll(tally.drain());
        }
        return items;
    }

    private static void scan(Table logins, Instant from, Instant to, String state, HistoryTally tally) {
        Expression filter = Expressions.and(Expressions.greaterThanOrEqual(TIMESTAMP, micros(from)),
                Expressions.lessThan(TIMESTAMP, micros(to)));
        if (state != null) {
            filter = Expressions.and(filter, Expressions.equal(LOCALE, state));
        }
        try (CloseableIterable<Record> rows = IcebergGenerics.read(logins).where(filter)
                .select(TIMESTAMP, LOCALE, USER_ID).build()) {
            for (Record row : rows) {
                Instant time = ((OffsetDateTime) row.getField(TIMESTAMP)).toInstant();
                String locale = (String) row.getField(LOCALE);
                // The scan prunes by partition and filters rows; checked again so that the figures never depend on it.
                if (!time.isBefore(from) && time.isBefore(to) && (state == null || state.equals(locale))) {
                    tally.add(locale, time, (String) row.getField(USER_ID));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + LakeTables.LOGINS + " from the warehouse", e);
        }
    }

    private static long micros(Instant time) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, time);
    }
}
