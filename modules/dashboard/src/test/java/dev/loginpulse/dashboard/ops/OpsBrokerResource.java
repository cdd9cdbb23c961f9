package dev.loginpulse.dashboard.ops;

import java.util.HashMap;
import java.util.Map;

import dev.loginpulse.devbroker.KafkaBroker;
import dev.loginpulse.devbroker.KafkaBrokerTestResource;

/**
 * A real broker, as {@link KafkaBrokerTestResource}, and two services to scrape: the dashboard itself (on a test port
 * chosen here) and one that is down (nothing listens on port 1 of the loopback). The {@code @QuarkusTest} classes that
 * ask for it see the operations view of that broker.
 */
public class OpsBrokerResource extends KafkaBrokerTestResource {

    /** The name under which the dashboard lists itself. */
    static final String SELF = "dashboard";
    /** The name under which the down service is listed. */
    static final String DOWN_SERVICE = "nowhere";

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        int port = KafkaBroker.freePort();
        config.put("quarkus.http.test-port", String.valueOf(port));
        config.put("pulse.dashboard.ops.services", SELF + "=http://127.0.0.1:" + port + "," + DOWN_SERVICE
                + "=http://127.0.0.1:1");
        return config;
    }
}
