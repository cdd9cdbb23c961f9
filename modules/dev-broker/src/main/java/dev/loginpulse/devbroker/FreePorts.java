package dev.loginpulse.devbroker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Free ports on 127.0.0.1, never the same one twice in a JVM: {@link KafkaBroker#freePort()} and its kin. */
final class FreePorts {

    /** Every port {@link #freePort()} returned in this JVM. */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private FreePorts() {
    }

    /**
     * A port on 127.0.0.1 that was free a moment ago and that no earlier call in this JVM returned: the system may
     * hand out a port it has just released again, so two listeners picked one after the other could otherwise get
     * the same one (a broker's client and controller listeners did once in CI).
     */
    static int freePort() {
        for (int attempt = 0; attempt < 100; attempt++) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress("127.0.0.1", 0));
                if (HANDED_OUT.add(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("No free port on 127.0.0.1", e);
            }
        }
        throw new IllegalStateException("No free port on 127.0.0.1 that was not handed out before");
    }

    /** {@code count} different {@link #freePort() free ports}. */
    static int[] freePorts(int count) {
        int[] ports = new int[count];
        for (int i = 0; i < count; i++) {
            ports[i] = freePort();
        }
        return ports;
    }
}
