package dev.berth.platform.api;

import dev.berth.platform.audit.AuditEvent;
import dev.berth.platform.audit.AuditLog;
import dev.berth.platform.audit.AuditUnavailableException;
import dev.berth.platform.problem.Problem;
import dev.berth.platform.security.CallerResolver;
import dev.berth.platform.security.RequestOrigin;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/** Every API error is an RFC 9457 problem; refusals of known callers are audited. */
@RestControllerAdvice(basePackageClasses = ApiProblems.class)
public class ApiProblems extends ResponseEntityExceptionHandler {
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
            callers.resolve(org.springframework.security.core.context.SecurityContextHolder.getContext().getAuthentication())
                    .ifPresent(c -> audit.record(AuditEvent.of(c.actor(), "access.denied",
                                    request.getMethod() + " " + request.getRequestURI())
                            .source(origin.address(), origin.userAgent())
                            .outcome(AuditEvent.Outcome.DENIED)
                            .detail("reason", p.getMessage())));
        }
        var detail = ProblemDetail.forStatusAndDetail(HttpStatus.valueOf(p.status()), p.getMessage());
        detail.setTitle(p.title());
        return detail;
    }

    @ExceptionHandler(AuditUnavailableException.class)
    ProblemDetail auditDown(AuditUnavailableException e) {
        var detail = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "the action could not be audited, so it is not confirmed: " + e.getMessage());
        detail.setTitle("Audit log unavailable");
        return detail;
    }
}
