package dev.loginpulse.archiver.history;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * A validated history query: {@code [from, to)} in whole periods of a {@link Granularity}, within the range limit of
 * that granularity, so that the answer is bounded.
 *
 * @param from inclusive, the start of a period
 * @param to exclusive, the start of a period
 * @param granularity the period
 */
public record HistoryRange(Instant from, Instant to, Granularity granularity) {

    /** The length of a period, and how long a range of them may be. */
    public enum Granularity {
        /** Calendar days, UTC; at most 366 in a query. */
        DAY(ChronoUnit.DAYS, Duration.ofDays(366)),
        /** Hours; at most 31 days of them (744) in a query. */
        HOUR(ChronoUnit.HOURS, Duration.ofDays(31));

        private final ChronoUnit unit;
        private final Duration maxRange;

        Granularity(ChronoUnit unit, Duration maxRange) {
            this.unit = unit;
            this.maxRange = maxRange;
        }

        /** The start of the period {@code time} falls in. */
        public Instant periodStart(Instant time) {
            return time.truncatedTo(unit);
        }

        /** The longest range a query may ask for. */
        public Duration maxRange() {
            return maxRange;
        }

        /** The name used in queries and answers: {@code day} or {@code hour}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        ChronoUnit unit() {
            return unit;
        }
    }

    /**
     * Parses a query's parameters.
     *
     * @param from an ISO date (the start of that day, UTC) or instant; inclusive
     * @param to an ISO date (the whole day is included: up to the start of the next one) or instant; exclusive
     * @param granularity {@code day} (when null or blank) or {@code hour}
     * @throws IllegalArgumentException saying what is wrong, for people
     */
    public static HistoryRange parse(String from, String to, String granularity) {
        Granularity unit = granularity(granularity);
        Instant start = time("from", from, false);
        Instant end = time("to", to, true);
        // Whole periods: a partial period at either end is widened to the whole of it.
        start = unit.periodStart(start);
        Instant endStart = unit.periodStart(end);
        end = endStart.equals(end) ? end : endStart.plus(1, unit.unit());
        if (!start.isBefore(end)) {
            throw new IllegalArgumentException("'from' (" + from + ") must be before 'to' (" + to + ")");
        }
        if (Duration.between(start, end).compareTo(unit.maxRange()) > 0) {
            throw new IllegalArgumentException("The range " + start + " to " + end + " is longer than the "
                    + unit.maxRange().toDays() + " days a query by " + unit.label() + " may cover; ask for less");
        }
        return new HistoryRange(start, end, unit);
    }

    private static Granularity granularity(String text) {
        if (text == null || text.isBlank()) {
            return Granularity.DAY;
        }
        for (Granularity value : Granularity.values()) {
            if (value.label().equals(text.trim().toLowerCase(Locale.ROOT))) {
                return value;
            }
        }
        throw new IllegalArgumentException("'granularity' must be 'day' or 'hour', not '" + text + "'");
    }

    private static Instant time(String name, String text, boolean endOfDay) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("'" + name + "' is required: an ISO date (2026-12-01) or instant "
                    + "(2026-12-01T13:00:00Z)");
        }
        String value = text.trim();
        try {
            if (value.length() == 10) {
                LocalDate day = LocalDate.parse(value);
                return (endOfDay ? day.plusDays(1) : day).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return Instant.parse(value);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("'" + name + "' is '" + text + "', neither an ISO date (2026-12-01) "
                    + "nor an instant (2026-12-01T13:00:00Z)");
        }
    }
}
