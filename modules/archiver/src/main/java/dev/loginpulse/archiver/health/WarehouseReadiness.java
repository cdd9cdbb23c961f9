package dev.loginpulse.archiver.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import dev.loginpulse.archiver.lake.ArchiveTable;
import dev.loginpulse.archiver.lake.Lake;

/** DOWN, with the reason per table, while a table cannot be written; the archiver stays live and retries. */
@Readiness
@ApplicationScoped
public class WarehouseReadiness implements HealthCheck {

    /** The check's name in {@code /q/health}. */
    public static final String NAME = "warehouse";

    private final Lake lake;

    public WarehouseReadiness(Lake lake) {
        this.lake = lake;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME).up();
        for (ArchiveTable table : lake.all()) {
            String failure = table.failure();
            if (failure != null) {
                response.down().withData(table.name(), failure);
            }
            response.withData(table.name() + "-buffered-rows", table.bufferedRows());
        }
        return response.build();
    }
}
