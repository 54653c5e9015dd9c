-- Incident templates, as Statuspage's v1 has them: a named, ready-written incident (its
-- title, first update and status, in both languages, with the components it affects) that
-- staff post with `incident[template_id]` instead of writing it under pressure. `title` and
-- `body` may hold the placeholders {component}, {next_update} and {started}, filled in when
-- the template is used. `group_id` is Statuspage's template group, kept as given.
CREATE TABLE incident_templates (
    id                        TEXT PRIMARY KEY CHECK (length(id) = 12 AND id NOT GLOB '*[^a-z0-9]*'),
    name                      TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
    title                     TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 255),
    title_translations        TEXT NOT NULL DEFAULT '{}',
    body                      TEXT NOT NULL CHECK (length(body) <= 25000),
    body_translations         TEXT NOT NULL DEFAULT '{}',
    group_id                  TEXT CHECK (group_id IS NULL OR length(group_id) BETWEEN 1 AND 255),
    update_status             TEXT NOT NULL CHECK (update_status IN
                                  ('investigating', 'identified', 'monitoring', 'resolved', 'postmortem',
                                   'scheduled', 'in_progress', 'verifying', 'completed')),
    should_send_notifications INTEGER NOT NULL CHECK (should_send_notifications IN (0, 1)),
    created_at                TEXT NOT NULL,
    updated_at                TEXT NOT NULL
);

-- The components a template affects, in the order given. A deleted component leaves the
-- templates that named it.
CREATE TABLE incident_template_components (
    template_id  TEXT NOT NULL REFERENCES incident_templates (id) ON DELETE CASCADE,
    component_id TEXT NOT NULL REFERENCES components (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    PRIMARY KEY (template_id, component_id)
);
CREATE INDEX incident_template_components_by_component ON incident_template_components (component_id);
