package dev.loginpulse.archiver.history;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The JSON body of an error of the history API, the same shape as the stats REST API's:
 * {@code {"status": 400, "error": "Bad Request", "message": "..."}}.
 *
 * @param status the HTTP status
 * @param error its reason phrase
 * @param message what was wrong, for people
 */
@RegisterForReflection
public record HistoryError(
        @JsonProperty("status") int status,
        @JsonProperty("error") String error,
        @JsonProperty("message") String message) {

    static WebApplicationException of(Response.Status status, String message) {
        return new WebApplicationException(Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(new HistoryError(status.getStatusCode(), status.getReasonPhrase(), message)).build());
    }
}
