package dev.berth.platform.database;

/**
 * The two ways the platform connects: as the schema owner to migrate, as the app role to serve
 * requests. They are the same role only when an external database is configured with one user.
 */
public record DatabaseRoles(String url, Login owner, Login app) {
    /** The embedded server's request role; it owns no table. */
    public static final String EMBEDDED_APP_ROLE = "berth_app";

    public record Login(String user, String password) {
        @Override
        public String toString() {
            return "Login[" + user + "]";
        }
    }

    static DatabaseRoles of(DatabaseProperties props, DatabaseConfig.EmbeddedServer embedded) {
        if (!props.external()) {
            return new DatabaseRoles("jdbc:postgresql://localhost:" + embedded.postgres().getPort() + "/postgres",
                    new Login("postgres", embedded.credentials().superuser()),
                    new Login(EMBEDDED_APP_ROLE, embedded.credentials().app()));
        }
        var app = new Login(props.user(), props.password());
        boolean separateOwner = props.migrationUser() != null && !props.migrationUser().isBlank();
        return new DatabaseRoles(props.url(),
                separateOwner ? new Login(props.migrationUser(), props.migrationPassword()) : app, app);
    }
}
