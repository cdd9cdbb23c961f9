package dev.loginpulse.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The targets of the stats engine v2 issue, each with the figure this run measured and whether it was reached. A
 * target whose figure this run did not measure says so instead of guessing.
 */
final class Targets {

    /** One target: what it asks, the figure measured (or why none), reached or not (null: not measured). */
    record Target(String target, String figure, Boolean reached) {
    }

    private Targets() {
    }

    static List<Target> of(Results r) {
        List<Target> targets = new ArrayList<>();
        Results.ThroughputResult jvm = r.throughput("pipeline-jvm");
        Results.ThroughputResult nativePipeline = r.throughput("pipeline-native");
        Results.ThroughputResult spark = r.throughput("spark");

        targets.add(jvm == null ? missing("≥ 100,000 logins/s steady (pipeline, JVM)", "pipeline phase not run")
                : new Target("≥ 100,000 logins/s steady (pipeline, JVM)", Report.count(jvm.steadyPerSec()) + "/s",
                        jvm.steadyPerSec() >= 100_000));
        if (jvm != null && spark != null && spark.steadyPerSec() > 0 && spark.overallPerSec() > 0) {
            double steady = jvm.steadyPerSec() / spark.steadyPerSec();
            double overall = jvm.overallPerSec() / spark.overallPerSec();
            targets.add(new Target("≥ 3× Spark, steady and overall, same run",
                    String.format(Locale.ROOT, "%.2f× steady, %.2f× overall", steady, overall),
                    steady >= 3 && overall >= 3));
        } else {
            targets.add(missing("≥ 3× Spark, steady and overall, same run", "pipeline or Spark phase not run"));
        }
        if (jvm != null) {
            double micros = Report.engineCpuPerThousand(jvm, r);
            targets.add(new Target("cleaner + stats ≤ 10 µs CPU per login (JVM)",
                    String.format(Locale.ROOT, "%.0f µs", micros), micros <= 10));
        } else {
            targets.add(missing("cleaner + stats ≤ 10 µs CPU per login (JVM)", "pipeline phase not run"));
        }
        Results.LatencyResult at5k = latency(r, 5_000);
        targets.add(at5k == null ? missing("event → WebSocket p99 ≤ 250 ms at 5,000 logins/s", "not measured")
                : new Target("event → WebSocket p99 ≤ 250 ms at 5,000 logins/s",
                        String.format(Locale.ROOT, "%.0f ms", at5k.websocket().p99()),
                        at5k.websocket().count() > 0 && at5k.websocket().p99() <= 250));
        Results.LatencyResult at50k = latency(r, 50_000);
        targets.add(at50k == null ? missing("keeps up at 50,000 logins/s", "rate not in --rates")
                : new Target("keeps up at 50,000 logins/s", at50k.lost() >= at50k.samples()
                        ? String.format(Locale.ROOT, "%s/s produced, not one of %d probes seen: fell behind",
                                Report.count(at50k.achievedRate()), at50k.samples())
                        : String.format(Locale.ROOT, "%s/s achieved, WebSocket p50 %.0f ms, %d probes lost",
                                Report.count(at50k.achievedRate()), at50k.websocket().p50(), at50k.lost()),
                        at50k.achievedRate() >= 0.95 * 50_000 && at50k.lost() == 0
                                && at50k.websocket().p50() < 1_000));
        if (jvm != null && nativePipeline != null) {
            double ratio = Report.engineCpuPerThousand(nativePipeline, r) / Report.engineCpuPerThousand(jvm, r);
            targets.add(new Target("native ≤ 1.3× the JVM's CPU per login",
                    String.format(Locale.ROOT, "%.2f×", ratio), ratio <= 1.3));
        } else {
            targets.add(missing("native ≤ 1.3× the JVM's CPU per login", "native phase not run"));
        }
        if (r.archive != null && r.archive.complete()) {
            targets.add(new Target("archiver ≥ 100,000 logins/s on one core (#15)",
                    Report.count(r.archive.steadyLoginsPerSec()) + "/s steady" + (r.archive.exact() ? ""
                            : ", lake not exact"),
                    r.archive.steadyLoginsPerSec() >= 100_000 && r.archive.exact()));
            targets.add(new Target("archiver RSS ≤ 512 MB (#15)",
                    String.format(Locale.ROOT, "%.0f MB", r.archive.peakRssMb()), r.archive.peakRssMb() <= 512));
        } else {
            String why = r.archive == null ? "archive phase not run" : "the archiver did not commit everything";
            targets.add(missing("archiver ≥ 100,000 logins/s on one core (#15)", why));
            targets.add(missing("archiver RSS ≤ 512 MB (#15)", why));
        }
        if (!r.backlog.isEmpty()) {
            boolean exact = r.backlog.stream().allMatch(b -> b.catchUp().complete() && b.catchUp().windowsExact());
            StringBuilder figure = new StringBuilder();
            for (Results.BacklogResult b : r.backlog) {
                figure.append(figure.isEmpty() ? "" : "; ").append(Report.count(b.eventTimeRate()))
                        .append("/event-s: ").append(b.catchUp().windowsExact() ? "exact" : "differ");
            }
            targets.add(new Target("every window exact after a backlog", figure.toString(), exact));
        } else {
            targets.add(missing("every window exact after a backlog", "backlog phase not run"));
        }
        return targets;
    }

    static String markdown(Results r) {
        StringBuilder md = new StringBuilder("**Targets** (issue #14, #21 for the backlog, #15 for the archiver):\n\n"
                + "| target | this run | reached |\n|---|---|---|\n");
        for (Target target : of(r)) {
            md.append("| ").append(target.target()).append(" | ").append(target.figure()).append(" | ")
                    .append(target.reached() == null ? "not measured" : target.reached() ? "yes" : "**no**")
                    .append(" |\n");
        }
        return md.append('\n').toString();
    }

    private static Target missing(String target, String why) {
        return new Target(target, why, null);
    }

    private static Results.LatencyResult latency(Results r, int rate) {
        return r.latency.stream().filter(l -> l.rate() == rate && "default".equals(l.config())).findFirst()
                .orElse(null);
    }
}
