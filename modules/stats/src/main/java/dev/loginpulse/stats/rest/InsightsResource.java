package dev.loginpulse.stats.rest;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.loginpulse.events.AppVersions;
import dev.loginpulse.events.DeviceMix;
import dev.loginpulse.events.DistinctCounts;
import dev.loginpulse.events.Insight;
import dev.loginpulse.events.LocaleMix;
import dev.loginpulse.events.TopIps;
import dev.loginpulse.stats.streams.InsightPartial;
import dev.loginpulse.stats.streams.InsightRecords;
import dev.loginpulse.stats.streams.InsightSpec;
import dev.loginpulse.stats.streams.StatsTopology;
import dev.loginpulse.stats.streams.StoreQueries;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The insights of all states together, per window: {@code GET /api/devices}, {@code GET /api/ips/top},
 * {@code GET /api/locales}. They are merged on one partition (see {@code StatsTopology}), so one instance holds them;
 * any instance answers, proxying to that one. The figures are the same as the latest records on user-login-insights.
 */
@Path("/api")
@Tag(name = "insights", description = "Device, app version, locale and IP analytics of all states, per window")
public class InsightsResource {

    /** Default of {@code limit} on {@code /api/ips/top} (or the configured top size, if smaller). */
    public static final int DEFAULT_LIMIT = 10;

    private final QueryRouter router;
    private final InsightSpec spec;

    public InsightsResource(QueryRouter router, InsightSpec spec) {
        this.router = router;
        this.spec = spec;
    }

    @GET
    @Path("/devices")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Device mix, app versions and distinct devices and IPs per window", description = "Every window still kept, newest first. Distinct devices are a HyperLogLog estimate "
            + "(relative standard error in distinct_devices_rse); everything else is exact.")
    @APIResponse(responseCode = "200", description = "The windows of the view", content = @Content(schema = @Schema(implementation = DeviceWindows.class)))
    @APIResponse(responseCode = "400", description = "Unknown view", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "503", description = "Rebalancing or restoring: retry", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Response devices(
            @Parameter(description = "Window view", schema = @Schema(type = SchemaType.STRING, enumeration = { Insight.HOPPING,
                    Insight.TUMBLING }, defaultValue = Insight.HOPPING)) @QueryParam("view") String view,
            @Context UriInfo uri, @Context HttpHeaders headers) {
        String checked = view(view);
        return query(checked, uri, headers, merged -> {
            DeviceMix mix = InsightRecords.deviceMix(merged);
            AppVersions versions = InsightRecords.appVersions(merged);
            DistinctCounts distinct = InsightRecords.distinct(merged);
            return new DeviceWindow(mix.windowStart(), mix.windowEnd(), mix.logins(), mix.deviceTypes(),
                    mix.otherLogins(), versions.versions(), distinct.distinctDevices(), distinct.distinctDevicesRse(),
                    distinct.distinctIps());
        }, windows -> new DeviceWindows(checked, windows));
    }

    @GET
    @Path("/ips/top")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The IPs with the most logins per window, flagged above the alert threshold", description = "Every window still kept, newest first, each with its top `limit` IPs (exact counts) and "
            + "how many IPs are over pulse.stats.ip-alert-threshold.")
    @APIResponse(responseCode = "200", description = "The windows of the view", content = @Content(schema = @Schema(implementation = TopIpWindows.class)))
    @APIResponse(responseCode = "400", description = "limit not a whole number from 1 to pulse.stats.top-ips, or "
            + "unknown view", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "503", description = "Rebalancing or restoring: retry", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Response topIps(
            @Parameter(description = "How many IPs per window, 1 to pulse.stats.top-ips (25)", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", defaultValue = "10")) @QueryParam("limit") String limit,
            @Parameter(description = "Window view", schema = @Schema(type = SchemaType.STRING, enumeration = { Insight.HOPPING,
                    Insight.TUMBLING }, defaultValue = Insight.HOPPING)) @QueryParam("view") String view,
            @Context UriInfo uri, @Context HttpHeaders headers) {
        int top = limit(limit);
        String checked = view(view);
        return query(checked, uri, headers, merged -> {
            TopIps ips = InsightRecords.topIps(merged, top, spec.ipAlertThreshold());
            return new TopIpWindow(ips.windowStart(), ips.windowEnd(), merged.distinctIps(), ips.ipsOverThreshold(),
                    ips.ips());
        }, windows -> new TopIpWindows(checked, top, spec.ipAlertThreshold(), windows));
    }

    @GET
    @Path("/locales")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Logins per locale (state code or UNK) per window", description = "Every window still kept, "
            + "newest first; exact.")
    @APIResponse(responseCode = "200", description = "The windows of the view", content = @Content(schema = @Schema(implementation = LocaleWindows.class)))
    @APIResponse(responseCode = "400", description = "Unknown view", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Response locales(
            @Parameter(description = "Window view", schema = @Schema(type = SchemaType.STRING, enumeration = { Insight.HOPPING,
                    Insight.TUMBLING }, defaultValue = Insight.HOPPING)) @QueryParam("view") String view,
            @Context UriInfo uri, @Context HttpHeaders headers) {
        String checked = view(view);
        return query(checked, uri, headers, merged -> {
            LocaleMix locales = InsightRecords.locales(merged);
            return new LocaleWindow(locales.windowStart(), locales.windowEnd(), locales.logins(), locales.locales());
        }, windows -> new LocaleWindows(checked, windows));
    }

    private <W> Response query(String view, UriInfo uri, HttpHeaders headers, Function<InsightPartial, W> window,
            Function<List<W>, Object> body) {
        return router.route(StatsTopology.INSIGHTS_STORE, StatsTopology.INSIGHTS_KEY, uri, headers,
                partition -> body.apply(StoreQueries.insights(router.streams(), partition, view).stream()
                        .map(window).toList()));
    }

    private static String view(String view) {
        if (view == null || view.isEmpty()) {
            return Insight.HOPPING;
        }
        if (!InsightSpec.isView(view)) {
            throw ApiError.of(Response.Status.BAD_REQUEST,
                    "view must be one of " + String.join(", ", InsightSpec.VIEWS) + ", not '" + view + "'");
        }
        return view;
    }

    private int limit(String limit) {
        if (limit == null || limit.isEmpty()) {
            return Math.min(DEFAULT_LIMIT, spec.topIps());
        }
        int value;
        try {
            value = Integer.parseInt(limit.trim());
        } catch (NumberFormatException e) {
            throw ApiError.of(Response.Status.BAD_REQUEST,
                    "limit must be a whole number from 1 to " + spec.topIps() + ", not '" + limit + "'");
        }
        if (value < 1 || value > spec.topIps()) {
            throw ApiError.of(Response.Status.BAD_REQUEST, "limit must be from 1 to " + spec.topIps()
                    + " (pulse.stats.top-ips), not " + value);
        }
        return value;
    }

    /**
     * {@code GET /api/devices}.
     *
     * @param view the view
     * @param windows newest first
     */
    @RegisterForReflection
    public record DeviceWindows(@JsonProperty("view") String view, @JsonProperty("windows") List<DeviceWindow> windows) {
    }

    /**
     * One window of {@code GET /api/devices}.
     *
     * @param windowStart start, inclusive, ISO-8601 UTC
     * @param windowEnd end, exclusive
     * @param logins all logins
     * @param deviceTypes logins per device type, most first (at most 50)
     * @param otherDeviceLogins logins of device types not listed
     * @param appVersions device type → app version → logins (the 50 largest pairs)
     * @param distinctDevices distinct device ids, estimated
     * @param distinctDevicesRse relative standard error of {@code distinctDevices}
     * @param distinctIps distinct IPs, exact
     */
    @RegisterForReflection
    public record DeviceWindow(
            @JsonProperty("window_start") String windowStart,
            @JsonProperty("window_end") String windowEnd,
            @JsonProperty("logins") long logins,
            @JsonProperty("device_types") Map<String, Long> deviceTypes,
            @JsonProperty("other_device_logins") long otherDeviceLogins,
            @JsonProperty("app_versions") Map<String, Map<String, Long>> appVersions,
            @JsonProperty("distinct_devices") long distinctDevices,
            @JsonProperty("distinct_devices_rse") double distinctDevicesRse,
            @JsonProperty("distinct_ips") long distinctIps) {
    }

    /**
     * {@code GET /api/ips/top}.
     *
     * @param view the view
     * @param limit IPs per window
     * @param alertThreshold an IP with more logins than this in a window is flagged
     * @param windows newest first
     */
    @RegisterForReflection
    public record TopIpWindows(
            @JsonProperty("view") String view,
            @JsonProperty("limit") int limit,
            @JsonProperty("alert_threshold") long alertThreshold,
            @JsonProperty("windows") List<TopIpWindow> windows) {
    }

    /**
     * One window of {@code GET /api/ips/top}.
     *
     * @param windowStart start, inclusive, ISO-8601 UTC
     * @param windowEnd end, exclusive
     * @param distinctIps distinct IPs, exact
     * @param ipsOverThreshold IPs over the alert threshold, exact (also those beyond the list)
     * @param ips the top IPs, most logins first
     */
    @RegisterForReflection
    public record TopIpWindow(
            @JsonProperty("window_start") String windowStart,
            @JsonProperty("window_end") String windowEnd,
            @JsonProperty("distinct_ips") long distinctIps,
            @JsonProperty("ips_over_threshold") long ipsOverThreshold,
            @JsonProperty("ips") List<TopIps.IpCount> ips) {
    }

    /**
     * {@code GET /api/locales}.
     *
     * @param view the view
     * @param windows newest first
     */
    @RegisterForReflection
    public record LocaleWindows(@JsonProperty("view") String view, @JsonProperty("windows") List<LocaleWindow> windows) {
    }

    /**
     * One window of {@code GET /api/locales}.
     *
     * @param windowStart start, inclusive, ISO-8601 UTC
     * @param windowEnd end, exclusive
     * @param logins all logins
     * @param locales logins per locale, most first
     */
    @RegisterForReflection
    public record LocaleWindow(
            @JsonProperty("window_start") String windowStart,
            @JsonProperty("window_end") String windowEnd,
            @JsonProperty("logins") long logins,
            @JsonProperty("locales") Map<String, Long> locales) {
    }
}
