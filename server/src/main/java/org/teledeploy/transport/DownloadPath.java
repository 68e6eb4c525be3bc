package org.teledeploy.transport;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * A validated {@code /download} request path: {@code /download/<ID>/info} or {@code /download/<ID>/<ID>-<n>},
 * nothing else. It exists so that no file name is ever built from request text: the handler only ever gets a
 * digits-only package ID and a fragment number back, and asks the package for its files.
 *
 * @param packageId 1 to 19 ASCII digits
 * @param fragment 1 … 999 999 999, or 0 for the info file
 */
record DownloadPath(String packageId, int fragment) {

    /** The tree agents reach through the default INFO_LOC and PACK_LOC. */
    static final String ROOT = "/download";

    private static final int MAX_ID_DIGITS = 19;
    private static final int MAX_FRAGMENT_DIGITS = 9;
    private static final String EXPECTED = "expected /download/<ID>/info or /download/<ID>/<ID>-<n>";

    /** Whether {@code path} (without its query) is {@code /download} or below it, so this handler answers it. */
    static boolean isDownload(String path) {
        return path.equals(ROOT) || path.startsWith(ROOT + "/");
    }

    /**
     * Parses a path for which {@link #isDownload} is true.
     *
     * @throws DownloadRefusal 400 for anything but the two shapes, 404 when the file name's ID is not the
     *     directory's
     */
    static DownloadPath parse(String path) throws DownloadRefusal {
        rejectUnsafeCharacters(path);
        if (path.length() <= ROOT.length() + 1) {
            throw malformed("no package ID");
        }
        String rest = path.substring(ROOT.length() + 1);
        int slash = rest.indexOf('/');
        if (slash < 0) {
            throw malformed("no file name after the package ID");
        }
        String id = rest.substring(0, slash);
        String file = rest.substring(slash + 1);
        if (!isDigits(id, MAX_ID_DIGITS)) {
            throw malformed("the package ID must be 1 to " + MAX_ID_DIGITS + " digits");
        }
        if (file.equals("info")) {
            return new DownloadPath(id, 0);
        }
        int dash = file.indexOf('-');
        if (dash < 0 || file.indexOf('/') >= 0) {
            throw malformed("the file must be info or <ID>-<n>");
        }
        String fileId = file.substring(0, dash);
        String number = file.substring(dash + 1);
        if (!isDigits(fileId, MAX_ID_DIGITS)) {
            throw malformed("the file must be info or <ID>-<n>");
        }
        if (!isDigits(number, MAX_FRAGMENT_DIGITS) || number.charAt(0) == '0') {
            throw malformed("the fragment number must be 1 to " + MAX_FRAGMENT_DIGITS
                    + " digits without a leading zero");
        }
        if (!fileId.equals(id)) {
            throw new DownloadRefusal(HttpResponseStatus.NOT_FOUND,
                    "no file " + file + " in package " + id + " (its fragments are " + id + "-<n>)");
        }
        return new DownloadPath(id, Integer.parseInt(number));
    }

    /** The info file rather than a fragment. */
    boolean isInfo() {
        return fragment == 0;
    }

    private static void rejectUnsafeCharacters(String path) throws DownloadRefusal {
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '%') {
                throw malformed("percent-encoding is not accepted");
            }
            if (c == '\\') {
                throw malformed("backslash is not accepted");
            }
            if (c <= 0x20 || c >= 0x7F) {
                throw malformed("control, space or non-ASCII character");
            }
        }
        if (path.contains("..")) {
            throw malformed("'..' is not accepted");
        }
        if (path.contains("//")) {
            throw malformed("empty path segment");
        }
    }

    private static boolean isDigits(String s, int maxLength) {
        if (s.isEmpty() || s.length() > maxLength) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static DownloadRefusal malformed(String reason) {
        return new DownloadRefusal(HttpResponseStatus.BAD_REQUEST, "malformed download path: " + reason + "; " + EXPECTED);
    }
}
