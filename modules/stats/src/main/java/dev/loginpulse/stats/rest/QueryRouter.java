package dev.loginpulse.stats.rest;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.IntFunction;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Interactive queries across stats instances, the Kafka Streams way: {@link KafkaStreams#queryMetadataForKey} names
 * the key's partition and the instance that owns it (by its {@code application.server}). If this instance runs the
 * active task of that partition it answers from its local store; otherwise it proxies the request to the owner and
 * relays the answer, so a client may ask any instance.
 * <p>
 * Every answer carries {@value #SERVED_BY}: the {@code host:port} of the instance that read its store (of an error,
 * the instance that answered it: {@link ServedByFilter}). A proxied request carries {@value #FORWARDED}; an instance
 * that gets one for a key it cannot answer (ownership moved during a rebalance) answers 503 instead of proxying again,
 * so requests never loop. 503 (with {@code Retry-After}) also means the owner is not known or its store is not
 * queryable yet (rebalancing, restoring).
 */
@ApplicationScoped
public class QueryRouter {

    /** Response header: the instance that answered from its store. */
    public static final String SERVED_BY = "X-Pulse-Served-By";
    /** Request header of a proxied request: the instance that proxied it. */
    public static final String FORWARDED = "X-Pulse-Forwarded-By";
    private static final Duration PROXY_TIMEOUT = Duration.ofSeconds(5);
    private static final Logger LOG = Logger.getLogger(QueryRouter.class);

    private final KafkaStreams streams;
    private final HostInfo self;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public QueryRouter(KafkaStreams streams,
            @ConfigProperty(name = "quarkus.kafka-streams.application-server") String applicationServer) {
        this.streams = streams;
        this.self = HostInfo.buildFromEndpoint(applicationServer);
    }

    /** The Kafka Streams client, for local store queries. */
    public KafkaStreams streams() {
        return streams;
    }

    /** This instance's {@code host:port}, as advertised to the others. */
    public String self() {
        return self.host() + ":" + self.port();
    }

    /**
     * Answers a query for {@code key} of {@code store}: locally with {@code local} (given the key's partition) if this
     * instance owns it, otherwise by proxying the request to the owner.
     */
    public Response route(String store, String key, UriInfo uri, HttpHeaders headers, IntFunction<Object> local) {
        KeyQueryMetadata metadata;
        try {
            metadata = streams.queryMetadataForKey(store, key, Serdes.String().serializer());
        } catch (IllegalStateException e) {
            throw ApiError.of(Response.Status.SERVICE_UNAVAILABLE, "Kafka Streams is not running yet: " + e.getMessage());
        }
        if (metadata == null || KeyQueryMetadata.NOT_AVAILABLE.equals(metadata)
                || metadata.activeHost().equals(HostInfo.unavailable())) {
            throw ApiError.of(Response.Status.SERVICE_UNAVAILABLE,
                    "No instance owns " + store + " for '" + key + "' right now (rebalancing); retry");
        }
        try {
            // Answers only if this instance runs the active task of the key's partition (the store of a partition
            // that is not active here is not queryable).
            return Response.ok(local.apply(metadata.partition()), MediaType.APPLICATION_JSON)
                    .header(SERVED_BY, self()).build();
        } catch (InvalidStateStoreException e) {
            if (headers.getHeaderString(FORWARDED) != null || metadata.activeHost().equals(self)) {
                throw ApiError.of(Response.Status.SERVICE_UNAVAILABLE, "The store " + store + " for '" + key
                        + "' is not queryable here (" + e.getMessage() + "); its owner is " + metadata.activeHost()
                        + " (rebalancing or restoring); retry");
            }
        }
        return proxy(metadata.activeHost(), uri, headers.getHeaderString(HttpHeaders.AUTHORIZATION));
    }

    private Response proxy(HostInfo owner, UriInfo uri, String authorization) {
        URI target = uri.getRequestUriBuilder().scheme("http").host(owner.host()).port(owner.port()).build();
        HttpRequest request = proxyRequest(target, authorization);
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            Response.ResponseBuilder relay = Response.status(response.statusCode()).entity(response.body())
                    .type(response.headers().firstValue(HttpHeaders.CONTENT_TYPE).orElse(MediaType.APPLICATION_JSON));
            response.headers().firstValue(SERVED_BY).ifPresent(servedBy -> relay.header(SERVED_BY, servedBy));
            response.headers().firstValue("Retry-After").ifPresent(retry -> relay.header("Retry-After", retry));
            return relay.build();
        } catch (IOException e) {
            LOG.debugf("Proxying %s failed: %s", target, e);
            throw ApiError.of(Response.Status.BAD_GATEWAY,
                    "The instance that owns the data, " + owner + ", did not answer: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiError.of(Response.Status.SERVICE_UNAVAILABLE, "Interrupted while asking " + owner);
        }
    }

    /**
     * The request to the owner: the client's own credentials go along (with {@code pulse.auth.enabled} the owner asks
     * for them too; every instance has the same users and token key), none if the client sent none.
     */
    HttpRequest proxyRequest(URI target, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(PROXY_TIMEOUT).header(FORWARDED, self())
                .header(HttpHeaders.ACCEPT, MediaType.APPLICATION_JSON).GET();
        if (authorization != null) {
            request.header(HttpHeaders.AUTHORIZATION, authorization);
        }
        return request.build();
    }
}
