-- Device registry: one row per agent installation (DEVICEID), with the facts deployment targets on.
CREATE TABLE devices (
    id             INTEGER PRIMARY KEY,
    deviceid       TEXT    NOT NULL UNIQUE,
    name           TEXT,
    os_name        TEXT,
    os_version     TEXT,
    os_comments    TEXT,
    arch           TEXT,
    ip_address     TEXT,
    user_id        TEXT,
    workgroup      TEXT,
    user_domain    TEXT,
    tag            TEXT,
    serial         TEXT,
    manufacturer   TEXT,
    model          TEXT,
    uuid           TEXT,
    user_agent     TEXT,
    first_contact  INTEGER NOT NULL,
    last_contact   INTEGER NOT NULL,
    last_inventory INTEGER,
    software_count INTEGER NOT NULL DEFAULT 0,
    software_hash  TEXT
);
CREATE INDEX devices_name ON devices (name);
CREATE INDEX devices_os_name ON devices (os_name);

CREATE TABLE device_networks (
    device_id   INTEGER NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
    description TEXT,
    ip_address  TEXT,
    ip_mask     TEXT,
    ip_subnet   TEXT,
    ip_gateway  TEXT,
    mac_address TEXT,
    status      TEXT,
    type        TEXT
);
CREATE INDEX device_networks_device ON device_networks (device_id);
CREATE INDEX device_networks_mac ON device_networks (mac_address);

-- Software is a dictionary shared by all devices: a fleet has far fewer distinct titles than installations.
CREATE TABLE software (
    id        INTEGER PRIMARY KEY,
    name      TEXT NOT NULL,
    version   TEXT NOT NULL,
    publisher TEXT NOT NULL,
    arch      TEXT NOT NULL,
    UNIQUE (name, version, publisher, arch)
);
CREATE TABLE device_software (
    device_id   INTEGER NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
    software_id INTEGER NOT NULL REFERENCES software (id),
    PRIMARY KEY (device_id, software_id)
) WITHOUT ROWID;
CREATE INDEX device_software_software ON device_software (software_id);

-- Package IDs the agent reports as installed (CONTENT/DOWNLOAD/HISTORY), replaced at every inventory.
CREATE TABLE device_download_history (
    device_id  INTEGER NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
    package_id TEXT    NOT NULL,
    PRIMARY KEY (device_id, package_id)
) WITHOUT ROWID;

-- Every DOWNLOAD result report as received, durable before its 200 (the deployment state machine builds on it).
CREATE TABLE download_reports (
    id          INTEGER PRIMARY KEY,
    deviceid    TEXT    NOT NULL,
    package_id  TEXT    NOT NULL,
    result      TEXT    NOT NULL,
    received_at INTEGER NOT NULL,
    client_ip   TEXT
);
CREATE INDEX download_reports_device ON download_reports (deviceid, package_id);
CREATE INDEX download_reports_package ON download_reports (package_id);

-- OLD_DEVICEID merges (a renamed Windows machine): what was merged into what, and when.
CREATE TABLE device_merges (
    old_deviceid TEXT    NOT NULL,
    new_deviceid TEXT    NOT NULL,
    merged_at    INTEGER NOT NULL
);
