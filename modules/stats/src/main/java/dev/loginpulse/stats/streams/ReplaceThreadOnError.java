package dev.loginpulse.stats.streams;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.jboss.logging.Logger;

/**
 * A stream thread that dies (a broker restart fencing its transaction, a lost connection) is replaced, and its tasks
 * resume from their last committed state: the service heals itself instead of leaving Kafka Streams shut down (Kafka's
 * default) while the process lives on.
 */
@ApplicationScoped
public class ReplaceThreadOnError implements StreamsUncaughtExceptionHandler {

    private static final Logger LOG = Logger.getLogger(ReplaceThreadOnError.class);

    @Override
    public StreamThreadExceptionResponse handle(Throwable exception) {
        LOG.warnf(exception, "Stream thread failed; replacing it, its tasks resume from their last commit");
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }
}
