package org.teledeploy.admin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API's bearer token: 32 random bytes, URL-safe base64 without padding, kept in
 * {@code <state.dir>/admin.token} (mode 0600) so that whoever can read the state dir's secrets, and nobody else,
 * can administer the server. The first start writes it atomically (never a half-written or briefly readable
 * file); later starts reuse it. Presented tokens are compared in constant time, so timing tells an attacker
 * nothing about how much of a guess was right.
 */
public final class AdminToken {

    private static final Logger log = LoggerFactory.getLogger(AdminToken.class);

    /** The file name under the state dir. */
    public static final String FILE_NAME = "admin.token";

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final int BYTES = 32;

    private final Path file;
    private final byte[] token;

    private AdminToken(Path file, byte[] token) {
        this.file = file;
        this.token = token;
    }

    /** Reads {@code <stateDir>/admin.token}, writing a new random token first if there is none. */
    public static AdminToken loadOrCreate(Path stateDir) {
        Path file = stateDir.resolve(FILE_NAME);
        try {
            if (!Files.exists(file)) {
                byte[] random = new byte[BYTES];
                new SecureRandom().nextBytes(random);
                writeAtomically(file, Base64.getUrlEncoder().withoutPadding().encodeToString(random) + "\n");
                log.info("Admin API token created in {} (mode 0600)", file);
            } else {
                restrict(file);
            }
            String value = Files.readString(file, StandardCharsets.US_ASCII).strip();
            if (value.length() < 16 || !value.matches("[A-Za-z0-9_\\-.~+/=]+")) {
                throw new IllegalStateException(FILE_NAME + ": " + file + " does not hold a token (expected: at least"
                        + " 16 URL-safe characters; delete the file to have a new one generated)");
            }
            return new AdminToken(file, value.getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(FILE_NAME + ": " + file + " (expected: a file that can be read and"
                    + " written: " + e.getMessage() + ")", e);
        }
    }

    /** Where the token is. */
    public Path file() {
        return file;
    }

    /**
     * Whether an {@code Authorization} header carries this token ({@code Bearer <token>}, the scheme in any
     * case). The comparison takes the same time wherever the first wrong byte is.
     */
    public boolean accepts(String authorization) {
        if (authorization == null) {
            return false;
        }
        String value = authorization.strip();
        if (value.length() < 7 || !value.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
            return false;
        }
        return matches(value.substring(7).strip());
    }

    /**
     * Whether {@code typed} is this token (as typed into the dashboard's login form), compared in constant time
     * like {@link #accepts}.
     */
    public boolean matches(String typed) {
        if (typed == null) {
            return false;
        }
        byte[] presented = typed.getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(presented, token);
    }

    /** Tightens an existing token file that others can read (a copy made with the wrong umask). */
    private static void restrict(Path file) throws IOException {
        if (!Files.getFileStore(file).supportsFileAttributeView("posix")) {
            return;
        }
        Set<PosixFilePermission> current = Files.getPosixFilePermissions(file);
        if (!current.equals(OWNER_ONLY)) {
            log.warn("{} had mode {}: set to rw------- (the token is a password)", file,
                    PosixFilePermissions.toString(current));
            Files.setPosixFilePermissions(file, OWNER_ONLY);
        }
    }

    /** Writes a temporary file created 0600, syncs it, renames it over {@code target}. */
    private static void writeAtomically(Path target, String content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        boolean posix = Files.getFileStore(dir).supportsFileAttributeView("posix");
        FileAttribute<?>[] attributes = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                : new FileAttribute<?>[0];
        Path temp = Files.createTempFile(dir, "." + FILE_NAME + ".", ".tmp", attributes);
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content.getBytes(StandardCharsets.US_ASCII));
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            temp = null;
        } finally {
            if (temp != null) {
                Files.deleteIfExists(temp);
            }
        }
    }
}
