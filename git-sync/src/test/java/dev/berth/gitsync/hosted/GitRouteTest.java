package dev.berth.gitsync.hosted;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.gitsync.hosted.GitRoute.Service;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Raw request paths and what they route to. The path is as sent, before any decoding: anything
 * but the one canonical form is refused, so no decoding can change what the route says.
 */
class GitRouteTest {
    private static final RepositoryName WEB = new RepositoryName("team", "web");
    private static final String OBJECT = "objects/ab/" + "c".repeat(38);
    private static final String PACK = "objects/pack/pack-" + "d".repeat(40);

    static Stream<Arguments> served() {
        return Stream.of(
                Arguments.of("GET", "/team/web.git/info/refs", "service=git-upload-pack", Service.UPLOAD_PACK_ADVERTISEMENT),
                Arguments.of("HEAD", "/team/web.git/info/refs", "service=git-upload-pack", Service.UPLOAD_PACK_ADVERTISEMENT),
                Arguments.of("GET", "/team/web.git/info/refs", "service=git-receive-pack", Service.RECEIVE_PACK_ADVERTISEMENT),
                Arguments.of("POST", "/team/web.git/git-upload-pack", null, Service.UPLOAD_PACK),
                Arguments.of("POST", "/team/web.git/git-receive-pack", null, Service.RECEIVE_PACK),
                Arguments.of("POST", "/team/web.git/git-receive-pack", "", Service.RECEIVE_PACK),
                Arguments.of("POST", "/team/web/git-receive-pack", null, Service.RECEIVE_PACK),
                Arguments.of("GET", "/team/web/info/refs", "service=git-upload-pack", Service.UPLOAD_PACK_ADVERTISEMENT),
                Arguments.of("GET", "/team/web.git/info/refs", null, Service.DUMB_READ),
                Arguments.of("GET", "/team/web.git/HEAD", null, Service.DUMB_READ),
                Arguments.of("GET", "/team/web.git/objects/info/packs", null, Service.DUMB_READ),
                Arguments.of("GET", "/team/web.git/objects/info/alternates", null, Service.DUMB_READ),
                Arguments.of("GET", "/team/web.git/objects/info/http-alternates", null, Service.DUMB_READ),
                Arguments.of("GET", "/team/web.git/" + OBJECT, null, Service.DUMB_READ),
                Arguments.of("GET", "/team/web.git/" + PACK + ".pack", null, Service.DUMB_READ),
                Arguments.of("GET", "/team/web.git/" + PACK + ".idx", null, Service.DUMB_READ));
    }

    @ParameterizedTest(name = "{0} {1}?{2} → {3}")
    @MethodSource
    void served(String method, String path, String query, Service service) {
        assertThat(GitRoute.parse(method, path, query)).isEqualTo(new GitRoute.To(WEB, service));
    }

    @ParameterizedTest(name = "{0} {1}?{2} is a {3}")
    @MethodSource
    void operations(String method, String path, String query, GitRoute.Operation operation) {
        assertThat(GitRoute.parse(method, path, query)).isInstanceOfSatisfying(GitRoute.To.class,
                to -> assertThat(to.operation()).isEqualTo(operation));
    }

    static Stream<Arguments> operations() {
        return Stream.of(
                Arguments.of("GET", "/team/web.git/info/refs", "service=git-upload-pack", GitRoute.Operation.FETCH),
                Arguments.of("POST", "/team/web.git/git-upload-pack", null, GitRoute.Operation.FETCH),
                Arguments.of("GET", "/team/web.git/info/refs", "service=git-receive-pack", GitRoute.Operation.PUSH),
                Arguments.of("HEAD", "/team/web.git/info/refs", "service=git-receive-pack", GitRoute.Operation.PUSH),
                Arguments.of("POST", "/team/web.git/git-receive-pack", null, GitRoute.Operation.PUSH),
                Arguments.of("GET", "/team/web.git/HEAD", null, GitRoute.Operation.FETCH));
    }

    /** Every letter of every segment percent-encoded, one at a time, in lower and upper case hex. */
    static Stream<Arguments> encoded() {
        var cases = new ArrayList<Arguments>();
        for (String[] request : List.of(new String[] {"POST", "/team/web.git/git-receive-pack", null},
                new String[] {"POST", "/team/web.git/git-upload-pack", null},
                new String[] {"GET", "/team/web.git/info/refs", "service=git-receive-pack"})) {
            String path = request[1];
            for (int i = 1; i < path.length(); i++) {
                if (path.charAt(i) == '/') continue;
                String hex = String.format("%02x", (int) path.charAt(i));
                for (String h : List.of(hex, hex.toUpperCase())) {
                    cases.add(Arguments.of(request[0], path.substring(0, i) + "%" + h + path.substring(i + 1), request[2]));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1}?{2}")
    @MethodSource
    void encoded(String method, String path, String query) {
        assertThat(GitRoute.parse(method, path, query)).isInstanceOf(GitRoute.NotCanonical.class);
    }

    static Stream<Arguments> notCanonical() {
        return Stream.of(
                Arguments.of("GET", "/team/web.git/info/refs", "service=git-receive-p%61ck"),
                Arguments.of("GET", "/team/web.git/info/refs", "service=git-receive-p%2561ck"),
                Arguments.of("GET", "/team/web.git/info/refs", "%73ervice=git-receive-pack"),
                Arguments.of("GET", "/team/web.git/info/refs", "service=git-upload-pack&service=git-receive-pack"),
                Arguments.of("GET", "/team/web.git/info/refs", "service=git-receive-pack&service=git-upload-pack"),
                Arguments.of("GET", "/team/web.git/info/refs", "service=git-upload-pack&x=1"),
                Arguments.of("GET", "/team/web.git/info/refs", "service=git-upload-pack;x"),
                Arguments.of("GET", "/team/web.git/info/refs", "service=git-receive-pack+"),
                Arguments.of("GET", "/team/web.git/info/refs", "service=other"),
                Arguments.of("POST", "/team/web.git/git-upload-pack", "service=git-upload-pack"),
                Arguments.of("POST", "/team/web.git/git-receive-pack", "x"),
                Arguments.of("POST", "/team/web.git/git-upload-pack%2F..%2Fgit-receive-pack", null),
                Arguments.of("POST", "/team%2Fweb.git/git-receive-pack", null),
                Arguments.of("POST", "/team/web.git%2fgit-receive-pack", null),
                Arguments.of("POST", "/team/web.git/%2e%2e/web.git/git-receive-pack", null),
                Arguments.of("POST", "/team/web.git/%2E%2E/web.git/git-receive-pack", null),
                Arguments.of("POST", "/team/web.git/%2e/git-receive-pack", null),
                Arguments.of("POST", "/team/web.git/../web.git/git-receive-pack", null),
                Arguments.of("POST", "/team/./web.git/git-receive-pack", null),
                Arguments.of("POST", "/team/web.git/git-upload-pack/../git-receive-pack", null),
                Arguments.of("POST", "/team/web.git/git-receive-pack;jsessionid=ABC", null),
                Arguments.of("POST", "/team/web.git;x=y/git-receive-pack", null),
                Arguments.of("POST", "/team;/web.git/git-receive-pack", null),
                Arguments.of("POST", "/team/web.git/git-receive-pack%3b", null),
                Arguments.of("POST", "//team/web.git/git-receive-pack", null),
                Arguments.of("POST", "/team//web.git/git-receive-pack", null),
                Arguments.of("POST", "/team/web.git//git-receive-pack", null),
                Arguments.of("POST", "/team/web.git/git-receive-pack/", null),
                Arguments.of("POST", "/team/web.git/git-receive-pack%00", null),
                Arguments.of("POST", "/team/web.git/git-receive-pack\\", null),
                Arguments.of("POST", "/team\\web.git/git-receive-pack", null),
                Arguments.of("POST", "/team/web.git/git-receive-pack ", null),
                Arguments.of("POST", "/team/web.git/git-receive-pack%20", null),
                Arguments.of("POST", "/team/we\u0301b.git/git-receive-pack", null),
                Arguments.of("POST", "/team/web.git/git-rece\u0131ve-pack", null));
    }

    @ParameterizedTest(name = "{0} {1}?{2}")
    @MethodSource
    void notCanonical(String method, String path, String query) {
        assertThat(GitRoute.parse(method, path, query)).isInstanceOfSatisfying(GitRoute.NotCanonical.class,
                refused -> assertThat(refused.status()).isEqualTo(400));
    }

    static Stream<Arguments> notFound() {
        return Stream.of(
                Arguments.of("GET", null, null),
                Arguments.of("GET", "", null),
                Arguments.of("GET", "/", null),
                Arguments.of("GET", "team/web.git/info/refs", "service=git-upload-pack"),
                Arguments.of("GET", "/team", null),
                Arguments.of("GET", "/team/web.git", null),
                Arguments.of("POST", "/team/web.git/git-receive-pack-x", null),
                Arguments.of("POST", "/team/web.git/git-receive-pack.git", null),
                Arguments.of("POST", "/team/web.git/GIT-RECEIVE-PACK", null),
                Arguments.of("POST", "/team/web.git/x/git-receive-pack", null),
                Arguments.of("POST", "/team/sub/web.git/git-receive-pack", null),
                Arguments.of("POST", "/team/web.git.git/git-receive-pack", null),
                Arguments.of("POST", "/Team/web.git/git-receive-pack", null),
                Arguments.of("POST", "/team/WEB.git/git-receive-pack", null),
                Arguments.of("POST", "/team/.git/git-receive-pack", null),
                Arguments.of("POST", "/team/-web.git/git-receive-pack", null),
                Arguments.of("GET", "/team/web.git/info/refs/x", null),
                Arguments.of("GET", "/team/web.git/info", null),
                Arguments.of("GET", "/team/web.git/config", null),
                Arguments.of("GET", "/team/web.git/hooks/pre-receive", null),
                Arguments.of("GET", "/team/web.git/objects/ab/cd", null),
                Arguments.of("GET", "/team/web.git/objects/pack/pack-x.pack", null),
                Arguments.of("GET", "/team/web.git/refs/heads/main", null));
    }

    @ParameterizedTest(name = "{0} {1}?{2}")
    @MethodSource
    void notFound(String method, String path, String query) {
        assertThat(GitRoute.parse(method, path, query)).isInstanceOfSatisfying(GitRoute.NotFound.class,
                refused -> assertThat(refused.status()).isEqualTo(404));
    }

    static Stream<Arguments> wrongMethod() {
        return Stream.of(
                Arguments.of("GET", "/team/web.git/git-receive-pack", null, List.of("POST")),
                Arguments.of("PUT", "/team/web.git/git-receive-pack", null, List.of("POST")),
                Arguments.of("post", "/team/web.git/git-receive-pack", null, List.of("POST")),
                Arguments.of("DELETE", "/team/web.git/git-upload-pack", null, List.of("POST")),
                Arguments.of("POST", "/team/web.git/info/refs", "service=git-receive-pack", List.of("GET", "HEAD")),
                Arguments.of("POST", "/team/web.git/info/refs", null, List.of("GET", "HEAD")),
                Arguments.of("DELETE", "/team/web.git/HEAD", null, List.of("GET", "HEAD")));
    }

    @ParameterizedTest(name = "{0} {1}?{2}")
    @MethodSource
    void wrongMethod(String method, String path, String query, List<String> allowed) {
        assertThat(GitRoute.parse(method, path, query)).isInstanceOfSatisfying(GitRoute.MethodNotAllowed.class, refused -> {
            assertThat(refused.allowed()).isEqualTo(allowed);
            assertThat(refused.status()).isEqualTo(405);
        });
    }
}
