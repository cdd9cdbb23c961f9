package dev.loginpulse.launcher;

/** The deployables of the pipeline; the name is the module folder, artifactId and application name. */
public enum Service {
    GENERATOR("generator", 8081, true),
    CLEANER("cleaner", 8082, true),
    STATS("stats", 8083, true),
    DASHBOARD("dashboard", 8080, true),
    /**
     * Archives clean logins, state windows and dead letters into the Iceberg lake (docs/lake.md). JVM only for now:
     * its native executable builds but fails at run time in Hadoop's reflection (docs/native.md).
     */
    ARCHIVER("archiver", 8084, false);

    private final String moduleName;
    private final int defaultPort;
    private final boolean nativeExecutable;

    Service(String moduleName, int defaultPort, boolean nativeExecutable) {
        this.moduleName = moduleName;
        this.defaultPort = defaultPort;
        this.nativeExecutable = nativeExecutable;
    }

    /**
     * Whether {@code -Dnative} builds this service as a native executable; one that is not runs as its JVM jar in
     * native mode too.
     */
    public boolean nativeExecutable() {
        return nativeExecutable;
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
