package dev.berth.testfixtures;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/** Readings of an app as the platform's API shows it ({@code GET /api/v1/teams/T/apps/A}): its replicas and where they answer. */
public final class AppView {
    private AppView() {
    }

    /** The app's replicas. */
    public static Stream<JsonNode> replicas(JsonNode app) {
        var out = new ArrayList<JsonNode>();
        app.path("replicas").forEach(out::add);
        return out.stream();
    }

    /** How many of the app's replicas are {@code HEALTHY}. */
    public static long healthy(JsonNode app) {
        return replicas(app).filter(r -> r.path("state").asString().equals("HEALTHY")).count();
    }

    /** Every published address ({@code 127.0.0.1:PORT}) of the app's replicas, or of one replica, sorted. */
    public static List<String> addresses(JsonNode appOrReplica) {
        var out = new ArrayList<String>();
        var replicas = appOrReplica.has("replicas") ? replicas(appOrReplica).toList() : List.of(appOrReplica);
        replicas.forEach(r -> r.path("published").forEach(p -> out.add(p.path("address").asString())));
        return out.stream().distinct().sorted().toList();
    }
}
