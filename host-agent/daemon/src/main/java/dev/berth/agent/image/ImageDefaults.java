package dev.berth.agent.image;

import dev.berth.agent.protocol.ContainerSpec;
import dev.berth.agent.protocol.HealthCheck;
import dev.berth.registry.ImageConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Settles a container spec against its image's config: the image gives the defaults, the spec
 * overrides them. The spec's command replaces the image's entrypoint and cmd together (one argv,
 * as berth.yaml's {@code command}). Pure: the rootfs's {@code /etc/passwd} and {@code /etc/group}
 * come in as text.
 */
public final class ImageDefaults {
    private ImageDefaults() {
    }

    /** Where user names are looked up; empty text when the image has no such file. */
    public record Accounts(String passwd, String group) {
        public static final Accounts NONE = new Accounts("", "");
    }

    /**
     * @param image the image's config, or null for a local root filesystem
     * @throws IllegalArgumentException naming what cannot be settled (no command, an unknown user)
     */
    public static ContainerSpec apply(ContainerSpec spec, ImageConfig image, String rootfs, Accounts accounts) {
        String source = spec.image() != null ? "image " + spec.image() : "rootfs " + spec.rootfs();
        List<String> command = spec.command();
        if (command.isEmpty() && image != null) {
            var argv = new ArrayList<String>(image.entrypoint());
            argv.addAll(image.cmd());
            command = List.copyOf(argv);
        }
        if (command.isEmpty()) {
            throw new IllegalArgumentException(source + " has no entrypoint or cmd; give the command to run");
        }
        var env = new LinkedHashMap<String, String>();
        if (image != null) {
            for (String entry : image.env()) {
                int eq = entry.indexOf('=');
                if (eq > 0) env.put(entry.substring(0, eq), entry.substring(eq + 1));
            }
        }
        env.putAll(spec.env());
        ContainerSpec.UserId user = spec.user();
        if (user == null) {
            String named = image == null ? "" : image.user();
            user = named == null || named.isBlank() ? new ContainerSpec.UserId(0, 0) : resolveUser(named, accounts, source);
        }
        String workingDir = spec.workingDir();
        if (workingDir == null) {
            workingDir = image == null || image.workingDir() == null || image.workingDir().isBlank() ? "/" : image.workingDir();
        }
        HealthCheck health = spec.health();
        if (health == null && image != null && image.healthcheck() != null) health = health(image.healthcheck().test());
        return spec.withRootfs(rootfs).withCommand(command).withUser(user).withWorkingDir(workingDir).withEnv(env)
                .withHealth(health);
    }

    /** Docker's USER forms: uid, uid:gid, name, name:group; a bare user takes its passwd group. */
    static ContainerSpec.UserId resolveUser(String text, Accounts accounts, String source) {
        String[] parts = text.split(":", 2);
        String userPart = parts[0];
        Integer uid = number(userPart);
        Integer primaryGid = null;
        if (uid == null || parts.length == 1) {
            for (String line : accounts.passwd().lines().toList()) {
                String[] f = line.split(":", -1);
                if (f.length < 4) continue;
                boolean match = uid == null ? f[0].equals(userPart) : userPart.equals(f[2]);
                if (match && number(f[2]) != null && number(f[3]) != null) {
                    uid = number(f[2]);
                    primaryGid = number(f[3]);
                    break;
                }
            }
        }
        if (uid == null) throw new IllegalArgumentException(source + " runs as user '" + userPart + "', which its /etc/passwd does not define");
        int gid;
        if (parts.length == 2) {
            Integer g = number(parts[1]);
            if (g == null) g = group(parts[1], accounts);
            if (g == null) throw new IllegalArgumentException(source + " runs as group '" + parts[1] + "', which its /etc/group does not define");
            gid = g;
        } else {
            gid = primaryGid == null ? 0 : primaryGid;
        }
        if (uid > 65535 || gid > 65535) {
            throw new IllegalArgumentException(source + " runs as " + uid + ":" + gid + ", outside the container's ids 0-65535");
        }
        return new ContainerSpec.UserId(uid, gid);
    }

    private static Integer group(String name, Accounts accounts) {
        for (String line : accounts.group().lines().toList()) {
            String[] f = line.split(":", -1);
            if (f.length >= 3 && f[0].equals(name)) return number(f[2]);
        }
        return null;
    }

    /** Docker's HEALTHCHECK test: CMD argv, CMD-SHELL text, or NONE. */
    static HealthCheck health(List<String> test) {
        if (test.isEmpty()) return null;
        return switch (test.getFirst()) {
            case "CMD" -> test.size() > 1 ? new HealthCheck.Exec(test.subList(1, test.size())) : null;
            case "CMD-SHELL" -> test.size() > 1 ? new HealthCheck.Exec(List.of("/bin/sh", "-c", test.get(1))) : null;
            default -> null;
        };
    }

    private static Integer number(String s) {
        if (s.isEmpty() || s.length() > 10 || !s.chars().allMatch(Character::isDigit)) return null;
        long v = Long.parseLong(s);
        return v > Integer.MAX_VALUE ? null : (int) v;
    }
}
