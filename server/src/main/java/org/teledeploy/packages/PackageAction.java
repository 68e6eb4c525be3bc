package org.teledeploy.packages;

import java.util.Locale;

/**
 * What the agent does with a package once downloaded (shared/ocs-protocol.md §4.6), and the info attribute that
 * carries its parameter: LAUNCH runs a file of the archive ({@code NAME}), EXECUTE runs a command in the
 * extraction directory ({@code COMMAND}), STORE copies the files to a directory ({@code PATH}).
 */
public enum PackageAction {
    LAUNCH("NAME", "command"),
    EXECUTE("COMMAND", "command"),
    STORE("PATH", "path");

    private final String infoAttribute;
    private final String parameterName;

    PackageAction(String infoAttribute, String parameterName) {
        this.infoAttribute = infoAttribute;
        this.parameterName = parameterName;
    }

    /** NAME, COMMAND or PATH. */
    public String infoAttribute() {
        return infoAttribute;
    }

    /** How the parameter is called in messages and options: {@code command} or {@code path}. */
    public String parameterName() {
        return parameterName;
    }

    public static PackageAction parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("action: " + value + " (expected: launch, execute or store)");
        }
    }

    /** The action whose info attribute is {@code attribute} (NAME, COMMAND, PATH), for imports. */
    static PackageAction fromInfo(String act) {
        for (PackageAction a : values()) {
            if (a.name().equals(act)) {
                return a;
            }
        }
        throw new IllegalArgumentException("ACT: " + act + " (expected: LAUNCH, EXECUTE or STORE)");
    }
}
