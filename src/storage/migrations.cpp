#include "storage/migrations.h"

// Times are INTEGER milliseconds since the Unix epoch (UTC); energies are Wh. Optional text columns are NULL
// when absent. See docs/storage.md for the meaning of every column.
namespace linkray::storage {

const std::vector<Migration>& migrations()
{
    static const std::vector<Migration> all = {
        {1, "charge points and their connectors",
            {
                R"(CREATE TABLE charge_points (
                    id TEXT PRIMARY KEY NOT NULL,
                    vendor TEXT,
                    model TEXT,
                    serial_number TEXT,
                    firmware_version TEXT,
                    boot_status TEXT,
                    last_boot_at INTEGER,
                    last_seen_at INTEGER,
                    local_list_version INTEGER NOT NULL DEFAULT 0,
                    supports_local_list INTEGER NOT NULL DEFAULT 1))",
                R"(CREATE TABLE connectors (
                    charge_point_id TEXT NOT NULL REFERENCES charge_points(id) ON DELETE CASCADE,
                    connector_id INTEGER NOT NULL,
                    status TEXT,
                    error_code TEXT,
                    info TEXT,
                    vendor_error_code TEXT,
                    updated_at INTEGER NOT NULL,
                    PRIMARY KEY (charge_point_id, connector_id)))",
            }},
        {2, "RFID whitelist with a version counter and tombstones",
            {
                R"(CREATE TABLE metadata (
                    key TEXT PRIMARY KEY NOT NULL,
                    value INTEGER NOT NULL))",
                R"(INSERT INTO metadata (key, value) VALUES ('whitelist_version', 0))",
                R"(CREATE TABLE id_tags (
                    id_tag TEXT PRIMARY KEY NOT NULL,
                    status TEXT NOT NULL,
                    expiry_date INTEGER,
                    parent_id_tag TEXT,
                    note TEXT,
                    version INTEGER NOT NULL,
                    deleted INTEGER NOT NULL DEFAULT 0))",
                R"(CREATE INDEX id_tags_by_version ON id_tags (version))",
            }},
        {3, "transactions and meter values",
            {
                R"(CREATE TABLE transactions (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    charge_point_id TEXT NOT NULL REFERENCES charge_points(id),
                    connector_id INTEGER NOT NULL,
                    id_tag TEXT NOT NULL,
                    meter_start_wh INTEGER NOT NULL,
                    started_at INTEGER NOT NULL,
                    reservation_id INTEGER,
                    meter_stop_wh INTEGER,
                    stopped_at INTEGER,
                    stop_id_tag TEXT,
                    stop_reason TEXT))",
                R"(CREATE INDEX transactions_active_by_connector ON transactions (charge_point_id, connector_id)
                    WHERE stopped_at IS NULL)",
                R"(CREATE INDEX transactions_active_by_id_tag ON transactions (id_tag) WHERE stopped_at IS NULL)",
                R"(CREATE TABLE meter_values (
                    id INTEGER PRIMARY KEY,
                    charge_point_id TEXT NOT NULL,
                    connector_id INTEGER NOT NULL,
                    transaction_id INTEGER,
                    timestamp INTEGER NOT NULL,
                    measurand TEXT,
                    phase TEXT,
                    unit TEXT,
                    context TEXT,
                    location TEXT,
                    raw_value TEXT NOT NULL,
                    value REAL))",
                R"(CREATE INDEX meter_values_by_transaction ON meter_values (transaction_id)
                    WHERE transaction_id IS NOT NULL)",
                R"(CREATE INDEX meter_values_by_charge_point_time ON meter_values (charge_point_id, timestamp))",
            }},
        {4, "bounded OCPP message log and events",
            {
                R"(CREATE TABLE message_log (
                    id INTEGER PRIMARY KEY,
                    at INTEGER NOT NULL,
                    charge_point_id TEXT NOT NULL,
                    direction TEXT NOT NULL,
                    message_type INTEGER NOT NULL,
                    unique_id TEXT,
                    action TEXT,
                    size_bytes INTEGER NOT NULL))",
                R"(CREATE INDEX message_log_by_charge_point ON message_log (charge_point_id, id))",
                R"(CREATE TABLE events (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    at INTEGER NOT NULL,
                    charge_point_id TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    details TEXT NOT NULL))",
                R"(CREATE INDEX events_by_charge_point ON events (charge_point_id, id))",
            }},
        {5, "protocol deviations per charge point and kind",
            {
                R"(CREATE TABLE protocol_deviations (
                    charge_point_id TEXT NOT NULL REFERENCES charge_points(id) ON DELETE CASCADE,
                    kind TEXT NOT NULL,
                    count INTEGER NOT NULL,
                    first_seen_at INTEGER NOT NULL,
                    last_seen_at INTEGER NOT NULL,
                    PRIMARY KEY (charge_point_id, kind)))",
            }},
        {6, "the balancer's last applied limit per charge point, re-sent after a restart",
            {
                R"(ALTER TABLE charge_points ADD COLUMN applied_limit REAL)",
                R"(ALTER TABLE charge_points ADD COLUMN applied_limit_unit TEXT)",
                R"(ALTER TABLE charge_points ADD COLUMN applied_number_phases INTEGER)",
            }},
        // No foreign keys to charge_points: the proxy may relay a charger before it has a row there.
        {7, "online mode: outbox, transaction id map, tags the CSMS authorised",
            {
                R"(CREATE TABLE outbox (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    charge_point_id TEXT NOT NULL,
                    unique_id TEXT NOT NULL,
                    action TEXT NOT NULL,
                    frame BLOB NOT NULL,
                    received_at INTEGER NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    state TEXT NOT NULL DEFAULT 'queued',
                    last_error TEXT))",
                R"(CREATE INDEX outbox_by_charge_point_state ON outbox (charge_point_id, state, seq))",
                R"(CREATE TABLE transaction_id_map (
                    provisional_id INTEGER PRIMARY KEY,
                    csms_id INTEGER NOT NULL,
                    charge_point_id TEXT NOT NULL,
                    mapped_at INTEGER NOT NULL))",
                R"(CREATE INDEX transaction_id_map_by_csms_id ON transaction_id_map (charge_point_id, csms_id))",
                R"(CREATE TABLE authorization_cache (
                    id_tag TEXT PRIMARY KEY NOT NULL,
                    status TEXT NOT NULL,
                    expiry_date INTEGER,
                    parent_id_tag TEXT,
                    updated_at INTEGER NOT NULL))",
                R"(CREATE TABLE csms_local_list (
                    charge_point_id TEXT NOT NULL,
                    id_tag TEXT NOT NULL,
                    status TEXT NOT NULL,
                    expiry_date INTEGER,
                    parent_id_tag TEXT,
                    PRIMARY KEY (charge_point_id, id_tag)))",
                R"(CREATE TABLE csms_local_list_version (
                    charge_point_id TEXT PRIMARY KEY NOT NULL,
                    version INTEGER NOT NULL))",
            }},
        // Session tokens are stored only as SHA-256 hashes: a copy of the database cannot be used to log in.
        {8, "web users and their sessions",
            {
                R"(CREATE TABLE users (
                    name TEXT PRIMARY KEY NOT NULL,
                    role TEXT NOT NULL,
                    password_hash TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL))",
                R"(CREATE TABLE sessions (
                    token_hash TEXT PRIMARY KEY NOT NULL,
                    user_name TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
                    csrf_token TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    last_used_at INTEGER NOT NULL))",
                R"(CREATE INDEX sessions_by_user ON sessions (user_name))",
            }},
        // Online mode keeps its own record of what the chargers do while the CSMS answers them; a transaction the CSMS
        // numbered carries that number beside LinkRay's own id, which the chargers never see for it.
        {9, "the CSMS's transaction id beside LinkRay's own",
            {
                R"(ALTER TABLE transactions ADD COLUMN csms_transaction_id INTEGER)",
                R"(CREATE INDEX transactions_by_csms_id ON transactions (charge_point_id, csms_transaction_id)
                    WHERE csms_transaction_id IS NOT NULL)",
            }},
        // No foreign key: the site's own row has an empty charge point id.
        {10, "operator limits with an expiry: the site's dynamic limit and manual limits per charger",
            {
                R"(CREATE TABLE operator_limits (
                    charge_point_id TEXT PRIMARY KEY NOT NULL,
                    current_l1_a REAL,
                    current_l2_a REAL,
                    current_l3_a REAL,
                    power_w REAL,
                    expires_at INTEGER NOT NULL,
                    set_by TEXT NOT NULL,
                    set_at INTEGER NOT NULL))",
            }},
        // Apart from operator_limits so that a group and a charge point may share an id.
        {11, "manual limits per group (circuit)",
            {
                R"(CREATE TABLE group_limits (
                    group_id TEXT PRIMARY KEY NOT NULL,
                    current_l1_a REAL,
                    current_l2_a REAL,
                    current_l3_a REAL,
                    power_w REAL,
                    expires_at INTEGER NOT NULL,
                    set_by TEXT NOT NULL,
                    set_at INTEGER NOT NULL))",
            }},
        // A replay begins with the charger's newest queued BootNotification. Found through
        // outbox_by_charge_point_state, it meant reading every queued row of the charger on each reconnect: 0.2–0.5 ms
        // per charger for 200 rows, on the event loop, while the others drained (docs/performance.md). Its columns are
        // those of outbox_by_charge_point_state, so that SQLite's planner prefers it; the statements name the action
        // literally, as a partial index requires.
        {12, "outbox: each charger's BootNotifications, without reading its backlog",
            {
                R"(CREATE INDEX outbox_boots ON outbox (charge_point_id, state, seq) WHERE action = 'BootNotification')",
            }},
    };
    return all;
}

} // namespace linkray::storage
