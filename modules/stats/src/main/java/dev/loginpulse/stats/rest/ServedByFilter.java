package dev.loginpulse.stats.rest;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.ext.Provider;

/**
 * {@value QueryRouter#SERVED_BY} on every answer of the REST API: an answer read from a store has it already (this
 * instance's, or the owner's when proxied); an answer this instance gives without reading a store (a rejected request,
 * a 503 while rebalancing, a 502 when the owner did not answer) gets this instance's {@code host:port}, so a client can
 * always tell which instance answered.
 */
@Provider
public class ServedByFilter implements ContainerResponseFilter {

    private final QueryRouter router;

    public ServedByFilter(QueryRouter router) {
        this.router = router;
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (!response.getHeaders().containsKey(QueryRouter.SERVED_BY)) {
            response.getHeaders().putSingle(QueryRouter.SERVED_BY, router.self());
        }
    }
}
