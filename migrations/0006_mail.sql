-- Email subscribers, the mail outbox, and maintenance reminders.

-- The key of subscription links (`/subscriptions/{token}`: the subscriber's id and a MAC of
-- it) and of the keyed hashes the audit log keeps instead of addresses. Made once, here, so
-- a backup or a restored copy keeps every link already mailed working. It grants only what
-- the links grant: managing one subscription.
CREATE TABLE mail_keys (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    key TEXT NOT NULL CHECK (length(key) = 64)
);
INSERT INTO mail_keys (id, key) VALUES (1, lower(hex(randomblob(32))));

-- A person who asked for mail. Unconfirmed rows expire (`expires_at`) and are deleted;
-- leaving deletes the row. `all_components` 0: only incidents that list one of the
-- components in mail_subscriber_components (or list none).
CREATE TABLE mail_subscribers (
    id             TEXT PRIMARY KEY,
    email          TEXT NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
    language       TEXT NOT NULL CHECK (language IN ('id', 'en')),
    all_components INTEGER NOT NULL CHECK (all_components IN (0, 1)),
    created_at     TEXT NOT NULL,
    confirmed_at   TEXT,
    expires_at     TEXT,
    quarantined_at TEXT,
    -- Permanent refusals by the relay in a row; reaching the limit quarantines the address.
    hard_failures  INTEGER NOT NULL DEFAULT 0,
    -- When a confirmation or notice was last queued: a sign-up form cannot mail-bomb anyone.
    last_notice_at TEXT
);
CREATE UNIQUE INDEX mail_subscribers_email ON mail_subscribers (email COLLATE NOCASE);
CREATE INDEX mail_subscribers_expiring ON mail_subscribers (expires_at) WHERE expires_at IS NOT NULL;

CREATE TABLE mail_subscriber_components (
    subscriber_id TEXT NOT NULL REFERENCES mail_subscribers (id) ON DELETE CASCADE,
    component_id  TEXT NOT NULL REFERENCES components (id) ON DELETE CASCADE,
    PRIMARY KEY (subscriber_id, component_id)
);
CREATE INDEX mail_subscriber_components_component ON mail_subscriber_components (component_id);

-- What subscribers must be told: one row per change, written in the change's transaction.
-- Later updates to the same incident join the row until its mail is fixed (`content`), so
-- updates close together go out as one mail. The sender fixes the mail's text in each
-- language, then gives every recipient a delivery, a chunk at a time (`fanned_to`: the last
-- subscriber id given one), so a hundred thousand recipients never hold up a staff request.
CREATE TABLE mail_events (
    id            INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('incident', 'reminder')),
    incident_id   TEXT NOT NULL,
    update_ids    TEXT NOT NULL DEFAULT '[]',
    opens_thread  INTEGER NOT NULL DEFAULT 0 CHECK (opens_thread IN (0, 1)),
    created_at    TEXT NOT NULL,
    content       TEXT,
    fanned_to     TEXT,
    fanned_out_at TEXT,
    dropped_at    TEXT
);
CREATE INDEX mail_events_open ON mail_events (incident_id) WHERE fanned_out_at IS NULL AND dropped_at IS NULL;

-- One mail to one subscriber: a confirmation, a notice, or an event's mail.
CREATE TABLE mail_deliveries (
    id              INTEGER PRIMARY KEY,
    subscriber_id   TEXT NOT NULL REFERENCES mail_subscribers (id) ON DELETE CASCADE,
    event_id        INTEGER REFERENCES mail_events (id) ON DELETE CASCADE,
    kind            TEXT NOT NULL CHECK (kind IN ('confirmation', 'notice', 'event')),
    created_at      TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error      TEXT,
    sent_at         TEXT,
    failed_at       TEXT
);
CREATE INDEX mail_deliveries_pending ON mail_deliveries (kind, id) WHERE sent_at IS NULL AND failed_at IS NULL;
CREATE UNIQUE INDEX mail_deliveries_once ON mail_deliveries (event_id, subscriber_id) WHERE event_id IS NOT NULL;
CREATE INDEX mail_deliveries_subscriber ON mail_deliveries (subscriber_id);

-- Statuspage's `scheduled_remind_prior`: mail subscribers an hour before the window opens.
ALTER TABLE incidents ADD COLUMN scheduled_remind_prior INTEGER NOT NULL DEFAULT 0;
ALTER TABLE incidents ADD COLUMN scheduled_reminded_at TEXT;
