package org.teledeploy.admin;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.teledeploy.config.Units;
import org.teledeploy.packages.DigestAlgorithm;
import org.teledeploy.packages.FragmentProtocol;
import org.teledeploy.packages.Fragmentation;
import org.teledeploy.packages.Notification;
import org.teledeploy.packages.PackageAction;
import org.teledeploy.packages.PackageSpec;
import org.teledeploy.packages.PostCommand;
import org.teledeploy.packages.TargetOs;

/**
 * The request bodies of the admin API, as records that Jackson fills strictly (unknown fields are a 400), and
 * their conversion to the services' types. Conversions throw {@link IllegalArgumentException} in the one message
 * shape ({@code "priority: 11 (expected: 0 to 10)"}), answered 422; field names are those of the JSON.
 */
final class Requests {

    private Requests() {}

    /** The Windows dialogs; on an edit, absent fields keep their value. */
    record NotificationBody(String text, Integer countdown, Boolean canAbort, Boolean canDelay, String doneText) {

        Notification over(Notification base) {
            OptionalInt seconds = countdown == null ? base.countdownSeconds() : OptionalInt.of(countdown);
            return renamed(() -> new Notification(text == null ? base.text() : text, seconds,
                    canAbort == null ? base.canAbort() : canAbort, canDelay == null ? base.canDelay() : canDelay,
                    doneText == null ? base.doneText() : doneText),
                    "notifyText", "notification.text", "notifyCountdown", "notification.countdown",
                    "doneText", "notification.doneText");
        }
    }

    /** {@code POST /packages}: the spec, and at most one source. */
    record CreatePackage(String name, String description, String os, String action, String command, String path,
                         Integer priority, String protocol, String digest, Integer fragments, JsonNode fragmentSize,
                         NotificationBody notification, String postCmd, String upload, String file, String dir) {

        PackageSpec spec() {
            if (name == null) {
                throw new IllegalArgumentException("name: missing (expected: a name for admins)");
            }
            TargetOs targetOs = TargetOs.parse(required("os", os, "windows, linux or mac"));
            PackageAction act = PackageAction.parse(required("action", action, "launch, execute or store"));
            boolean store = act == PackageAction.STORE;
            if ((store ? command : path) != null) {
                throw new IllegalArgumentException(store ? "command: given for a store package (expected: path)"
                        : "path: given for a " + Views.lower(act) + " package (expected: command)");
            }
            String parameter = required(act.parameterName(), store ? path : command,
                    "the " + act.infoAttribute() + " of a " + Views.lower(act) + " package");
            PackageSpec spec = PackageSpec.of(name, targetOs, act, parameter);
            if (description != null) {
                spec = spec.withDescription(description);
            }
            if (priority != null) {
                spec = spec.withPriority(priority);
            }
            if (protocol != null) {
                spec = spec.withProtocol(FragmentProtocol.parse(protocol));
            }
            if (digest != null) {
                spec = spec.withDigest(DigestAlgorithm.parse(digest));
            }
            spec = spec.withFragmentation(fragmentation());
            if (notification != null) {
                spec = spec.withNotification(notification.over(Notification.NONE));
            }
            if (postCmd != null) {
                spec = spec.withPostCommand(postCommand(postCmd));
            }
            return spec;
        }

        private Fragmentation fragmentation() {
            if (fragments != null && fragmentSize != null) {
                throw new IllegalArgumentException("fragments, fragmentSize: both given (expected: at most one)");
            }
            if ((fragments != null || fragmentSize != null) && upload == null && file == null && dir == null) {
                throw new IllegalArgumentException((fragments != null ? "fragments" : "fragmentSize")
                        + ": given without an archive (expected: upload, file or dir as well)");
            }
            if (fragments != null) {
                return Fragmentation.byCount(fragments);
            }
            if (fragmentSize == null) {
                return Fragmentation.DEFAULT;
            }
            return Fragmentation.bySize(size("fragmentSize", fragmentSize));
        }

        /** Where the payload comes from. */
        Source source() {
            long given = Stream.of(upload, file, dir).filter(s -> s != null).count();
            if (given > 1) {
                throw new IllegalArgumentException("upload, file, dir: " + given + " given (expected: at most one"
                        + " source)");
            }
            if (upload != null) {
                return new Source.Upload(upload);
            }
            if (file != null) {
                return new Source.File(absolute("file", file));
            }
            if (dir != null) {
                return new Source.Dir(absolute("dir", dir));
            }
            return new Source.None();
        }
    }

    /** The payload of a new package. */
    sealed interface Source {
        /** A token from {@code PUT /uploads/{fileName}}. */
        record Upload(String token) implements Source {}

        /** An archive on the server. */
        record File(Path path) implements Source {}

        /** A directory on the server, archived in the target OS's format. */
        record Dir(Path path) implements Source {}

        /** Command only. */
        record None() implements Source {}
    }

    /** {@code PATCH /packages/{id}}: what can change without a new ID. */
    record PatchPackage(String name, String description, Integer priority, NotificationBody notification,
                        String postCmd) {

        PackageSpec over(PackageSpec spec) {
            PackageSpec next = spec;
            if (name != null) {
                next = next.withName(name);
            }
            if (description != null) {
                next = next.withDescription(description);
            }
            if (priority != null) {
                next = next.withPriority(priority);
            }
            if (notification != null) {
                next = next.withNotification(notification.over(spec.notification()));
            }
            if (postCmd != null) {
                next = next.withPostCommand(postCommand(postCmd));
            }
            return next;
        }
    }

    /** {@code POST /packages/{id}/activate}: locations other than the defaults. */
    record Activate(String infoUrl, String fragUrl) {}

    /** {@code POST /packages/import}. */
    record Import(String dir) {
        Path path() {
            return absolute("dir", required("dir", dir, "an OCS download directory on the server"));
        }
    }

    /** {@code POST /packages/{id}/deploy}. */
    record Deploy(List<String> devices, String where, String group, Boolean force, String at, String postCmd,
                  Boolean dryRun) {
        Optional<Instant> notBefore() {
            if (at == null) {
                return Optional.empty();
            }
            try {
                return Optional.of(Instant.parse(at));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("at: " + at + " (expected: an ISO-8601 UTC time such as"
                        + " 2026-12-24T18:00:00Z)");
            }
        }
    }

    /** {@code POST /packages/{id}/undeploy}: a target, or {@code notNotified} for every waiting device. */
    record Undeploy(List<String> devices, String where, String group, Boolean onlyWaiting, Boolean notNotified) {}

    /** {@code POST /packages/{id}/reset}: a target, or {@code status}, a pattern of the states to reset. */
    record Reset(List<String> devices, String where, String group, Boolean force, String status) {}

    /** {@code PUT .../settings/{PARAM}}. */
    record SettingValue(Integer value) {
        int required() {
            if (value == null) {
                throw new IllegalArgumentException("value: missing (expected: an integer)");
            }
            return value;
        }
    }

    /** {@code POST /groups}: static without {@code where}. */
    record CreateGroup(String name, String where) {}

    /** {@code POST /groups/{name}/members}. */
    record Members(List<String> devices, Boolean exclude) {}

    /** {@code POST /network/devices/{id}/elect}: optionally the subnet to discover (one the device is on). */
    record Elect(String subnet) {}

    static boolean isTrue(Boolean value) {
        return value != null && value;
    }

    static String required(String field, String value, String expected) {
        if (value == null) {
            throw new IllegalArgumentException(field + ": missing (expected: " + expected + ")");
        }
        return value;
    }

    /** none, reboot or shutdown. */
    static PostCommand postCommand(String value) {
        return renamed(() -> PostCommand.parse(value), "postCommand", "postCmd");
    }

    /** Bytes as a JSON integer, or a size with a binary suffix ({@code "4m"}). */
    static long size(String field, JsonNode value) {
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return value.asLong();
        }
        if (value.isTextual()) {
            try {
                return Units.parseSize(value.asText());
            } catch (IllegalArgumentException | ArithmeticException e) {
                // refused below
            }
        }
        throw new IllegalArgumentException(field + ": " + value + " (expected: bytes, or a size such as 4m)");
    }

    private static Path absolute(String field, String value) {
        Path path = Path.of(value);
        if (!path.isAbsolute()) {
            throw new IllegalArgumentException(field + ": " + value + " (expected: an absolute path on the server)");
        }
        return path.normalize();
    }

    /** Runs a conversion whose messages name fields as the services do, renaming them as the JSON does. */
    private static <T> T renamed(Supplier<T> conversion, String... fromTo) {
        try {
            return conversion.get();
        } catch (IllegalArgumentException e) {
            String message = String.valueOf(e.getMessage());
            for (int i = 0; i < fromTo.length; i += 2) {
                if (message.startsWith(fromTo[i] + ":")) {
                    throw new IllegalArgumentException(fromTo[i + 1] + message.substring(fromTo[i].length()), e);
                }
            }
            throw e;
        }
    }
}
