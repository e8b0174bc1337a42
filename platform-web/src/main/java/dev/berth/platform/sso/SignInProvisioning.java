package dev.berth.platform.sso;

import dev.berth.platform.access.RequestOrigin;
import dev.berth.platform.access.Role;
import dev.berth.platform.audit.AuditEvent;
import dev.berth.platform.audit.AuditLog;
import dev.berth.platform.teams.RuleMemberships;
import dev.berth.platform.users.UserAccount;
import dev.berth.platform.users.UserAccounts;
import dev.berth.platform.users.UserService;
import java.time.Clock;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A sign-in through the identity provider: finds the user linked to the person (issuer and
 * subject), or creates one without a password on the first sign-in, then sets the memberships the
 * group rules grant to what the rules say now. Each change is audited once it committed.
 */
@Service
public class SignInProvisioning {
    /** Candidates tried for a new username before giving up: name, name-2 ... name-50. */
    static final int MAX_CANDIDATES = 50;

    private final ExternalIdentityStore identities;
    private final UserAccounts accounts;
    private final UserService users;
    private final GroupRules rules;
    private final RuleMemberships memberships;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final Clock clock;

    public SignInProvisioning(ExternalIdentityStore identities, UserAccounts accounts, UserService users, GroupRules rules,
                              RuleMemberships memberships, AuditLog audit, TransactionTemplate tx, Clock clock) {
        this.identities = identities;
        this.accounts = accounts;
        this.users = users;
        this.rules = rules;
        this.memberships = memberships;
        this.audit = audit;
        this.tx = tx;
        this.clock = clock;
    }

    /** Thrown when no Berth user can be had for the person; the message says why. */
    public static class SignInRefusedException extends RuntimeException {
        SignInRefusedException(String message) {
            super(message);
        }
    }

    /** The signed-in user, with memberships brought up to date. */
    public UserAccount signIn(SignInIdentity who, RequestOrigin origin) {
        var user = linkedUser(who).orElseGet(() -> createUser(who, origin));
        applyRules(user, who);
        audit.record(AuditEvent.of(AuditEvent.Actor.user(user.username()), "login.success", "user:" + user.username())
                .source(origin.address(), origin.userAgent())
                .detail("via", "sso").detail("issuer", who.issuer()));
        return user;
    }

    private Optional<UserAccount> linkedUser(SignInIdentity who) {
        return identities.touch(who.issuer(), who.subject(), clock.instant()).flatMap(accounts::find);
    }

    private UserAccount createUser(SignInIdentity who, RequestOrigin origin) {
        String base = Usernames.base(who.claimedName());
        for (int n = 1; n <= MAX_CANDIDATES; n++) {
            String candidate = Usernames.candidate(base, n);
            var created = tx.execute(s -> {
                var user = users.createWithoutPassword(candidate);
                if (user.isEmpty()) return Optional.<UserAccount>empty();
                if (!identities.link(who.issuer(), who.subject(), user.get().id(), clock.instant())) {
                    // Another sign-in of the same person linked first: use theirs, keep no second account.
                    s.setRollbackOnly();
                    return Optional.<UserAccount>empty();
                }
                return user;
            });
            if (created.isPresent()) {
                audit.record(AuditEvent.of(AuditEvent.Actor.system(), "user.create", "user:" + candidate)
                        .source(origin.address(), origin.userAgent())
                        .detail("via", "sso").detail("issuer", who.issuer()).detail("subject", who.subject()));
                return created.get();
            }
            var raced = linkedUser(who);
            if (raced.isPresent()) return raced.get();
        }
        throw new SignInRefusedException("no free username could be made from '" + who.claimedName() + "' (tried '"
                + base + "' to '" + Usernames.candidate(base, MAX_CANDIDATES) + "'); ask a platform admin");
    }

    private void applyRules(UserAccount user, SignInIdentity who) {
        var plan = MembershipPlan.of(rules.all(), who.groups(), memberships.of(user.id()));
        for (var change : plan) {
            Optional<Role> to = switch (change) {
                case MembershipPlan.Grant g -> Optional.of(g.role());
                case MembershipPlan.Regrade r -> Optional.of(r.to());
                case MembershipPlan.Revoke r -> Optional.empty();
            };
            var outcome = memberships.set(change.team(), user.id(), to);
            String action = switch (change) {
                case MembershipPlan.Grant g -> "team.member.add";
                case MembershipPlan.Regrade r -> "team.member.role";
                case MembershipPlan.Revoke r -> "team.member.remove";
            };
            var event = AuditEvent.of(AuditEvent.Actor.system(), action, "user:" + user.username()).team(change.team())
                    .detail("source", "sso group rules at sign-in");
            switch (change) {
                case MembershipPlan.Grant g -> event.detail("role", g.role()).detail("groups", String.join(",", g.groups()));
                case MembershipPlan.Regrade r -> event.detail("role", r.to()).detail("previousRole", r.from())
                        .detail("groups", String.join(",", r.groups()));
                case MembershipPlan.Revoke r -> event.detail("previousRole", r.role());
            }
            switch (outcome) {
                case RuleMemberships.Changed c -> audit.record(event);
                case RuleMemberships.KeptLastAdmin k -> audit.record(event.outcome(AuditEvent.Outcome.FAILURE)
                        .detail("reason", "kept: the last ADMIN of the team"));
                case RuleMemberships.Untouched u -> { }
            }
        }
    }
}
