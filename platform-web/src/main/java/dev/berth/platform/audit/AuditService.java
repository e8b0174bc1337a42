package dev.berth.platform.audit;

import dev.berth.platform.problem.Problem;
import dev.berth.platform.access.AccessPolicy;
import dev.berth.platform.access.Caller;
import dev.berth.platform.access.Permission;
import dev.berth.platform.access.RequestOrigin;
import dev.berth.platform.access.Role;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Service;

/**
 * Reading and verifying the audit log with visibility rules: platform admins see every event,
 * team admins the events of their teams, nobody else any.
 */
@Service
public class AuditService {
    private final AuditStore store;
    private final AuditLog log;

    public AuditService(AuditStore store, AuditLog log) {
        this.store = store;
        this.log = log;
    }

    /** Applies the caller's visibility to a filter; fails if the caller may read no events at all. */
    public AuditQuery visibleTo(Caller caller, AuditQuery query) {
        if (caller.platformAdmin()) return query;
        if (query.team() != null && !query.team().isBlank()) {
            AccessPolicy.require(caller, Permission.READ_TEAM_AUDIT, query.team().trim());
            return query.restrictedTo(Set.of(query.team().trim()));
        }
        var teams = caller.teamsWith(Role.ADMIN);
        if (teams.isEmpty()) {
            throw new Problem.Forbidden("reading the audit log needs the ADMIN role in a team, or platform admin");
        }
        return query.restrictedTo(teams);
    }

    /** Whether the caller may open the audit view at all. */
    public boolean canRead(Caller caller) {
        return caller.platformAdmin() || !caller.teamsWith(Role.ADMIN).isEmpty();
    }

    public List<ChainedEvent> page(Caller caller, AuditQuery query, long offset, int limit) {
        try {
            return store.page(visibleTo(caller, query), offset, Math.min(limit, 500));
        } catch (SQLException e) {
            throw new IllegalStateException("reading the audit log failed", e);
        }
    }

    public long count(Caller caller, AuditQuery query) {
        try {
            return store.count(visibleTo(caller, query));
        } catch (SQLException e) {
            throw new IllegalStateException("reading the audit log failed", e);
        }
    }

    /** Writes every visible matching event, oldest first, in the given format. */
    public void export(Caller caller, AuditQuery query, AuditExport.Format format, Writer out) {
        var visible = visibleTo(caller, query);
        try {
            out.write(AuditExport.header(format));
            store.forEach(visible, row -> {
                try {
                    out.write(AuditExport.line(format, row));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException("reading the audit log failed", e);
        }
    }

    /** Walks the whole chain; platform admins only. The check itself is audited. */
    public AuditChain.VerifyResult verify(Caller caller, RequestOrigin origin) {
        AccessPolicy.require(caller, Permission.VERIFY_AUDIT);
        AuditChain.VerifyResult result;
        try {
            result = store.verify();
        } catch (SQLException e) {
            throw new IllegalStateException("reading the audit log failed", e);
        }
        var event = AuditEvent.of(caller, "audit.verify", "audit")
                .source(origin.address(), origin.userAgent())
                .outcome(result.intact() ? AuditEvent.Outcome.SUCCESS : AuditEvent.Outcome.FAILURE)
                .detail("checked", result.checked());
        result.firstBroken().ifPresent(b -> event.detail("brokenAt", b.seq()).detail("reason", b.reason()));
        log.record(event);
        return result;
    }
}
