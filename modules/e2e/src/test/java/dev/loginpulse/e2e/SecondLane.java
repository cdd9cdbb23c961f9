package dev.loginpulse.e2e;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Runs the annotated test class in the suite's second lane. Test classes run one after another in the first lane,
 * except those marked with this annotation: they run one after another in a second lane, beside the first (2 cores,
 * two pipelines at a time). The second lane takes the long classes whose pipelines mostly wait, crash and recover,
 * so that the lanes are about equally long (13 minutes each in CI on 2 cores); without the lock they all started at once
 * with the first lane's first class, four pipelines on two cores, and then the first lane ran alone for half the
 * suite.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock(SecondLane.LOCK)
@interface SecondLane {

    /** The lock every class of the lane holds while it runs. */
    String LOCK = "dev.loginpulse.e2e.second-lane";
}
