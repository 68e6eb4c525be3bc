package org.teledeploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.RandomAccessFile;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.teledeploy.testing.TeledeployServerExtension;

/**
 * A 1 GiB upload streams end to end: the CLI's client and the server run in this JVM with a 256 MiB heap
 * (admin-cli/pom.xml), so holding the body in memory anywhere would fail with OutOfMemoryError.
 */
class CliUploadTest {

    @RegisterExtension
    final TeledeployServerExtension server = TeledeployServerExtension.create();

    @TempDir
    Path work;

    @Test
    void aOneGibSparseFileIsUploadedWithoutGrowingTheHeap() throws Exception {
        Path big = work.resolve("big.bin");
        long size = 1L << 30;
        try (RandomAccessFile file = new RandomAccessFile(big.toFile(), "rw")) {
            file.setLength(size);
        }
        long maxHeap = Runtime.getRuntime().maxMemory();
        assertEquals(true, maxHeap < size / 2, "the test needs a small heap, has " + maxHeap);
        ApiClient client = new ApiClient(URI.create("http://127.0.0.1:" + server.server().adminPort() + "/"),
                Files.readString(server.stateDir().resolve("admin.token")).strip());
        JsonNode upload = client.upload(big, null);
        assertEquals(size, upload.get("size").asLong());
        Path stored;
        try (var files = Files.list(server.stateDir().resolve("uploads"))) {
            stored = files.filter(Files::isRegularFile).findFirst().orElseThrow();
        }
        assertEquals(size, Files.size(stored));
    }
}
