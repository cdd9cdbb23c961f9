package dev.loginpulse.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.loginpulse.devbroker.KafkaBroker;

/**
 * A TCP relay from a local port to the broker, which a test can {@link #cut()} (every connection through it reset, new
 * ones refused at once) and {@link #restore()}: for the clients behind it, the broker is gone, as when its host dies,
 * while every other client still reaches it directly.
 */
final class NetworkRelay implements AutoCloseable {

    private final ServerSocket server;
    private final int targetPort;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile boolean cut;
    private volatile boolean closed;

    /** A free port, e.g. for a relay and its broker listener chosen before the broker starts. */
    static int freePort() {
        return KafkaBroker.freePort();
    }

    /** A relay from {@code port} to {@code targetPort} on this host; it may be started before its target. */
    static NetworkRelay on(int port, int targetPort) throws IOException {
        return new NetworkRelay(new ServerSocket(port, 50, InetAddress.getLoopbackAddress()), targetPort);
    }

    private NetworkRelay(ServerSocket server, int targetPort) {
        this.server = server;
        this.targetPort = targetPort;
        Thread accepting = new Thread(this::accept, "relay-accept-" + port());
        accepting.setDaemon(true);
        accepting.start();
    }

    /** Sockets open through the relay now, both ends counted. */
    int connections() {
        return sockets.size();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Resets every connection through the relay and refuses new ones until {@link #restore()}. */
    void cut() {
        cut = true;
        sockets.forEach(NetworkRelay::closeQuietly);
        sockets.clear();
    }

    void restore() {
        cut = false;
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            if (cut) {
                closeQuietly(client);
                continue;
            }
            try {
                Socket broker = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                sockets.add(client);
                sockets.add(broker);
                pump(client, broker);
                pump(broker, client);
            } catch (IOException e) {
                closeQuietly(client);
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                    out.write(buffer, 0, read);
                }
            } catch (IOException e) {
                // a cut, or either side closed: close both below
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                sockets.remove(from);
                sockets.remove(to);
            }
        }, "relay-" + from.getPort() + "-" + to.getPort());
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.setSoLinger(true, 0); // a reset, as from a host that is gone, not an orderly close
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() {
        closed = true;
        cut();
        try {
            server.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
