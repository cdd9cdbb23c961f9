package dev.loginpulse.devbroker;

import java.nio.file.Path;

/**
 * Runs only the broker, in the foreground, for dev mode of a single service:
 * {@code java -cp modules/dev-broker/target/dev-broker.jar dev.loginpulse.devbroker.BrokerMain}. Same variables as
 * {@code run.sh}: {@code PULSE_KAFKA_PORT}, {@code PULSE_PARTITIONS}, {@code PULSE_DATA_DIR}.
 */
public final class BrokerMain {

    private BrokerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        KafkaBrokerBuilder builder = KafkaBroker.builder()
                .port(Integer.parseInt(System.getenv().getOrDefault("PULSE_KAFKA_PORT",
                        String.valueOf(KafkaBroker.DEFAULT_PORT))))
                .partitions(Integer.parseInt(System.getenv().getOrDefault("PULSE_PARTITIONS",
                        String.valueOf(KafkaBroker.DEFAULT_PARTITIONS))));
        String dataDir = System.getenv("PULSE_DATA_DIR");
        if (dataDir != null) {
            builder.dataDir(Path.of(dataDir).toAbsolutePath());
        }
        KafkaBroker broker = builder.build().start();
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "broker-shutdown"));
        System.out.println("Kafka: " + broker.bootstrapServers() + " (data in " + broker.dataDir() + ")");
        Thread.currentThread().join();
    }
}
