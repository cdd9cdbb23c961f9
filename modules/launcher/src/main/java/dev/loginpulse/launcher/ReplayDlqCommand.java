package dev.loginpulse.launcher;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.loginpulse.devbroker.KafkaBroker;

/**
 * {@code ./run.sh replay-dlq [--reason ...] [--from ...] [--to ...] [--dry-run] [--kafka ...]}: reads the arguments
 * and the {@code KAFKA_*} variables, then runs a {@link DeadLetterReplay} and prints its report.
 */
public final class ReplayDlqCommand {

    static final String USAGE = """
            Usage: ./run.sh replay-dlq [--reason CODE[,CODE...]] [--from WHEN] [--to WHEN] [--dry-run] [--kafka HOST:PORT]
              Re-feeds dead letters of user-login-dlq to user-login, each at most once, for the cleaner to clean again.
              --reason   reason codes to select (e.g. INVALID_TIMESTAMP,TOO_LARGE); default: every reason
              --from     dead-lettered at or after WHEN (ISO-8601 instant or date, UTC); default: the beginning
              --to       dead-lettered before WHEN; default: now
              --dry-run  count what would be replayed, write nothing
              --kafka    an external Kafka's bootstrap servers, whose KAFKA_* variables then become client settings
                         (KAFKA_SASL_MECHANISM -> sasl.mechanism); default: ./run.sh's broker, 127.0.0.1:PULSE_KAFKA_PORT
                         (9092)
            """;

    private ReplayDlqCommand() {
    }

    /** {@code ./run.sh replay-dlq ...}; exits 0 after a replay, 2 on bad arguments, 1 on a failure. */
    public static void main(String[] args) {
        Set<String> reasons = new LinkedHashSet<>();
        Instant from = null;
        Instant to = null;
        boolean dryRun = false;
        String kafka = null;
        DeadLetterReplay.Selection selection;
        try {
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--dry-run" -> dryRun = true;
                    case "--reason", "--from", "--to", "--kafka" -> {
                        if (i + 1 >= args.length) {
                            throw new IllegalArgumentException(arg + " needs a value");
                        }
                        String value = args[++i];
                        switch (arg) {
                            case "--reason" -> reasons.addAll(List.of(value.toUpperCase(Locale.ROOT).split(",")));
                            case "--from" -> from = instant(value);
                            case "--to" -> to = instant(value);
                            default -> kafka = value;
                        }
                    }
                    case "--help", "-h" -> {
                        System.out.print(USAGE);
                        return;
                    }
                    default -> throw new IllegalArgumentException("unknown argument " + arg);
                }
            }
            selection = new DeadLetterReplay.Selection(reasons, from, to);
        } catch (IllegalArgumentException e) {
            System.err.println("replay-dlq: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        try {
            // Like ./run.sh itself: the shell's KAFKA_* variables apply to an external Kafka only.
            DeadLetterReplay replay = kafka == null
                    ? new DeadLetterReplay("127.0.0.1:" + System.getenv().getOrDefault("PULSE_KAFKA_PORT",
                            String.valueOf(KafkaBroker.DEFAULT_PORT)), Map.of())
                    : new DeadLetterReplay(kafka, clientConfig(System.getenv()));
            DeadLetterReplay.Report report = replay.run(selection, dryRun);
            System.out.println(report);
        } catch (RuntimeException e) {
            System.err.println("replay-dlq failed: " + e);
            System.exit(1);
        }
    }

    /** An ISO-8601 instant, or a date (its start, UTC). */
    static Instant instant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException notAnInstant) {
            try {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException notADate) {
                throw new IllegalArgumentException("not an ISO-8601 instant or date: " + text);
            }
        }
    }

    /** Kafka client settings from {@code KAFKA_*} variables, e.g. {@code KAFKA_SASL_MECHANISM} → sasl.mechanism. */
    static Map<String, Object> clientConfig(Map<String, String> env) {
        Map<String, Object> config = new HashMap<>();
        env.forEach((name, value) -> {
            if (name.startsWith("KAFKA_") && !name.equals("KAFKA_BOOTSTRAP_SERVERS")) {
                config.put(name.substring("KAFKA_".length()).toLowerCase(Locale.ROOT).replace('_', '.'), value);
            }
        });
        return config;
    }
}
