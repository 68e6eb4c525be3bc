package org.teledeploy.registry;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.teledeploy.protocol.XmlNode;
import org.teledeploy.store.StoreReader;
import org.teledeploy.store.StoreWriter;

/**
 * The device registry: every known device's {@link DeviceSummary} in memory (PROLOG decisions never touch the
 * database), kept current by the same methods that write to the store.
 *
 * <p>Inventories are acknowledged only once committed ({@link #storeInventory} completes after the commit).
 * Contact times from PROLOGs are written in the background, in bulk ({@link ContactRecorder}): losing the last
 * few on a crash costs nothing.
 */
public final class DeviceRegistry {

    private static final Logger log = LoggerFactory.getLogger(DeviceRegistry.class);

    /** Contacts waiting for the store at most (a few seconds of PROLOGs at full speed). */
    private static final int MAX_QUEUED_CONTACTS = 200_000;

    private final ConcurrentMap<String, DeviceSummary> devices;
    private final StoreWriter writer;
    private final StoreReader reader;
    private final Clock clock;
    private final boolean keepDownloadHistory;
    private final InventoryTrigger trigger;
    private final ContactRecorder contacts;

    private DeviceRegistry(ConcurrentMap<String, DeviceSummary> devices, StoreWriter writer, StoreReader reader,
                           Clock clock, boolean keepDownloadHistory, InventoryTrigger trigger) {
        this.devices = devices;
        this.writer = writer;
        this.reader = reader;
        this.clock = clock;
        this.keepDownloadHistory = keepDownloadHistory;
        this.trigger = trigger;
        this.contacts = new ContactRecorder(writer, MAX_QUEUED_CONTACTS);
    }

    /**
     * Loads every device summary from the store (blocking; at start only).
     *
     * @param keepDownloadHistory replace the stored package history at every inventory (OCS does when DOWNLOAD=1)
     * @param trigger runs inside every inventory's transaction (dynamic groups)
     */
    public static DeviceRegistry load(StoreWriter writer, StoreReader reader, Clock clock, boolean keepDownloadHistory,
                                      InventoryTrigger trigger) {
        ConcurrentMap<String, DeviceSummary> devices = new ConcurrentHashMap<>();
        for (DeviceSummary s : reader.readNow(DeviceStore::loadSummaries)) {
            devices.put(s.deviceId(), s);
        }
        log.info("Device registry loaded: {} devices", devices.size());
        return new DeviceRegistry(devices, writer, reader, clock, keepDownloadHistory, trigger);
    }

    public Optional<DeviceSummary> find(String deviceId) {
        return Optional.ofNullable(devices.get(deviceId));
    }

    public int size() {
        return devices.size();
    }

    /**
     * A PROLOG from {@code deviceId}: a known device's last contact and User-Agent are updated in memory at once
     * and in the store in the background. Unknown devices are not created (only an inventory creates one).
     */
    public void recordContact(String deviceId, String userAgent) {
        long now = clock.millis();
        DeviceSummary updated = devices.computeIfPresent(deviceId, (k, s) -> s.contacted(now, userAgent));
        if (updated == null) {
            return;
        }
        contacts.record(updated.id(), now, updated.userAgent());
    }

    /** Stores an inventory; the future completes after the commit, with the device's new summary. */
    public CompletableFuture<DeviceSummary> storeInventory(String deviceId, String userAgent, Inventory inventory) {
        return storeInventory(deviceId, userAgent, inventory, Optional.empty());
    }

    /**
     * Stores an inventory and hands its CONTENT to the inventory trigger (sections the registry does not keep,
     * such as IPDISCOVER, are read there, in the same transaction).
     */
    public CompletableFuture<DeviceSummary> storeInventory(String deviceId, String userAgent, Inventory inventory,
                                                           Optional<XmlNode> content) {
        long now = clock.millis();
        return writer.submit(c -> {
            DeviceStore.Stored stored = DeviceStore.storeInventory(c, deviceId, userAgent, inventory, now,
                    keepDownloadHistory);
            return new Committed(stored, trigger.afterInventory(c, stored.summary().id(), content, now));
        }).thenApply(committed -> {
            DeviceStore.Stored stored = committed.stored();
            stored.mergedDeviceId().ifPresent(devices::remove);
            devices.put(deviceId, stored.summary());
            committed.afterCommit().run();
            return stored.summary();
        });
    }

    /** An inventory's transaction result, and what to do in memory once it committed. */
    private record Committed(DeviceStore.Stored stored, Runnable afterCommit) {}

    /** The full stored record of a device (read from the database, off the event loop). */
    public CompletableFuture<Optional<DeviceRecord>> details(String deviceId) {
        return reader.read(c -> DeviceStore.load(c, deviceId));
    }
}
