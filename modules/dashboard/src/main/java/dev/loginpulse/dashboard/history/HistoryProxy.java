package dev.loginpulse.dashboard.history;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;

import dev.loginpulse.dashboard.config.DashboardConfig;

/**
 * {@code GET /api/history/states} and {@code GET /api/history/states/{code}}: forwarded to the archiver
 * ({@code pulse.dashboard.archiver-url}) with the query string as it came and the caller's {@code Authorization};
 * the archiver's status and JSON body are returned as they are. When the archiver cannot be reached in
 * {@code pulse.dashboard.archiver-timeout}, 503 with {@code {"error": ...}}.
 */
@Path(HistoryProxy.PATH)
public class HistoryProxy {

    /** Where the dashboard and the archiver both answer history queries. */
    public static final String PATH = "/api/history/states";

    private static final Logger LOG = Logger.getLogger(HistoryProxy.class);

    private final DashboardConfig config;
    private final HttpClient http;

    public HistoryProxy(DashboardConfig config) {
        this.config = config;
        this.http = HttpClient.newBuilder().connectTimeout(config.archiverTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public CompletionStage<Response> all(@Context UriInfo uri, @Context HttpHeaders headers) {
        return forward(PATH, uri, headers);
    }

    @GET
    @Path("/{code}")
    @Produces(MediaType.APPLICATION_JSON)
    public CompletionStage<Response> state(@PathParam("code") String code, @Context UriInfo uri,
            @Context HttpHeaders headers) {
        return forward(uri.getRequestUri().getRawPath(), uri, headers);
    }

    private CompletionStage<Response> forward(String rawPath, UriInfo uri, HttpHeaders headers) {
        String query = uri.getRequestUri().getRawQuery();
        URI target = target(config.archiverUrl(), rawPath, query);
        HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(config.archiverTimeout())
                .header(HttpHeaders.ACCEPT, MediaType.APPLICATION_JSON).GET();
        String authorization = headers.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (authorization != null) {
            request.header(HttpHeaders.AUTHORIZATION, authorization);
        }
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray())
                .thenApply(answer -> Response.status(answer.statusCode())
                        .type(answer.headers().firstValue(HttpHeaders.CONTENT_TYPE)
                                .orElse(MediaType.APPLICATION_JSON))
                        .entity(answer.body()).build())
                .exceptionally(failure -> unavailable(target, failure));
    }

    /** The archiver's URL for this path and raw (still encoded) query; the base may carry a path prefix. */
    static URI target(URI base, String rawPath, String rawQuery) {
        String prefix = base.toString().replaceAll("/+$", "");
        return URI.create(prefix + rawPath + (rawQuery == null ? "" : "?" + rawQuery));
    }

    private Response unavailable(URI target, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause()
                : failure;
        String why = cause instanceof HttpTimeoutException ? "did not answer within " + config.archiverTimeout()
                : cause instanceof IOException ? "cannot be reached (" + cause.getClass().getSimpleName() + ")"
                        : "failed (" + cause.getClass().getSimpleName() + ")";
        LOG.warnf("History query %s: the archiver %s", target, why);
        return Response.status(Response.Status.SERVICE_UNAVAILABLE).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("error", "history unavailable: the archiver at " + config.archiverUrl() + " " + why))
                .build();
    }
}
