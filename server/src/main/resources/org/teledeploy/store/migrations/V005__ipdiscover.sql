-- Network discovery (OCS IpDiscover): elected agents ARP-scan their subnet and report what answered.

-- Contact statistics for the election, kept at every PROLOG of a known device as OCS keeps hardware.FIDELITY
-- and QUALITY: the number of contacts (1 at registration) and the running average of the days between two.
ALTER TABLE devices ADD COLUMN contacts INTEGER NOT NULL DEFAULT 1;
ALTER TABLE devices ADD COLUMN contact_quality REAL NOT NULL DEFAULT 0;

-- Agents write MACs in upper or lower case, some with dashes: discovered hosts are matched on this form.
CREATE INDEX device_networks_mac_normalized ON device_networks (lower(replace(mac_address, '-', ':')));

-- The IPv4 subnets each device is on (from its inventory's NETWORKS), replaced at every inventory. CIDR text,
-- e.g. 192.0.2.0/24. is_primary: the subnet of the device's default gateway (what the Unix agent scans).
CREATE TABLE device_subnets (
    device_id  INTEGER NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
    subnet     TEXT    NOT NULL,
    is_primary INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (device_id, subnet)
) WITHOUT ROWID;
CREATE INDEX device_subnets_subnet ON device_subnets (subnet);

-- A device's discovery state: the admin's policy ('auto'; 'forced' for forced_subnet; 'forbidden' never
-- elected) and the subnet it is elected for now, if any (one at most, as in OCS). unable_since: it was asked to
-- scan and its next inventory carried no IPDISCOVER section (its agent cannot scan: not root, no ipdiscover).
CREATE TABLE ipdiscover_devices (
    device_id      INTEGER PRIMARY KEY REFERENCES devices (id) ON DELETE CASCADE,
    policy         TEXT    NOT NULL DEFAULT 'auto' CHECK (policy IN ('auto', 'forced', 'forbidden')),
    forced_subnet  TEXT,
    elected_subnet TEXT,
    elected_at     INTEGER,
    unable_since   INTEGER
);
CREATE INDEX ipdiscover_devices_elected ON ipdiscover_devices (elected_subnet);

-- Hosts the elected agents found, one per subnet and MAC (lower case, colons). device_id: the registered device
-- that has this MAC (a managed host), NULL for a machine without an agent. reporter_id: the last agent that saw it.
CREATE TABLE discovered_hosts (
    subnet      TEXT    NOT NULL,
    mac         TEXT    NOT NULL,
    ip          TEXT    NOT NULL,
    ip_number   INTEGER NOT NULL,
    mask        TEXT    NOT NULL,
    name        TEXT    NOT NULL DEFAULT '',
    first_seen  INTEGER NOT NULL,
    last_seen   INTEGER NOT NULL,
    reporter_id INTEGER REFERENCES devices (id) ON DELETE SET NULL,
    device_id   INTEGER REFERENCES devices (id) ON DELETE SET NULL,
    PRIMARY KEY (subnet, mac)
) WITHOUT ROWID;
CREATE INDEX discovered_hosts_mac ON discovered_hosts (mac);
CREATE INDEX discovered_hosts_device ON discovered_hosts (device_id);
CREATE INDEX discovered_hosts_last_seen ON discovered_hosts (last_seen);
