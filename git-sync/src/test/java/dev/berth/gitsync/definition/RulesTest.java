package dev.berth.gitsync.definition;

import static dev.berth.gitsync.definition.DefinitionParserTest.parse;
import static dev.berth.gitsync.definition.DefinitionParserTest.problems;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One valid and one or more invalid cases per rule, each with the exact message and position.
 * {@link #app} puts the given lines under an app named {@code a} with an image: its first line is
 * line 5, column 5.
 */
class RulesTest {
    static final String HEAD = """
            apiVersion: berth/v1
            apps:
              a:
                image: busybox
            """;

    static String app(String body) {
        return HEAD + body.indent(4);
    }

    static Stream<Arguments> valid() {
        return Stream.of(
                Arguments.of("replicas 0", app("replicas: 0")),
                Arguments.of("replicas at the maximum", app("replicas: 10")),
                Arguments.of("app name with digits and dashes", HEAD.replace("a:", "web-2:")),
                Arguments.of("app name of 63", HEAD.replace("a:", "a".repeat(63) + ":")),
                Arguments.of("numeric app name", HEAD.replace("a:", "2048:")),
                Arguments.of("image with registry port, tag and digest", app("").replace("busybox",
                        "localhost:5000/a/b_c__d-e.f:v1.2-rc@sha256:" + "ab".repeat(32))),
                Arguments.of("image with no tag", app("").replace("busybox", "ghcr.io/acme/web")),
                Arguments.of("env quoted values", app("env: {A: 'yes', B: \"1\", c_d: ''}")),
                Arguments.of("secrets", app("secrets: [DB_PASSWORD, _X1]")),
                Arguments.of("user 0:0", app("user: 0:0")),
                Arguments.of("user 65535", app("user: \"65535:65535\"")),
                Arguments.of("sizes in bytes and Ki", app("resources: {memory: 4194304}\ntmpfs: {/tmp: 4Ki}")),
                Arguments.of("cpu integer and millicores", app("resources: {cpu: 2}")),
                Arguments.of("cpu at the minimum", app("resources: {cpu: 10m}")),
                Arguments.of("two ports, one published", app("""
                        ports: [{name: http, port: 80, publish: true}, {name: admin, port: 81}]
                        health: {http: {port: 80}}""")),
                Arguments.of("sibling mounts", app("""
                        volumes: [{name: d, mount: /data, size: 1Gi}]
                        tmpfs: {/data2: 1Mi, /run: 1Mi}""")),
                Arguments.of("volumes at the maximum", app("volumes: [{name: v0, mount: /v0, size: 1Mi}, {name: v1, mount: /v1, size: 1Mi}, {name: v2, mount: /v2, size: 1Mi}, {name: v3, mount: /v3, size: 1Mi}, {name: v4, mount: /v4, size: 1Mi}, {name: v5, mount: /v5, size: 1Mi}, {name: v6, mount: /v6, size: 1Mi}, {name: v7, mount: /v7, size: 1Mi}]")),
                Arguments.of("rolling with surge 0", app("deploy: {maxSurge: 0, maxUnavailable: 1}")),
                Arguments.of("all capabilities", app("capabilities: [NET_BIND_SERVICE, CHOWN, DAC_OVERRIDE, FOWNER,"
                        + " FSETID, KILL, SETGID, SETUID, SETPCAP, SYS_CHROOT]")),
                Arguments.of("document start marker", "---\n" + HEAD),
                Arguments.of("comments and a final document end", HEAD + "# done\n...\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void valid(String name, String yaml) {
        assertThat(parse(yaml)).as(() -> String.valueOf(parse(yaml))).isInstanceOf(ParseResult.Valid.class);
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                // top level
                Arguments.of("empty file", "", "1:1: the file is empty; it needs at least apiVersion: berth/v1 and apps:"),
                Arguments.of("not a mapping", "- a\n", "1:1: the top level of the file must be a mapping (key: value), not a list"),
                Arguments.of("missing apiVersion", "apps: {}\n", "1:1: apiVersion is missing; the first line should be apiVersion: berth/v1"),
                Arguments.of("wrong apiVersion", "apiVersion: v1\napps: {}\n", "1:13: apiVersion must be berth/v1, not 'v1'"),
                Arguments.of("missing apps", "apiVersion: berth/v1\n", "1:1: apps is missing; declare the apps under apps:"),
                Arguments.of("apps is a list", "apiVersion: berth/v1\napps: [a]\n", "2:7: apps must be a mapping (key: value), not a list"),
                Arguments.of("unknown top key", "apiVersion: berth/v1\napps: {}\nap: 1\n", "3:1: unknown key 'ap'; expected one of: apiVersion, apps"),
                // app names
                Arguments.of("app name with underscore", HEAD.replace("a:", "my_app:"),
                        "3:3: app name 'my_app' must be lowercase letters, digits and '-' (not first or last), at most 63 characters"),
                Arguments.of("app name of 64", HEAD.replace("a:", "a".repeat(64) + ":"),
                        "3:3: app name '" + "a".repeat(60) + "…' must be lowercase letters, digits and '-' (not first or last), at most 63 characters"),
                Arguments.of("app name ending in dash", HEAD.replace("a:", "a-:"),
                        "3:3: app name 'a-' must be lowercase letters, digits and '-' (not first or last), at most 63 characters"),
                Arguments.of("duplicate app", HEAD + "  a:\n    image: b\n", "5:3: duplicate key 'a' (first given at line 3)"),
                Arguments.of("app is a string", "apiVersion: berth/v1\napps:\n  a: busybox\n",
                        "3:6: app a must be a mapping (key: value), not 'busybox'"),
                // image
                Arguments.of("missing image", "apiVersion: berth/v1\napps:\n  a: {replicas: 1}\n", "3:3: app 'a' needs an image"),
                Arguments.of("upper-case image", app("").replace("busybox", "acme/Web"),
                        "4:12: image has a path component 'Web' that is not lowercase"),
                Arguments.of("bad digest", app("").replace("busybox", "busybox@sha256:abc"),
                        "4:12: image has a digest that is not 'sha256:' followed by 64 lowercase hex digits"),
                Arguments.of("bad tag", app("").replace("busybox", "busybox:-x"),
                        "4:12: image has a tag that is not 1 to 128 letters, digits, '_', '.' or '-' (not starting with '.' or '-')"),
                Arguments.of("empty path component", app("").replace("busybox", "acme//web"),
                        "4:12: image has an empty path component"),
                Arguments.of("bad host", app("").replace("busybox", "-bad.io/web"),
                        "4:12: image has an invalid registry host '-bad.io'"),
                // replicas
                Arguments.of("negative replicas", app("replicas: -1"), "5:15: replicas must be at least 0"),
                Arguments.of("too many replicas", app("replicas: 11"), "5:15: replicas must be at most 10 (the maximum on this Berth)"),
                Arguments.of("replicas as text", app("replicas: two"), "5:15: replicas must be a whole number, not 'two'"),
                Arguments.of("replicas empty", app("replicas:"), "5:14: replicas needs a value: a whole number"),
                // command
                Arguments.of("empty command", app("command: []"), "5:14: command must not be empty; leave it out to use the image's command"),
                Arguments.of("command with a number", app("command: [sleep, 10]"),
                        "5:22: command item must be a string, and YAML reads 10 as a number; quote it: \"10\""),
                // env and secrets
                Arguments.of("env number", app("env: {PORT: 8080}"),
                        "5:17: env PORT must be a string, and YAML reads 8080 as a number; quote it: \"8080\""),
                Arguments.of("env boolean", app("env:\n  DEBUG: yes"),
                        "6:14: env DEBUG must be a string, and YAML reads yes as a boolean; quote it: \"yes\""),
                Arguments.of("env bad name", app("env: {1A: x}"),
                        "5:11: env name '1A' must be letters, digits and '_', not starting with a digit"),
                Arguments.of("secret lower case", app("secrets: [db_password]"),
                        "5:15: secret name 'db_password' must be upper-case letters, digits and '_', not starting with a digit"),
                Arguments.of("secret also env", app("env: {TOKEN: x}\nsecrets: [TOKEN]"),
                        "6:15: TOKEN is both a secret and an env value; keep it in one place"),
                Arguments.of("secret twice", app("secrets: [A, A]"), "5:18: secret A is listed twice"),
                // user
                Arguments.of("user name", app("user: nobody"),
                        "5:11: user must be \"uid:gid\" with numbers from 0 to 65535, such as \"1000:1000\", not 'nobody'"),
                Arguments.of("user out of range", app("user: \"70000:0\""),
                        "5:11: user must be \"uid:gid\" with numbers from 0 to 65535, such as \"1000:1000\", not '70000:0'"),
                // resources
                Arguments.of("memory too large", app("resources: {memory: 8Gi}"),
                        "5:25: resources.memory must be at most 4Gi (the maximum on this Berth)"),
                Arguments.of("memory too small", app("resources: {memory: 1Mi}"), "5:25: resources.memory must be at least 4Mi"),
                Arguments.of("memory in decimal units", app("resources: {memory: 128M}"),
                        "5:25: resources.memory must use the units Ki, Mi or Gi (powers of 1024), for example 128Mi, not 128M"),
                Arguments.of("memory not a size", app("resources: {memory: lots}"),
                        "5:25: resources.memory must be a size such as 64Mi (units Ki, Mi, Gi, or a plain number of bytes), not 'lots'"),
                Arguments.of("huge memory", app("resources: {memory: 99999999999999999999999Gi}"),
                        "5:25: resources.memory must be at most 4Gi (the maximum on this Berth)"),
                Arguments.of("cpu too large", app("resources: {cpu: 4.5}"),
                        "5:22: resources.cpu must be at most 4 (the maximum on this Berth)"),
                Arguments.of("cpu too small", app("resources: {cpu: 1m}"), "5:22: resources.cpu must be at least 10m"),
                Arguments.of("cpu finer than millicores", app("resources: {cpu: 0.0005}"),
                        "5:22: resources.cpu must be a number of cores such as 0.5 or 2, or millicores such as 500m, not '0.0005'"),
                Arguments.of("pids zero", app("resources: {pids: 0}"), "5:23: resources.pids must be at least 1"),
                Arguments.of("unknown resource", app("resources: {memroy: 1Gi}"),
                        "5:17: unknown key 'memroy'; did you mean 'memory'?"),
                // ports
                Arguments.of("port zero", app("ports: [{name: p, port: 0}]"), "5:29: ports[0].port must be at least 1"),
                Arguments.of("port too high", app("ports: [{name: p, port: 65536}]"), "5:29: ports[0].port must be at most 65535"),
                Arguments.of("port twice", app("ports: [{name: p, port: 80}, {name: q, port: 80}]"),
                        "5:50: port 80 is declared twice"),
                Arguments.of("port name twice", app("ports: [{name: p, port: 80}, {name: p, port: 81}]"),
                        "5:41: port name 'p' is used twice"),
                Arguments.of("port name not a label", app("ports: [{name: HTTP, port: 80}]"),
                        "5:20: ports[0].name 'HTTP' must be lowercase letters, digits and '-' (not first or last), at most 63 characters"),
                Arguments.of("port without number", app("ports: [{name: p}]"), "5:13: ports[0] needs 'port'"),
                Arguments.of("published port without health", app("ports: [{name: p, port: 80, publish: true}]"),
                        "5:42: a published port needs a health check: add health: so that Berth knows when a replica may receive traffic"),
                Arguments.of("publish not a boolean", app("ports: [{name: p, port: 80, publish: yes}]"),
                        "5:42: ports[0].publish must be true or false, not 'yes'"),
                // health
                Arguments.of("health port not declared", app("ports: [{name: p, port: 80}]\nhealth: {http: {port: web}}"),
                        "6:27: health.http.port 'web' is not one of this app's ports (p=80)"),
                Arguments.of("health port number not declared", app("health: {tcp: {port: 81}}"),
                        "5:26: health.tcp.port 81 is not one of this app's ports (it declares none under ports:)"),
                Arguments.of("health without check", app("health: {interval: 2s}"), "5:13: health needs one check: http, tcp or exec"),
                Arguments.of("health with two checks", app("health: {exec: {command: [x]}, tcp: {port: 1}}"),
                        "5:41: health may have only one of http, tcp and exec"),
                Arguments.of("interval without unit", app("health: {exec: {command: [x]}, interval: 2}"),
                        "5:46: health.interval must be a duration such as 500ms, 2s, 1m or 1h, not '2'"),
                Arguments.of("interval too short", app("health: {exec: {command: [x]}, interval: 10ms}"),
                        "5:46: health.interval must be at least 1s"),
                Arguments.of("timeout above interval", app("health: {exec: {command: [x]}, interval: 1s, timeout: 2s}"),
                        "5:59: health.timeout (2s) must not be longer than health.interval (1s)"),
                Arguments.of("health path relative", app("ports: [{name: p, port: 80}]\nhealth: {http: {port: p, path: healthz}}"),
                        "6:36: health.http.path must start with '/' and contain no spaces, control or non-ASCII characters (percent-encode them)"),
                Arguments.of("healthyAfter 0", app("health: {exec: {command: [x]}, healthyAfter: 0}"),
                        "5:50: health.healthyAfter must be at least 1"),
                // volumes and tmpfs
                Arguments.of("too many volumes", app("volumes: [{name: v0, mount: /v0, size: 1Mi}, {name: v1, mount: /v1, size: 1Mi}, {name: v2, mount: /v2, size: 1Mi}, {name: v3, mount: /v3, size: 1Mi}, {name: v4, mount: /v4, size: 1Mi}, {name: v5, mount: /v5, size: 1Mi}, {name: v6, mount: /v6, size: 1Mi}, {name: v7, mount: /v7, size: 1Mi}, {name: v8, mount: /v8, size: 1Mi}]"),
                        "5:14: volumes has 9 entries; at most 8 volumes per app (the maximum on this Berth)"),
                Arguments.of("volume relative mount", app("volumes: [{name: d, mount: data, size: 1Gi}]"),
                        "5:32: volumes[0].mount data must be an absolute path starting with '/'"),
                Arguments.of("volume unclean mount", app("volumes: [{name: d, mount: /data/../etc, size: 1Gi}]"),
                        "5:32: volumes[0].mount /data/../etc must be a clean path, without '.', '..', '//' or a trailing '/'"),
                Arguments.of("volume trailing slash", app("volumes: [{name: d, mount: /data/, size: 1Gi}]"),
                        "5:32: volumes[0].mount /data/ must be a clean path, without '.', '..', '//' or a trailing '/'"),
                Arguments.of("volume on /proc", app("volumes: [{name: d, mount: /proc/x, size: 1Gi}]"),
                        "5:32: volumes[0].mount /proc/x cannot be /proc or below it; the runtime manages /proc"),
                Arguments.of("volume on root", app("volumes: [{name: d, mount: /, size: 1Gi}]"),
                        "5:32: volumes[0].mount / cannot be '/', the container's root"),
                Arguments.of("volume too large", app("volumes: [{name: d, mount: /d, size: 11Gi}]"),
                        "5:42: volumes[0].size must be at most 10Gi (the maximum on this Berth)"),
                Arguments.of("volume without size", app("volumes: [{name: d, mount: /d}]"), "5:15: volumes[0] needs 'size'"),
                Arguments.of("volume name twice", app("volumes: [{name: d, mount: /d, size: 1Gi}, {name: d, mount: /e, size: 1Gi}]"),
                        "5:55: volume name 'd' is used twice"),
                Arguments.of("tmpfs inside a volume", app("volumes: [{name: d, mount: /data, size: 1Gi}]\ntmpfs: {/data/tmp: 1Mi}"),
                        "6:13: tmpfs /data/tmp mount /data/tmp is inside volume 'd' (/data); mounts may not overlap"),
                Arguments.of("volume containing a tmpfs", app("tmpfs: {/data/tmp: 1Mi}\nvolumes: [{name: d, mount: /data, size: 1Gi}]"),
                        "6:32: volume 'd' mount /data contains tmpfs /data/tmp (/data/tmp); mounts may not overlap"),
                Arguments.of("same mount twice", app("tmpfs: {/t: 1Mi}\nvolumes: [{name: d, mount: /t, size: 1Gi}]"),
                        "6:32: volume 'd' mount /t is also used by tmpfs /t (/t); mounts may not overlap"),
                Arguments.of("tmpfs too large", app("tmpfs: {/tmp: 1Gi}"), "5:19: tmpfs /tmp must be at most 512Mi (the maximum on this Berth)"),
                Arguments.of("tmpfs with a comma", app("tmpfs: {'/a,b': 1Mi}"),
                        "5:13: tmpfs mount /a,b may only contain letters, digits and . _ @ + = - /"),
                // capabilities
                Arguments.of("capability not allowed", app("capabilities: [SYS_ADMIN]"),
                        "5:20: capability 'SYS_ADMIN' is not allowed; allowed are NET_BIND_SERVICE, CHOWN, DAC_OVERRIDE,"
                                + " FOWNER, FSETID, KILL, SETGID, SETUID, SETPCAP, SYS_CHROOT"),
                Arguments.of("capability in lower case", app("capabilities: [cap_chown]"),
                        "5:20: capability 'cap_chown' must be written in upper case: CHOWN"),
                Arguments.of("capability twice", app("capabilities: [KILL, CAP_KILL]"), "5:26: capability KILL is listed twice"),
                // deploy
                Arguments.of("unknown strategy", app("deploy: {strategy: canary}"),
                        "5:24: deploy.strategy must be rolling, recreate or blue-green, not 'canary'"),
                Arguments.of("surge for blue-green", app("deploy: {strategy: blue-green, maxUnavailable: 1}"),
                        "5:52: deploy.maxUnavailable applies only to the rolling strategy"),
                Arguments.of("health timeout too short", app("deploy: {healthTimeout: 100ms}"),
                        "5:29: deploy.healthTimeout must be at least 1s"),
                Arguments.of("health timeout without unit", app("deploy: {healthTimeout: 30}"),
                        "5:29: deploy.healthTimeout must be a duration such as 500ms, 2s, 1m or 1h, not '30'"),
                Arguments.of("rolling with no progress", app("deploy: {maxSurge: 0, maxUnavailable: 0}"),
                        "5:24: deploy.maxSurge and deploy.maxUnavailable cannot both be 0: a rolling deploy could never replace a replica"),
                Arguments.of("negative surge", app("deploy: {maxSurge: -1}"), "5:24: deploy.maxSurge must be at least 0"),
                Arguments.of("surge for recreate", app("deploy: {strategy: recreate, maxSurge: 1}"),
                        "5:44: deploy.maxSurge applies only to the rolling strategy"),
                Arguments.of("autoRollback as text", app("deploy: {autoRollback: 'true'}"),
                        "5:28: deploy.autoRollback must be true or false, not 'true'"),
                // YAML features the format does not use
                Arguments.of("anchor and alias", app("env: &e {A: b}\ntmpfs: *e"),
                        "5:10: anchors and aliases are not supported; write the value out in full\n"
                                + "6:12: anchors and aliases are not supported; write the value out in full"),
                Arguments.of("tag", app("command: !!python/object:os.system [x]"),
                        "5:14: YAML tags such as 'tag:yaml.org,2002:python/object:os.system' are not supported; remove the tag"),
                Arguments.of("two documents", HEAD + "---\n" + HEAD, "5:1: only one YAML document is allowed; remove the second '---' and what follows"),
                Arguments.of("tab indentation", "apiVersion: berth/v1\napps:\n\ta: {}\n",
                        "3:1: a tab cannot be used for indentation in YAML; indent with spaces"),
                Arguments.of("list as key", app("env: {[A]: b}"), "5:11: a key must be a plain name, not a list or a mapping"),
                Arguments.of("flow mapping without key", app("env: {: b}"),
                        "5:11: this is not valid YAML: expected the node content, but found ':' (while parsing a flow node)"),
                Arguments.of("missing key", app("env:\n  ? \n  : b"), "6:8: a key is missing before ':'"),
                Arguments.of("syntax error", "apiVersion: berth/v1\napps: {a: [}\n",
                        "2:12: this is not valid YAML: expected the node content, but found '}' (while parsing a flow node)"),
                Arguments.of("control character", "apiVersion: berth/v1\napps: {a\u0001: x}\n",
                        "2:9: the file contains the control character U+0001, which YAML does not allow"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void invalid(String name, String yaml, String expected) {
        assertProblems(yaml, expected);
    }

    /** Several expected problems, {@code line:column: message} without the file name, are separated by newlines. */
    static void assertProblems(String yaml, String expected) {
        assertThat(problems(parse(yaml))).containsExactly(
                expected.lines().map(e -> "berth.yaml:" + e).toArray(String[]::new));
    }
}
