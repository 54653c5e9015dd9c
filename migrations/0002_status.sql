-- The status domain: components and their history, incidents and maintenances with their
-- updates, API tokens and the audit log. Times are UTC ISO 8601 with milliseconds
-- (strftime('%Y-%m-%dT%H:%M:%fZ')); IDs are 12 random characters of [a-z0-9].

-- Branding of the public page.
ALTER TABLE page ADD COLUMN logo_url TEXT;
ALTER TABLE page ADD COLUMN accent_color TEXT CHECK (accent_color IS NULL OR accent_color GLOB '#[0-9a-fA-F][0-9a-fA-F][0-9a-fA-F][0-9a-fA-F][0-9a-fA-F][0-9a-fA-F]');
ALTER TABLE page ADD COLUMN header_links TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(header_links));
ALTER TABLE page ADD COLUMN stylesheet_url TEXT;

CREATE TABLE component_groups (
    id          TEXT PRIMARY KEY CHECK (length(id) = 12 AND id NOT GLOB '*[^a-z0-9]*'),
    name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
    description TEXT,
    position    INTEGER NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE TABLE components (
    id                    TEXT PRIMARY KEY CHECK (length(id) = 12 AND id NOT GLOB '*[^a-z0-9]*'),
    group_id              TEXT REFERENCES component_groups (id) ON DELETE SET NULL,
    name                  TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
    description           TEXT,
    status                TEXT NOT NULL DEFAULT 'operational' CHECK (status IN
                              ('operational', 'under_maintenance', 'degraded_performance', 'partial_outage', 'major_outage')),
    position              INTEGER NOT NULL,
    showcase              INTEGER NOT NULL DEFAULT 1 CHECK (showcase IN (0, 1)),
    only_show_if_degraded INTEGER NOT NULL DEFAULT 0 CHECK (only_show_if_degraded IN (0, 1)),
    start_date            TEXT CHECK (start_date IS NULL OR date(start_date) = start_date),
    created_at            TEXT NOT NULL,
    updated_at            TEXT NOT NULL
);
CREATE INDEX components_by_group ON components (group_id, position);

-- Every status a component has entered, with when: uptime is computed from these.
CREATE TABLE component_status_changes (
    id           INTEGER PRIMARY KEY,
    component_id TEXT NOT NULL REFERENCES components (id) ON DELETE CASCADE,
    status       TEXT NOT NULL CHECK (status IN
                     ('operational', 'under_maintenance', 'degraded_performance', 'partial_outage', 'major_outage')),
    changed_at   TEXT NOT NULL
);
CREATE INDEX component_status_changes_by_component ON component_status_changes (component_id, changed_at);

-- Incidents and scheduled maintenances (is_maintenance = 1).
CREATE TABLE incidents (
    id                         TEXT PRIMARY KEY CHECK (length(id) = 12 AND id NOT GLOB '*[^a-z0-9]*'),
    name                       TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
    name_translations          TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(name_translations)),
    status                     TEXT NOT NULL CHECK (status IN
                                   ('investigating', 'identified', 'monitoring', 'resolved', 'postmortem',
                                    'scheduled', 'in_progress', 'verifying', 'completed')),
    impact                     TEXT NOT NULL CHECK (impact IN ('none', 'minor', 'major', 'critical', 'maintenance')),
    impact_override            TEXT CHECK (impact_override IS NULL OR impact_override IN
                                   ('none', 'minor', 'major', 'critical', 'maintenance')),
    is_maintenance             INTEGER NOT NULL DEFAULT 0 CHECK (is_maintenance IN (0, 1)),
    scheduled_for              TEXT,
    scheduled_until            TEXT,
    scheduled_auto_in_progress INTEGER NOT NULL DEFAULT 0 CHECK (scheduled_auto_in_progress IN (0, 1)),
    scheduled_auto_completed   INTEGER NOT NULL DEFAULT 0 CHECK (scheduled_auto_completed IN (0, 1)),
    -- v1's two component flags: set the affected components under_maintenance when the window
    -- starts, and back to operational when it completes.
    auto_transition_to_maintenance_state INTEGER NOT NULL DEFAULT 0
                                   CHECK (auto_transition_to_maintenance_state IN (0, 1)),
    auto_transition_to_operational_state INTEGER NOT NULL DEFAULT 0
                                   CHECK (auto_transition_to_operational_state IN (0, 1)),
    next_update_at             TEXT,
    postmortem_body            TEXT,
    postmortem_published_at    TEXT,
    metadata                   TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(metadata)),
    started_at                 TEXT NOT NULL,
    monitoring_at              TEXT,
    resolved_at                TEXT,
    created_at                 TEXT NOT NULL,
    updated_at                 TEXT NOT NULL,
    CHECK (scheduled_until IS NULL OR scheduled_for IS NULL OR scheduled_until > scheduled_for)
);
CREATE INDEX incidents_by_created ON incidents (created_at);
-- The snapshot reads the most recent incidents and, separately, the most recent maintenances.
CREATE INDEX incidents_by_kind_created ON incidents (is_maintenance, created_at);
CREATE INDEX incidents_open ON incidents (status) WHERE status NOT IN ('resolved', 'postmortem', 'completed');

-- The components an incident affects, in the order they were added.
CREATE TABLE incident_components (
    incident_id  TEXT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    component_id TEXT NOT NULL REFERENCES components (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    PRIMARY KEY (incident_id, component_id)
);
CREATE INDEX incident_components_by_component ON incident_components (component_id);

CREATE TABLE incident_updates (
    id                    TEXT PRIMARY KEY CHECK (length(id) = 12 AND id NOT GLOB '*[^a-z0-9]*'),
    incident_id           TEXT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    status                TEXT NOT NULL CHECK (status IN
                              ('investigating', 'identified', 'monitoring', 'resolved', 'postmortem',
                               'scheduled', 'in_progress', 'verifying', 'completed')),
    body                  TEXT NOT NULL CHECK (length(body) <= 25000),
    body_translations     TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(body_translations)),
    display_at            TEXT NOT NULL,
    deliver_notifications INTEGER NOT NULL DEFAULT 1 CHECK (deliver_notifications IN (0, 1)),
    next_update_at        TEXT,
    created_at            TEXT NOT NULL,
    updated_at            TEXT NOT NULL
);
CREATE INDEX incident_updates_by_incident ON incident_updates (incident_id, created_at);

-- What an update did to each component. The name is kept as it was, so history reads
-- right after a rename or a delete.
CREATE TABLE incident_update_components (
    update_id    TEXT NOT NULL REFERENCES incident_updates (id) ON DELETE CASCADE,
    component_id TEXT NOT NULL,
    name         TEXT NOT NULL,
    old_status   TEXT NOT NULL CHECK (old_status IN
                     ('operational', 'under_maintenance', 'degraded_performance', 'partial_outage', 'major_outage')),
    new_status   TEXT NOT NULL CHECK (new_status IN
                     ('operational', 'under_maintenance', 'degraded_performance', 'partial_outage', 'major_outage')),
    position     INTEGER NOT NULL,
    PRIMARY KEY (update_id, component_id)
);

-- API tokens: only the SHA-256 of the token is kept, never the token.
CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 100),
    token_sha256 TEXT NOT NULL UNIQUE CHECK (length(token_sha256) = 64),
    created_at   TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at   TEXT
);

-- One row per successful write.
CREATE TABLE audit_log (
    id             INTEGER PRIMARY KEY,
    at             TEXT NOT NULL,
    token_name     TEXT NOT NULL,
    action         TEXT NOT NULL,
    target_type    TEXT NOT NULL,
    target_id      TEXT NOT NULL,
    client_address TEXT NOT NULL,
    detail         TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(detail))
);
CREATE INDEX audit_log_by_time ON audit_log (at);
