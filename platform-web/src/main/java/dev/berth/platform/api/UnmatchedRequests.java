package dev.berth.platform.api;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Requests that match no endpoint: 404, or 405 with the methods the path does answer, as problem
 * documents. These are decided before any controller is chosen, so {@link ApiProblems} (which
 * speaks for the API's controllers) does not see them. The dashboard takes every path outside
 * {@code /api/} and {@code /agent/} (see {@code vaadin.exclude-urls}), so only those end here.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public class UnmatchedRequests {

    @ExceptionHandler({NoHandlerFoundException.class, NoResourceFoundException.class})
    ProblemDetail notFound(Exception e, HttpServletRequest request) {
        var detail = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "there is no endpoint at " + request.getRequestURI()
                + "; the API's endpoints are listed at /v3/api-docs");
        detail.setTitle("Not Found");
        return detail;
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ProblemDetail> wrongMethod(HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
        var supported = e.getSupportedHttpMethods();
        String allowed = supported == null ? "" : String.join(", ", supported.stream().map(HttpMethod::name).sorted().toList());
        var detail = ProblemDetail.forStatusAndDetail(HttpStatus.METHOD_NOT_ALLOWED, request.getRequestURI() + " does not answer "
                + e.getMethod() + (allowed.isEmpty() ? "" : "; it answers " + allowed));
        detail.setTitle("Method Not Allowed");
        var response = ResponseEntity.status(HttpStatus.METHOD_NOT_ALLOWED);
        if (!allowed.isEmpty()) response.header(HttpHeaders.ALLOW, allowed);
        return response.body(detail);
    }
}
