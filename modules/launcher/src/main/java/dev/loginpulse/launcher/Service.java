package dev.loginpulse.launcher;

/** The deployables of the pipeline; the name is the module folder, artifactId and application name. */
public enum Service {
    GENERATOR("generator", 8081),
    CLEANER("cleaner", 8082),
    STATS("stats", 8083),
    DASHBOARD("dashboard", 8080),
    /** Archives clean logins, state windows and dead letters into the Iceberg lake (docs/lake.md). */
    ARCHIVER("archiver", 8084);

    private final String moduleName;
    private final int defaultPort;

    Service(String moduleName, int defaultPort) {
        this.moduleName = moduleName;
        this.defaultPort = defaultPort;
    }

    /** Folder under {@code modules/}, artifactId and {@code quarkus.application.name}. */
    public String moduleName() {
        return moduleName;
    }

    /** The HTTP port of the local run and of the container images. */
    public int defaultPort() {
        return defaultPort;
    }
}
