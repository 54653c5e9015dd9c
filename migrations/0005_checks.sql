-- Automatic checks: what machines measure, kept apart from what staff declare. A check never
-- changes a component's status, an incident or the page's indicator; it is shown beside them.

-- The page's settings for checks and for silence.
--   checks_public:   whether checks appear on the public page and in the v2 documents.
--   max_silence:     minutes after an open incident's latest update at which the page itself
--                    promises the next one, when staff promised none (0: no such promise).
--   statement_grace: minutes a check may fail on a component no open incident lists before
--                    the page says that staff have not spoken.
ALTER TABLE page ADD COLUMN checks_public INTEGER NOT NULL DEFAULT 1 CHECK (checks_public IN (0, 1));
ALTER TABLE page ADD COLUMN max_silence INTEGER NOT NULL DEFAULT 60 CHECK (max_silence BETWEEN 0 AND 10080);
ALTER TABLE page ADD COLUMN statement_grace INTEGER NOT NULL DEFAULT 15 CHECK (statement_grace BETWEEN 0 AND 10080);

-- A check watches one component. `url` is `http(s)://...` or `tcp://host:port`, NULL for a
-- heartbeat, whose secret is kept only as its SHA-256 (the secret is the credential).
-- `state` and `state_since` are the verdict across locations as last published; they change
-- only when the verdict does, so a transition is written once.
CREATE TABLE checks (
    id                    TEXT PRIMARY KEY,
    name                  TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
    component_id          TEXT NOT NULL REFERENCES components (id) ON DELETE CASCADE,
    type                  TEXT NOT NULL CHECK (type IN ('http', 'tcp', 'heartbeat')),
    url                   TEXT CHECK (url IS NULL OR length(url) BETWEEN 1 AND 2048),
    method                TEXT NOT NULL DEFAULT 'GET' CHECK (method IN ('GET', 'HEAD')),
    expected_statuses     TEXT NOT NULL DEFAULT '[]',
    body_contains         TEXT CHECK (body_contains IS NULL OR length(body_contains) BETWEEN 1 AND 1024),
    follow_redirects      INTEGER NOT NULL DEFAULT 0 CHECK (follow_redirects IN (0, 1)),
    interval              INTEGER NOT NULL DEFAULT 60 CHECK (interval BETWEEN 1 AND 86400),
    timeout               INTEGER NOT NULL DEFAULT 10 CHECK (timeout BETWEEN 1 AND 300),
    grace                 INTEGER CHECK (grace IS NULL OR grace BETWEEN 0 AND 86400),
    failure_threshold     INTEGER NOT NULL DEFAULT 3 CHECK (failure_threshold BETWEEN 1 AND 100),
    success_threshold     INTEGER NOT NULL DEFAULT 2 CHECK (success_threshold BETWEEN 1 AND 100),
    heartbeat_secret_hash TEXT UNIQUE,
    last_beat_at          TEXT,
    state                 TEXT NOT NULL DEFAULT 'unknown' CHECK (state IN ('up', 'failing', 'unknown')),
    state_since           TEXT,
    created_at            TEXT NOT NULL,
    updated_at            TEXT NOT NULL,
    CHECK ((type = 'heartbeat') = (url IS NULL)),
    CHECK ((type = 'heartbeat') = (heartbeat_secret_hash IS NOT NULL))
);
CREATE INDEX checks_component ON checks (component_id);

-- One check as seen from one location (`local` is the server itself): the tally of its
-- consecutive results, so a restart resumes where it was, and what it saw last (kept for
-- the management API; the public sees only states, times and latency).
CREATE TABLE check_locations (
    check_id              TEXT NOT NULL REFERENCES checks (id) ON DELETE CASCADE,
    location              TEXT NOT NULL CHECK (length(location) BETWEEN 1 AND 64),
    state                 TEXT NOT NULL CHECK (state IN ('up', 'failing', 'unknown')),
    since                 TEXT,
    consecutive_successes INTEGER NOT NULL DEFAULT 0,
    consecutive_failures  INTEGER NOT NULL DEFAULT 0,
    run_started_at        TEXT,
    last_report_at        TEXT NOT NULL,
    latency_ms            INTEGER,
    detail                TEXT,
    PRIMARY KEY (check_id, location)
);

-- Every change of a check's verdict: the measured history behind "time to first statement".
CREATE TABLE check_state_changes (
    id       INTEGER PRIMARY KEY,
    check_id TEXT NOT NULL REFERENCES checks (id) ON DELETE CASCADE,
    state    TEXT NOT NULL CHECK (state IN ('up', 'failing', 'unknown')),
    at       TEXT NOT NULL
);
CREATE INDEX check_state_changes_check ON check_state_changes (check_id, at);

-- Results per check and local day (in the page's zone), every location together: the
-- measured uptime. An inconclusive result counts in neither.
CREATE TABLE check_days (
    check_id  TEXT NOT NULL REFERENCES checks (id) ON DELETE CASCADE,
    day       TEXT NOT NULL,
    successes INTEGER NOT NULL DEFAULT 0,
    failures  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (check_id, day)
);

-- Webhook subscribers choose their events; existing ones keep what they had. Check events
-- go only to subscribers that ask for them: they are for staff.
ALTER TABLE webhook_subscribers ADD COLUMN events TEXT NOT NULL DEFAULT '["incident","component_update"]';

-- The outbox learns the `check` event, with its payload's facts fixed at the change
-- (`detail`: JSON of the verdict), since the check moves on before the delivery is made.
-- SQLite cannot alter a CHECK constraint, so the table is rebuilt.
CREATE TABLE webhook_deliveries_new (
    id              INTEGER PRIMARY KEY,
    subscriber_id   TEXT NOT NULL REFERENCES webhook_subscribers (id) ON DELETE CASCADE,
    event_id        TEXT NOT NULL,
    event           TEXT NOT NULL CHECK (event IN ('incident', 'component_update', 'check')),
    subject_id      TEXT NOT NULL,
    old_status      TEXT,
    new_status      TEXT,
    detail          TEXT,
    created_at      TEXT NOT NULL,
    body            TEXT,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_attempt_at TEXT,
    last_error      TEXT,
    delivered_at    TEXT,
    abandoned_at    TEXT
);
INSERT INTO webhook_deliveries_new (id, subscriber_id, event_id, event, subject_id, old_status, new_status,
    created_at, body, attempts, next_attempt_at, last_attempt_at, last_error, delivered_at, abandoned_at)
SELECT id, subscriber_id, event_id, event, subject_id, old_status, new_status,
    created_at, body, attempts, next_attempt_at, last_attempt_at, last_error, delivered_at, abandoned_at
FROM webhook_deliveries;
DROP TABLE webhook_deliveries;
ALTER TABLE webhook_deliveries_new RENAME TO webhook_deliveries;
CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (subscriber_id, id)
    WHERE delivered_at IS NULL AND abandoned_at IS NULL;
