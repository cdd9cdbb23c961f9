package dev.loginpulse.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

import dev.loginpulse.launcher.Pipeline;
import dev.loginpulse.launcher.PipelineOptions;

/** An end-to-end test class with its own pipeline: started once before its tests, stopped after them. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PipelineTest {

    protected Pipeline pipeline;

    /** What to start; {@link PipelineSupport#options(String)} gives the usual base. */
    protected abstract PipelineOptions options();

    @BeforeAll
    void startPipeline() {
        pipeline = Pipeline.start(options());
    }

    @AfterAll
    void stopPipeline() {
        if (pipeline != null) {
            pipeline.close();
        }
    }
}
