package dev.berth.gitsync.hosted;

import java.util.regex.Pattern;

/** A hosted repository: its team and its name, both DNS labels, served as {@code TEAM/NAME.git}. */
public record RepositoryName(String team, String name) {
    private static final Pattern LABEL = Pattern.compile("[a-z]([a-z0-9-]{0,61}[a-z0-9])?");

    public RepositoryName {
        if (team == null || !LABEL.matcher(team).matches()) throw new IllegalArgumentException("'" + team + "' is not a team name");
        if (name == null || !LABEL.matcher(name).matches()) {
            throw new IllegalArgumentException("repository name '" + name + "' is not valid: use a DNS label (1-63 lowercase"
                    + " letters, digits or '-', starting with a letter, not ending with '-')");
        }
    }

    /**
     * Parses the path git asks for, {@code TEAM/NAME.git} (the {@code .git} is optional).
     *
     * @return null when the path names no repository
     */
    public static RepositoryName parse(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        if (p.endsWith("/")) p = p.substring(0, p.length() - 1);
        if (p.endsWith(".git")) p = p.substring(0, p.length() - 4);
        String[] parts = p.split("/", -1);
        if (parts.length != 2) return null;
        try {
            return new RepositoryName(parts[0], parts[1]);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return team + "/" + name;
    }
}
