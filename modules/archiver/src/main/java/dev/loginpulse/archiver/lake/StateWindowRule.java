package dev.loginpulse.archiver.lake;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.iceberg.data.Record;

/**
 * How {@link LakeTables#STATE_WINDOWS} is read: stats re-publishes a (state, window) whenever its figures change and
 * the archiver appends every publication, so the final figures of a (state, window_start, window_end) are those of
 * its row with the highest {@link LakeTables#REVISION} (docs/lake.md). In SQL:
 * {@code QUALIFY row_number() OVER (PARTITION BY state, window_start, window_end ORDER BY revision DESC) = 1}.
 */
public final class StateWindowRule {

    private StateWindowRule() {
    }

    /** The row of highest revision of each (state, window_start, window_end), in the order they first appear. */
    public static List<Record> latest(Iterable<Record> rows) {
        Map<List<Object>, Record> latest = new LinkedHashMap<>();
        for (Record row : rows) {
            List<Object> key = List.of(row.getField("state"), row.getField("window_start"),
                    row.getField("window_end"));
            latest.merge(key, row, (kept, candidate) -> (Long) candidate.getField(LakeTables.REVISION) > (Long) kept
                    .getField(LakeTables.REVISION) ? candidate : kept);
        }
        return new ArrayList<>(latest.values());
    }
}
