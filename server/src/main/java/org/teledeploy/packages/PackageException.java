package org.teledeploy.packages;

/**
 * A package operation that cannot be done, with a message a person can act on and the kind of failure, so the
 * admin API and CLI map it to a status and an exit code without parsing text.
 */
public final class PackageException extends RuntimeException {

    /** Why it failed. */
    public enum Kind {
        /** The input is wrong (bad archive, bad field, unreadable file): 400/422, CLI exit 2. */
        INVALID,
        /** No such package: 404, exit 3. */
        NOT_FOUND,
        /** The package exists already or is in a state that forbids it: 409, exit 4. */
        CONFLICT,
        /** The server could not do it (disk full, I/O error): 500, exit 1. */
        FAILED
    }

    private final Kind kind;

    public PackageException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public PackageException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    static PackageException invalid(String message) {
        return new PackageException(Kind.INVALID, message);
    }

    static PackageException notFound(String packageId) {
        return new PackageException(Kind.NOT_FOUND, "no package " + packageId);
    }
}
