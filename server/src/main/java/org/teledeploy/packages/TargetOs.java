package org.teledeploy.packages;

import java.util.Locale;

/**
 * The agent family a package is built for. It decides the archive format teledeploy builds from a directory:
 * the Windows agent extracts {@code build.zip} with a ZIP library, Unix and macOS agents run {@code tar -xzf}
 * (shared/ocs-protocol.md §4.2). The server offers a package to whatever device it is assigned to; targeting
 * decides who gets it.
 */
public enum TargetOs {
    WINDOWS(ArchiveFormat.ZIP),
    LINUX(ArchiveFormat.TAR_GZ),
    MAC(ArchiveFormat.TAR_GZ);

    private final ArchiveFormat archiveFormat;

    TargetOs(ArchiveFormat archiveFormat) {
        this.archiveFormat = archiveFormat;
    }

    /** The format built from a directory for this family. */
    public ArchiveFormat archiveFormat() {
        return archiveFormat;
    }

    /** Unix-like agents (Linux, macOS): tar.gz, {@code LAUNCH} names cut at '-'. */
    public boolean isUnix() {
        return this != WINDOWS;
    }

    /** Parses {@code windows}, {@code linux}, {@code mac} in any case. */
    public static TargetOs parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("os: " + value + " (expected: windows, linux or mac)");
        }
    }
}
