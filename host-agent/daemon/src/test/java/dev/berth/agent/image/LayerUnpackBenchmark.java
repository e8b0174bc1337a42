package dev.berth.agent.image;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link LayerSnapshots#build} against GNU tar extracting the same layer, plain and gzip, into
 * fresh directories. Run explicitly: {@code -Dtest=LayerUnpackBenchmark} (options
 * {@code -Dbench.runs=7 -Dbench.dir=/dev/shm}).
 */
class LayerUnpackBenchmark {
    private static final int RUNS = Integer.getInteger("bench.runs", 7);

    @TempDir
    Path junitTmp;

    private Path tmp;

    @Test
    void unpackAgainstGnuTar() throws Exception {
        // -Dbench.dir=/dev/shm measures the work itself, without the disk.
        String dir = System.getProperty("bench.dir");
        tmp = dir == null ? junitTmp : Files.createTempDirectory(Path.of(dir), "layer-bench");
        try {
            measure();
        } finally {
            if (dir != null) Trees.delete(tmp);
        }
    }

    private void measure() throws Exception {
        System.out.println("directory: " + tmp);
        Path tar = tmp.resolve("layer.tar");
        Path tgz = tmp.resolve("layer.tar.gz");
        long[] stats = writeLayer(tar);
        try (OutputStream out = new GZIPOutputStream(new BufferedOutputStream(Files.newOutputStream(tgz), 1 << 20), 1 << 16)) {
            Files.copy(tar, out);
        }
        System.out.printf("layer: %d files, %d dirs, %d symlinks, %.1f MB content; tar %.1f MB, tar.gz %.1f MB%n",
                stats[0], stats[1], stats[2], stats[3] / 1e6, Files.size(tar) / 1e6, Files.size(tgz) / 1e6);

        // Warm-up: JIT and page cache for both sides.
        runBerth(tar, "application/vnd.oci.image.layer.v1.tar", "warm-b");
        runTar(tar, false, "warm-t");
        var berthPlain = new ArrayList<Double>();
        var tarPlain = new ArrayList<Double>();
        var berthGzip = new ArrayList<Double>();
        var tarGzip = new ArrayList<Double>();
        for (int i = 0; i < RUNS; i++) {
            tarPlain.add(runTar(tar, false, "tp" + i));
            berthPlain.add(runBerth(tar, "application/vnd.oci.image.layer.v1.tar", "bp" + i));
            tarGzip.add(runTar(tgz, true, "tg" + i));
            berthGzip.add(runBerth(tgz, "application/vnd.oci.image.layer.v1.tar+gzip", "bg" + i));
        }
        System.out.printf("%d runs each, median ms:%n", RUNS);
        System.out.printf("| layer | GNU tar | LayerSnapshots.build | ratio |%n|---|---|---|---|%n");
        row("tar", tarPlain, berthPlain);
        row("tar+gzip", tarGzip, berthGzip);
    }

    private static void row(String name, List<Double> tar, List<Double> berth) {
        double t = median(tar);
        double b = median(berth);
        System.out.printf("| %s | %.0f | %.0f | %.2fx |%n", name, t, b, b / t);
        System.out.printf("  (all runs: tar %s; berth %s)%n", fmt(tar), fmt(berth));
    }

    /** Writes back the previous run's dirty pages untimed, so each run pays only for its own writes. */
    private static void settle() throws Exception {
        if (new ProcessBuilder("sync").inheritIO().start().waitFor() != 0) throw new IllegalStateException("sync failed");
    }

    private double runBerth(Path blob, String mediaType, String name) throws Exception {
        Path target = tmp.resolve(name);
        settle();
        long t0 = System.nanoTime();
        LayerSnapshots.build(null, blob, mediaType, target, UnpackLimits.DEFAULT);
        double ms = (System.nanoTime() - t0) / 1e6;
        Trees.delete(target);
        return ms;
    }

    private double runTar(Path blob, boolean gzip, String name) throws Exception {
        Path target = Files.createDirectory(tmp.resolve(name));
        settle();
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder("tar", gzip ? "-xzf" : "-xf", blob.toString(), "-C", target.toString())
                .inheritIO().start();
        if (p.waitFor() != 0) throw new IllegalStateException("tar failed");
        double ms = (System.nanoTime() - t0) / 1e6;
        Trees.delete(target);
        return ms;
    }

    /** A layer shaped like a language runtime image: many small files, some medium, a few large. */
    private static long[] writeLayer(Path tar) throws IOException {
        var rnd = new Random(42);
        byte[] text = ("lorem ipsum dolor sit amet, consectetur adipiscing elit; sed do eiusmod tempor "
                + "incididunt ut labore et dolore magna aliqua.\n").repeat(40_000).getBytes();
        byte[] noise = new byte[4 << 20];
        rnd.nextBytes(noise);
        long files = 0;
        long dirs = 0;
        long links = 0;
        long bytes = 0;
        try (var out = new TarArchiveOutputStream(new BufferedOutputStream(Files.newOutputStream(tar), 1 << 20))) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            var dirNames = new ArrayList<String>();
            for (String top : List.of("usr", "usr/lib", "usr/share", "usr/bin", "opt", "opt/app")) {
                dirNames.add(top);
            }
            for (int i = 0; i < 240; i++) {
                dirNames.add(dirNames.get(rnd.nextInt(dirNames.size())) + "/d" + i);
            }
            for (String d : dirNames) {
                var e = new TarArchiveEntry(d + "/");
                e.setMode(040755);
                out.putArchiveEntry(e);
                out.closeArchiveEntry();
                dirs++;
            }
            int[] counts = {4000, 800, 10};
            int[][] range = {{512, 16 << 10}, {64 << 10, 192 << 10}, {1 << 20, 3 << 20}};
            for (int k = 0; k < 3; k++) {
                for (int i = 0; i < counts[k]; i++) {
                    int size = range[k][0] + rnd.nextInt(range[k][1] - range[k][0]);
                    String name = dirNames.get(rnd.nextInt(dirNames.size())) + "/f" + k + "_" + i;
                    var e = new TarArchiveEntry(name);
                    e.setSize(size);
                    e.setMode(i % 5 == 0 ? 0100755 : 0100644);
                    out.putArchiveEntry(e);
                    // Half text (compresses), half noise (does not), like binaries next to sources.
                    byte[] src = i % 2 == 0 ? text : noise;
                    int off = rnd.nextInt(src.length - size);
                    out.write(Arrays.copyOfRange(src, off, off + size));
                    out.closeArchiveEntry();
                    files++;
                    bytes += size;
                }
            }
            for (int i = 0; i < 300; i++) {
                var e = new TarArchiveEntry(dirNames.get(rnd.nextInt(dirNames.size())) + "/l" + i,
                        TarArchiveEntry.LF_SYMLINK);
                e.setLinkName("../f0_" + i);
                out.putArchiveEntry(e);
                out.closeArchiveEntry();
                links++;
            }
        }
        return new long[] {files, dirs, links, bytes};
    }

    private static double median(List<Double> xs) {
        var s = xs.stream().sorted().toList();
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    private static String fmt(List<Double> xs) {
        return xs.stream().map(x -> String.format("%.0f", x)).toList().toString();
    }
}
