package org.teledeploy.admin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.teledeploy.testing.AdminClient.j;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.teledeploy.testing.AdminClient;
import org.teledeploy.testing.AdminClient.Reply;
import org.teledeploy.testing.TeledeployServerExtension;

/**
 * The package calls of the admin API against a real server: uploads (streamed, limited, used once), creation
 * from an upload, a server file, a server directory or nothing, show, list, edit, activate, deactivate, delete,
 * OCS import, and every error status with its one shape.
 */
class AdminPackagesApiTest {

    private static final String ISO = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z";

    @RegisterExtension
    final TeledeployServerExtension server = TeledeployServerExtension.create().with("admin.upload.max.size", "64k");

    private final AdminClient admin = new AdminClient(server);

    @TempDir
    Path work;

    @Test
    void uploadCreateActivateShowListEditDeactivateDelete() throws Exception {
        byte[] archive = AdminClient.tarGz(Map.of("install.sh", "#!/bin/sh\necho installed\n", "data.txt", "x".repeat(5000)));
        Reply uploaded = admin.send("PUT", "/api/v1/uploads/app%20v1.tar.gz", BodyPublishers.ofByteArray(archive));
        assertEquals(201, uploaded.status(), uploaded.toString());
        String token = uploaded.json().get("upload").asText();
        assertTrue(token.matches("[A-Za-z0-9_-]{22}"), token);
        assertEquals(archive.length, uploaded.json().get("size").asLong());
        assertEquals("app v1.tar.gz", uploaded.json().get("fileName").asText());
        assertArrayEquals(archive, Files.readAllBytes(uploads().resolve(token)));

        Reply created = admin.post("/api/v1/packages", j("{'name': 'app', 'os': 'linux', 'action': 'execute',"
                + " 'command': './install.sh', 'fragments': 2, 'upload': '" + token + "'}"));
        assertEquals(201, created.status(), created.toString());
        JsonNode p = created.json();
        String id = p.get("id").asText();
        assertTrue(id.matches("\\d{10}"), id);
        assertEquals(List.of("id", "name", "description", "os", "protocol", "priority", "action", "command", "path",
                "notification", "postCmd", "digestAlgorithm", "digest", "archiveSize", "fragments", "origin", "createdAt",
                "updatedAt", "broken", "corruptFragments", "activation"), fieldNames(p));
        assertEquals("app", p.get("name").asText());
        assertEquals("linux", p.get("os").asText());
        assertEquals("http", p.get("protocol").asText());
        assertEquals(5, p.get("priority").asInt());
        assertEquals("execute", p.get("action").asText());
        assertEquals("./install.sh", p.get("command").asText());
        assertTrue(p.get("path").isNull());
        assertEquals(j("{'text':'','countdown':null,'canAbort':false,'canDelay':false,'doneText':''}"),
                p.get("notification").toString());
        assertEquals("none", p.get("postCmd").asText());
        assertEquals("md5", p.get("digestAlgorithm").asText());
        assertEquals(md5(archive), p.get("digest").asText());
        assertEquals(archive.length, p.get("archiveSize").asLong());
        assertEquals(2, p.get("fragments").asInt());
        assertEquals("built", p.get("origin").asText());
        assertTrue(p.get("createdAt").asText().matches(ISO), p.toString());
        assertTrue(p.get("broken").isNull());
        assertTrue(p.get("activation").isNull());
        assertEquals(0, count(uploads()), "the upload is consumed");
        assertEquals("not_found: no upload " + token + " (expected: the token of a PUT /api/v1/uploads/{fileName},"
                + " unused and at most 24 h old)", admin.post("/api/v1/packages", j("{'name': 'again', 'os': 'linux',"
                + " 'action': 'execute', 'command': 'x', 'upload': '" + token + "'}")).error());

        assertEquals(p, admin.get("/api/v1/packages/" + id).json());
        Reply activated = admin.post("/api/v1/packages/" + id + "/activate", "");
        assertEquals(200, activated.status(), activated.toString());
        JsonNode activation = activated.json().get("activation");
        assertEquals(server.server().downloadLocations().infoLocation(), activation.get("infoUrl").asText());
        assertEquals(server.server().downloadLocations().fragmentLocation(), activation.get("fragUrl").asText());
        assertTrue(activation.get("activatedAt").asText().matches(ISO));
        assertTrue(server.server().deployments().index().activation(id).isPresent(), "offered from now on");
        JsonNode list = admin.get("/api/v1/packages").json();
        assertEquals(1, list.size());
        assertEquals(activation, list.get(0).get("activation"));

        Reply edited = admin.patch("/api/v1/packages/" + id, j("{'name': 'app2', 'priority': 3, 'postCmd': 'reboot',"
                + " 'notification': {'text': 'Installing app', 'canDelay': true}}"));
        assertEquals(200, edited.status(), edited.toString());
        assertEquals("app2", edited.json().get("name").asText());
        assertEquals(3, edited.json().get("priority").asInt());
        assertEquals("reboot", edited.json().get("postCmd").asText());
        assertEquals("Installing app", edited.json().get("notification").get("text").asText());
        assertTrue(edited.json().get("notification").get("canDelay").asBoolean());
        assertEquals(activation, edited.json().get("activation"), "still activated");
        assertEquals(3, server.server().packages().get(id).orElseThrow().spec().priority());
        assertEquals("invalid: priority: 11 (expected: 0 to 10)",
                admin.patch("/api/v1/packages/" + id, j("{'priority': 11}")).error());
        assertEquals(422, admin.patch("/api/v1/packages/" + id, j("{'priority': 11}")).status());

        Reply deactivated = admin.post("/api/v1/packages/" + id + "/deactivate", "");
        assertEquals(200, deactivated.status());
        assertTrue(deactivated.json().get("activation").isNull());
        assertTrue(admin.get("/api/v1/packages/" + id).json().get("activation").isNull());
        assertTrue(server.server().deployments().index().activation(id).isEmpty());

        Reply deleted = admin.delete("/api/v1/packages/" + id);
        assertEquals(200, deleted.status());
        assertEquals(id, deleted.json().get("id").asText());
        assertEquals("not_found: no package " + id, admin.get("/api/v1/packages/" + id).error());
        assertEquals(404, admin.get("/api/v1/packages/" + id).status());
        assertEquals("[]", admin.get("/api/v1/packages").body());
        assertFalse(Files.exists(server.stateDir().resolve("packages").resolve(id)));
    }

    @Test
    void createFromAServerDirectoryAServerFileAndNothing() throws Exception {
        Path dir = Files.createDirectories(work.resolve("app"));
        Files.writeString(dir.resolve("readme.txt"), "hello\n");
        Reply fromDir = admin.post("/api/v1/packages", j("{'name': 'from-dir', 'os': 'linux', 'action': 'store',"
                + " 'path': '/opt/app', 'fragmentSize': '1k', 'dir': '" + dir + "'}"));
        assertEquals(201, fromDir.status(), fromDir.toString());
        assertEquals("/opt/app", fromDir.json().get("path").asText());
        assertTrue(fromDir.json().get("command").isNull());
        assertTrue(fromDir.json().get("archiveSize").asLong() > 0);

        Path file = work.resolve("app.tar.gz");
        Files.write(file, AdminClient.tarGz(Map.of("a.txt", "a")));
        Reply fromFile = admin.post("/api/v1/packages", j("{'name': 'from-file', 'os': 'mac', 'action': 'launch',"
                + " 'command': 'a.txt', 'digest': 'sha1', 'protocol': 'https', 'file': '" + file + "'}"));
        assertEquals(201, fromFile.status(), fromFile.toString());
        assertEquals(Files.size(file), fromFile.json().get("archiveSize").asLong());
        assertEquals("sha1", fromFile.json().get("digestAlgorithm").asText());
        assertEquals("https", fromFile.json().get("protocol").asText());
        assertTrue(Files.exists(file), "a server file is read, not consumed");

        Reply commandOnly = admin.post("/api/v1/packages", j("{'name': 'cmd', 'description': 'just a command',"
                + " 'os': 'windows', 'action': 'execute', 'command': 'ipconfig /flushdns', 'priority': 0}"));
        assertEquals(201, commandOnly.status(), commandOnly.toString());
        assertEquals(0, commandOnly.json().get("fragments").asInt());
        assertEquals(0, commandOnly.json().get("archiveSize").asLong());
        assertEquals("", commandOnly.json().get("digest").asText());
        assertEquals("just a command", commandOnly.json().get("description").asText());

        JsonNode list = admin.get("/api/v1/packages").json();
        assertEquals(List.of("from-dir", "from-file", "cmd"), List.of(list.get(0).get("name").asText(),
                list.get(1).get("name").asText(), list.get(2).get("name").asText()), "in ID order");
        assertTrue(list.get(0).get("id").asLong() < list.get(1).get("id").asLong());
    }

    @Test
    void wellFormedButInvalidSpecsAre422NamingTheField() throws Exception {
        String base = "'name': 'x', 'os': 'linux', 'action': 'execute', 'command': 'run'";
        assertInvalid("priority: 11 (expected: 0 to 10)", "{" + base + ", 'priority': 11}");
        assertInvalid("fragments, fragmentSize: both given (expected: at most one)",
                "{" + base + ", 'fragments': 2, 'fragmentSize': '4m', 'dir': '/tmp'}");
        assertInvalid("fragmentSize: \"huge\" (expected: bytes, or a size such as 4m)",
                "{" + base + ", 'fragmentSize': 'huge', 'dir': '/tmp'}");
        assertInvalid("os: missing (expected: windows, linux or mac)", "{'name': 'x', 'action': 'store', 'path': '/x'}");
        assertInvalid("os: beos (expected: windows, linux or mac)", "{" + base.replace("linux", "beos") + "}");
        assertInvalid("path: given for a execute package (expected: command)", "{" + base + ", 'path': '/x'}");
        assertInvalid("file: app.tar.gz (expected: an absolute path on the server)", "{" + base + ", 'file': 'app.tar.gz'}");
        assertInvalid("upload, file, dir: 2 given (expected: at most one source)",
                "{" + base + ", 'file': '/a.tar.gz', 'dir': '/tmp'}");
        assertInvalid("postCmd: later (expected: none, reboot or shutdown)", "{" + base + ", 'postCmd': 'later'}");

        String notAnArchive = admin.uploadBytes("notes.txt", "just some text\n".getBytes(StandardCharsets.UTF_8));
        Reply refused = admin.post("/api/v1/packages", j("{" + base + ", 'upload': '" + notAnArchive + "'}"));
        assertEquals(422, refused.status(), refused.toString());
        assertEquals("invalid: upload: " + notAnArchive + " is not an archive (expected: a zip for Windows, a tar.gz"
                + " for Linux/Mac; or give a directory)", refused.error());
        assertEquals(0, count(uploads()), "a refused upload is consumed too");
        assertEquals("[]", admin.get("/api/v1/packages").body(), "nothing was created");
    }

    @Test
    void malformedJsonUnknownFieldsAndWrongTypesAre400() {
        assertBadRequest("body: empty (expected: a JSON object)", "");
        assertTrue(admin.post("/api/v1/packages", "{'name").error().startsWith("bad_request: body: malformed JSON ("),
                admin.post("/api/v1/packages", "{'name").body());
        assertBadRequest("nmae: unknown field (expected: one of action, command, description, digest, dir, file,"
                + " fragmentSize, fragments, name, notification, os, path, postCmd, priority, protocol, upload)",
                j("{'nmae': 'x'}"));
        assertBadRequest("notification.txt: unknown field (expected: one of canAbort, canDelay, countdown, doneText,"
                + " text)", j("{'name': 'x', 'notification': {'txt': 'hello'}}"));
        assertBadRequest("priority: wrong type (expected: an integer)", j("{'priority': 'high'}"));
        assertBadRequest("priority: wrong type (expected: an integer)", j("{'priority': 5.5}"));
        assertBadRequest("name: wrong type (expected: a string)", j("{'name': 5}"));
        assertBadRequest("body: wrong type (expected: an object)", "[]");
        assertBadRequest("body: null (expected: a JSON object)", "null");
        Reply trailing = admin.post("/api/v1/packages", j("{'name': 'x'} {}"));
        assertEquals(400, trailing.status(), trailing.toString());
    }

    @Test
    void uploadsOverTheLimitAre413AndLeaveNoFile() {
        byte[] big = new byte[100 * 1024];
        Reply announced = admin.send("PUT", "/api/v1/uploads/big.tar.gz", BodyPublishers.ofByteArray(big));
        assertEquals(413, announced.status(), announced.toString());
        assertEquals("too_large: upload: 102400 bytes, over admin.upload.max.size (65536 bytes)", announced.error());
        assertEquals(0, count(uploads()));

        // Chunked: the size is discovered while the file is being written; the partial file is removed.
        Reply streamed = admin.send("PUT", "/api/v1/uploads/big.tar.gz",
                BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(new byte[300 * 1024])));
        assertEquals(413, streamed.status(), streamed.toString());
        assertEquals("too_large: upload: over admin.upload.max.size (65536 bytes)", streamed.error());
        assertEquals(0, count(uploads()), "the partial file is gone");

        Reply atTheLimit = admin.send("PUT", "/api/v1/uploads/ok.bin",
                BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(new byte[64 * 1024])));
        assertEquals(201, atTheLimit.status(), "exactly admin.upload.max.size is fine");
        assertEquals(1, count(uploads()));

        Reply json = admin.post("/api/v1/packages", "{\"name\": \"" + "x".repeat(1_100_000) + "\"}");
        assertEquals(413, json.status());
        assertEquals("too_large: body: over 1048576 bytes (expected: a small JSON object; archives go to PUT"
                + " /api/v1/uploads/{fileName})", json.error());
        assertEquals(200, admin.get("/api/v1/packages").status(), "the server is fine afterwards");
    }

    @Test
    void badUploadRequests() {
        assertEquals("invalid: body: empty (expected: the archive's bytes)",
                admin.send("PUT", "/api/v1/uploads/empty.tar.gz", BodyPublishers.noBody()).error());
        assertEquals("invalid: fileName: \"a/b\" (expected: a file name, 1-255 characters, without / \\ or control"
                + " characters)", admin.send("PUT", "/api/v1/uploads/a%2Fb", BodyPublishers.ofString("x")).error());
        assertEquals(404, admin.send("PUT", "/api/v1/uploads/a/b", BodyPublishers.ofString("x")).status());
        Reply post = admin.post("/api/v1/uploads/a.tar.gz", "x");
        assertEquals(405, post.status());
        assertEquals("PUT", post.header("Allow"));
        assertEquals(0, count(uploads()));
    }

    @Test
    void importAnOcsDirectoryThenTheSameIdsConflict() throws Exception {
        Path ocs = work.resolve("download");
        byte[] archive = AdminClient.tarGz(Map.of("app", "application"));
        Path pkg = Files.createDirectories(ocs.resolve("1700000001"));
        Files.write(pkg.resolve("1700000001-1"), archive);
        Files.writeString(pkg.resolve("info"), "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<DOWNLOAD ID=\"1700000001\""
                + " PRI=\"5\" ACT=\"STORE\" DIGEST=\"" + md5(archive) + "\" PROTO=\"HTTP\" FRAGS=\"1\" DIGEST_ALGO=\"MD5\""
                + " DIGEST_ENCODE=\"Hexa\" PATH=\"/tmp/ocs\" NOTIFY_USER=\"0\" NOTIFY_TEXT=\"\" NOTIFY_COUNTDOWN=\"\""
                + " NOTIFY_CAN_ABORT=\"0\" NOTIFY_CAN_DELAY=\"0\" NEED_DONE_ACTION=\"0\" NEED_DONE_ACTION_TEXT=\"\""
                + " GARDEFOU=\"rien\" />\n");
        Reply imported = admin.post("/api/v1/packages/import", j("{'dir': '" + ocs + "'}"));
        assertEquals(200, imported.status(), imported.toString());
        JsonNode outcome = imported.json().get(0);
        assertEquals(1, imported.json().size());
        assertEquals("1700000001", outcome.get("id").asText());
        assertEquals("imported", outcome.get("imported").get("origin").asText());
        assertEquals("/tmp/ocs", outcome.get("imported").get("path").asText());
        assertTrue(outcome.get("error").isNull());

        Reply again = admin.post("/api/v1/packages/import", j("{'dir': '" + ocs + "'}"));
        assertEquals(200, again.status(), "a directory of packages answers one outcome each");
        assertTrue(again.json().get(0).get("imported").isNull());
        assertEquals("package 1700000001 exists already (IDs are never reused)",
                again.json().get(0).get("error").asText());
        Reply one = admin.post("/api/v1/packages/import", j("{'dir': '" + pkg + "'}"));
        assertEquals(409, one.status(), one.toString());
        assertEquals("conflict: package 1700000001 exists already (IDs are never reused)", one.error());
        assertEquals("invalid: dir: " + work.resolve("none") + " (expected: an OCS download directory)",
                admin.post("/api/v1/packages/import", j("{'dir': '" + work.resolve("none") + "'}")).error());
        assertEquals("invalid: dir: missing (expected: an OCS download directory on the server)",
                admin.post("/api/v1/packages/import", "{}").error());
    }

    @Test
    void aBrokenPackageIsShownAndCannotBeActivated() throws Exception {
        String token = admin.uploadBytes("a.tar.gz", AdminClient.tarGz(Map.of("a", "a".repeat(3000))));
        String id = admin.post("/api/v1/packages", j("{'name': 'a', 'os': 'linux', 'action': 'store', 'path': '/a',"
                + " 'upload': '" + token + "'}")).json().get("id").asText();
        Files.write(server.stateDir().resolve("packages").resolve(id).resolve(id + "-1"), new byte[] {1, 2, 3});
        server.restart();
        JsonNode broken = admin.get("/api/v1/packages/" + id).json();
        assertFalse(broken.get("broken").isNull(), broken.toString());
        Reply refused = admin.post("/api/v1/packages/" + id + "/activate", "{}");
        assertEquals(409, refused.status());
        assertTrue(refused.error().startsWith("conflict: package " + id + " is broken ("), refused.error());
    }

    @Test
    void unknownPackagesPathsAndMethods() {
        assertEquals("not_found: no package 42", admin.get("/api/v1/packages/42").error());
        assertEquals(404, admin.post("/api/v1/packages/42/activate", "").status());
        assertEquals(404, admin.post("/api/v1/packages/42/deactivate", "").status());
        assertEquals(404, admin.get("/api/v1/packages/42/statistics").status());
        assertEquals(404, admin.delete("/api/v1/packages/42").status());
        assertEquals(404, admin.patch("/api/v1/packages/42", "{}").status());
        Reply nowhere = admin.get("/api/v1/nowhere");
        assertEquals("not_found: no such path: /api/v1/nowhere (see docs/admin-api.md)", nowhere.error());
        Reply put = admin.put("/api/v1/packages", "{}");
        assertEquals(405, put.status());
        assertEquals("GET, POST", put.header("Allow"));
        assertEquals("method_not_allowed: method PUT not allowed on /api/v1/packages (expected: GET, POST)", put.error());
        assertEquals("bad_request: sort: unknown query parameter (expected: none)",
                admin.get("/api/v1/packages?sort=name").error());
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private void assertInvalid(String detail, String singleQuotedJson) {
        Reply r = admin.post("/api/v1/packages", j(singleQuotedJson));
        assertEquals(422, r.status(), r.toString());
        assertEquals("invalid: " + detail, r.error());
    }

    private void assertBadRequest(String detail, String json) {
        Reply r = admin.post("/api/v1/packages", json);
        assertEquals(400, r.status(), r.toString());
        assertEquals("bad_request: " + detail, r.error());
    }

    private Path uploads() {
        return server.stateDir().resolve("uploads");
    }

    private static long count(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.count();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    static String md5(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
    }
}
