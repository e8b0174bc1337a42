package dev.berth.gitsync.external;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@link RemoteFetcher#fetch} (JGit, one branch into a local bare mirror) beside {@code git fetch
 * origin +refs/heads/main:refs/remotes/origin/main} into an equivalent bare mirror, after one
 * small commit to the source each run. Two transports: the source's local path (JGit runs
 * upload-pack in-process, git spawns {@code git-upload-pack}) and smart HTTP on 127.0.0.1, where
 * a JDK HttpServer runs Debian's {@code git http-backend} as a CGI for every request, for both
 * clients alike.
 *
 * <p>Run alone: {@code ./mvnw -o -q -pl git-sync -am test -Dtest=FetchBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false}; options {@code -Dbench.runs=40 -Dbench.files=300
 * -Dbench.commits=60 -Dbench.http=true}.
 */
class FetchBenchmark {
    private static final int RUNS = Integer.getInteger("bench.runs", 40);
    private static final int WARMUP = Integer.getInteger("bench.warmup", 5);
    private static final int FILES = Integer.getInteger("bench.files", 300);
    private static final int COMMITS = Integer.getInteger("bench.commits", 60);
    private static final boolean HTTP = Boolean.parseBoolean(System.getProperty("bench.http", "true"));
    private static final String[] WORDS = ("the quick brown fox jumps over a lazy dog while berth deploys apps from git "
            + "revisions pinned by digest replicas env image port volume health check rollout").split(" ");

    // Loopback sources, no size limit: the benchmark measures the transfer, not the guards.
    private static final FetchLimits UNLIMITED = new FetchLimits(Long.MAX_VALUE, host -> { }, "none");

    private Path work;
    private final Random random = new Random(42);

    @Test
    void jgitBesideGitCli() throws Exception {
        work = Files.createTempDirectory("berth-fetch-bench");
        try {
            Path source = work.resolve("source.git");
            Path checkout = work.resolve("checkout");
            long t0 = System.nanoTime();
            buildHistory(source, checkout);
            System.out.printf("source: %s, built in %d ms%n", describe(source, checkout), (System.nanoTime() - t0) / 1_000_000);

            var transports = new LinkedHashMap<String, String>();
            transports.put("local path", source.toString());
            GitHttpBackend server = null;
            if (HTTP) {
                server = GitHttpBackend.start(work, work);
                transports.put("smart HTTP (git http-backend)", server.url("source.git"));
            }
            var results = new LinkedHashMap<String, Map<String, List<Double>>>();
            try {
                for (var t : transports.entrySet()) results.put(t.getKey(), run(t.getKey(), t.getValue(), checkout));
            } finally {
                if (server != null) server.close();
            }

            System.out.println();
            System.out.printf("Fetch of a one-commit change, %d runs each after %d warm-up runs, interleaved (ms)%n", RUNS, WARMUP);
            System.out.println("| transport | | p50 | p95 | min |");
            System.out.println("|---|---|---|---|---|");
            for (var r : results.entrySet()) {
                var git = r.getValue().get("git");
                var lean = r.getValue().get("lean");
                var jgit = r.getValue().get("jgit");
                System.out.printf("| %s | `git fetch` (baseline) | %.1f | %.1f | %.1f |%n", r.getKey(), percentile(git, 50), percentile(git, 95), percentile(git, 0));
                System.out.printf("| | `git fetch`, no auto-maintenance | %.1f | %.1f | %.1f |%n", percentile(lean, 50), percentile(lean, 95), percentile(lean, 0));
                System.out.printf("| | RemoteFetcher.fetch (JGit) | %.1f | %.1f | %.1f |%n", percentile(jgit, 50), percentile(jgit, 95), percentile(jgit, 0));
                System.out.printf("| | JGit / git | %.2fx | %.2fx | |%n", percentile(jgit, 50) / percentile(git, 50), percentile(jgit, 95) / percentile(git, 95));
                System.out.printf("| | JGit / git without auto-maintenance | %.2fx | %.2fx | |%n", percentile(jgit, 50) / percentile(lean, 50), percentile(jgit, 95) / percentile(lean, 95));
            }
            for (var r : results.entrySet()) {
                for (var s : r.getValue().entrySet()) System.out.println("all runs, " + r.getKey() + ", " + s.getKey() + ": " + round(s.getValue()));
            }
        } finally {
            deleteTree(work);
        }
    }

    /** Mirrors fetched once in full (untimed); then every run commits one change and times each client's fetch of it. */
    private Map<String, List<Double>> run(String transport, String url, Path checkout) throws Exception {
        String slug = transport.startsWith("local") ? "local" : "http";
        Path jgitMirror = work.resolve(slug + "-jgit.git");
        Path gitMirror = work.resolve(slug + "-git.git");
        Path leanMirror = work.resolve(slug + "-lean.git");
        var remote = new RemoteSource(url, "main", null, null);
        for (Path m : List.of(gitMirror, leanMirror)) {
            git(work, "init", "-q", "--bare", m.toString());
            git(m, "remote", "add", "origin", url);
        }
        String tip = git(checkout, "rev-parse", "HEAD").strip();
        assertThat(RemoteFetcher.fetch(jgitMirror, remote, "berth.yaml", 256 * 1024, UNLIMITED).commit().id().hex()).isEqualTo(tip);
        fetchGit(gitMirror, false);
        fetchGit(leanMirror, true);

        var times = new LinkedHashMap<String, List<Double>>();
        times.put("git", new ArrayList<>());
        times.put("lean", new ArrayList<>());
        times.put("jgit", new ArrayList<>());
        for (int i = 0; i < WARMUP + RUNS; i++) {
            String commit = change(checkout, i);
            var order = new ArrayList<>(List.of("git", "lean", "jgit"));
            java.util.Collections.rotate(order, i);
            for (String who : order) {
                long start = System.nanoTime();
                String fetched = switch (who) {
                    case "jgit" -> RemoteFetcher.fetch(jgitMirror, remote, "berth.yaml", 256 * 1024, UNLIMITED).commit().id().hex();
                    case "git" -> fetchGit(gitMirror, false);
                    default -> fetchGit(leanMirror, true);
                };
                double ms = (System.nanoTime() - start) / 1e6;
                if (!"jgit".equals(who)) fetched = git(who.equals("git") ? gitMirror : leanMirror, "rev-parse", "refs/remotes/origin/main").strip();
                assertThat(fetched).as(who + " run " + i).isEqualTo(commit);
                if (i >= WARMUP) times.get(who).add(ms);
            }
        }
        System.out.printf("%s: after %d fetches the JGit mirror holds %d packs; the git mirror %d packs and %d loose objects%n",
                transport, WARMUP + RUNS + 1, packs(jgitMirror), packs(gitMirror),
                Long.parseLong(git(gitMirror, "count-objects").split(" ")[0]));
        return times;
    }

    private static long packs(Path mirror) throws IOException {
        try (Stream<Path> s = Files.list(mirror.resolve("objects/pack"))) {
            return s.filter(p -> p.toString().endsWith(".pack")).count();
        }
    }

    /** Returns nothing useful: the caller checks the ref afterwards, untimed. */
    private String fetchGit(Path mirror, boolean lean) throws Exception {
        if (lean) {
            git(mirror, "-c", "maintenance.auto=false", "-c", "gc.auto=0", "fetch", "-q", "--no-auto-maintenance", "--no-write-fetch-head",
                    "origin", "+refs/heads/main:refs/remotes/origin/main");
        } else {
            git(mirror, "fetch", "-q", "origin", "+refs/heads/main:refs/remotes/origin/main");
        }
        return "";
    }

    /** A commit that changes one line of berth.yaml and appends a line to one source file, pushed to the source (untimed). */
    private String change(Path checkout, int i) throws Exception {
        Files.writeString(checkout.resolve("berth.yaml"), yaml(2 + i % 5, "run-" + i));
        int f = (i * 13) % FILES;
        if (f % 7 == 6) f = (f + 1) % FILES;
        Path file = file(checkout, f);
        Files.writeString(file, "change " + i + " " + sentence(12) + "\n", java.nio.file.StandardOpenOption.APPEND);
        git(checkout, "commit", "-q", "-a", "-m", "change " + i);
        git(checkout, "push", "-q", "origin", "HEAD:refs/heads/main");
        return git(checkout, "rev-parse", "HEAD").strip();
    }

    /** A few hundred text and binary files in ten directories, then commits that each touch a few files. */
    private void buildHistory(Path source, Path checkout) throws Exception {
        git(work, "init", "-q", "--bare", source.toString());
        Files.createDirectories(checkout);
        git(checkout, "init", "-q");
        git(checkout, "remote", "add", "origin", source.toString());
        Files.writeString(checkout.resolve("berth.yaml"), yaml(1, "initial"));
        for (int f = 0; f < FILES; f++) {
            Path file = file(checkout, f);
            Files.createDirectories(file.getParent());
            if (f % 7 == 6) {
                byte[] bytes = new byte[4096 + random.nextInt(28 * 1024)];
                random.nextBytes(bytes);
                Files.write(file, bytes);
            } else {
                var text = new StringBuilder();
                int size = 1024 + random.nextInt(15 * 1024);
                while (text.length() < size) text.append(sentence(10)).append('\n');
                Files.writeString(file, text);
            }
        }
        git(checkout, "add", "-A");
        git(checkout, "commit", "-q", "-m", "initial import");
        for (int c = 1; c < COMMITS; c++) {
            for (int k = 0; k < 4; k++) {
                int f = random.nextInt(FILES);
                Path file = file(checkout, f);
                if (f % 7 == 6) {
                    byte[] bytes = Files.readAllBytes(file);
                    bytes[random.nextInt(bytes.length)] ^= 1;
                    Files.write(file, bytes);
                } else {
                    Files.writeString(file, "edit " + c + " " + sentence(8) + "\n", java.nio.file.StandardOpenOption.APPEND);
                }
            }
            Files.writeString(checkout.resolve("src/module" + (c % 10) + "/added" + c + ".txt"), sentence(40) + "\n");
            git(checkout, "add", "-A");
            git(checkout, "commit", "-q", "-m", "commit " + c);
        }
        git(checkout, "push", "-q", "origin", "HEAD:refs/heads/main");
        git(source, "gc", "-q");
    }

    /** Every seventh file holds random bytes, the others text. */
    private static Path file(Path checkout, int f) {
        return checkout.resolve("src/module" + (f % 10) + "/file" + (f / 10) + (f % 7 == 6 ? ".bin" : ".txt"));
    }

    private String describe(Path source, Path checkout) throws Exception {
        long files;
        long bytes;
        try (Stream<Path> s = Files.walk(checkout)) {
            var list = s.filter(p -> !p.toString().contains("/.git") && Files.isRegularFile(p)).toList();
            files = list.size();
            bytes = 0;
            for (Path p : list) bytes += Files.size(p);
        }
        long commits = Long.parseLong(git(checkout, "rev-list", "--count", "HEAD").strip());
        String packed = git(source, "count-objects", "-vH").lines().filter(l -> l.startsWith("size-pack")).findFirst().orElse("");
        return "%d files, %.1f MB in the work tree, %d commits, %s".formatted(files, bytes / 1e6, commits, packed);
    }

    private static String yaml(int replicas, String value) {
        return """
                apiVersion: berth/v1
                apps:
                  web:
                    image: registry.example/acme/web:1
                    replicas: %d
                    env:
                      RELEASE: %s
                """.formatted(replicas, value);
    }

    private String sentence(int words) {
        var s = new StringBuilder();
        for (int w = 0; w < words; w++) s.append(w == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]).append(random.nextInt(1000));
        return s.toString();
    }

    private String git(Path dir, String... args) throws IOException, InterruptedException {
        var command = new ArrayList<>(List.of("git", "-c", "user.name=Ada Lovelace", "-c", "user.email=ada@example.com",
                "-c", "init.defaultBranch=main", "-c", "credential.helper="));
        command.addAll(List.of(args));
        var pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        cleanEnvironment(pb.environment());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + "\n" + out).isZero();
        return out;
    }

    private void cleanEnvironment(Map<String, String> env) {
        env.put("HOME", work.toString());
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("GIT_TERMINAL_PROMPT", "0");
        env.put("LC_ALL", "C");
    }

    private static double percentile(List<Double> values, int p) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(index, sorted.length - 1))];
    }

    private static String round(List<Double> values) {
        return String.join(", ", values.stream().map(v -> String.valueOf(Math.round(v))).toList());
    }

    private static void deleteTree(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
