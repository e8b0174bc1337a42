package dev.berth.platform.api;

import dev.berth.platform.audit.AuditEvent;
import dev.berth.platform.audit.AuditLog;
import dev.berth.platform.audit.AuditUnavailableException;
import dev.berth.platform.operations.DatabaseOutage;
import dev.berth.platform.problem.Problem;
import dev.berth.platform.security.CallerResolver;
import dev.berth.platform.access.RequestOrigin;
import dev.berth.platform.web.BodyBudgetExhaustedException;
import dev.berth.platform.web.BodyTooLargeException;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.context.request.WebRequest;
import tools.jackson.core.JacksonException;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/** Every API error is an RFC 9457 problem; refusals of known callers are audited. */
@RestControllerAdvice(basePackageClasses = ApiProblems.class)
public class ApiProblems extends ResponseEntityExceptionHandler {
    private static final System.Logger LOG = System.getLogger(ApiProblems.class.getName());
    private final AuditLog audit;
    private final CallerResolver callers;

    public ApiProblems(AuditLog audit, CallerResolver callers) {
        this.audit = audit;
        this.callers = callers;
    }

    @ExceptionHandler(Problem.class)
    ProblemDetail problem(Problem p, HttpServletRequest request) {
        if (p instanceof Problem.Forbidden) {
            var origin = RequestOrigin.of(request);
            callers.resolve(SecurityContextHolder.getContext().getAuthentication())
                    .ifPresent(c -> audit.record(AuditEvent.of(c, "access.denied",
                                    request.getMethod() + " " + request.getRequestURI())
                            .source(origin.address(), origin.userAgent())
                            .outcome(AuditEvent.Outcome.DENIED)
                            .detail("reason", p.getMessage())));
        }
        var detail = ProblemDetail.forStatusAndDetail(HttpStatus.valueOf(p.status()), p.getMessage());
        detail.setTitle(p.title());
        return detail;
    }

    /** Says what in the body could not be read, and where, instead of a bare "Failed to read request". */
    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        var tooLarge = BodyTooLargeException.in(ex);
        if (tooLarge != null) return handleExceptionInternal(ex, bodyTooLarge(tooLarge), headers, HttpStatus.CONTENT_TOO_LARGE, request);
        var busy = BodyBudgetExhaustedException.in(ex);
        if (busy != null) {
            headers.set(HttpHeaders.RETRY_AFTER, "1");
            return handleExceptionInternal(ex, busy(busy), headers, HttpStatus.SERVICE_UNAVAILABLE, request);
        }
        String reason = switch (ex.getMostSpecificCause()) {
            case JacksonException j -> {
                var where = j.getLocation() == null ? "" : " at line " + j.getLocation().getLineNr()
                        + ", column " + j.getLocation().getColumnNr();
                yield "the JSON body could not be read" + where + ": " + j.getOriginalMessage();
            }
            default -> "the request body is missing or is not JSON";
        };
        var detail = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, reason);
        detail.setTitle("Invalid request");
        return handleExceptionInternal(ex, detail, headers, status, request);
    }

    /** A body read by a controller itself went over its area's limit (the web edge counts every read). */
    @ExceptionHandler(BodyTooLargeException.class)
    ProblemDetail bodyTooLarge(BodyTooLargeException e) {
        var detail = ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE, e.getMessage());
        detail.setTitle("Request body too large");
        return detail;
    }

    @ExceptionHandler(BodyBudgetExhaustedException.class)
    ResponseEntity<ProblemDetail> busy(BodyBudgetExhaustedException e, HttpServletRequest request) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "1").body(busy(e));
    }

    private static ProblemDetail busy(BodyBudgetExhaustedException e) {
        var detail = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage());
        detail.setTitle("Busy");
        return detail;
    }

    /**
     * Anything unexpected still answers as a problem document: left to the servlet container, the
     * error page would be dispatched through the dashboard's chain and come back as a login redirect.
     */
    @ExceptionHandler(RuntimeException.class)
    ResponseEntity<ProblemDetail> unexpected(RuntimeException e, HttpServletRequest request) {
        if (DatabaseOutage.in(e)) return databaseDown(e, request);
        String reference = java.util.UUID.randomUUID().toString().substring(0, 8);
        LOG.log(System.Logger.Level.ERROR, "unexpected error " + reference + " in " + request.getMethod() + " "
                + request.getRequestURI(), e);
        var detail = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                "the server failed to answer this request; the server log has the details under reference " + reference);
        detail.setTitle("Internal error");
        return ResponseEntity.internalServerError().body(detail);
    }

    /** The database is away: a 503 that says so and when to retry; the agents keep what they run and retry. */
    private static ResponseEntity<ProblemDetail> databaseDown(RuntimeException e, HttpServletRequest request) {
        LOG.log(System.Logger.Level.WARNING, request.getMethod() + " " + request.getRequestURI()
                + " answered 503: the database is unreachable (" + e.getMessage() + ")");
        var detail = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, DatabaseOutage.SENTENCE);
        detail.setTitle(DatabaseOutage.TITLE);
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, Integer.toString(DatabaseOutage.RETRY_AFTER_SECONDS)).body(detail);
    }

    @ExceptionHandler(AuditUnavailableException.class)
    ProblemDetail auditDown(AuditUnavailableException e) {
        var detail = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "the action could not be audited, so it is not confirmed: " + e.getMessage());
        detail.setTitle("Audit log unavailable");
        return detail;
    }
}
