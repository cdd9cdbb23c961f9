package dev.loginpulse.stats.streams;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The logins per (pane, IP) that one clean partition counted in one emit interval, for the IPs of one bucket: what
 * {@link IpBatcher} sends over the IP repartition topic instead of one record per login. Internal to stats; binary: {@code int}
 * stamping task, {@code long} watermark, {@code int}
 * entries, then per entry {@code long} pane start, {@code long} watermark, {@code int} logins, {@code int} length and
 * the IP's UTF-8 bytes.
 *
 * @param stampedBy the partition of the clean task that counted them (whose {@link SourceGate} stamped their logins)
 * @param watermark that task's watermark when it sent them
 * @param entries the counts
 */
record IpBatch(int stampedBy, long watermark, List<Entry> entries) {

    static final Serde<IpBatch> SERDE = Serdes.serdeFrom((topic, batch) -> batch == null ? null : batch.toBytes(),
            (topic, bytes) -> bytes == null ? null : fromBytes(bytes));

    /**
     * One IP's logins in one pane that arrived at the same watermark (as far as the windows containing the pane can
     * tell: {@link IpBatcher#quantize}).
     *
     * @param paneStart pane start, epoch milliseconds
     * @param watermark the watermark they arrived with; they count in the windows still open at it
     * @param ip the IP
     * @param logins its logins in the pane
     */
    record Entry(long paneStart, long watermark, String ip, int logins) {
    }

    byte[] toBytes() {
        List<byte[]> ips = new ArrayList<>(entries.size());
        int size = 4 + 8 + 4;
        for (Entry entry : entries) {
            byte[] ip = entry.ip().getBytes(StandardCharsets.UTF_8);
            ips.add(ip);
            size += 8 + 8 + 4 + 4 + ip.length;
        }
        ByteBuffer buffer = ByteBuffer.allocate(size).putInt(stampedBy).putLong(watermark).putInt(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            Entry entry = entries.get(i);
            byte[] ip = ips.get(i);
            buffer.putLong(entry.paneStart()).putLong(entry.watermark()).putInt(entry.logins()).putInt(ip.length).put(ip);
        }
        return buffer.array();
    }

    static IpBatch fromBytes(byte[] bytes) {
        try {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            int stampedBy = buffer.getInt();
            long watermark = buffer.getLong();
            int count = buffer.getInt();
            if (count < 0 || count > bytes.length) {
                throw new SerializationException("Not an IP batch: " + count + " entries in " + bytes.length + " bytes");
            }
            List<Entry> entries = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                long pane = buffer.getLong();
                long entryWatermark = buffer.getLong();
                int logins = buffer.getInt();
                int length = buffer.getInt();
                if (length < 0 || length > buffer.remaining()) {
                    throw new SerializationException("Not an IP batch: an IP of " + length + " bytes");
                }
                byte[] ip = new byte[length];
                buffer.get(ip);
                entries.add(new Entry(pane, entryWatermark, new String(ip, StandardCharsets.UTF_8), logins));
            }
            return new IpBatch(stampedBy, watermark, entries);
        } catch (java.nio.BufferUnderflowException e) {
            throw new SerializationException("Not an IP batch: truncated at " + bytes.length + " bytes", e);
        }
    }
}
