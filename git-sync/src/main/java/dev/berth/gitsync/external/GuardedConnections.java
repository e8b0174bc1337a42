package dev.berth.gitsync.external;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Proxy;
import java.net.URL;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jgit.transport.http.HttpConnection;
import org.eclipse.jgit.transport.http.HttpConnectionFactory;
import org.eclipse.jgit.transport.http.JDKHttpConnection;

/**
 * JGit's HTTP connections for one fetch: each host (the remote's and every redirect's) is checked
 * before it is connected to, connections leave through the fetch's {@link FetchLimits.Egress}, and
 * all response bodies together are counted against one budget, so a remote cannot fill the disk
 * with a pack of any size.
 */
final class GuardedConnections implements HttpConnectionFactory {
    private final FetchLimits limits;
    private final AtomicLong received = new AtomicLong();

    GuardedConnections(FetchLimits limits) {
        this.limits = limits;
    }

    @Override
    public HttpConnection create(URL url) throws IOException {
        return create(url, null);
    }

    @Override
    public HttpConnection create(URL url, Proxy proxy) throws IOException {
        String host = url.getHost();
        try {
            limits.hosts().check(host);
        } catch (IOException e) {
            throw new Refused(e.getMessage());
        }
        FetchLimits.Egress egress = limits.egress();
        return new JDKHttpConnection(url, egress.proxy() != null ? egress.proxy() : proxy) {
            @Override
            public void connect() throws IOException {
                try {
                    super.connect();
                } catch (IOException e) {
                    throw explained(host, e);
                }
            }

            @Override
            public int getResponseCode() throws IOException {
                try {
                    return super.getResponseCode();
                } catch (IOException e) {
                    throw explained(host, e);
                }
            }

            @Override
            public OutputStream getOutputStream() throws IOException {
                try {
                    return super.getOutputStream();
                } catch (IOException e) {
                    throw explained(host, e);
                }
            }

            @Override
            public InputStream getInputStream() throws IOException {
                try {
                    return new Counted(super.getInputStream());
                } catch (IOException e) {
                    throw explained(host, e);
                }
            }
        };
    }

    // The egress answers a refused host with a failed tunnel or a closed connection; say why instead.
    private IOException explained(String host, IOException e) {
        if (e instanceof Refused) return e;
        return limits.egress().refusals().refusal(host).<IOException>map(reason -> {
            var refused = new Refused(reason);
            refused.initCause(e);
            return refused;
        }).orElse(e);
    }

    /**
     * A host that may not be reached, or a remote that sent more than the budget; JGit gives up the
     * fetch and keeps no partial pack. Its message is the whole story.
     */
    static final class Refused extends IOException {
        Refused(String message) {
            super(message);
        }
    }

    private final class Counted extends FilterInputStream {
        Counted(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) count(1);
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            if (n > 0) count(n);
            return n;
        }

        private void count(long n) throws IOException {
            if (received.addAndGet(n) > limits.maxBytes()) {
                throw new Refused("the remote sent more than " + limits.maxBytes() + " bytes, the limit for one fetch ("
                        + limits.limitSetting() + ")");
            }
        }
    }
}
