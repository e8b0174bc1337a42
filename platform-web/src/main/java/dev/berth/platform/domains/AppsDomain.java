package dev.berth.platform.domains;

import dev.berth.gitsync.definition.AppDefinition;
import dev.berth.gitsync.definition.HostNames;
import dev.berth.gitsync.definition.Port;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The platform's apps domain ({@code berth.apps-domain}, env {@code BERTH_APPS_DOMAIN}): every app
 * with a published port is also served at {@code APP.TEAM.<apps domain>}, and a team implicitly
 * owns {@code *.TEAM.<apps domain>} and nothing else under it (an app routes only its own name
 * there, so one app's default host is never another's). Unset: no app gets a default host. Pure
 * once built; checked at startup with the route host rules, so a wrong value stops the platform.
 *
 * <p>Team names ({@code [a-z]([a-z0-9-]{0,61}[a-z0-9])?}) and app names (DNS labels) are single DNS
 * labels by their own rules; only their sum with the domain can exceed a host name's 253
 * characters, and such an app simply has no default host.
 */
@Component
public class AppsDomain {
    /** The port the default host goes to when the app publishes one of this name. */
    public static final String HTTP_PORT = "http";

    private final String domain;

    /** @param configured the domain, such as {@code apps.example.com}; blank or null when unset */
    public AppsDomain(@Value("${berth.apps-domain:}") String configured) {
        if (configured == null || configured.isBlank()) {
            this.domain = null;
            return;
        }
        String problem = HostNames.problem(configured);
        if (problem != null) {
            throw new IllegalStateException("berth.apps-domain (BERTH_APPS_DOMAIN) '" + configured + "' " + problem
                    + "; set a domain whose subdomains point at the edge, such as apps.example.com, or leave it unset");
        }
        this.domain = configured;
    }

    /** A host and the name of the app's port it goes to. */
    public record DefaultRoute(String host, String port) {
    }

    /** The apps domain, when one is set. */
    public Optional<String> domain() {
        return Optional.ofNullable(domain);
    }

    /**
     * {@code app.team.<apps domain>}; empty when no apps domain is set or the name would be longer
     * than a host name may be.
     */
    public Optional<String> defaultHost(String team, String app) {
        if (domain == null) return Optional.empty();
        String host = app + "." + team + "." + domain;
        return HostNames.problem(host) == null ? Optional.of(host) : Optional.empty();
    }

    /**
     * Where the app's default host goes: its published port named {@value #HTTP_PORT}, else its
     * first published port; empty when it publishes none or has no default host.
     */
    public Optional<DefaultRoute> defaultRoute(String team, AppDefinition app) {
        var published = app.ports().stream().filter(Port::publish).toList();
        var port = published.stream().filter(p -> p.name().equals(HTTP_PORT)).findFirst()
                .or(() -> published.stream().findFirst());
        if (port.isEmpty()) return Optional.empty();
        return defaultHost(team, app.name()).map(host -> new DefaultRoute(host, port.get().name()));
    }

    /** Whether {@code host} is the apps domain or a name under it: those the apps domain's rules decide. */
    public boolean covers(String host) {
        return domain != null && (host.equals(domain) || host.endsWith("." + domain));
    }

    /** Whether {@code host} is one label under {@code TEAM.<apps domain>}: the team's own part of it. */
    public boolean teamOwns(String team, String host) {
        return domain != null && new DomainPattern("*." + team + "." + domain, team + "." + domain).matches(host);
    }

    /**
     * Why {@code app} of {@code team} may not route {@code host}, a name {@link #covers covered}
     * by the apps domain, or null when it may: only its own default host.
     */
    public String problemFor(String team, String app, String host) {
        if (!teamOwns(team, host)) {
            return "is under the apps domain " + domain + ", where team " + team + " holds only *." + team + "." + domain;
        }
        String own = app + "." + team + "." + domain;
        if (host.equals(own)) return null;
        return "is the default host of app " + host.substring(0, host.indexOf('.')) + "; under " + team + "." + domain
                + " an app routes only its own name, " + own;
    }

    /**
     * Why a team may not be given {@code pattern}, or null: names under the apps domain (and a
     * wildcard covering the apps domain itself) are Berth's to hand out, as {@code APP.TEAM.<apps domain>}.
     */
    public String patternProblem(DomainPattern pattern) {
        if (domain == null || !(covers(pattern.base()) || pattern.matches(domain))) return null;
        return "is under the apps domain " + domain + ", whose names Berth hands out itself (APP.TEAM." + domain + ")";
    }
}
