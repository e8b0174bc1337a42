package dev.berth.platform.logs;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The names of edge access-log streams: an edge host's agent ships each app's access lines as
 * {@code edge_TEAM.APP}. The underscore keeps them apart from containers, which are named after
 * replica ids ({@code team.app.revision.index}, cut and hashed when long) made of team names, app
 * names and numbers, none of which has one; so no container of a team named {@code edge} can pass
 * for an access log. A name alone grants nothing: {@link ContainerLogs} takes such a stream only
 * from an edge host and for an app that exists. Pure.
 */
public final class AccessStreams {
    private static final String PREFIX = "edge_";
    static final Pattern NAME = Pattern.compile("edge_([a-z]([a-z0-9-]{0,61}[a-z0-9])?)\\.([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)");

    private AccessStreams() {
    }

    /** A team and app, as an access stream names them. */
    public record TeamApp(String team, String app) {
    }

    /** The stream of {@code team}'s {@code app}. */
    public static String of(String team, String app) {
        return PREFIX + team + "." + app;
    }

    /** Whether {@code stream} claims to be an access log, valid or not: such a name is never a container's. */
    static boolean claimed(String stream) {
        return stream.startsWith(PREFIX);
    }

    /** The team and app a valid access stream names; empty for any other name. */
    static Optional<TeamApp> parse(String stream) {
        var m = NAME.matcher(stream);
        return m.matches() ? Optional.of(new TeamApp(m.group(1), m.group(3))) : Optional.empty();
    }
}
