package dev.loginpulse.dashboard.history;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A stand-in for the archiver's history API: a JDK HTTP server that records what it was asked and answers with the
 * status and body a test set. The dashboard under test is pointed at it ({@code pulse.dashboard.archiver-url}).
 */
public class ArchiverStub implements QuarkusTestResourceLifecycleManager {

    /** The dashboard gives up after this long, so that the slow-archiver test stays short. */
    static final String TIMEOUT = "PT1S";

    /** What the stub saw of the last request. */
    record Seen(String method, String rawPath, String rawQuery, String authorization, String accept) {
    }

    static volatile Seen last;
    static volatile int status = 200;
    static volatile String body = "{}";
    /** While set, every answer waits for it (at most 10 s): an archiver slower than the dashboard's timeout. */
    static volatile CountDownLatch hold;

    private static HttpServer server;
    private static ExecutorService executor;
    private static int port;

    @Override
    public Map<String, String> start() {
        executor = Executors.newCachedThreadPool();
        serve(0);
        port = server.getAddress().getPort();
        return Map.of("pulse.dashboard.archiver-url", "http://127.0.0.1:" + port, "pulse.dashboard.archiver-timeout",
                TIMEOUT);
    }

    @Override
    public void stop() {
        server.stop(0);
        executor.shutdownNow();
    }

    static void answer(int newStatus, String newBody) {
        last = null;
        status = newStatus;
        body = newBody;
    }

    /** Stops listening: the archiver is down. */
    static void down() {
        server.stop(0);
    }

    /** Listens again on the same port. */
    static void up() {
        serve(port);
    }

    private static void serve(int onPort) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 0);
        } catch (IOException e) {
            throw new IllegalStateException("the archiver stub cannot listen on port " + onPort, e);
        }
        server.setExecutor(executor);
        server.createContext("/", ArchiverStub::handle);
        server.start();
    }

    private static void handle(HttpExchange exchange) throws IOException {
        last = new Seen(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders().getFirst("Authorization"),
                exchange.getRequestHeaders().getFirst("Accept"));
        CountDownLatch wait = hold;
        if (wait != null) {
            try {
                wait.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
