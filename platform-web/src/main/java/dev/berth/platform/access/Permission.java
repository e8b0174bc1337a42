package dev.berth.platform.access;

import java.util.Optional;

/**
 * Every guarded action and who may do it: platform-wide actions need a platform admin, team
 * actions need at least a role in the team. New features add their rows here.
 */
public enum Permission {
    CREATE_TEAM("create teams", null),
    MANAGE_USERS("manage users", null),
    VERIFY_AUDIT("verify the audit chain", null),
    READ_ALL_AUDIT("read the whole audit log", null),
    VIEW_TEAM("see this team", Role.VIEWER),
    VIEW_MEMBERS("see this team's members", Role.VIEWER),
    MANAGE_MEMBERS("manage this team's members", Role.ADMIN),
    READ_TEAM_AUDIT("read this team's audit events", Role.ADMIN),
    VIEW_REPOSITORIES("see this team's repositories and revisions", Role.VIEWER),
    CREATE_REPOSITORY("create repositories in this team", Role.ADMIN),
    MANAGE_REPOSITORY("change this team's repository settings and trusted keys", Role.ADMIN),
    FETCH_REPOSITORY("fetch this team's repositories", Role.VIEWER),
    PUSH_REPOSITORY("push to this team's repositories", Role.DEPLOYER),
    REWRITE_DEPLOY_BRANCH("force-push or delete a deploy branch", Role.ADMIN),
    VIEW_APPS("see this team's apps, deployments and replicas", Role.VIEWER),
    ROLLBACK_APP("roll this team's apps back", Role.DEPLOYER),
    VIEW_SECRETS("see the names of this team's app secrets", Role.VIEWER),
    MANAGE_SECRETS("set or delete this team's app secrets", Role.DEPLOYER),
    MANAGE_HOSTS("let hosts join the platform", null),
    VIEW_HOSTS("see the platform's hosts", null),
    READ_LOGS("read the logs of this team's apps", Role.VIEWER),
    VIEW_EGRESS_ALLOW("see the private ranges this team's apps may reach", Role.VIEWER),
    MANAGE_EGRESS_ALLOW("change the private ranges a team's apps may reach", null),
    VIEW_DOMAINS("see the host names this team's apps may claim", Role.VIEWER),
    MANAGE_DOMAINS("change the host names a team's apps may claim", null),
    MANAGE_CERTIFICATES("upload or delete certificates for this team's app routes", Role.DEPLOYER),
    MANAGE_NOTIFICATIONS("see and change this team's notification webhooks and their deliveries", Role.ADMIN),
    MANAGE_SSO_RULES("see and change the single sign-on group rules", null);

    private final String description;
    private final Role teamRole;

    Permission(String description, Role teamRole) {
        this.description = description;
        this.teamRole = teamRole;
    }

    public String description() {
        return description;
    }

    /** The least team role needed, or empty for platform-admin-only actions. */
    public Optional<Role> teamRole() {
        return Optional.ofNullable(teamRole);
    }
}
