package dev.berth.registry;

import dev.berth.atomicfile.AtomicFile;
import dev.berth.image.ImageReference;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** Blobs, digest-checked: streamed into files (several at once) or read into memory. */
record BlobDownloads(RegistryConfig config, RegistryHttp http, Retries retries) {
    private static final int CHUNK = 64 * 1024;
    private static final long PROGRESS_STEP = 256 * 1024;

    /** See {@link RegistryClient#download}. */
    void download(ImageReference repository, Descriptor blob, Path target, PullProgress progress)
            throws IOException {
        if (Files.exists(target)) return;
        if (blob.size() > config.maxBlobBytes()) {
            throw new RegistryException(repository.registry(), repository.repository(), "blob " + blob.digest()
                    + " is " + blob.size() + " bytes, more than the limit of " + config.maxBlobBytes(), 0);
        }
        Files.createDirectories(target.toAbsolutePath().getParent());
        retries.run(repository, "downloading blob " + blob.digest(), () -> {
            downloadOnce(repository, blob, target, progress == null ? PullProgress.NONE : progress);
            return null;
        });
    }

    /** See {@link RegistryClient#downloadAll}. */
    void downloadAll(ImageReference repository, List<Descriptor> blobs, Function<Descriptor, Path> target,
            PullProgress progress) throws IOException {
        Map<Path, Descriptor> work = new LinkedHashMap<>();
        for (Descriptor blob : blobs) work.putIfAbsent(target.apply(blob), blob);
        if (work.isEmpty()) return;
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(config.parallelDownloads(), work.size()),
                Thread.ofVirtual().name("blob-download-", 0).factory());
        ExecutorCompletionService<Void> done = new ExecutorCompletionService<>(pool);
        List<Future<Void>> futures = new ArrayList<>();
        try {
            for (Map.Entry<Path, Descriptor> e : work.entrySet()) {
                futures.add(done.submit(() -> {
                    download(repository, e.getValue(), e.getKey(), progress);
                    return null;
                }));
            }
            for (int i = 0; i < futures.size(); i++) {
                try {
                    done.take().get();
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof IOException io) throw io;
                    if (cause instanceof RuntimeException re) throw re;
                    if (cause instanceof Error err) throw err;
                    throw new IOException(cause);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while downloading blobs of " + repository.repositoryName());
        } finally {
            for (Future<Void> f : futures) f.cancel(true);
            pool.shutdownNow();
            // Wait so cancelled downloads have removed their partial files before the caller goes on.
            try {
                pool.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** See {@link RegistryClient#fetchBlob}. */
    byte[] fetchBlob(ImageReference repository, Descriptor blob) throws IOException {
        String what = "blob " + blob.digest();
        if (blob.size() > config.maxManifestBytes()) {
            throw new RegistryException(repository.registry(), repository.repository(), what + " is " + blob.size()
                    + " bytes, more than the in-memory limit of " + config.maxManifestBytes(), 0);
        }
        return retries.run(repository, "fetching " + what, () -> {
            HttpResponse<InputStream> r = http.send(repository, "blobs/" + blob.digest(), null);
            try (InputStream in = http.guard(r.body())) {
                RegistryHttp.checkOk(repository, what, r);
                checkContentLength(repository, what, r, blob.size());
                byte[] body = RegistryHttp.readBounded(in, blob.size(), () -> new RegistryException(repository.registry(),
                        repository.repository(), what + " is larger than its descriptor's " + blob.size() + " bytes", 0));
                if (body.length < blob.size()) {
                    throw new TransientRegistryException(repository.registry(), repository.repository(), what
                            + " was truncated: got " + body.length + " of " + blob.size() + " bytes", 0, null, null);
                }
                String actual = Digests.of(body);
                if (!actual.equals(blob.digest())) {
                    throw new RegistryException(repository.registry(), repository.repository(),
                            "digest mismatch for " + what + ": content hashes to " + actual, 0);
                }
                return body;
            }
        });
    }

    /**
     * One try: the blob streamed into {@code target} through a size and digest check; a failed try
     * leaves nothing behind. A failure of the local disk is told apart from one of the network (a
     * {@link BlobNotStored}), so that a full disk is not downloaded into again.
     */
    private void downloadOnce(ImageReference repo, Descriptor blob, Path target, PullProgress progress)
            throws IOException {
        String what = "blob " + blob.digest();
        var network = new NetworkCalls();
        try {
            streamOnce(repo, blob, target, progress, what, network);
        } catch (RegistryException | InterruptedIOException e) {
            throw e;
        } catch (IOException e) {
            if (network.failed) throw e;
            throw new BlobNotStored(what, target, e);
        }
    }

    /** Whether the request or the response body failed: everything else in a try is the local disk. */
    private static final class NetworkCalls {
        boolean failed;

        <T> T call(Retries.Attempt<T> call) throws IOException {
            try {
                return call.run();
            } catch (IOException e) {
                failed = true;
                throw e;
            }
        }
    }

    private void streamOnce(ImageReference repo, Descriptor blob, Path target, PullProgress progress, String what,
            NetworkCalls network) throws IOException {
        AtomicFile.at(target).write(out -> {
            HttpResponse<InputStream> r = network.call(() -> http.send(repo, "blobs/" + blob.digest(), null));
            try (InputStream in = http.guard(r.body())) {
                RegistryHttp.checkOk(repo, what, r);
                checkContentLength(repo, what, r, blob.size());
                MessageDigest sha = Digests.sha256();
                byte[] buf = new byte[CHUNK];
                long total = 0;
                long reported = 0;
                progress.blob(blob.digest(), 0, blob.size());
                for (int n; (n = network.call(() -> in.read(buf))) > 0; ) {
                    total += n;
                    if (total > blob.size()) {
                        throw new RegistryException(repo.registry(), repo.repository(), what
                                + " is larger than its descriptor's " + blob.size() + " bytes", 0);
                    }
                    sha.update(buf, 0, n);
                    ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
                    while (bb.hasRemaining()) out.write(bb);
                    if (total - reported >= PROGRESS_STEP) {
                        progress.blob(blob.digest(), total, blob.size());
                        reported = total;
                    }
                }
                if (total < blob.size()) {
                    throw new TransientRegistryException(repo.registry(), repo.repository(), what
                            + " was truncated: got " + total + " of " + blob.size() + " bytes", 0, null, null);
                }
                String actual = Digests.of(sha);
                if (!actual.equals(blob.digest())) {
                    throw new RegistryException(repo.registry(), repo.repository(),
                            "digest mismatch for " + what + ": content hashes to " + actual, 0);
                }
                if (reported != total) progress.blob(blob.digest(), total, blob.size());
            }
        });
    }

    private static void checkContentLength(ImageReference repo, String what, HttpResponse<?> r, long size)
            throws RegistryException {
        long announced = r.headers().firstValueAsLong("Content-Length").orElse(-1);
        if (announced > size) {
            throw new RegistryException(repo.registry(), repo.repository(), what + " is announced as " + announced
                    + " bytes, more than its descriptor's " + size, 0);
        }
    }
}
