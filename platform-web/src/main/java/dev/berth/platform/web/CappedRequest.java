package dev.berth.platform.web;

import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/** The request every chain and controller sees: its body can only be read through the cap. */
final class CappedRequest extends HttpServletRequestWrapper {
    private final BodyArea area;
    private final BodyBudget budget;
    private CappedInputStream stream;
    private BufferedReader reader;

    CappedRequest(HttpServletRequest request, BodyArea area, BodyBudget budget) {
        super(request);
        this.area = area;
        this.budget = budget;
    }

    @Override
    public synchronized ServletInputStream getInputStream() throws IOException {
        if (reader != null) throw new IllegalStateException("getReader() has already been called for this request");
        return stream();
    }

    @Override
    public synchronized BufferedReader getReader() throws IOException {
        if (reader == null) {
            if (stream != null) throw new IllegalStateException("getInputStream() has already been called for this request");
            String encoding = getCharacterEncoding();
            Charset charset = encoding == null ? StandardCharsets.ISO_8859_1 : Charset.forName(encoding);
            reader = new BufferedReader(new InputStreamReader(stream(), charset));
        }
        return reader;
    }

    private CappedInputStream stream() throws IOException {
        if (stream == null) stream = new CappedInputStream(super.getInputStream(), area, budget, getContentLengthLong());
        return stream;
    }

    synchronized void release() {
        if (stream != null) stream.release();
    }
}
