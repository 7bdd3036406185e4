package io.pxewings.common.problem;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * RFC 9457 problem details ({@code application/problem+json}).
 *
 * @param type     URI reference naming the problem type ({@code about:blank} when only the status matters)
 * @param title    short summary of the type
 * @param status   HTTP status
 * @param detail   what went wrong in this occurrence, for a person
 * @param instance the request path it happened on
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance) {

    public static final String MEDIA_TYPE = "application/problem+json";
}
