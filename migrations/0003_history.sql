-- The history page lists incidents by the time they are shown at: a maintenance's
-- scheduled start, an incident's start. Queries must use this exact expression.
CREATE INDEX incidents_by_shown_at ON incidents (coalesce(scheduled_for, started_at));
