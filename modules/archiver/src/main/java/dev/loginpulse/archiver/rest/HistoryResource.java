package dev.loginpulse.archiver.rest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.loginpulse.archiver.lake.Lake;
import dev.loginpulse.archiver.lake.LakeTables;
import dev.loginpulse.events.UsState;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Logins and distinct users per state and day or hour, answered from the {@code logins} table of the lake (what was
 * committed so far). {@code from} and {@code to} are ISO dates ({@code 2026-12-01}, UTC midnight) or instants; the
 * range is half-open, at most {@link #MAX_DAYS} days by day and {@link #MAX_HOURS} hours by hour.
 */
@Path("/api/history/states")
@Produces(MediaType.APPLICATION_JSON)
public class HistoryResource {

    /** Longest range by day. */
    public static final int MAX_DAYS = 366;
    /** Longest range by hour. */
    public static final int MAX_HOURS = 31 * 24;

    /** One state in one period. */
    @RegisterForReflection
    public record Item(
            @JsonProperty("state") String state,
            @JsonProperty("period_start") String periodStart,
            @JsonProperty("logins") long logins,
            @JsonProperty("distinct_users") long distinctUsers) {
    }

    /** An error: {@code {"status": 400, "message": "..."}}. */
    @RegisterForReflection
    public record Error(@JsonProperty("status") int status, @JsonProperty("message") String message) {
    }

    private final Lake lake;

    public HistoryResource(Lake lake) {
        this.lake = lake;
    }

    @GET
    public List<Item> states(@QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("granularity") String granularity) {
        return history(from, to, granularity, null);
    }

    @GET
    @Path("/{code}")
    public List<Item> state(@PathParam("code") String code, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("granularity") String granularity) {
        if (!UsState.UNKNOWN.equals(code) && UsState.fromCode(code).isEmpty()) {
            throw error(Response.Status.NOT_FOUND, "unknown state '" + code + "': a US state code or UNK");
        }
        return history(from, to, granularity, code);
    }

    private List<Item> history(String fromText, String toText, String granularityText, String state) {
        ChronoUnit unit = switch (granularityText == null ? "day" : granularityText) {
            case "day" -> ChronoUnit.DAYS;
            case "hour" -> ChronoUnit.HOURS;
            default -> throw error(Response.Status.BAD_REQUEST, "granularity must be day or hour");
        };
        Instant from = instant("from", fromText);
        Instant to = instant("to", toText);
        if (!from.isBefore(to)) {
            throw error(Response.Status.BAD_REQUEST, "from must be before to");
        }
        long periods = unit.between(from.truncatedTo(unit), to);
        if ((unit == ChronoUnit.DAYS && periods > MAX_DAYS) || (unit == ChronoUnit.HOURS && periods > MAX_HOURS)) {
            throw error(Response.Status.BAD_REQUEST, "range too long: at most " + MAX_DAYS + " days by day, "
                    + MAX_HOURS + " hours by hour");
        }
        Table table = lake.catalog().loadTable(LakeTables.LOGINS);
        var filter = Expressions.and(
                Expressions.greaterThanOrEqual("timestamp", micros(from)),
                Expressions.lessThan("timestamp", micros(to)));
        if (state != null) {
            filter = Expressions.and(filter, Expressions.equal("locale", state));
        }
        Map<String, Map<Instant, long[]>> logins = new TreeMap<>();
        Map<String, Map<Instant, Set<String>>> users = new HashMap<>();
        try (CloseableIterable<Record> rows = IcebergGenerics.read(table).where(filter)
                .select("timestamp", "locale", "user_id").build()) {
            for (Record row : rows) {
                Instant time = ((OffsetDateTime) row.getField("timestamp")).toInstant();
                String locale = (String) row.getField("locale");
                Instant period = time.truncatedTo(unit);
                logins.computeIfAbsent(locale, s -> new TreeMap<>()).computeIfAbsent(period, p -> new long[1])[0]++;
                users.computeIfAbsent(locale, s -> new HashMap<>()).computeIfAbsent(period, p -> new HashSet<>())
                        .add((String) row.getField("user_id"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Item> items = new ArrayList<>();
        logins.forEach((locale, byPeriod) -> byPeriod.forEach((period, count) -> items.add(new Item(locale,
                period.toString(), count[0], users.get(locale).get(period).size()))));
        return items;
    }

    private static long micros(Instant instant) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
    }

    private static Instant instant(String name, String text) {
        if (text == null || text.isBlank()) {
            throw error(Response.Status.BAD_REQUEST, name + " is required: an ISO date or instant");
        }
        try {
            return text.length() == 10 ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw error(Response.Status.BAD_REQUEST, name + " is not an ISO date or instant: " + text);
        }
    }

    private static WebApplicationException error(Response.Status status, String message) {
        return new WebApplicationException(Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(new Error(status.getStatusCode(), message)).build());
    }
}
