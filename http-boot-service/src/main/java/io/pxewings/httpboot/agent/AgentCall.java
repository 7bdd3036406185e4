package io.pxewings.httpboot.agent;

import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.core.HttpHeaders;

/** What every agent call carries in its headers: the machine, its token, and the answer format it reads. */
public class AgentCall {

    @HeaderParam(HttpHeaders.AUTHORIZATION)
    String authorization;

    @HeaderParam(AgentAuth.MAC_HEADER)
    String mac;

    @HeaderParam(HttpHeaders.ACCEPT)
    String accept;
}
