package dev.loginpulse.stats.rest;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The JSON body of every error the REST API answers: {@code {"status": 404, "error": "Not Found", "message": "..."}}.
 *
 * @param status the HTTP status
 * @param error its reason phrase
 * @param message what was wrong, for people
 */
@RegisterForReflection
public record ApiError(
        @JsonProperty("status") int status,
        @JsonProperty("error") String error,
        @JsonProperty("message") String message) {

    /** An exception that makes the resource answer with this error. */
    static WebApplicationException of(Response.Status status, String message) {
        return new WebApplicationException(response(status, message));
    }

    static Response response(Response.Status status, String message) {
        Response.ResponseBuilder builder = Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(new ApiError(status.getStatusCode(), status.getReasonPhrase(), message));
        if (status == Response.Status.SERVICE_UNAVAILABLE) {
            builder.header("Retry-After", "1");
        }
        return builder.build();
    }
}
