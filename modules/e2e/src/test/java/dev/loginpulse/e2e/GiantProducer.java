package dev.loginpulse.e2e;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends one raw record of a given size that compresses to almost nothing (a JSON object padded with spaces), as a
 * hostile producer could, in a JVM of its own: the Java producer needs the value and a batch buffer of its size in
 * memory, two GiB for a GiB, which the test JVM should not keep. Prints {@code ACCEPTED <offset>} or
 * {@code REFUSED <exception>: <message>} and exits 0; {@link #send} runs it.
 */
final class GiantProducer {

    private GiantProducer() {
    }

    /** args: bootstrap servers, topic, partition, compression codec, value size in bytes. */
    public static void main(String[] args) throws Exception {
        int size = Integer.parseInt(args[4]);
        byte[] value = new byte[size];
        Arrays.fill(value, (byte) ' ');
        byte[] head = "{\"user_id\":\"giant\",\"pad\":\"".getBytes();
        System.arraycopy(head, 0, value, 0, head.length);
        value[size - 2] = '"';
        value[size - 1] = '}';
        // the producer checks the uncompressed size against both; the broker sees the compressed batch
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, args[0],
                ProducerConfig.COMPRESSION_TYPE_CONFIG, args[3],
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.MAX_VALUE,
                ProducerConfig.BUFFER_MEMORY_CONFIG, 2L * size + 64 * 1024 * 1024,
                ProducerConfig.RETRIES_CONFIG, 0);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            RecordMetadata sent = producer.send(new ProducerRecord<>(args[1], Integer.parseInt(args[2]), null, value))
                    .get(120, TimeUnit.SECONDS);
            System.out.println("ACCEPTED " + sent.offset());
        } catch (ExecutionException e) {
            System.out.println("REFUSED " + e.getCause().getClass().getName() + ": " + e.getCause().getMessage());
        }
    }

    /** Runs {@link #main} in a child JVM with enough heap for {@code size} twice, and returns its last line. */
    static String send(String bootstrap, String topic, int partition, String codec, int size)
            throws IOException, InterruptedException {
        long heapMib = 2L * size / (1024 * 1024) + 256;
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(List.of(java.toString(), "-Xmx" + heapMib + "m", "-cp",
                System.getProperty("java.class.path"), GiantProducer.class.getName(), bootstrap, topic,
                String.valueOf(partition), codec, String.valueOf(size))).redirectErrorStream(true).start();
        List<String> lines = new String(process.getInputStream().readAllBytes()).lines().toList();
        if (!process.waitFor(3, TimeUnit.MINUTES) || process.exitValue() != 0 || lines.isEmpty()) {
            process.destroyForcibly();
            throw new IllegalStateException("the giant's producer failed: " + lines);
        }
        return lines.get(lines.size() - 1);
    }
}
