package dev.berth.platform.operations;

import dev.berth.platform.database.DatabaseRoles;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.springframework.stereotype.Component;

/**
 * A connection of its own for health checks, with short timeouts: the pool makes a caller wait its
 * whole connection timeout while the database is away, and a probe must answer within an
 * orchestrator's few seconds. Opened per check and closed after it, as the request role.
 */
@Component
public class DatabaseProbe {
    /** Seconds to connect, log in or wait for one answer. */
    static final int TIMEOUT_SECONDS = 2;
    private final DatabaseRoles roles;

    public DatabaseProbe(DatabaseRoles roles) {
        this.roles = roles;
    }

    /** Opens a connection; the caller closes it. */
    public Connection open() throws SQLException {
        var props = new Properties();
        props.setProperty("user", roles.app().user());
        if (roles.app().password() != null) props.setProperty("password", roles.app().password());
        props.setProperty("connectTimeout", Integer.toString(TIMEOUT_SECONDS));
        props.setProperty("loginTimeout", Integer.toString(TIMEOUT_SECONDS));
        props.setProperty("socketTimeout", Integer.toString(TIMEOUT_SECONDS + 1));
        props.setProperty("ApplicationName", "berth-health");
        return DriverManager.getConnection(roles.url(), props);
    }

    /** Whether the database answers a query on a connection of the probe's own, within its timeouts. */
    public boolean answers() {
        try (var connection = open(); var st = connection.createStatement()) {
            st.execute("SELECT 1");
            return true;
        } catch (SQLException e) {
            return false;
        }
    }
}
