package dev.berth.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageReferenceTest {

    static final String D = "sha256:abababababababababababababababababababababababababababababababab";
    static final String E = "sha256:cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd";

    @ParameterizedTest(name = "{0}")
    @CsvSource(nullValues = "-", value = {
            // text,                                   registry,              repository,        tag,     digest
            "nginx,                                    registry-1.docker.io,  library/nginx,     latest,  -",
            "nginx:1.27,                               registry-1.docker.io,  library/nginx,     1.27,    -",
            "docker.io/nginx,                          registry-1.docker.io,  library/nginx,     latest,  -",
            "index.docker.io/acme/web,                 registry-1.docker.io,  acme/web,          latest,  -",
            "registry-1.docker.io/nginx,               registry-1.docker.io,  library/nginx,     latest,  -",
            "acme/web:v2,                              registry-1.docker.io,  acme/web,          v2,      -",
            "127.0.0.1:5000/acme/web:1.4,              127.0.0.1:5000,        acme/web,          1.4,     -",
            "localhost/web,                            localhost,             web,               latest,  -",
            "localhost:5000/a/b/c,                     localhost:5000,        a/b/c,             latest,  -",
            "ghcr.io/org/app-name_x.y__z:Tag_1.0-rc,   ghcr.io,               org/app-name_x.y__z, Tag_1.0-rc, -",
            "registry.example.com:443/web@" + D + ",   registry.example.com:443, web,            -,       " + D,
            "registry.example.com/web:1.0@" + D + ",   registry.example.com,  web,               1.0,     " + D,
            "Registry/web,                             Registry,              web,               latest,  -",
            "nginx@" + D + ",                          registry-1.docker.io,  library/nginx,     -,       " + D,
            "a---b/c__d,                               registry-1.docker.io,  a---b/c__d,        latest,  -",
    })
    void parses(String text, String registry, String repository, String tag, String digest) {
        ImageReference ref = ImageReference.parse(text);
        assertThat(ref).isEqualTo(new ImageReference(registry, repository, tag, digest));
        assertThat(ImageReference.parse(ref.toString())).isEqualTo(ref);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "''                       | is empty",
            "acme/Web                 | has a path component 'Web' that is not lowercase",
            "127.0.0.1:5000/Acme/web  | has a path component 'Acme' that is not lowercase",
            "[::1]:5000/web           | has an IPv6 literal registry host, which is not supported; use a host name",
            "a:1:2/web                | has an IPv6 literal registry host, which is not supported; use a host name",
            "web:                     | has a tag that is not 1 to 128 letters, digits, '_', '.' or '-' (not starting with '.' or '-')",
            "web:-bad                 | has a tag that is not 1 to 128 letters, digits, '_', '.' or '-' (not starting with '.' or '-')",
            "web@                     | has a digest that is not 'sha256:' followed by 64 lowercase hex digits",
            "web@sha256:abc           | has a digest that is not 'sha256:' followed by 64 lowercase hex digits",
            "web@md5:ab               | has a digest that is not 'sha256:' followed by 64 lowercase hex digits",
            "acme//web                | has an empty path component",
            "/web                     | has an empty path component",
            ":1.0                     | has an empty path component",
            "acme/-web                | has an invalid path component '-web' (lowercase letters and digits, separated by '.', '_', '__' or '-')",
            "acme/we$b                | has an invalid path component 'we$b' (lowercase letters and digits, separated by '.', '_', '__' or '-')",
            "host:99999/web           | has a registry port '99999' that is not a number between 1 and 65535",
            "host:0/web               | has a registry port '0' that is not a number between 1 and 65535",
            "host:port/web            | has a registry port 'port' that is not a number between 1 and 65535",
            "' nginx'                 | has leading or trailing whitespace",
            "-host.io/web             | has an invalid registry host '-host.io'",
            "host..io/web             | has an invalid registry host 'host..io'",
    })
    void rejects(String text, String reason) {
        assertThatThrownBy(() -> ImageReference.parse(text))
                .isInstanceOf(InvalidImageReference.class)
                .hasMessage("invalid image reference \"" + text + "\": it " + reason)
                .extracting(e -> ((InvalidImageReference) e).reason()).isEqualTo(reason);
    }

    @Test
    void canonicalFormAndHelpers() {
        ImageReference ref = ImageReference.parse("127.0.0.1:5000/acme/web:1.4");
        assertThat(ref.toString()).isEqualTo("127.0.0.1:5000/acme/web:1.4");
        assertThat(ref.repositoryName()).isEqualTo("127.0.0.1:5000/acme/web");
        assertThat(ref.manifestReference()).isEqualTo("1.4");
        ImageReference pinned = ref.withDigest(D);
        assertThat(pinned.toString()).isEqualTo("127.0.0.1:5000/acme/web:1.4@" + D);
        assertThat(pinned.manifestReference()).isEqualTo(D);
        assertThatThrownBy(() -> ref.withDigest("sha256:nothex")).isInstanceOf(InvalidImageReference.class)
                .hasMessageContaining("127.0.0.1:5000/acme/web:1.4@sha256:nothex");
    }

    @Test
    void aReferenceNeedsATagOrADigest() {
        assertThatThrownBy(() -> new ImageReference("ghcr.io", "web", null, null))
                .hasMessage("invalid image reference \"ghcr.io/web\": it has neither a tag nor a digest");
    }

    @Test
    void tooLongNamesAndTextsAreRejected() {
        assertThatThrownBy(() -> ImageReference.parse("example.com/" + "a".repeat(250)))
                .hasMessageEndingWith("it has a name longer than 255 characters");
        // The text is quoted clipped, so a megabyte of junk does not land in a log line.
        assertThatThrownBy(() -> ImageReference.parse("x".repeat(1_000_000)))
                .hasMessage("invalid image reference \"" + "x".repeat(60) + "…\": it is longer than 512 characters");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "busybox,                                 busybox@" + E,
            "busybox:1.36,                            busybox@" + E,
            "registry.example.com:5000/acme/web:1.4,  registry.example.com:5000/acme/web@" + E,
            "registry.example.com:5000/acme/web,      registry.example.com:5000/acme/web@" + E,
            "acme/web:1@" + D + ",                    acme/web@" + E,
    })
    void pinningKeepsTheNameAsWritten(String image, String expected) {
        assertThat(ImageReference.pin(image, E)).isEqualTo(expected);
    }

    @Test
    void pinningRefusesWhatIsNotAReferenceOrADigest() {
        assertThatThrownBy(() -> ImageReference.pin("acme/Web", E)).hasMessageContaining("not lowercase");
        assertThatThrownBy(() -> ImageReference.pin("acme/web", "sha256:x")).hasMessageContaining("has a digest that is not");
    }
}
