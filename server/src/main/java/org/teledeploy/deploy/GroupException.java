package org.teledeploy.deploy;

/**
 * A group operation that cannot be done: no group of that name, or one exists already. Its own type (not a
 * {@link org.teledeploy.store.StoreException} or an {@link IllegalStateException}) so that the admin API and CLI
 * tell "not found" from "conflict" from a database failure without parsing text.
 */
public final class GroupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why it failed. */
    public enum Kind {
        /** No group of that name: 404. */
        NOT_FOUND,
        /** A group of that name exists already: 409. */
        CONFLICT
    }

    private final Kind kind;

    private GroupException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    static GroupException notFound(String name) {
        return new GroupException(Kind.NOT_FOUND, "no group named " + name);
    }

    static GroupException exists(String name) {
        return new GroupException(Kind.CONFLICT, "group " + name + " already exists");
    }
}
