package dev.berth.platform.api;

import dev.berth.platform.audit.AuditChain;
import dev.berth.platform.audit.AuditExport;
import dev.berth.platform.audit.AuditQuery;
import dev.berth.platform.audit.AuditService;
import dev.berth.platform.security.CallerResolver;
import dev.berth.platform.access.RequestOrigin;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/audit")
@Tag(name = "Audit", description = "The tamper-evident audit log")
public class AuditController {
    private final AuditService audit;
    private final CallerResolver callers;

    public AuditController(AuditService audit, CallerResolver callers) {
        this.audit = audit;
        this.callers = callers;
    }

    @GetMapping
    @Operation(summary = "Export matching events, oldest first",
            description = "JSON Lines by default (Accept: application/jsonl or application/x-ndjson); "
                    + "CSV with Accept: text/csv. Platform admins see all events, team admins their teams'.")
    public void export(@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant from,
                       @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant to,
                       @RequestParam(required = false) String actor,
                       @RequestParam(required = false) String team,
                       @RequestParam(required = false) String action,
                       @RequestParam(required = false) String q,
                       @RequestHeader(name = "Accept", required = false) String accept,
                       HttpServletResponse response) throws IOException {
        var format = accept != null && accept.contains("text/csv") ? AuditExport.Format.CSV : AuditExport.Format.JSON_LINES;
        var query = new AuditQuery(from, to, actor, team, action, q, Optional.empty());
        var caller = callers.current();
        audit.visibleTo(caller, query); // fail with a problem before any byte of the body is written
        response.setContentType(format.mediaType + ";charset=UTF-8");
        response.setHeader("Content-Disposition", "attachment; filename=\"audit." + format.extension() + "\"");
        audit.export(caller, query, format, response.getWriter());
    }

    /** The verdict of a full walk of the chain; {@code keyedFrom} is the first event checked under the audit key. */
    public record Verification(boolean intact, long checked, Long brokenAt, String reason, Long keyedFrom) {
        static Verification of(AuditChain.VerifyResult r) {
            return new Verification(r.intact(), r.checked(),
                    r.firstBroken().map(AuditChain.BrokenLink::seq).orElse(null),
                    r.firstBroken().map(AuditChain.BrokenLink::reason).orElse(null),
                    r.keyedFrom() > 0 ? r.keyedFrom() : null);
        }
    }

    @GetMapping("/verify")
    @Operation(summary = "Walk the hash chain and report the first broken link (platform admins)")
    public Verification verify(HttpServletRequest request) {
        return Verification.of(audit.verify(callers.current(), RequestOrigin.of(request)));
    }
}
