-- Settings an admin changes in the app and that must outlive a restart: the case category
-- catalogue with its time limits (key `categories`, the catalogue's JSON).
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);

INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) VALUES
    ('settings', 'attributes', 'settings', 'Settings changed by admins (系统设置)', NULL);
