-- The page: one row holding the settings every public representation reads.
-- IDs are 12 random characters of [a-z0-9], as Statuspage's are; times are UTC ISO 8601.
CREATE TABLE page (
    id               TEXT PRIMARY KEY CHECK (length(id) = 12 AND id NOT GLOB '*[^a-z0-9]*'),
    name             TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
    url              TEXT NOT NULL DEFAULT '',
    time_zone        TEXT NOT NULL DEFAULT 'Asia/Jakarta',
    default_language TEXT NOT NULL DEFAULT 'id' CHECK (default_language IN ('id', 'en')),
    created_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- A new database gets a default page, so the APIs answer before anything is configured.
INSERT INTO page (id, name) VALUES (lower(hex(randomblob(6))), 'Status');
