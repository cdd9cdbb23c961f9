package dev.loginpulse.events;

/**
 * The end offsets of the partitions of {@code user-login}: a clean record claiming a raw offset at or beyond its
 * partition's end cannot come from the cleaner (the stats' source gate, the archiver's positions). Asked only for records whose
 * offset is not
 * plausible at once (the first of a partition, or a large jump), so rarely.
 */
@FunctionalInterface
public interface RawOffsets {

    /** Accepts every offset: for tests that do not forge offsets. */
    RawOffsets UNCHECKED = partition -> Long.MAX_VALUE;

    /**
     * The partition's end offset (the offset its next record will get), or -1 if {@code user-login} has no such
     * partition. May block briefly; throws if the broker cannot tell (the stream task is then retried).
     */
    long endOffset(int partition);

    /**
     * How many partitions {@code user-login} has: each holds windows open until its records arrive (within the max
     * source lag), so a partition the cleaner has not reached yet in a backlog closes nothing early. 0 if unknown: then
     * only the partitions seen so far count.
     */
    default int partitions() {
        return 0;
    }

    /** Accepts every offset, and knows the number of raw partitions: for tests. */
    static RawOffsets unchecked(int partitions) {
        return new RawOffsets() {
            @Override
            public long endOffset(int partition) {
                return Long.MAX_VALUE;
            }

            @Override
            public int partitions() {
                return partitions;
            }
        };
    }
}
