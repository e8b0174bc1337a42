package dev.berth.platform.certificates;

import dev.berth.platform.notifications.NotificationEvent;
import dev.berth.platform.notifications.NotificationOutbox;
import dev.berth.platform.notifications.Notice;
import dev.berth.platform.teams.TeamLookup;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Tells the teams whose apps route a host ({@code certificate.failing}) when its certificate
 * orders keep failing ({@link CertificateAlarm}), once per failure episode: the host's row is
 * marked told in the transaction that owes the deliveries, only where it was not, and the mark is
 * cleared when a certificate is issued. One instance orders a host at a time (its row's claim), and
 * the mark holds even if two got here.
 */
@Component
class CertificateFailures {
    private final AcmeStore acme;
    private final ObjectProvider<RouteOwners> owners;
    private final TeamLookup teams;
    private final NotificationOutbox notifications;
    private final TransactionTemplate tx;

    CertificateFailures(AcmeStore acme, ObjectProvider<RouteOwners> owners, TeamLookup teams, NotificationOutbox notifications,
                        TransactionTemplate tx) {
        this.acme = acme;
        this.owners = owners;
        this.teams = teams;
        this.notifications = notifications;
        this.tx = tx;
    }

    @EventListener
    public void onOrderFailed(CertificateOrderFailed failed) {
        if (!CertificateAlarm.tell(failed.failures(), failed.notAfter(), failed.at())) return;
        Set<String> apps = owners.getIfAvailable(() -> host -> Set.of()).appsRouting(failed.host());
        var told = notices(failed, apps);
        tx.executeWithoutResult(s -> {
            if (acme.failingTold(failed.host(), failed.at())) notifications.tell(told);
        });
    }

    private List<NotificationOutbox.Told> notices(CertificateOrderFailed f, Set<String> apps) {
        var byTeam = new TreeMap<String, List<String>>();
        for (String qualified : apps) {
            int slash = qualified.indexOf('/');
            byTeam.computeIfAbsent(qualified.substring(0, slash), t -> new ArrayList<>()).add(qualified.substring(slash + 1));
        }
        var told = new ArrayList<NotificationOutbox.Told>();
        byTeam.forEach((team, teamApps) -> {
            var details = new LinkedHashMap<String, Object>();
            details.put("domain", f.host());
            details.put("error", f.error());
            details.put("failures", f.failures());
            details.put("expiresAt", f.notAfter());
            details.put("nextAttemptAt", f.nextAttempt());
            details.put("apps", String.join(",", teamApps));
            String expiry = f.notAfter() == null ? "it has no certificate yet" : "its certificate expires " + f.notAfter();
            told.add(new NotificationOutbox.Told(teams.idOf(team), Notice.of(NotificationEvent.CERTIFICATE_FAILING, team,
                    teamApps.size() == 1 ? teamApps.getFirst() : null, f.at(), "no certificate for " + f.host() + " after "
                            + f.failures() + (f.failures() == 1 ? " failed order" : " failed orders") + " (" + expiry + "): "
                            + f.error(), details)));
        });
        return told;
    }
}
