package dev.loginpulse.dashboard.ops;

/**
 * The lag thresholds of the operations view, in records per partition.
 *
 * @param lagWarn from this lag on, a partition (and its group) is {@link Level#WARN}
 * @param lagCritical from this lag on, {@link Level#CRITICAL}
 */
public record Thresholds(long lagWarn, long lagCritical) {

    public Thresholds {
        if (lagWarn < 1 || lagCritical < lagWarn) {
            throw new IllegalArgumentException("lag thresholds need 1 <= warn <= critical: warn " + lagWarn
                    + ", critical " + lagCritical);
        }
    }

    /** The level of a partition's lag. */
    public Level lag(long lag) {
        return lag >= lagCritical ? Level.CRITICAL : lag >= lagWarn ? Level.WARN : Level.OK;
    }
}
