package dev.berth.platform.database;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Refuses a request role that could switch off the audit log's guards. The append-only triggers
 * and the head's forward-only rule hold only against a role that may not disable triggers: not
 * the owner of the audit tables or of their schema, nor a member of the owner's role, nor a
 * superuser, a role that can grant itself any role (CREATEROLE), one that bypasses row security,
 * or one allowed to set {@code session_replication_role} (which silences triggers).
 */
public final class RequestRoleCheck {
    /** The audit log's tables, whose guards a request role must not be able to lift. */
    static final List<String> GUARDED_TABLES = List.of("audit_events", "audit_head");

    private RequestRoleCheck() {
    }

    /**
     * What the database says about the request role.
     *
     * @param privilegedMemberships other roles it can act as that are superusers or have CREATEROLE or BYPASSRLS
     * @param ownedTables   guarded tables the role owns or whose owner it is a member of, with that owner
     * @param ownedSchema   the schema of the guarded tables, if the role owns it or is a member of its owner
     * @param setsReplicationRole whether it may set session_replication_role
     */
    public record Facts(String role, boolean superuser, boolean createRole, boolean bypassRls,
                        List<String> privilegedMemberships, List<String> ownedTables, String ownedSchema,
                        boolean setsReplicationRole) {
    }

    /** Every reason the role is unfit to serve requests; empty when it is fit. Pure. */
    public static List<String> problems(Facts f) {
        var out = new ArrayList<String>();
        if (f.superuser()) out.add("it is a superuser");
        if (f.createRole()) out.add("it has CREATEROLE, so it can make itself a member of the tables' owner");
        if (f.bypassRls()) out.add("it has BYPASSRLS");
        for (String role : f.privilegedMemberships()) {
            out.add("it is a member of " + role + ", which is a superuser or has CREATEROLE or BYPASSRLS");
        }
        for (String table : f.ownedTables()) out.add("it owns, or is a member of the owner of, " + table);
        if (f.ownedSchema() != null) out.add("it owns, or is a member of the owner of, schema " + f.ownedSchema());
        if (f.setsReplicationRole()) out.add("it may set session_replication_role, which switches triggers off");
        return out;
    }

    /** The refusal, saying what to configure. */
    public static String message(String role, List<String> problems) {
        return "Refusing to start: the database role \"" + role + "\" that serves requests (berth.database.user,"
                + " BERTH_DATABASE_USER) could switch off the audit log's protections: " + String.join("; ", problems)
                + ". Serve requests as a role that owns nothing and is none of these, e.g."
                + " CREATE ROLE berth_app LOGIN PASSWORD '...' (NOSUPERUSER NOCREATEROLE NOBYPASSRLS, member of no other"
                + " role), set BERTH_DATABASE_USER and BERTH_DATABASE_PASSWORD to it, and set"
                + " BERTH_DATABASE_MIGRATION_USER and BERTH_DATABASE_MIGRATION_PASSWORD to the role that owns the schema;"
                + " migrations grant the request role what it needs.";
    }

    /** Reads the facts about the connection's own role, after migrations. */
    public static Facts facts(Connection c) throws SQLException {
        String role;
        boolean superuser;
        boolean createRole;
        boolean bypassRls;
        try (var st = c.prepareStatement(
                "SELECT rolname, rolsuper, rolcreaterole, rolbypassrls FROM pg_roles WHERE rolname = current_user");
             var rs = st.executeQuery()) {
            rs.next();
            role = rs.getString(1);
            superuser = rs.getBoolean(2);
            createRole = rs.getBoolean(3);
            bypassRls = rs.getBoolean(4);
        }
        var memberships = new ArrayList<String>();
        if (!superuser) {
            try (var st = c.prepareStatement("""
                    SELECT rolname FROM pg_roles WHERE (rolsuper OR rolcreaterole OR rolbypassrls)
                    AND rolname <> current_user AND pg_has_role(current_user, oid, 'MEMBER') ORDER BY rolname""");
                 var rs = st.executeQuery()) {
                while (rs.next()) memberships.add(rs.getString(1));
            }
        }
        var owned = new ArrayList<String>();
        String schema = null;
        try (var st = c.prepareStatement("""
                SELECT c.relname, pg_get_userbyid(c.relowner), pg_has_role(current_user, c.relowner, 'MEMBER'),
                       n.nspname, pg_get_userbyid(n.nspowner), pg_has_role(current_user, n.nspowner, 'MEMBER')
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.oid = to_regclass(?)""")) {
            for (String table : GUARDED_TABLES) {
                st.setString(1, table);
                try (var rs = st.executeQuery()) {
                    if (!rs.next()) continue;
                    if (rs.getBoolean(3)) owned.add("table " + table + " (owner " + rs.getString(2) + ")");
                    if (rs.getBoolean(6)) schema = rs.getString(4) + " (owner " + rs.getString(5) + ")";
                }
            }
        }
        boolean setsReplicationRole = superuser;
        try (var st = c.prepareStatement("SELECT current_setting('server_version_num')::int >= 150000"); var rs = st.executeQuery()) {
            rs.next();
            if (rs.getBoolean(1)) {
                // PostgreSQL 15 lets a superuser grant SET on a superuser-only parameter.
                try (var p = c.prepareStatement("SELECT has_parameter_privilege('session_replication_role', 'SET')");
                     var r = p.executeQuery()) {
                    r.next();
                    setsReplicationRole |= r.getBoolean(1);
                }
            }
        }
        return new Facts(role, superuser, createRole, bypassRls, memberships, owned, schema, setsReplicationRole);
    }

    /** Throws, with what to configure, if the pool's role could lift the audit log's guards. */
    public static void require(DataSource requests) throws SQLException {
        Facts facts;
        try (Connection c = requests.getConnection()) {
            facts = facts(c);
        }
        var problems = problems(facts);
        if (!problems.isEmpty()) throw new IllegalStateException(message(facts.role(), problems));
    }
}
