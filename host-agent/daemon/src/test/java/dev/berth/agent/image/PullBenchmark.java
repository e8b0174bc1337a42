package dev.berth.agent.image;

import dev.berth.image.ImageReference;
import dev.berth.registry.Descriptor;
import dev.berth.registry.Platform;
import dev.berth.registry.PullProgress;
import dev.berth.registry.RegistryClient;
import dev.berth.registry.RegistryConfig;
import dev.berth.registry.ResolvedImage;
import dev.berth.registry.TestImages;
import dev.berth.registry.TestRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full image pull from a loopback registry beside {@code skopeo copy} of the same image from the
 * same registry. Two comparisons: download only ({@link RegistryClient#resolve} and
 * {@link RegistryClient#downloadAll} into a fresh directory, against {@code skopeo copy} to an
 * {@code oci:} layout and to a {@code dir:}), and pull with unpacking ({@link ImageService#pull}
 * into a fresh state directory, against {@code skopeo copy} to {@code oci:} followed by GNU
 * {@code tar -xzf} of every layer in order into one directory). Runs are interleaved, with an
 * untimed {@code sync} before each. Run explicitly: {@code -Dtest=PullBenchmark} (options
 * {@code -Dbench.runs=5 -Dbench.parallel=3}, the latter Berth's {@code parallelDownloads}).
 */
class PullBenchmark {
    private static final int RUNS = Integer.getInteger("bench.runs", 5);
    private static final int DOWNLOAD_RUNS = Integer.getInteger("bench.downloadRuns", 3 * RUNS);
    private static final int PARALLEL = Integer.getInteger("bench.parallel", 3);
    private static final String REPO_TAG = "bench/app:v1";
    private static final String TAG = "v1";

    @TempDir
    Path tmp;

    private TestRegistry registry;
    private RegistryConfig config;
    private long layerTarBytes;

    @Test
    void pullAgainstSkopeo() throws Exception {
        try (TestRegistry r = TestRegistry.start()) {
            registry = r;
            config = r.clientConfig().withParallelDownloads(PARALLEL);
            measure();
        }
    }

    private void measure() throws Exception {
        Path layout = tmp.resolve("layout");
        long t0 = System.nanoTime();
        long[] stats = new long[3];
        TestImages.Built built = TestImages.writeLayout(layout, TAG, image(stats));
        TestImages.push(built.layout(), built.tag(), registry.host(), REPO_TAG, null);
        long compressed = built.image().layers().stream().mapToLong(Descriptor::size).sum();
        System.out.printf("image: %d layers, %d files, %d dirs, %.1f MB content, %.1f MB as tar, %.1f MB as tar+gzip"
                        + " (built and pushed in %.1f s)%n", built.image().layers().size(), stats[0], stats[1],
                stats[2] / 1e6, layerTarBytes / 1e6, compressed / 1e6, (System.nanoTime() - t0) / 1e9);
        Trees.delete(layout);
        System.out.printf("registry %s, Berth parallelDownloads=%d, %d download runs, %d pull runs%n", registry.host(),
                PARALLEL, DOWNLOAD_RUNS, RUNS);

        Map<String, List<Double>> times = new LinkedHashMap<>();
        for (String k : List.of("skopeo-oci", "skopeo-dir", "berth-download", "skopeo+tar", "berth-pull")) {
            times.put(k, new ArrayList<>());
        }
        // Warm-up: JIT, page cache of the registry's storage, skopeo's binary.
        for (int i = 0; i < 2; i++) {
            berthDownload("warm-b");
            skopeo("oci", "warm-s");
        }
        berthPull("warm-p");
        // A download takes a few hundred ms, so it gets more runs than a pull.
        for (int i = 0; i < DOWNLOAD_RUNS; i++) {
            times.get("skopeo-oci").add(skopeo("oci", "so" + i));
            times.get("berth-download").add(berthDownload("bd" + i));
            times.get("skopeo-dir").add(skopeo("dir", "sd" + i));
        }
        for (int i = 0; i < RUNS; i++) {
            times.get("skopeo+tar").add(skopeoAndTar("st" + i));
            times.get("berth-pull").add(berthPull("bp" + i));
        }

        System.out.printf("%n%d download runs, %d pull runs each, ms:%n", DOWNLOAD_RUNS, RUNS);
        System.out.println("| | skopeo copy (baseline) | Berth | ratio |");
        System.out.println("|---|---|---|---|");
        row("download, median", median(times.get("skopeo-oci")), median(times.get("berth-download")));
        row("download, min", min(times.get("skopeo-oci")), min(times.get("berth-download")));
        row("download vs `dir:`, median", median(times.get("skopeo-dir")), median(times.get("berth-download")));
        row("pull + unpack, median", median(times.get("skopeo+tar")), median(times.get("berth-pull")));
        row("pull + unpack, min", min(times.get("skopeo+tar")), min(times.get("berth-pull")));
        System.out.println();
        times.forEach((k, v) -> System.out.printf("  %s: %s%n", k, fmt(v)));
        double mbs = compressed / 1e6;
        System.out.printf("  download throughput at the median: skopeo %.0f MB/s, Berth %.0f MB/s%n",
                mbs / (median(times.get("skopeo-oci")) / 1e3), mbs / (median(times.get("berth-download")) / 1e3));
    }

    private static void row(String name, double base, double berth) {
        System.out.printf("| %s | %.0f | %.0f | %.2fx |%n", name, base, berth, berth / base);
    }

    // ---- the contestants

    /** Manifest, config and all layers into a fresh directory, as an OCI layout's blobs. */
    private double berthDownload(String name) throws Exception {
        Path dir = tmp.resolve(name);
        settle();
        long t0 = System.nanoTime();
        try (RegistryClient client = new RegistryClient(config)) {
            ImageReference ref = ImageReference.parse(registry.host() + "/" + REPO_TAG);
            ResolvedImage resolved = client.resolve(ref, Platform.host());
            Path blobs = Files.createDirectories(dir.resolve("blobs/sha256"));
            Files.write(blobs.resolve(hex(resolved.manifest().digest())), resolved.manifest().raw());
            List<Descriptor> all = new ArrayList<>();
            all.add(resolved.manifest().config());
            all.addAll(resolved.manifest().layers());
            client.downloadAll(ref, all, d -> blobs.resolve(hex(d.digest())), PullProgress.NONE);
        }
        double ms = (System.nanoTime() - t0) / 1e6;
        Trees.delete(dir);
        return ms;
    }

    private double berthPull(String name) throws Exception {
        Path state = tmp.resolve(name);
        settle();
        long t0 = System.nanoTime();
        try (ImageService images = new ImageService(state, config, Platform.host(), Clock.systemUTC())) {
            images.pull(registry.host() + "/" + REPO_TAG, new ImageService.Progress() {
                @Override
                public void blob(String digest, long done, long total) {
                }
            });
        }
        double ms = (System.nanoTime() - t0) / 1e6;
        Trees.delete(state);
        return ms;
    }

    private double skopeo(String transport, String name) throws Exception {
        Path dir = tmp.resolve(name);
        settle();
        long t0 = System.nanoTime();
        skopeoCopy(transport, dir);
        double ms = (System.nanoTime() - t0) / 1e6;
        Trees.delete(dir);
        return ms;
    }

    /** skopeo copy to an OCI layout, then {@code tar -xzf} of each layer, base first, into one directory. */
    private double skopeoAndTar(String name) throws Exception {
        Path dir = tmp.resolve(name);
        Path rootfs = tmp.resolve(name + "-rootfs");
        settle();
        long t0 = System.nanoTime();
        skopeoCopy("oci", dir);
        Files.createDirectory(rootfs);
        String index = Files.readString(dir.resolve("index.json"));
        String manifestDigest = firstDigest(index, 0);
        String manifest = Files.readString(dir.resolve("blobs/sha256/" + hex(manifestDigest)));
        // The manifest's layers follow its "layers" key; the config's digest comes before it.
        int from = manifest.indexOf("\"layers\"");
        for (int at = from; (at = manifest.indexOf("\"digest\"", at)) >= 0; at++) {
            String digest = firstDigest(manifest, at);
            run("tar", "-xzf", dir.resolve("blobs/sha256/" + hex(digest)).toString(), "-C", rootfs.toString());
        }
        double ms = (System.nanoTime() - t0) / 1e6;
        Trees.delete(dir);
        Trees.delete(rootfs);
        return ms;
    }

    private void skopeoCopy(String transport, Path dir) throws Exception {
        Path work = Files.createDirectories(tmp.resolve("skopeo-work"));
        Path policy = work.resolve("policy.json");
        if (!Files.exists(policy)) Files.writeString(policy, "{\"default\":[{\"type\":\"insecureAcceptAnything\"}]}");
        String dest = transport.equals("oci") ? "oci:" + dir + ":" + TAG : "dir:" + dir;
        var pb = new ProcessBuilder("/usr/bin/skopeo", "--policy", policy.toString(), "--tmpdir", work.toString(),
                "copy", "--quiet", "--src-tls-verify=false", "--src-no-creds",
                "docker://" + registry.host() + "/" + REPO_TAG, dest).redirectErrorStream(true);
        pb.environment().put("REGISTRY_AUTH_FILE", work.resolve("auth.json").toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IOException("skopeo copy failed: " + out);
    }

    // ---- helpers

    private static String firstDigest(String json, int from) {
        int at = json.indexOf("sha256:", from);
        return json.substring(at, at + 7 + 64);
    }

    private static String hex(String digest) {
        return digest.substring("sha256:".length());
    }

    /** Writes back the previous run's dirty pages untimed, so each run pays only for its own writes. */
    private static void settle() throws Exception {
        run("sync");
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        if (p.waitFor() != 0) throw new IllegalStateException(String.join(" ", cmd) + " failed");
    }

    /**
     * Five layers shaped like an application image: a base with many small files, runtime layers
     * with medium and a few large files, an application layer; half text, half random bytes.
     */
    private TestImages.Image image(long[] stats) {
        var rnd = new Random(42);
        byte[] text = ("lorem ipsum dolor sit amet, consectetur adipiscing elit; sed do eiusmod tempor "
                + "incididunt ut labore et dolore magna aliqua.\n").repeat(40_000).getBytes(StandardCharsets.UTF_8);
        byte[] noise = new byte[4 << 20];
        rnd.nextBytes(noise);
        // {small files, medium files, large files} per layer; sizes as in LayerUnpackBenchmark.
        int[][] shape = {{2000, 250, 2}, {800, 200, 3}, {600, 200, 3}, {400, 150, 2}, {200, 80, 1}};
        int[][] range = {{512, 16 << 10}, {64 << 10, 192 << 10}, {1 << 20, 3 << 20}};
        var layers = new ArrayList<TestImages.Layer>();
        for (int l = 0; l < shape.length; l++) {
            var entries = new ArrayList<TestImages.Entry>();
            var dirs = new ArrayList<String>();
            for (String top : List.of("usr", "usr/lib", "usr/share", "opt", "opt/l" + l)) {
                dirs.add(top);
                entries.add(TestImages.Entry.dir(top));
            }
            for (int i = 0; i < 40; i++) {
                String d = dirs.get(rnd.nextInt(dirs.size())) + "/d" + l + "_" + i;
                dirs.add(d);
                entries.add(TestImages.Entry.dir(d));
                stats[1]++;
            }
            for (int k = 0; k < 3; k++) {
                for (int i = 0; i < shape[l][k]; i++) {
                    int size = range[k][0] + rnd.nextInt(range[k][1] - range[k][0]);
                    byte[] src = i % 2 == 0 ? text : noise;
                    int off = rnd.nextInt(src.length - size);
                    entries.add(TestImages.Entry.file(dirs.get(rnd.nextInt(dirs.size())) + "/f" + k + "_" + i,
                            Arrays.copyOfRange(src, off, off + size), i % 5 == 0 ? 0755 : 0644));
                    stats[0]++;
                    stats[2] += size;
                }
            }
            var layer = new TestImages.Layer(entries);
            layerTarBytes += layer.tar().length;
            layers.add(layer);
        }
        return TestImages.Image.of(layers.toArray(TestImages.Layer[]::new));
    }

    private static double median(List<Double> xs) {
        var s = xs.stream().sorted().toList();
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    private static double min(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    }

    private static String fmt(List<Double> xs) {
        return xs.stream().map(x -> String.format("%.0f", x)).toList().toString();
    }
}
