package org.teledeploy.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.teledeploy.testing.MutableClock;

/**
 * The upload directory's life cycle without a server: chunks written in order and released, the periodic
 * clean-up by the server's clock (not the file system's), leftovers of a crash removed at start, and an upload
 * used once.
 */
class UploadStoreTest {

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-06-01T08:00:00Z"));
    private UploadStore store;

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    @Test
    void chunksAreWrittenInOrderAndReleased() {
        store = UploadStore.open(dir, 1 << 20, clock);
        UploadStore.Upload upload = store.begin("a.bin");
        ByteBuf first = Unpooled.copiedBuffer("hello ", StandardCharsets.US_ASCII);
        ByteBuf second = Unpooled.copiedBuffer("world", StandardCharsets.US_ASCII);
        upload.write(first);
        upload.write(second);
        assertEquals(11L, upload.finish().join());
        assertEquals(0, first.refCnt());
        assertEquals(0, second.refCnt());
        assertEquals("hello world", read(dir.resolve(upload.token)));
        assertFalse(Files.exists(upload.part));
    }

    @Test
    void atMostMaxConcurrentUploadsAreReceivedAtOnceAndEachFreesItsPlaceOnce() {
        store = UploadStore.open(dir, 1 << 20, 2, clock);
        UploadStore.Upload first = store.begin("a.bin");
        UploadStore.Upload second = store.begin("b.bin");
        ApiException refused = assertThrows(ApiException.class, () -> store.begin("c.bin"));
        assertEquals(429, refused.status().code());
        assertEquals("too_many", refused.code());
        assertEquals("5", refused.headers().get("Retry-After"));
        assertEquals("uploads: 2 in progress already, the most admin.upload.max.concurrent allows (expected: retry"
                + " once one has finished)", refused.detail());
        assertEquals(2, store.receiving(), "a refusal takes no place");

        first.write(Unpooled.copiedBuffer("x", StandardCharsets.US_ASCII));
        first.finish().join();
        assertEquals(1, store.receiving(), "a stored upload frees its place");
        UploadStore.Upload third = store.begin("c.bin");
        second.abort().join();
        second.abort().join();
        assertEquals(1, store.receiving(), "an aborted one too, once however often it is aborted");
        UploadStore.Upload empty = store.begin("d.bin");
        assertThrows(java.util.concurrent.CompletionException.class, () -> empty.finish().join(), "422: empty body");
        empty.abort().join();
        assertEquals(1, store.receiving(), "a failed finish followed by its abort frees one place");
        third.abort().join();
        assertEquals(0, store.receiving());
    }

    @Test
    void theHourlyCleanUpRemovesUploadsOlderThan24HoursOfTheServersClock() {
        store = UploadStore.open(dir, 1 << 20, clock);
        String old = stored("old");
        clock.advance(Duration.ofHours(20));
        String recent = stored("recent");
        clock.advance(Duration.ofHours(5));
        store.purge(false);
        assertFalse(Files.exists(dir.resolve(old)));
        assertTrue(Files.exists(dir.resolve(recent)));
        CompletionException e = assertThrows(CompletionException.class, () -> store.claim(old).join());
        assertEquals(404, assertInstanceOf(ApiException.class, e.getCause()).status().code());
    }

    @Test
    void anUploadIsClaimedOnceAndDeletedAfterUse() {
        store = UploadStore.open(dir, 1 << 20, clock);
        String token = stored("x");
        Path claimed = store.claim(token).join();
        assertEquals("x", read(claimed));
        CompletionException twice = assertThrows(CompletionException.class, () -> store.claim(token).join());
        assertEquals(404, ((ApiException) twice.getCause()).status().code());
        store.consumed(claimed).join();
        assertEquals(0, count());
        assertThrows(CompletionException.class, () -> store.claim("../../etc/passwd").join(), "not a token");
    }

    @Test
    void leftoversOfAnInterruptedRunAreRemovedAtStartAndAbortDeletesThePartialFile() throws Exception {
        Files.writeString(dir.resolve("AAAAAAAAAAAAAAAAAAAAAA.part"), "half");
        Files.writeString(dir.resolve("BBBBBBBBBBBBBBBBBBBBBB.claimed"), "building");
        store = UploadStore.open(dir, 1 << 20, clock);
        assertEquals(0, count());
        UploadStore.Upload upload = store.begin("y.bin");
        upload.write(Unpooled.copiedBuffer("partial", StandardCharsets.US_ASCII));
        upload.abort().join();
        assertEquals(0, count());
    }

    @Test
    void emptyUploadsAreRefused() {
        store = UploadStore.open(dir, 1 << 20, clock);
        CompletionException e = assertThrows(CompletionException.class, () -> store.begin("e").finish().join());
        assertEquals("body: empty (expected: the archive's bytes)", e.getCause().getMessage());
        assertEquals(0, count());
    }

    private String stored(String content) {
        UploadStore.Upload upload = store.begin(content + ".bin");
        upload.write(Unpooled.copiedBuffer(content, StandardCharsets.US_ASCII));
        upload.finish().join();
        return upload.token;
    }

    private long count() {
        try (Stream<Path> files = Files.list(dir)) {
            return files.count();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
