package dev.loginpulse.stats.streams;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class DistinctSketchTest {

    /** Three standard errors: a correct sketch is outside this bound for about 3 inputs in 1,000. */
    private static final double BOUND = 3 * DistinctSketch.RELATIVE_STANDARD_ERROR;

    @Test
    void aMillionDistinctValuesAreEstimatedWithinThreeStandardErrors() {
        DistinctSketch sketch = DistinctSketch.create();
        for (int i = 0; i < 1_000_000; i++) {
            sketch.add("device-" + Integer.toHexString(i * 31 + 7));
        }

        double error = (sketch.estimate() - 1_000_000.0) / 1_000_000.0;

        System.out.printf("1,000,000 distinct values: estimate %,d, relative error %+.3f %%%n", sketch.estimate(),
                error * 100);
        assertThat(Math.abs(error)).isLessThan(BOUND);
    }

    @Test
    void theErrorStaysWithinBoundAcrossManyIndependentSetsAndAveragesNearTheStatedStandardError() {
        int sets = 40;
        double sumOfSquares = 0;
        for (int set = 0; set < sets; set++) {
            DistinctSketch sketch = DistinctSketch.create();
            for (int i = 0; i < 50_000; i++) {
                sketch.add("set-" + set + "-ip-" + i);
            }
            double error = (sketch.estimate() - 50_000.0) / 50_000.0;
            assertThat(Math.abs(error)).as("set %d", set).isLessThan(BOUND);
            sumOfSquares += error * error;
        }
        double measured = Math.sqrt(sumOfSquares / sets);

        System.out.printf("measured relative standard error over %d sets of 50,000: %.4f (stated %.4f)%n", sets,
                measured, DistinctSketch.RELATIVE_STANDARD_ERROR);
        assertThat(measured).isLessThan(2 * DistinctSketch.RELATIVE_STANDARD_ERROR);
    }

    @Test
    void repeatedValuesDoNotChangeTheEstimateOrTheSketch() {
        DistinctSketch sketch = DistinctSketch.create();
        for (int i = 0; i < 1_000; i++) {
            sketch.add("v" + i);
        }
        long before = sketch.estimate();

        boolean changed = false;
        for (int i = 0; i < 1_000; i++) {
            changed |= sketch.add("v" + i);
        }

        assertThat(changed).isFalse();
        assertThat(sketch.estimate()).isEqualTo(before);
        assertThat((double) before).isCloseTo(1_000, within(1_000 * BOUND));
    }

    @Test
    void mergingTwoSketchesGivesTheSketchOfTheUnion() {
        DistinctSketch left = DistinctSketch.create();
        DistinctSketch right = DistinctSketch.create();
        DistinctSketch union = DistinctSketch.create();
        for (int i = 0; i < 30_000; i++) {
            left.add("a" + i);
            union.add("a" + i);
        }
        for (int i = 0; i < 30_000; i++) {
            right.add("a" + (i + 10_000));
            union.add("a" + (i + 10_000));
        }

        DistinctSketch merged = DistinctSketch.fromBytes(left.toBytes()).merge(right);

        assertThat(merged.toBytes()).isEqualTo(union.toBytes());
        assertThat((double) merged.estimate()).isCloseTo(40_000, within(40_000 * BOUND));
    }

    @Test
    void theSerializedSketchHasAFixedSizeAndOtherSizesAreRefused() {
        assertThat(DistinctSketch.create().toBytes()).hasSize(DistinctSketch.BYTES).hasSize(3072);
        assertThatThrownBy(() -> DistinctSketch.fromBytes(new byte[10]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3072 bytes, got 10");
    }
}
