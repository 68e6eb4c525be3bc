package org.teledeploy.packages;

import java.nio.file.Path;

/**
 * Where a package's payload comes from: a ready archive (zip or tar.gz, used as it is), a directory (teledeploy
 * builds the archive in the format of the target OS), or nothing (a command-only package, FRAGS="0").
 */
public sealed interface PackageSource {

    /** A zip or tar.gz file, used byte for byte. */
    record Archive(Path file) implements PackageSource {}

    /** A directory whose content becomes the archive. */
    record Directory(Path dir) implements PackageSource {}

    /** No payload: the command runs in an empty directory. */
    record None() implements PackageSource {}

    static PackageSource archive(Path file) {
        return new Archive(file);
    }

    static PackageSource directory(Path dir) {
        return new Directory(dir);
    }

    static PackageSource none() {
        return new None();
    }
}
