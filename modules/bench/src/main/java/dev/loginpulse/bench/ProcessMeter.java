package dev.loginpulse.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time and peak RSS of a Linux process from {@code /proc/<pid>/stat} (utime + stime) and
 * {@code /proc/<pid>/status} (VmHWM). Reads nothing but those files.
 */
final class ProcessMeter {

    /** Clock ticks per second of {@code /proc/<pid>/stat}; 100 on Linux (USER_HZ). */
    private static final double TICKS_PER_SECOND = 100.0;

    private final String name;
    private final long pid;
    private final double startCpu;
    private final long startNanos;
    private double lastCpu;
    private double peakRssMb;

    /** Counts from now on. */
    ProcessMeter(String name, long pid) {
        this(name, pid, cpuSeconds(pid), System.nanoTime());
    }

    private ProcessMeter(String name, long pid, double startCpu, long startNanos) {
        this.name = name;
        this.pid = pid;
        this.startCpu = startCpu;
        this.lastCpu = Math.max(startCpu, cpuSeconds(pid));
        this.startNanos = startNanos;
    }

    /** Counts everything since the process started, which was at {@code startNanos} ({@link System#nanoTime()}). */
    static ProcessMeter sinceStart(String name, long pid, long startNanos) {
        return new ProcessMeter(name, pid, 0, startNanos);
    }

    /** Reads the process's counters now (call it before the process ends: its /proc entry goes with it). */
    void sample() {
        double cpu = cpuSeconds(pid);
        if (cpu >= 0) {
            lastCpu = cpu;
        }
        double rss = peakRssMb(pid);
        if (rss > peakRssMb) {
            peakRssMb = rss;
        }
    }

    Results.ProcessUsage usage() {
        sample();
        double cpu = Math.max(0, lastCpu - startCpu);
        double wall = (System.nanoTime() - startNanos) / 1e9;
        return new Results.ProcessUsage(name, cpu, wall > 0 ? 100 * cpu / wall : 0, peakRssMb);
    }

    /** utime + stime of a process in seconds, or -1 if it is gone. */
    static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            // The command name (field 2) may contain spaces; the fields after its closing parenthesis are fixed.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long utime = Long.parseLong(fields[11]);
            long stime = Long.parseLong(fields[12]);
            return (utime + stime) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** VmHWM of a process in MB, or 0 if it is gone. */
    static double peakRssMb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return 0;
    }
}
