package dev.berth.platform.certificates;

import dev.berth.platform.access.AccessPolicy;
import dev.berth.platform.access.Caller;
import dev.berth.platform.access.Permission;
import dev.berth.platform.access.RequestOrigin;
import dev.berth.platform.audit.AuditEvent;
import dev.berth.platform.audit.AuditLog;
import dev.berth.platform.problem.Problem;
import dev.berth.platform.repositories.SecretBox;
import dev.berth.platform.teams.TeamLookup;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Certificates teams bring for their routes: uploaded (replacing an earlier one) or deleted by the
 * team's deployers and admins, for a host the app routes; checked before they are stored (chain,
 * key, host, validity); the key sealed and never shown again. Audited without the key.
 */
public class CertificateUploads {
    private final UploadedCertificateStore store;
    private final CertificateManager manager;
    private final AppRoutes routes;
    private final TeamLookup teams;
    private final SecretBox box;
    private final AuditLog audit;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    public CertificateUploads(UploadedCertificateStore store, CertificateManager manager, AppRoutes routes, TeamLookup teams,
                              SecretBox box, AuditLog audit, ApplicationEventPublisher events, Clock clock) {
        this.store = store;
        this.manager = manager;
        this.routes = routes;
        this.teams = teams;
        this.box = box;
        this.audit = audit;
        this.events = events;
        this.clock = clock;
    }

    /**
     * Stores {@code chainPem} and {@code keyPem} for {@code host}, which {@code team}'s {@code app} must route.
     *
     * @throws Problem.Invalid saying what is wrong with the host, the chain or the key
     */
    public CertificateState upload(Caller caller, String team, String app, String host, String chainPem, String keyPem,
                                   RequestOrigin origin) {
        // Those who may not see the team hear that it does not exist; members hear who may change it.
        AccessPolicy.require(caller, Permission.VIEW_APPS, team);
        AccessPolicy.require(caller, Permission.MANAGE_CERTIFICATES, team);
        long teamId = teams.idOf(team);
        String name = routed(team, app, host);
        Instant now = clock.instant();
        UploadedCertificate checked;
        try {
            checked = UploadedCertificate.check(name, chainPem, keyPem, now);
        } catch (IllegalArgumentException e) {
            throw new Problem.Invalid(e.getMessage());
        }
        boolean replaced = store.put(teamId, app, checked, Pem.certificates(checked.chain()),
                box.seal(Pem.privateKey(checked.key()), context(name)), caller.username(), now);
        events.publishEvent(new CertificatesChanged(name));
        audit.record(AuditEvent.of(caller, "certificate.upload", "certificate:" + team + "/" + app + "/" + name).team(team)
                .source(origin.address(), origin.userAgent()).detail("app", app).detail("host", name)
                .detail("issuer", checked.issuer()).detail("notAfter", checked.notAfter().toString()).detail("replaced", replaced));
        return manager.states(List.of(name)).getFirst();
    }

    /** Deletes the uploaded certificate of {@code host}; the platform orders one from the ACME CA again. */
    public void delete(Caller caller, String team, String app, String host, RequestOrigin origin) {
        AccessPolicy.require(caller, Permission.VIEW_APPS, team);
        AccessPolicy.require(caller, Permission.MANAGE_CERTIFICATES, team);
        long teamId = teams.idOf(team);
        String name = host.toLowerCase(Locale.ROOT);
        if (!store.delete(teamId, app, name)) {
            throw new Problem.NotFound("no certificate was uploaded for " + name + " of " + team + "/" + app);
        }
        events.publishEvent(new CertificatesChanged(name));
        audit.record(AuditEvent.of(caller, "certificate.delete", "certificate:" + team + "/" + app + "/" + name).team(team)
                .source(origin.address(), origin.userAgent()).detail("app", app).detail("host", name));
        manager.ensureSoon();
    }

    /** The certificate state of every host the app routes, and of any it has an uploaded certificate for. */
    public List<CertificateState> list(Caller caller, String team, String app) {
        AccessPolicy.require(caller, Permission.VIEW_APPS, team);
        long teamId = teams.idOf(team);
        var hosts = new LinkedHashSet<String>();
        routes.hosts(team, app).stream().sorted().forEach(hosts::add);
        store.ofApp(teamId, app).forEach(row -> hosts.add(row.host()));
        return manager.states(hosts);
    }

    private String routed(String team, String app, String host) {
        String name = host.toLowerCase(Locale.ROOT);
        if (!routes.hosts(team, app).contains(name)) {
            throw new Problem.Invalid(name + " is not a route of " + team + "/" + app + "; add it to the app's routes in"
                    + " berth.yaml and push before uploading its certificate");
        }
        return name;
    }

    static String context(String host) {
        return "uploaded-certificate:" + host;
    }
}
