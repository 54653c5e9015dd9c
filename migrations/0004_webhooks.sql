-- Webhook subscribers. The secret signs each delivery (HMAC-SHA256 of the body), so it is
-- kept as given out, unlike API tokens: it proves the sender to the receiver and grants
-- nothing here.
CREATE TABLE webhook_subscribers (
    id         TEXT PRIMARY KEY,
    endpoint   TEXT NOT NULL CHECK (length(endpoint) BETWEEN 1 AND 2048),
    secret     TEXT NOT NULL CHECK (length(secret) = 64),
    created_at TEXT NOT NULL
);

-- The outbox: one row per event and subscriber, written in the transaction of the change
-- it reports, so no acknowledged change goes unannounced and none is announced that did not
-- commit. `body` is fixed at the first attempt, so every retry sends the same signed bytes.
CREATE TABLE webhook_deliveries (
    id              INTEGER PRIMARY KEY,
    subscriber_id   TEXT NOT NULL REFERENCES webhook_subscribers (id) ON DELETE CASCADE,
    event_id        TEXT NOT NULL,
    event           TEXT NOT NULL CHECK (event IN ('incident', 'component_update')),
    subject_id      TEXT NOT NULL,
    old_status      TEXT,
    new_status      TEXT,
    created_at      TEXT NOT NULL,
    body            TEXT,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_attempt_at TEXT,
    last_error      TEXT,
    delivered_at    TEXT,
    abandoned_at    TEXT
);
-- Pending rows, oldest first per subscriber: the sender sends each subscriber's in order.
CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (subscriber_id, id)
    WHERE delivered_at IS NULL AND abandoned_at IS NULL;
