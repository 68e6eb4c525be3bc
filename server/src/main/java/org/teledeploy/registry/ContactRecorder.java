package org.teledeploy.registry;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.teledeploy.store.StoreWriter;

/**
 * Writes the contacts of PROLOGs to the store in bulk: contacts queue up in memory and one store write takes all
 * of them, in arrival order, through one prepared statement. While the writer is busy with a commit, the next
 * write gathers everything that arrived meanwhile, so the cost per PROLOG is a queue insert, not a write of its
 * own (a write per PROLOG made the writer thread the PROLOG bottleneck).
 *
 * <p>Losing queued contacts costs nothing (the next PROLOG records it again): past {@code maxQueued} contacts
 * waiting, new ones are dropped and counted rather than growing the heap.
 */
final class ContactRecorder {

    private static final Logger log = LoggerFactory.getLogger(ContactRecorder.class);

    /** One PROLOG of a known device. */
    record Contact(long id, long at, String userAgent) {}

    private final StoreWriter writer;
    private final int maxQueued;
    private final Queue<Contact> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean flushScheduled = new AtomicBoolean();
    private final AtomicInteger dropped = new AtomicInteger();

    ContactRecorder(StoreWriter writer, int maxQueued) {
        if (maxQueued <= 0) {
            throw new IllegalArgumentException("maxQueued: " + maxQueued + " (expected: > 0)");
        }
        this.writer = writer;
        this.maxQueued = maxQueued;
    }

    void record(long id, long at, String userAgent) {
        if (queued.incrementAndGet() > maxQueued) {
            queued.decrementAndGet();
            if (dropped.getAndIncrement() % 10_000 == 0) {
                log.debug("Contact queue full ({} waiting): contacts dropped", maxQueued);
            }
            return;
        }
        queue.add(new Contact(id, at, userAgent));
        if (flushScheduled.compareAndSet(false, true)) {
            writer.<Void>submit(this::flush).exceptionally(e -> {
                // Harmless to lose (the next PROLOG records it again); debug only, or an overload would flood the log.
                log.debug("Could not record contacts: {}", e.getMessage());
                flushScheduled.set(false);
                return null;
            });
        }
    }

    private Void flush(Connection c) throws SQLException {
        flushScheduled.set(false); // from here on a new contact schedules the next flush
        try (PreparedStatement ps = c.prepareStatement(DeviceStore.UPDATE_CONTACT)) {
            int n = 0;
            Contact contact;
            while ((contact = queue.poll()) != null) {
                queued.decrementAndGet();
                DeviceStore.bindContact(ps, contact.id(), contact.at(), contact.userAgent());
                ps.addBatch();
                n++;
            }
            if (n > 0) {
                ps.executeBatch();
            }
        }
        return null;
    }
}
