package org.teledeploy.packages;

/**
 * Everything an admin decides about a package before it is built, validated at construction so that a spec that
 * exists can be built and will work on the agents it targets. Messages have one shape:
 * {@code "priority: 11 (expected: 0 to 10)"}.
 *
 * @param name what admins call it (not sent to agents)
 * @param description free text (not sent to agents)
 * @param os the agent family, which decides the archive format built from a directory
 * @param protocol PROTO, the scheme of the fragment URLs
 * @param priority PRI 0–10: the agent downloads lower values first, 0 before anything else
 * @param action LAUNCH, EXECUTE or STORE
 * @param actionParameter NAME (LAUNCH), COMMAND (EXECUTE) or PATH (STORE)
 * @param notification the Windows dialogs
 * @param postCommand the default POSTCMD of its assignments (Windows)
 * @param fragmentation how the archive is cut
 * @param digest the digest algorithm agents check
 */
public record PackageSpec(String name, String description, TargetOs os, FragmentProtocol protocol, int priority,
                          PackageAction action, String actionParameter, Notification notification,
                          PostCommand postCommand, Fragmentation fragmentation, DigestAlgorithm digest) {

    /** OCS's default priority. */
    public static final int DEFAULT_PRIORITY = 5;

    /** The Windows agent silently drops a package whose NAME or COMMAND exceeds this (§4.6). */
    static final int MAX_COMMAND_LENGTH = 255;

    public PackageSpec {
        checkText("name", name, 200);
        if (name.isBlank()) {
            throw new IllegalArgumentException("name: empty (expected: a name for admins)");
        }
        checkText("description", description, 4000);
        if (priority < 0 || priority > 10) {
            throw new IllegalArgumentException("priority: " + priority + " (expected: 0 to 10)");
        }
        checkText(action.parameterName(), actionParameter, 1000);
        if (actionParameter.isBlank()) {
            throw new IllegalArgumentException(action.parameterName() + ": empty (expected: the "
                    + action.infoAttribute() + " of a " + action + " package)");
        }
        if (action != PackageAction.STORE && actionParameter.length() > MAX_COMMAND_LENGTH) {
            throw new IllegalArgumentException(action.parameterName() + ": " + actionParameter.length()
                    + " characters (expected: at most " + MAX_COMMAND_LENGTH + "; the Windows agent drops longer ones)");
        }
        if (action == PackageAction.LAUNCH && os.isUnix()) {
            String file = actionParameter.strip().split(" ", 2)[0];
            if (file.contains("-")) {
                throw new IllegalArgumentException("command: " + file + " (expected: a file name without '-':"
                        + " the Unix agent cuts the name at the first '-' and fails with ERR_EXECUTE)");
            }
        }
    }

    /** A spec with OCS's defaults for everything but what each package needs. */
    public static PackageSpec of(String name, TargetOs os, PackageAction action, String actionParameter) {
        return new PackageSpec(name, "", os, FragmentProtocol.HTTP, DEFAULT_PRIORITY, action, actionParameter,
                Notification.NONE, PostCommand.NONE, Fragmentation.DEFAULT, DigestAlgorithm.MD5);
    }

    public PackageSpec withDescription(String value) {
        return new PackageSpec(name, value, os, protocol, priority, action, actionParameter, notification,
                postCommand, fragmentation, digest);
    }

    public PackageSpec withName(String value) {
        return new PackageSpec(value, description, os, protocol, priority, action, actionParameter, notification,
                postCommand, fragmentation, digest);
    }

    public PackageSpec withProtocol(FragmentProtocol value) {
        return new PackageSpec(name, description, os, value, priority, action, actionParameter, notification,
                postCommand, fragmentation, digest);
    }

    public PackageSpec withPriority(int value) {
        return new PackageSpec(name, description, os, protocol, value, action, actionParameter, notification,
                postCommand, fragmentation, digest);
    }

    public PackageSpec withNotification(Notification value) {
        return new PackageSpec(name, description, os, protocol, priority, action, actionParameter, value,
                postCommand, fragmentation, digest);
    }

    public PackageSpec withPostCommand(PostCommand value) {
        return new PackageSpec(name, description, os, protocol, priority, action, actionParameter, notification,
                value, fragmentation, digest);
    }

    public PackageSpec withFragmentation(Fragmentation value) {
        return new PackageSpec(name, description, os, protocol, priority, action, actionParameter, notification,
                postCommand, value, digest);
    }

    public PackageSpec withDigest(DigestAlgorithm value) {
        return new PackageSpec(name, description, os, protocol, priority, action, actionParameter, notification,
                postCommand, fragmentation, value);
    }

    /** Rejects control characters other than tab and line breaks, and over-long values. */
    static void checkText(String field, String value, int maxLength) {
        if (value == null) {
            throw new IllegalArgumentException(field + ": missing (expected: a text, possibly empty)");
        }
        if (value.length() > maxLength) {
            throw new IllegalArgumentException(field + ": " + value.length() + " characters (expected: at most "
                    + maxLength + ")");
        }
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            if (ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r' || ch == 0x7f) {
                throw new IllegalArgumentException(field + ": control character U+" + String.format("%04X", (int) ch)
                        + " at " + i + " (expected: printable text)");
            }
        }
    }
}
