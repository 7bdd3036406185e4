package io.pxewings.httpboot.agent;

import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;

/** What every agent call carries in its headers: the machine, its token, and the answer format it reads. */
public class AgentCall {

    @HeaderParam(HttpHeaders.AUTHORIZATION)
    String authorization;

    @HeaderParam(AgentAuth.MAC_HEADER)
    String mac;

    @HeaderParam(HttpHeaders.ACCEPT)
    String accept;

    /** Where the call came from: a token is used only from its machine's leased address. */
    @Context
    HttpServerRequest request;

    String client() {
        return request == null || request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
    }
}
