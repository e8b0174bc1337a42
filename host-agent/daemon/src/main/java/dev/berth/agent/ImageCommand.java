package dev.berth.agent;

import dev.berth.agent.cli.UsageException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** {@code berth-agent image ...}: pull, ls, inspect, rm, gc, import. */
final class ImageCommand {
    private ImageCommand() {
    }

    static int execute(Path state, List<String> args, PrintStream out, PrintStream err) {
        if (args.isEmpty()) throw new UsageException("usage: image pull|ls|inspect|rm|gc|import ...");
        String sub = args.getFirst();
        List<String> rest = args.subList(1, args.size());
        return switch (sub) {
            case "pull" -> BerthAgent.request(state, Map.of("op", "image-pull", "reference", one(rest, "image pull REF")), err,
                    (header, reader) -> {
                        JsonNode r = header.path("result");
                        out.println("pulled " + String.join(", ", names(r)) + " " + r.path("digest").asString());
                        return 0;
                    });
            case "ls" -> {
                if (!rest.isEmpty()) throw new UsageException("usage: image ls");
                yield BerthAgent.request(state, Map.of("op", "image-ls"), err, (header, reader) -> {
                    out.printf("%-19s %-10s %-7s %-10s %s%n", "DIGEST", "SIZE", "LAYERS", "STORED", "NAMES");
                    for (JsonNode r : header.path("result")) {
                        out.printf("%-19s %-10s %-7d %-10s %s%n", r.path("digest").asString().substring(0, 19),
                                ProgressPrinter.human(r.path("size").asLong()), r.path("layers").asInt(),
                                ago(Instant.parse(r.path("storedAt").asString())),
                                names(r).isEmpty() ? "<none>" : String.join(", ", names(r)));
                    }
                    return 0;
                });
            }
            case "inspect" -> print(state, Map.of("op", "image-inspect", "reference", one(rest, "image inspect REF")), out, err);
            case "rm" -> print(state, Map.of("op", "image-rm", "reference", one(rest, "image rm REF")), out, err);
            case "gc" -> {
                if (!rest.isEmpty()) throw new UsageException("usage: image gc");
                yield print(state, Map.of("op", "image-gc"), out, err);
            }
            case "import" -> {
                if (rest.size() != 1 && !(rest.size() == 3 && rest.get(1).equals("--name"))) {
                    throw new UsageException("usage: image import PATH [--name NAME]");
                }
                var request = new LinkedHashMap<String, Object>();
                request.put("op", "image-import");
                request.put("path", Path.of(rest.getFirst()).toAbsolutePath().toString());
                if (rest.size() == 3) request.put("name", rest.get(2));
                yield BerthAgent.request(state, request, err, (header, reader) -> {
                    for (JsonNode r : header.path("result")) {
                        out.println("imported " + String.join(", ", names(r)) + " " + r.path("digest").asString());
                    }
                    return 0;
                });
            }
            default -> throw new UsageException("unknown image command '" + sub + "'");
        };
    }

    private static int print(Path state, Map<String, ?> request, PrintStream out, PrintStream err) {
        return BerthAgent.request(state, request, err, (header, reader) -> {
            out.println(header.path("result").toPrettyString());
            return 0;
        });
    }

    private static List<String> names(JsonNode r) {
        return r.path("names").valueStream().map(JsonNode::asString).toList();
    }

    private static String one(List<String> args, String usage) {
        if (args.size() != 1) throw new UsageException("usage: " + usage);
        return args.getFirst();
    }

    private static String ago(Instant then) {
        Duration d = Duration.between(then, Instant.now());
        if (d.toMinutes() < 1) return "just now";
        if (d.toHours() < 1) return d.toMinutes() + "m ago";
        if (d.toDays() < 1) return d.toHours() + "h ago";
        return d.toDays() + "d ago";
    }
}
