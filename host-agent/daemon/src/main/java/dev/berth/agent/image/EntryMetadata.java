package dev.berth.agent.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * What a layer entry says of an inode besides its content: its mode (setuid and setgid stripped,
 * and reported), its owner and its times, each set without following a final symlink. chmod and
 * chown are skipped where creating the inode already got them right.
 */
final class EntryMetadata {
    private static final FileAttribute<?>[] PERMS = new FileAttribute<?>[512];

    static {
        PosixFilePermission[] bits = PosixFilePermission.values(); // OWNER_READ .. OTHERS_EXECUTE
        for (int m = 0; m < 512; m++) {
            var set = EnumSet.noneOf(PosixFilePermission.class);
            for (int b = 0; b < 9; b++) if ((m & (0400 >> b)) != 0) set.add(bits[b]);
            PERMS[m] = PosixFilePermissions.asFileAttribute(set);
        }
    }

    private final ReportBuilder report;
    private final int umask;
    private final boolean newFilesOwnedByRoot;

    /**
     * @param umask               the process umask, which trims modes given at creation
     * @param newFilesOwnedByRoot whether a new file is already 0:0, so chown can be skipped for it
     */
    EntryMetadata(ReportBuilder report, int umask, boolean newFilesOwnedByRoot) {
        this.report = report;
        this.umask = umask;
        this.newFilesOwnedByRoot = newFilesOwnedByRoot;
    }

    /** The entry's permission bits without setuid and setgid; stripping one is reported. */
    int safeMode(TarArchiveEntry e, String name) {
        int mode = e.getMode() & 07777;
        int special = mode & 06000;
        if (special != 0) {
            report.neutralised(name, switch (special) {
                case 04000 -> "setuid bit stripped";
                case 02000 -> "setgid bit stripped";
                default -> "setuid and setgid bits stripped";
            });
        }
        return mode & ~06000;
    }

    /** Whether a mode given at creation needs a chmod after it: the umask trimmed it, or it has the sticky bit. */
    boolean needsChmod(int mode) {
        return (mode & umask) != 0 || (mode & ~0777) != 0;
    }

    /** Gives the inode the entry's owner; a {@code fresh} one already owned by root is left alone when the entry says 0:0. */
    void setOwner(Path p, TarArchiveEntry e, boolean fresh) throws IOException {
        int uid = (int) e.getLongUserId();
        int gid = (int) e.getLongGroupId();
        if (fresh && newFilesOwnedByRoot && uid == 0 && gid == 0) return;
        chown(p, uid, gid);
    }

    /** Makes a new inode root's, unless new inodes are root's already. */
    void ownedByRoot(Path p) throws IOException {
        if (!newFilesOwnedByRoot) chown(p, 0, 0);
    }

    private static void chown(Path p, int uid, int gid) throws IOException {
        Files.setAttribute(p, "unix:uid", uid, Trees.NOFOLLOW);
        Files.setAttribute(p, "unix:gid", gid, Trees.NOFOLLOW);
    }

    static void setTimes(Path p, FileTime mtime) throws IOException {
        Files.getFileAttributeView(p, BasicFileAttributeView.class, Trees.NOFOLLOW).setTimes(mtime, mtime, null);
    }

    /** The creation attribute for a mode's permission bits. */
    static FileAttribute<?> perms(int mode) {
        return PERMS[mode & 0777];
    }
}
