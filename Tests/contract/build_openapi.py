#!/usr/bin/env python3
"""Writes Public/api/openapi.json, Warta's OpenAPI 3.1 description, from this file.

The document is long and repetitive (every v2 object lists every key, every v1 write
accepts two media types, every operation lists the same protocol errors), so it is built
here from small pieces rather than kept by hand. Edit this file, then run

    python3 Tests/contract/build_openapi.py           # rewrite Public/api/openapi.json
    python3 Tests/contract/build_openapi.py --check   # exit 1 if the file is out of date

`Tests/contract/schemathesis.sh` runs the check, so the committed document and this
generator cannot drift apart. Only the standard library is used.

The source of truth for every shape below is the Swift code:
Sources/StatusWeb/Routes/StatusRoutes.swift (routes), Sources/StatusWeb/V1/*.swift (v1 fields, shapes and
errors), Sources/StatusWeb/V2/*.swift and Publishing/Snapshot.swift (v2 documents),
Sources/StatusCore/Model/StatusEnums.swift (enums), Sources/StatusCore/Rules/Rules.swift (limits).
"""

from __future__ import annotations

import json
import sys
from copy import deepcopy
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "Public" / "api" / "openapi.json"

VERSION = "0.1.0"


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: dict) -> dict:
    """`schema` that also allows null: `"type": ["string", "null"]` where it can be said so."""
    schema = deepcopy(schema)
    if "$ref" in schema:
        return {"anyOf": [schema, {"type": "null"}]}
    if "enum" in schema:
        schema["enum"] = list(schema["enum"]) + [None]
        schema["type"] = [schema.get("type", "string"), "null"]
        return schema
    t = schema.get("type")
    if isinstance(t, str):
        schema["type"] = [t, "null"]
    elif isinstance(t, list) and "null" not in t:
        schema["type"] = t + ["null"]
    return schema


def obj(properties: dict, *, required: list[str] | None = None, closed: bool = True, **extra) -> dict:
    """An object schema. Response objects are closed (`additionalProperties: false`) and, as
    in Statuspage, every key is always present unless `required` says otherwise."""
    schema = {"type": "object"}
    schema.update(extra)
    schema["required"] = list(properties) if required is None else required
    schema["properties"] = properties
    if closed:
        schema["additionalProperties"] = False
    return schema


def extension(schema: dict, text: str) -> dict:
    """Marks a field or operation as Warta's, not Statuspage's."""
    schema = deepcopy(schema)
    schema["description"] = "**Warta extension** (not in Statuspage). " + text
    schema["x-warta-extension"] = True
    return schema


# --------------------------------------------------------------------------------------
# Enums (Sources/StatusCore/Model/StatusEnums.swift), exactly as on the wire.

COMPONENT_STATUSES = ["operational", "under_maintenance", "degraded_performance", "partial_outage", "major_outage"]
INCIDENT_STATUSES = ["investigating", "identified", "monitoring", "resolved", "postmortem"]
MAINTENANCE_STATUSES = ["scheduled", "in_progress", "verifying", "completed"]
IMPACTS = ["none", "minor", "major", "critical", "maintenance"]
STATUS_DESCRIPTIONS = [
    "All Systems Operational",
    "Partially Degraded Service",
    "Minor Service Outage",
    "Partial System Outage",
    "Major System Outage",
    "Service Under Maintenance",
]
LANGUAGES = ["id", "en"]
# Sources/StatusCore/Checks/: Check.Kind, Check.Method, CheckState, ProbeOutcome;
# WebhookDelivery.Event in Sources/StatusCore/Store/Store+Webhooks.swift.
CHECK_KINDS = ["http", "tcp", "heartbeat"]
CHECK_METHODS = ["GET", "HEAD"]
CHECK_STATES = ["up", "failing", "unknown"]
PROBE_OUTCOMES = ["success", "failure", "inconclusive"]
WEBHOOK_EVENTS = ["incident", "component_update", "check"]
AUDIT_ACTIONS = [
    "incident.create", "incident.update", "incident.delete", "incident_update.update",
    "component.create", "component.update", "component.delete",
    "component_group.create", "component_group.update", "component_group.delete",
    "page.update", "token.create", "token.revoke", "subscriber.create", "subscriber.delete",
    "check.create", "check.update", "check.delete",
    "incident_template.create", "incident_template.update", "incident_template.delete",
    # The key that signs static copies, made or replaced with `warta key create`.
    "signing_key.create", "signing_key.replace",
    # Email subscribers (Sources/StatusCore/Store/Store+MailSubscribers.swift, Store+MailOutbox.swift):
    # by staff, by the person through their link, and by the sender.
    "mail_subscriber.create", "mail_subscriber.renew", "mail_subscriber.confirm", "mail_subscriber.change",
    "mail_subscriber.leave", "mail_subscriber.delete", "mail_subscriber.resend_confirmation",
    "mail_subscriber.reactivate", "mail_subscriber.quarantine",
]
SUBSCRIBER_TYPES = ["email", "webhook"]
SUBSCRIBER_STATES = ["active", "unconfirmed", "quarantined"]
AUDIT_TARGET_TYPES = ["incident", "incident_update", "component", "component_group", "page", "token", "subscriber",
                      "check", "incident_template", "signing_key"]

TIMESTAMP_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}(Z|[+-][0-9]{2}:[0-9]{2})$"
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
ID_PATTERN = r"^[a-z0-9]{12}$"
NAME = {"type": "string", "minLength": 1, "maxLength": 255, "pattern": r"\S",
        "description": "1 to 255 characters (Unicode scalars), not blank."}
BODY = {"type": "string", "maxLength": 25000, "description": "At most 25,000 characters; may be empty."}

# --------------------------------------------------------------------------------------
# Schemas

schemas: dict[str, dict] = {}

schemas["Identifier"] = {
    "type": "string", "pattern": ID_PATTERN,
    "description": "12 characters of `[a-z0-9]`, the form Statuspage uses (`kctbh9vrtdwd`).",
    "examples": ["kctbh9vrtdwd"],
}
schemas["Timestamp"] = {
    "type": "string", "format": "date-time", "pattern": TIMESTAMP_PATTERN,
    "description": "ISO 8601 with exactly three fractional digits, in the page's time zone with that "
                   "instant's offset: `2024-09-16T22:08:39.333Z` on an `Etc/UTC` page, "
                   "`2026-11-29T12:31:03.123+07:00` on an `Asia/Jakarta` one.",
    "examples": ["2026-11-29T12:31:03.123+07:00"],
}
schemas["NullableTimestamp"] = {
    "type": ["string", "null"], "format": "date-time", "pattern": TIMESTAMP_PATTERN,
    "description": "A `Timestamp`, or null when unset.",
}
schemas["CalendarDate"] = {"type": "string", "format": "date", "pattern": DATE_PATTERN,
                           "description": "`YYYY-MM-DD`."}
schemas["ComponentStatus"] = {
    "type": "string", "enum": COMPONENT_STATUSES,
    "description": "A component's status (Statuspage's v1 enum; v2 uses the same strings).",
}
schemas["IncidentStatus"] = {
    "type": "string", "enum": INCIDENT_STATUSES + MAINTENANCE_STATUSES,
    "description": "An incident's status (`investigating` … `postmortem`) or a scheduled maintenance's "
                   "(`scheduled` … `completed`); Statuspage keeps both in one field.",
}
schemas["RealtimeIncidentStatus"] = {"type": "string", "enum": INCIDENT_STATUSES}
schemas["MaintenanceStatus"] = {"type": "string", "enum": MAINTENANCE_STATUSES}
schemas["Impact"] = {
    "type": "string", "enum": IMPACTS,
    "description": "An incident's impact; also the page indicator.",
}
schemas["Language"] = {"type": "string", "enum": LANGUAGES,
                       "description": "The languages a Warta page speaks."}

schemas["ProblemDetails"] = obj({
    "type": {"type": "string", "description": "Always `about:blank`.", "examples": ["about:blank"]},
    "title": {"type": "string", "description": "The status code's reason phrase."},
    "status": {"type": "integer", "minimum": 400, "maximum": 599},
    "detail": {"type": "string", "description": "A sentence that names the problem and what would be accepted."},
    "field": {"type": "string",
              "description": "The offending input, the way a form client names it "
                             "(`incident[status]`, `incident[components][k3x9abcdefgh]`), a query "
                             "parameter (`limit`) or a path parameter (`incident_id`). Present on "
                             "management-API errors that concern one input; absent otherwise."},
}, required=["type", "title", "status", "detail"],
    description="An RFC 9457 problem document, sent as `application/problem+json`. Every error of "
                "Warta uses it: the management API's, the router's (404, 405) and the HTTP layer's "
                "(400, 413, 414, 431, ...).")

# ---- v2 (public) ----

schemas["V2Page"] = obj({
    "id": ref("Identifier"),
    "name": {"type": "string"},
    "url": {"type": "string", "description": "The page's public URL without a trailing slash; empty until configured."},
    "time_zone": {"type": "string", "description": "An IANA time zone name, e.g. `Asia/Jakarta`."},
    "updated_at": {**ref("Timestamp"), "description": "The newest change of the page, its components, groups and incidents."},
}, description="The page object, the same in every v2 document.")

schemas["V2Status"] = obj({
    "indicator": ref("Impact"),
    "description": {"type": "string", "enum": STATUS_DESCRIPTIONS},
}, description="The page's rollup status.")

V2_COMPONENT_COMMON = {
    "id": ref("Identifier"),
    "name": {"type": "string"},
    "status": ref("ComponentStatus"),
    "created_at": ref("Timestamp"),
    "updated_at": ref("Timestamp"),
    "position": {"type": "integer", "minimum": 1, "description": "1-based, within the parent (the top level or a group)."},
    "description": {"type": ["string", "null"]},
    "showcase": {"type": "boolean"},
    "start_date": nullable(ref("CalendarDate")),
    "group_id": nullable(ref("Identifier")),
    "page_id": ref("Identifier"),
    "group": {"type": "boolean"},
    "only_show_if_degraded": {"type": "boolean"},
}
component = deepcopy(V2_COMPONENT_COMMON)
component["group"] = {"const": False}
schemas["V2Component"] = obj(component, description="A component (not a group).")
group_row = deepcopy(V2_COMPONENT_COMMON)
group_row["group"] = {"const": True}
group_row["group_id"] = {"type": "null"}
group_row["start_date"] = {"type": "null"}
group_row["status"] = {**ref("ComponentStatus"), "description": "The worst status of its children."}
group_row["components"] = {"type": "array", "items": ref("Identifier"), "description": "The children's ids, in order."}
schemas["V2ComponentGroup"] = obj(group_row, description="A component group, listed among the components.")
schemas["V2ComponentRow"] = {
    "oneOf": [ref("V2Component"), ref("V2ComponentGroup")],
    "description": "A row of the flat `components` list: a component (`group: false`) or a group "
                   "(`group: true`, with `components`). Rows are in tree order: top-level rows by "
                   "position, each group followed by its children.",
}

schemas["V2AffectedComponent"] = obj({
    "code": ref("Identifier"),
    "name": {"type": "string", "description": "As shown when the update was posted; `<Group> - <Component>` for a grouped one."},
    "old_status": ref("ComponentStatus"),
    "new_status": ref("ComponentStatus"),
})

schemas["V2IncidentUpdate"] = obj({
    "id": ref("Identifier"),
    "status": ref("IncidentStatus"),
    "body": {"type": "string"},
    "incident_id": ref("Identifier"),
    "created_at": ref("Timestamp"),
    "updated_at": ref("Timestamp"),
    "display_at": ref("Timestamp"),
    "affected_components": {"type": ["array", "null"], "minItems": 1, "items": ref("V2AffectedComponent"),
                            "description": "null when the update changed no component."},
    "deliver_notifications": {"type": "boolean"},
    "custom_tweet": {"type": "null"},
    "tweet_id": {"type": "null"},
})

NEXT_UPDATE_AT_V2 = extension(ref("NullableTimestamp"),
    "The promise of the incident's next update: it is due by then. Null when none was made or the incident is "
    "closed. `next_update_promised_by` says whose promise it is.")
UPDATE_OVERDUE = extension({"type": "boolean"},
    "True when the incident is open and `next_update_at` has passed.")
NEXT_UPDATE_PROMISED_BY = extension({"type": ["string", "null"], "enum": ["staff", "page", None]},
    "Whose promise `next_update_at` is: `staff` (made with an update), or `page` when the latest update promised "
    "nothing and the page promises one at least every `max_silence` minutes after it. Null when there is no promise.")


def v2_incident(statuses: str, maintenance: bool) -> dict:
    properties = {
        "id": ref("Identifier"),
        "name": {"type": "string", "description": "In the page's default language."},
        "status": ref(statuses),
        "created_at": ref("Timestamp"),
        "updated_at": ref("Timestamp"),
        "monitoring_at": ref("NullableTimestamp"),
        "resolved_at": ref("NullableTimestamp"),
        "impact": ref("Impact"),
        "shortlink": {"type": "string", "description": "`{page url}/incidents/{id}` (root-relative while the page has no URL)."},
        "page_id": ref("Identifier"),
        "started_at": ref("Timestamp"),
        "incident_updates": {"type": "array", "items": ref("V2IncidentUpdate"), "description": "Newest first."},
        "components": {"type": "array", "items": ref("V2Component"),
                       "description": "The affected components (full objects), in the page's order."},
        "reminder_intervals": {"type": "null"},
    }
    if maintenance:
        properties["scheduled_for"] = ref("Timestamp")
        properties["scheduled_until"] = ref("Timestamp")
    properties["next_update_at"] = NEXT_UPDATE_AT_V2
    properties["update_overdue"] = UPDATE_OVERDUE
    properties["next_update_promised_by"] = NEXT_UPDATE_PROMISED_BY
    return obj(properties)


schemas["V2Incident"] = v2_incident("RealtimeIncidentStatus", False)
schemas["V2Incident"]["description"] = "An incident (not a maintenance)."
schemas["V2ScheduledMaintenance"] = v2_incident("MaintenanceStatus", True)
schemas["V2ScheduledMaintenance"]["description"] = "A scheduled maintenance: the incident object plus its window."


schemas["CheckState"] = {
    "type": "string", "enum": CHECK_STATES,
    "description": "What a check measures: `up`, `failing`, or `unknown` (no data yet, data too old, or the probers "
                   "could not tell). Never a component's status: checks are shown beside what staff declare.",
}
schemas["CheckKind"] = {"type": "string", "enum": CHECK_KINDS,
                        "description": "`http` (a request whose status, and optionally body, is checked), `tcp` (a "
                                       "connection to `tcp://host:port`) or `heartbeat` (an outside job calls the "
                                       "check's secret URL; a missing beat is a failure)."}
schemas["V2CheckLocation"] = obj({
    "name": {"type": "string", "description": "Where the probes run: `local` is the server itself."},
    "state": {**ref("CheckState"), "description": "This location's own state; `unknown` while silent."},
    "silent": {"type": "boolean", "description": "No report within three intervals: left out of the verdict."},
    "last_report_at": ref("NullableTimestamp"),
})
schemas["V2Check"] = extension(obj({
    "id": ref("Identifier"),
    "name": {"type": "string"},
    "component_id": {**ref("Identifier"), "description": "The component it watches."},
    "type": ref("CheckKind"),
    "state": {**ref("CheckState"), "description": "The verdict across locations: failing when a majority of the "
              "locations that report and know say so."},
    "since": {**ref("NullableTimestamp"), "description": "When the verdict entered `state` (for `failing`: the first "
              "failed probe). Null while nothing is known."},
    "last_checked_at": {**ref("NullableTimestamp"), "description": "The newest result from any location."},
    "latency_ms": {"type": ["integer", "null"], "minimum": 0, "description": "That result's latency, in milliseconds."},
    "locations": {"type": "array", "items": ref("V2CheckLocation"), "description": "Every location that has reported, by name."},
    "acknowledged": {"type": "boolean", "description": "Whether an incident in force (unresolved, or a maintenance under "
                     "way) lists the check's component: staff have spoken about it."},
    "incident_id": {**nullable(ref("Identifier")), "description": "That incident; null when none."},
}), "An automatic check: what machines measure, beside what staff declare and never mixed with it (a check never "
    "changes a component's status, an incident or the page's indicator). What the check probes and what its probes saw "
    "(response bodies, error texts) are never public.")


def narrowed(base: str, statuses: list[str]) -> dict:
    return {"allOf": [ref(base), {"properties": {"status": {"enum": statuses}}}]}


def document(description: str, **members) -> dict:
    properties = {"page": ref("V2Page")}
    properties.update(members)
    return obj(properties, description=description)


schemas["V2SummaryDocument"] = document(
    "`summary.json`: every component, the unresolved incidents, the scheduled and active maintenances, the rollup.",
    components={"type": "array", "items": ref("V2ComponentRow")},
    automated_checks=extension({"type": "array", "items": ref("V2Check")},
        "Every automatic check, in the components' order, as in `checks.json`; empty when the page keeps its checks "
        "private."),
    incidents={"type": "array", "items": narrowed("V2Incident", ["investigating", "identified", "monitoring"])},
    scheduled_maintenances={"type": "array", "items": narrowed("V2ScheduledMaintenance", ["scheduled", "in_progress", "verifying"])},
    status=ref("V2Status"),
)
schemas["V2StatusDocument"] = document("`status.json`: the rollup only.", status=ref("V2Status"))
schemas["V2ComponentsDocument"] = document("`components.json`: every component and group.",
                                           components={"type": "array", "items": ref("V2ComponentRow")})
schemas["V2IncidentsDocument"] = document(
    "`incidents.json`: the 50 most recent incidents (not maintenances), newest created first.",
    incidents={"type": "array", "maxItems": 50, "items": ref("V2Incident")})
schemas["V2UnresolvedIncidentsDocument"] = document(
    "`incidents/unresolved.json`: incidents that are investigating, identified or monitoring.",
    incidents={"type": "array", "items": narrowed("V2Incident", ["investigating", "identified", "monitoring"])})
schemas["V2ScheduledMaintenancesDocument"] = document(
    "`scheduled-maintenances.json`: the 50 most recent maintenances in every status, by `scheduled_for` descending.",
    scheduled_maintenances={"type": "array", "maxItems": 50, "items": ref("V2ScheduledMaintenance")})
schemas["V2UpcomingMaintenancesDocument"] = document(
    "`scheduled-maintenances/upcoming.json`: maintenances that are `scheduled`.",
    scheduled_maintenances={"type": "array", "items": narrowed("V2ScheduledMaintenance", ["scheduled"])})
schemas["V2ActiveMaintenancesDocument"] = document(
    "`scheduled-maintenances/active.json`: maintenances `in_progress` or `verifying`.",
    scheduled_maintenances={"type": "array", "items": narrowed("V2ScheduledMaintenance", ["in_progress", "verifying"])})

PERCENT = {"type": ["number", "null"], "minimum": 0, "maximum": 100}
schemas["UptimeDay"] = obj({
    "date": ref("CalendarDate"),
    "uptime": {**PERCENT, "description": "Percent, at most three decimals; null on days before the component existed."},
    "major_outage_minutes": {"type": "integer", "minimum": 0},
    "partial_outage_minutes": {"type": "integer", "minimum": 0},
}, description="One local day (the page's time zone).")
schemas["MeasuredUptimeDay"] = obj({
    "date": ref("CalendarDate"),
    "uptime": {**PERCENT, "description": "Percent of the day's results that succeeded (inconclusive ones count in "
               "neither), at most three decimals; null with no result."},
    "successes": {"type": "integer", "minimum": 0},
    "failures": {"type": "integer", "minimum": 0},
}, description="One local day of a check's results, every location together.")
schemas["MeasuredUptime"] = extension(obj({
    "check_id": ref("Identifier"),
    "name": {"type": "string"},
    "days": {"type": "array", "minItems": 90, "maxItems": 90, "items": ref("MeasuredUptimeDay"),
             "description": "The same days as the declared ones, oldest first."},
    "uptime": {**PERCENT, "description": "Percent of the results over the 90 days that succeeded; null with none."},
}), "What one automatic check of the component measured, beside the declared figures and never folded into them.")
schemas["UptimeComponent"] = obj({
    "id": ref("Identifier"),
    "name": {"type": "string"},
    "uptime_90d": {**PERCENT, "description": "Percent over the 90 days, at most three decimals; null when the component has no history in them."},
    "days": {"type": "array", "minItems": 90, "maxItems": 90, "items": ref("UptimeDay"), "description": "Oldest first; the last is today."},
    "measured": extension({"type": "array", "items": ref("MeasuredUptime")},
                          "The component's automatic checks' results over the same days; empty when it has none or "
                          "the page keeps its checks private."),
}, description="A component's declared uptime (from the statuses staff set) and, apart, its checks' measured one.")
schemas["V2ChecksDocument"] = extension(document(
    "",
    checks={"type": "array", "items": ref("V2Check"),
            "description": "In the components' order, then by name; empty when the page keeps its checks private."},
), "`checks.json`: what automatic checks measure, apart from what staff declare.")
schemas["V2UptimeDocument"] = extension(document(
    "",
    components={"type": "array", "items": ref("UptimeComponent"), "description": "Every component (groups excluded), in tree order."},
), "`uptime.json`: 90 days of uptime for each component.")

# ---- v1 (management) ----

TRANSLATIONS_MAP = {
    "type": "object", "propertyNames": ref("Language"), "additionalProperties": {"type": "string"},
}

schemas["V1HeaderLink"] = obj({"label": {"type": "string"}, "url": {"type": "string"}})
schemas["V1Page"] = obj({
    "id": ref("Identifier"),
    "created_at": ref("Timestamp"),
    "updated_at": ref("Timestamp"),
    "name": {"type": "string"},
    "url": {"type": "string", "description": "Empty until configured."},
    "time_zone": {"type": "string"},
    "default_language": extension(ref("Language"), "The language of the primary text of incidents and updates."),
    "logo_url": extension({"type": ["string", "null"]}, "An http(s) URL or a path on this server."),
    "accent_color": extension({"type": ["string", "null"], "pattern": "^#[0-9a-fA-F]{6}$"}, "`#rrggbb`."),
    "header_links": extension({"type": "array", "maxItems": 10, "items": ref("V1HeaderLink")}, "Links in the page header."),
    "stylesheet_url": extension({"type": ["string", "null"]}, "An http(s) URL or a path on this server."),
    "checks_public": extension({"type": "boolean"}, "Whether automatic checks appear on the public page and in v2."),
    "max_silence": extension({"type": "integer", "minimum": 0, "maximum": 10080},
                             "Minutes after an open incident's latest update at which the page itself promises the "
                             "next one, when staff promised none; 0: off."),
    "statement_grace": extension({"type": "integer", "minimum": 0, "maximum": 10080},
                                 "Minutes a check may fail on a component no open incident lists before the page says "
                                 "staff have not spoken."),
}, description="The page (Warta serves exactly one).")

schemas["V1Component"] = obj({
    "id": ref("Identifier"),
    "page_id": ref("Identifier"),
    "group_id": nullable(ref("Identifier")),
    "created_at": ref("Timestamp"),
    "updated_at": ref("Timestamp"),
    "group": {"const": False},
    "name": {"type": "string"},
    "description": {"type": ["string", "null"]},
    "position": {"type": "integer", "minimum": 1},
    "status": ref("ComponentStatus"),
    "showcase": {"type": "boolean"},
    "only_show_if_degraded": {"type": "boolean"},
    "automation_email": {"type": "string", "description": "Always empty: Warta has no e-mail automation."},
    "start_date": nullable(ref("CalendarDate")),
    "name_translations": extension(TRANSLATIONS_MAP, "The name in the page's other language."),
    "description_translations": extension(TRANSLATIONS_MAP, "The description in the page's other language."),
}, description="A component: the v2 fields plus v1's `automation_email`, and the translations.")

schemas["V1ComponentGroup"] = obj({
    "id": ref("Identifier"),
    "page_id": ref("Identifier"),
    "name": {"type": "string"},
    "description": {"type": ["string", "null"]},
    "components": {"type": "array", "items": ref("Identifier"), "description": "Member ids, in order."},
    "position": {"type": "integer", "minimum": 1},
    "created_at": ref("Timestamp"),
    "updated_at": ref("Timestamp"),
    "name_translations": extension(TRANSLATIONS_MAP, "The name in the page's other language."),
    "description_translations": extension(TRANSLATIONS_MAP, "The description in the page's other language."),
})

schemas["V1IncidentTemplate"] = obj({
    "id": ref("Identifier"),
    "components": {"type": "array", "items": ref("V1Component"), "description": "The components it affects, in order."},
    "name": {"type": "string", "description": "The template's own name."},
    "title": {"type": "string", "description": "The incident's name it fills in; may hold placeholders."},
    "body": {"type": "string", "description": "The update's text it fills in; may hold placeholders."},
    "group_id": {"type": ["string", "null"], "description": "Statuspage's template group, kept as given."},
    "update_status": ref("IncidentStatus"),
    "should_tweet": {"type": "boolean", "const": False, "description": "Always false: Warta never tweets."},
    "should_send_notifications": {"type": "boolean"},
    "page_id": ref("Identifier"),
    "created_at": ref("Timestamp"),
    "updated_at": ref("Timestamp"),
    "title_translations": extension({"type": "object", "additionalProperties": {"type": "string"}},
                                    "The title in the page's other language, by language code."),
    "body_translations": extension({"type": "object", "additionalProperties": {"type": "string"}},
                                   "The body in the page's other language, by language code."),
}, description="An incident template, as Statuspage's v1 has them, with Warta's translations.")

schemas["V1AffectedComponent"] = schemas["V2AffectedComponent"]
schemas["V1IncidentUpdate"] = obj({
    "id": ref("Identifier"),
    "incident_id": ref("Identifier"),
    "status": ref("IncidentStatus"),
    "body": {"type": "string"},
    "created_at": ref("Timestamp"),
    "updated_at": ref("Timestamp"),
    "display_at": ref("Timestamp"),
    "affected_components": {"type": "array", "items": ref("V2AffectedComponent"),
                            "description": "Empty when the update changed no component (v2 says null)."},
    "deliver_notifications": {"type": "boolean"},
    "custom_tweet": {"type": "null"},
    "tweet_id": {"type": "null"},
    "twitter_updated_at": {"type": "null"},
    "wants_twitter_update": {"type": "boolean"},
    "next_update_at": extension(ref("NullableTimestamp"), "The promise this update made: the next update is due by then."),
    "body_translations": extension(TRANSLATIONS_MAP, "The body in the page's other language, e.g. `{\"en\": \"...\"}`."),
})

schemas["V1Incident"] = obj({
    "id": ref("Identifier"),
    "name": {"type": "string"},
    "status": ref("IncidentStatus"),
    "impact": ref("Impact"),
    "impact_override": nullable(ref("Impact")),
    "shortlink": {"type": "string"},
    "page_id": ref("Identifier"),
    "created_at": ref("Timestamp"),
    "updated_at": ref("Timestamp"),
    "started_at": ref("Timestamp"),
    "monitoring_at": ref("NullableTimestamp"),
    "resolved_at": ref("NullableTimestamp"),
    "scheduled_for": {**ref("NullableTimestamp"), "description": "Maintenances only; null for incidents."},
    "scheduled_until": {**ref("NullableTimestamp"), "description": "Maintenances only; null for incidents."},
    "scheduled_remind_prior": {"type": "boolean", "description": "Maintenances only: email subscribers are mailed a "
                               "reminder an hour before `scheduled_for`. Always false for incidents."},
    "scheduled_reminded_at": {**ref("NullableTimestamp"), "description": "When the reminder was sent; null until then, "
                              "and again when `scheduled_for` moves."},
    "scheduled_auto_in_progress": {"type": "boolean"},
    "scheduled_auto_completed": {"type": "boolean"},
    "auto_transition_to_maintenance_state": {"type": "boolean"},
    "auto_transition_to_operational_state": {"type": "boolean"},
    "auto_transition_deliver_notifications_at_start": {"type": "boolean"},
    "auto_transition_deliver_notifications_at_end": {"type": "boolean"},
    "metadata": {"type": "object", "description": "Free-form JSON object, as sent."},
    "postmortem_body": {"type": ["string", "null"]},
    "postmortem_body_last_updated_at": ref("NullableTimestamp"),
    "postmortem_ignored": {"type": "boolean"},
    "postmortem_notified_subscribers": {"type": "boolean"},
    "postmortem_notified_twitter": {"type": "boolean"},
    "postmortem_published_at": ref("NullableTimestamp"),
    "incident_updates": {"type": "array", "minItems": 1, "items": ref("V1IncidentUpdate"), "description": "Newest first."},
    "components": {"type": "array", "items": ref("V1Component"), "description": "The affected components."},
    "next_update_at": extension(ref("NullableTimestamp"), "The promise of the latest update: the next update is due by then."),
    "update_overdue": UPDATE_OVERDUE,
    "name_translations": extension(TRANSLATIONS_MAP, "The name in the page's other language."),
}, description="An incident or scheduled maintenance, v1 style (no `page` wrapper). `started_at` is "
               "Warta's addition to v1 (v2 has it).")

schemas["AuditEntry"] = extension(obj({
    "id": {"type": "integer", "minimum": 1, "description": "Increasing with every entry."},
    "created_at": ref("Timestamp"),
    "actor": {"type": "string", "description": "The token's name; `system` for changes made by time, `cli:<user>` for the command line."},
    "action": {"type": "string", "enum": AUDIT_ACTIONS},
    "target_type": {"type": "string", "enum": AUDIT_TARGET_TYPES},
    "target_id": {"type": "string", "description": "The target's id (a token's name for tokens)."},
    "client_address": {"type": "string"},
    "detail": {"type": "object", "description": "E.g. `{\"fields\": [\"name\", \"status\"], \"status\": \"resolved\", \"update_id\": \"...\"}`."},
}), "One successful write: who made it and what it touched.")

# Subscribers (Sources/StatusWeb/V1/V1Representation+Subscribers.swift; the rules in
# Sources/StatusCore/Store/Store+Webhooks.swift and Store+MailSubscribers.swift).
WEBHOOK_SUBSCRIBER_PROPERTIES = {
    "id": ref("Identifier"),
    "mode": {"type": "string", "const": "webhook"},
    "endpoint": {"type": "string", "description": "The URL deliveries are POSTed to, as registered."},
    "email": {"type": "null", "description": "Always null for a webhook."},
    "created_at": ref("Timestamp"),
    "quarantined_at": {"type": "null", "description": "Always null: Warta does not quarantine a failing endpoint; "
                                                      "it retries each delivery for 24 hours."},
    "state": extension({"type": "string", "const": "active"}, "A webhook is always `active`."),
    "pending_deliveries": extension({"type": "integer", "minimum": 0},
                                    "Deliveries to this subscriber neither made nor abandoned yet."),
    "last_error": extension({"type": ["string", "null"]},
                            "Why the last attempt of the oldest pending delivery failed (`HTTP 500`, a connection "
                            "error); null when nothing is pending or it has not failed yet."),
    "events": extension({"type": "array", "minItems": 1, "uniqueItems": True, "items": ref("WebhookEvent")},
                        "The events it is told of, in the order `incident`, `component_update`, `check`."),
}
schemas["V1WebhookSubscriber"] = obj(WEBHOOK_SUBSCRIBER_PROPERTIES, description="A webhook subscriber, v1 style. The "
                                     "signing secret is not shown: only the response that creates the subscriber "
                                     "carries it.")
schemas["V1WebhookSubscriberCreated"] = obj({
    **WEBHOOK_SUBSCRIBER_PROPERTIES,
    "secret": extension({"type": "string", "pattern": "^[0-9a-f]{64}$"},
                        "The signing key of `X-Warta-Signature`: 64 lowercase hex digits (256 random bits), "
                        "used as text. Shown in this response only; keep it."),
}, description="A new webhook subscriber with its signing secret.")
schemas["SubscriberState"] = {
    "type": "string", "enum": SUBSCRIBER_STATES,
    "description": "`unconfirmed`: signed up, confirmation link not yet followed (deleted at `purge_at`); "
                   "`active`: mailed; `quarantined`: the relay refused the address permanently three times in a "
                   "row, so it is not mailed until reactivated.",
}
schemas["V1EmailSubscriber"] = obj({
    "id": ref("Identifier"),
    "mode": {"type": "string", "const": "email"},
    "email": {"type": "string", "description": "The address, as given."},
    "endpoint": {"type": "null"},
    "phone_number": {"type": "null"},
    "phone_country": {"type": "null"},
    "display_phone_number": {"type": "null"},
    "obfuscated_channel_name": {"type": "null"},
    "workspace_name": {"type": "null"},
    "slack_channel_id": {"type": "null"},
    "skip_confirmation_notification": {"type": "boolean", "description": "True when it was active from its "
                                       "creation: staff skipped the confirmation."},
    "purge_at": {**ref("NullableTimestamp"), "description": "While unconfirmed: when the sign-up is deleted "
                 "(48 hours after the last confirmation mail). Null otherwise."},
    "quarantined_at": ref("NullableTimestamp"),
    "created_at": ref("Timestamp"),
    "components": {"type": "array", "items": ref("Identifier"), "description": "The components it is mailed "
                   "about, in page order: every component of the page when it chose none (then also those "
                   "added later)."},
    "page_access_user_id": {"type": "null"},
    "state": extension(ref("SubscriberState"), "Where it stands."),
    "language": extension(ref("Language"), "The language of its mail."),
}, description="An email subscriber, in Statuspage's shape; the channels Warta does not have are null.")
schemas["V1Subscriber"] = {
    "oneOf": [ref("V1EmailSubscriber"), ref("V1WebhookSubscriber")],
    "discriminator": {"propertyName": "mode", "mapping": {
        "email": "#/components/schemas/V1EmailSubscriber", "webhook": "#/components/schemas/V1WebhookSubscriber"}},
    "description": "A subscriber of either kind, told apart by `mode`.",
}
schemas["V1SubscriberCreated"] = {
    "oneOf": [ref("V1EmailSubscriber"), ref("V1WebhookSubscriberCreated")],
    "discriminator": {"propertyName": "mode", "mapping": {
        "email": "#/components/schemas/V1EmailSubscriber",
        "webhook": "#/components/schemas/V1WebhookSubscriberCreated"}},
    "description": "The new subscriber; a webhook's with its signing secret.",
}
schemas["V1SubscriberCount"] = obj({
    "type": {"type": ["string", "null"], "enum": SUBSCRIBER_TYPES + [None], "description": "The `type` asked for; "
             "null: both."},
    "state": {"type": "string", "enum": SUBSCRIBER_STATES + ["all"], "description": "The `state` asked for."},
    "count": {"type": "integer", "minimum": 0},
}, description="How many subscribers match.")

schemas["WebhookEvent"] = {
    "type": "string", "enum": WEBHOOK_EVENTS,
    "description": "`incident` (an incident or maintenance created or changed), `component_update` (a component's "
                   "status changed) or `check` (Warta's: an automatic check's verdict changed).",
}

# Webhook deliveries (Sources/StatusWeb/Webhooks/WebhookPayload.swift): Statuspage's shapes.
schemas["WebhookMeta"] = obj({
    "unsubscribe": {"type": "null"},
    "documentation": {"type": "null"},
    "generated_at": {**ref("Timestamp"), "description": "When the body was made: at the first attempt."},
    "event_id": extension(ref("Identifier"), "The change's id, the same for every subscriber told of it and in "
                          "`X-Warta-Event-Id`."),
})
schemas["WebhookPage"] = obj({
    "id": ref("Identifier"),
    "status_indicator": ref("Impact"),
    "status_description": {"type": "string", "enum": STATUS_DESCRIPTIONS},
}, description="The page and its rollup status when the body was made.")
schemas["WebhookIncidentEvent"] = obj({
    "meta": ref("WebhookMeta"),
    "page": ref("WebhookPage"),
    "incident": {"anyOf": [ref("V2Incident"), ref("V2ScheduledMaintenance")],
                 "description": "The v2 incident or maintenance (as in `incidents.json`) as it is at the first attempt."},
}, description="`X-Warta-Event: incident`: an incident or maintenance was created or changed.")
schemas["WebhookComponentUpdate"] = obj({
    "created_at": {**ref("Timestamp"), "description": "When the status changed."},
    "new_status": ref("ComponentStatus"),
    "old_status": ref("ComponentStatus"),
    "id": {**ref("Identifier"), "description": "The change's id (`meta.event_id`)."},
    "component_id": ref("Identifier"),
})
schemas["WebhookComponentEvent"] = obj({
    "meta": ref("WebhookMeta"),
    "page": ref("WebhookPage"),
    "component_update": ref("WebhookComponentUpdate"),
    "component": {**ref("V2Component"), "description": "The v2 component as it is at the first attempt."},
}, description="`X-Warta-Event: component_update`: a component's status changed.")
schemas["WebhookCheckLocation"] = obj({
    "name": {"type": "string"},
    "state": {"type": "string", "enum": CHECK_STATES + ["silent"],
              "description": "The location's own state then; `silent` when it had not reported within three intervals."},
    "last_report_at": ref("NullableTimestamp"),
})
schemas["WebhookCheck"] = obj({
    "id": ref("Identifier"),
    "name": {"type": "string", "description": "As it was at the change."},
    "component_id": ref("Identifier"),
    "state": ref("CheckState"),
    "previous_state": ref("CheckState"),
    "since": {**ref("Timestamp"), "description": "When the check entered `state` (for `failing`: the first failed probe)."},
    "locations": {"type": "array", "items": ref("WebhookCheckLocation")},
}, description="The verdict as it was when it changed; the check may have moved on, or been deleted, since.")
schemas["WebhookCheckEvent"] = extension(obj({
    "meta": ref("WebhookMeta"),
    "page": ref("WebhookPage"),
    "check": ref("WebhookCheck"),
}), "`X-Warta-Event: check`: an automatic check's verdict changed. Sent only to subscribers that ask for `check`, "
    "whether or not the page shows checks to the public.")

# Checks (the management API's fixed v1 shape; rules in Sources/StatusCore/Store/Store+Checks.swift).
CHECK_LOCATION_V1 = obj({
    "name": {"type": "string", "description": "The location that reports (`local` is the server itself)."},
    "state": ref("CheckState"),
    "since": ref("NullableTimestamp"),
    "last_report_at": ref("Timestamp"),
    "latency_ms": {"type": ["integer", "null"], "minimum": 0},
    "detail": {"type": ["string", "null"], "description": "What the last probe saw (`HTTP 503`, `connection refused`): "
               "for staff, never public."},
    "silent": {"type": "boolean", "description": "No report within three intervals: left out of the verdict."},
})
schemas["V1CheckLocation"] = CHECK_LOCATION_V1
CHECK_PROPERTIES = {
    "id": ref("Identifier"),
    "page_id": ref("Identifier"),
    "component_id": ref("Identifier"),
    "name": {"type": "string"},
    "type": ref("CheckKind"),
    "url": {"type": ["string", "null"], "description": "`http(s)://...` or `tcp://host:port`; null for a heartbeat."},
    "method": {"type": "string", "enum": CHECK_METHODS},
    "expected_statuses": {"type": "array", "items": {"type": "integer", "minimum": 100, "maximum": 599},
                          "description": "The statuses that count as success; empty: any 2xx."},
    "body_contains": {"type": ["string", "null"]},
    "follow_redirects": {"type": "boolean"},
    "interval": {"type": "integer", "minimum": 1, "maximum": 86400, "description": "Seconds between probes (between "
                 "expected beats for a heartbeat)."},
    "timeout": {"type": "integer", "minimum": 1, "maximum": 300, "description": "Seconds a probe may take."},
    "grace": {"type": ["integer", "null"], "minimum": 0, "maximum": 86400,
              "description": "A heartbeat's allowance in seconds after `interval`; null: the interval."},
    "failure_threshold": {"type": "integer", "minimum": 1, "maximum": 100},
    "success_threshold": {"type": "integer", "minimum": 1, "maximum": 100},
    "state": ref("CheckState"),
    "since": ref("NullableTimestamp"),
    "last_checked_at": ref("NullableTimestamp"),
    "last_beat_at": {**ref("NullableTimestamp"), "description": "A heartbeat's last beat; null otherwise."},
    "locations": {"type": "array", "items": ref("V1CheckLocation")},
    "created_at": ref("Timestamp"),
    "updated_at": ref("Timestamp"),
}
schemas["V1Check"] = extension(obj(CHECK_PROPERTIES), "An automatic check, with what each location saw last.")
schemas["V1CheckCreated"] = extension(obj({
    **CHECK_PROPERTIES,
    "heartbeat_url": {"type": "string", "description": "Heartbeats only: the URL (`.../heartbeat/{secret}`) its job "
                      "calls. The secret is kept only as its hash, so this is the one response that shows it."},
}, required=list(CHECK_PROPERTIES)), "A new check; a heartbeat's with its URL.")
schemas["HeartbeatBeat"] = extension(obj({
    "check_id": ref("Identifier"),
    "state": ref("CheckState"),
}), "The heartbeat check that was called, and its state after the beat.")

# ---- request bodies ----

DATE_TIME_IN = {"type": ["string", "null"], "format": "date-time",
                "description": "ISO 8601 with a zone (`2026-11-29T14:59:00Z`, `2026-11-29T21:59:00.000+07:00`); "
                               "null or empty means not given."}
TRANSLATION_FIELDS_INCIDENT = {"type": "object", "properties": {
    "name": {**NAME, "description": "The name in this language."},
    "body": {**BODY, "description": "The new update's body in this language."},
}}
TRANSLATIONS_IN = extension({
    "type": "object", "propertyNames": ref("Language"), "additionalProperties": TRANSLATION_FIELDS_INCIDENT,
}, "Texts in the page's other language (`id` or `en`, not the default one; 422 otherwise): "
   "`translations[en][name]` and `translations[en][body]`.")
NEXT_UPDATE_AT_IN = extension({"type": "string", "format": "date-time"},
    "The promise carried by the new update: the next update is due by then. Must be in the future.")
NEXT_UPDATE_IN_IN = extension({"type": "integer", "minimum": 1, "maximum": 10080},
    "The promise as minutes from now (1 to 10080); wins over `next_update_at`.")

INCIDENT_FIELDS = {
    "name": NAME,
    "status": {**ref("IncidentStatus"), "description": "An incident takes incident statuses, a maintenance maintenance "
               "statuses (422 otherwise). Default `investigating`, or `scheduled` for a maintenance. A new incident "
               "cannot start in `postmortem`; an incident reaches it once resolved."},
    "body": {**BODY, "description": "The new update's text (≤ 25,000 characters)."},
    "impact_override": {**ref("Impact"), "description": "Replaces the impact derived from the components."},
    "component_ids": {"type": "array", "items": {"type": "string"}, "description": "The affected components (ids of existing components)."},
    "components": {"type": "object", "additionalProperties": ref("ComponentStatus"),
                   "description": "`{componentId: status}`: sets these components' statuses; they become affected."},
    "deliver_notifications": {"type": "boolean", "default": True},
    "scheduled_for": {**DATE_TIME_IN, "description": "The start of a maintenance window; giving it makes a maintenance. " + DATE_TIME_IN["description"]},
    "scheduled_until": {**DATE_TIME_IN, "description": "The end of the window, after `scheduled_for`. " + DATE_TIME_IN["description"]},
    "scheduled_auto_in_progress": {"type": "boolean", "default": False},
    "scheduled_auto_completed": {"type": "boolean", "default": False},
    "auto_transition_to_maintenance_state": {"type": "boolean", "default": False},
    "auto_transition_to_operational_state": {"type": "boolean", "default": False},
    "scheduled_remind_prior": {"type": "boolean", "default": False, "description": "Maintenances only: mail email "
                               "subscribers a reminder an hour before the window opens. Ignored for incidents."},
    "metadata": {"type": "object", "description": "Free-form JSON object."},
    "next_update_at": NEXT_UPDATE_AT_IN,
    "next_update_in": NEXT_UPDATE_IN_IN,
    "translations": TRANSLATIONS_IN,
    "template_id": {"type": "string", "description": "An incident template's id: its title, body, status, components "
                    "and notification choice fill what the request leaves out, placeholders filled in each language "
                    "(`{next_update}` needs `next_update_in` or `next_update_at`). An unknown id: 422."},
}
incident_update_fields = deepcopy(INCIDENT_FIELDS)
incident_update_fields["impact_override"] = {**nullable(ref("Impact")), "description": "null clears the override."}
incident_update_fields["postmortem_body"] = {**BODY, "type": ["string", "null"]}
incident_update_fields["status"] = {**ref("IncidentStatus"), "description":
    "A new status appends an update. `postmortem` only once resolved."}
incident_update_fields["body"] = {**BODY, "description": "Given (even empty), appends an update with this text."}

NAME_TRANSLATIONS_IN = extension({"type": "object", "propertyNames": ref("Language"), "additionalProperties": {
    "type": "object", "properties": {"name": NAME, "description": {"type": "string"}}}},
    "`translations[en][name]` and `translations[en][description]`: the texts in the page's other language "
    "(not the default one; 422 otherwise), shown on the page, feeds, badges and mail in that language. Each "
    "given replaces the stored ones; an empty text removes one.")
PLACEHOLDERS = ("May hold the placeholders `{component}`, `{started}` and `{next_update}`, filled in when the "
                "template is used; any other `{name}` is refused with 422.")
TEMPLATE_FIELDS = {
    "name": {**NAME, "description": "The template's own name."},
    "title": {**NAME, "description": "The incident's name. " + PLACEHOLDERS},
    "body": {**BODY, "description": "The update's text. " + PLACEHOLDERS},
    "group_id": {"type": ["string", "null"], "description": "Statuspage's template group, kept as given."},
    "update_status": {**ref("IncidentStatus"), "description": "The status posted; default `investigating`."},
    "should_send_notifications": {"type": "boolean", "default": True},
    "should_tweet": {"type": "boolean", "description": "Accepted and ignored: Warta never tweets."},
    "component_ids": {"type": "array", "items": {"type": "string"}, "description": "Ids of existing components; replaces the list."},
    "translations": extension({"type": "object", "propertyNames": ref("Language"), "additionalProperties": {
        "type": "object", "properties": {"title": {**NAME, "description": "The title in this language."},
                                         "body": {**BODY, "description": "The body in this language."}}}},
        "`translations[en][title]` and `translations[en][body]`: the texts in the page's other language."),
}

COMPONENT_FIELDS = {
    "name": NAME,
    "description": {"type": ["string", "null"]},
    "status": ref("ComponentStatus"),
    "group_id": {"type": ["string", "null"], "description": "An existing group's id; null for the top level. A "
                 "component is appended at the end of its parent."},
    "showcase": {"type": "boolean"},
    "only_show_if_degraded": {"type": "boolean"},
    "start_date": {"type": ["string", "null"], "format": "date", "description": "`YYYY-MM-DD`, a real day."},
    "translations": NAME_TRANSLATIONS_IN,
}
GROUP_FIELDS = {
    "name": NAME,
    "description": {"type": ["string", "null"]},
    "components": {"type": "array", "items": {"type": "string"},
                   "description": "Existing component ids to make the members, in this order. On update, it "
                                  "replaces the members; those left out move to the end of the top level."},
    "translations": NAME_TRANSLATIONS_IN,
}
PAGE_FIELDS = {
    "name": NAME,
    "url": {"type": "string", "description": "The public `http(s)://` URL, or empty; a trailing slash is dropped."},
    "time_zone": {"type": "string", "description": "An IANA time zone name, e.g. `Asia/Jakarta`."},
    "default_language": extension(ref("Language"), "The language of primary texts."),
    "logo_url": extension({"type": ["string", "null"]}, "An http(s) URL or a path starting with `/`; null clears it."),
    "accent_color": extension({"type": ["string", "null"], "pattern": "^#[0-9a-fA-F]{6}$"}, "`#rrggbb`; null clears it."),
    "header_links": extension({"type": "array", "maxItems": 10, "items": obj({
        "label": {"type": "string", "minLength": 1, "maxLength": 100},
        "url": {"type": "string", "description": "An http(s) URL or a path starting with `/`."},
    }, closed=False)}, "Replaces the header links (at most 10). JSON bodies only: a form cannot pair labels with URLs."),
    "stylesheet_url": extension({"type": ["string", "null"]}, "An http(s) URL or a path starting with `/`; null clears it."),
    "checks_public": extension({"type": "boolean"}, "false: automatic checks appear only in this API and staff webhooks."),
    "max_silence": extension({"type": "integer", "minimum": 0, "maximum": 10080},
                             "Minutes; an open incident whose latest update promised nothing is overdue this long "
                             "after it. 0 turns it off."),
    "statement_grace": extension({"type": "integer", "minimum": 0, "maximum": 10080},
                                 "Minutes a check may fail, on a component no open incident lists, before the banner."),
}
INCIDENT_UPDATE_FIELDS = {
    "body": BODY,
    "display_at": {**DATE_TIME_IN, "description": "When the update is shown as posted. " + DATE_TIME_IN["description"]},
    "deliver_notifications": {"type": "boolean"},
    "translations": extension({"type": "object", "propertyNames": ref("Language"), "additionalProperties": {
        "type": "object", "properties": {"body": BODY}}},
        "`translations[en][body]`: the body in the page's other language; replaces the translations."),
}
CHECK_FIELDS = {
    "name": NAME,
    "component_id": {"type": "string", "description": "The id of the component it watches."},
    "type": {**ref("CheckKind"), "description": "Cannot change once created."},
    "url": {"type": "string", "maxLength": 2048, "description": "`http(s)://host/...` for http, `tcp://host:port` for "
            "tcp; none for a heartbeat (its URL is made for it)."},
    "method": {"type": "string", "enum": CHECK_METHODS, "default": "GET"},
    "expected_statuses": {"type": "array", "items": {"type": "integer", "minimum": 100, "maximum": 599},
                          "description": "Statuses that count as success; empty: any 2xx."},
    "body_contains": {"type": ["string", "null"], "minLength": 1, "maxLength": 1024,
                      "description": "Text the response body must contain (http)."},
    "follow_redirects": {"type": "boolean", "default": False},
    "interval": {"type": "integer", "minimum": 1, "maximum": 86400, "default": 60},
    "timeout": {"type": "integer", "minimum": 1, "maximum": 300,
                "description": "At most the interval; default 10 seconds, or the interval when shorter."},
    "grace": {"type": ["integer", "null"], "minimum": 0, "maximum": 86400},
    "failure_threshold": {"type": "integer", "minimum": 1, "maximum": 100, "default": 3},
    "success_threshold": {"type": "integer", "minimum": 1, "maximum": 100, "default": 2},
}
check_patch_fields = {name: schema for name, schema in CHECK_FIELDS.items() if name != "type"}
RESULT_FIELDS = {
    "location": {"type": "string", "minLength": 1, "maxLength": 64, "description": "Who probed (`warta probe "
                 "--location`)."},
    "outcome": {"type": "string", "enum": PROBE_OUTCOMES, "description": "`inconclusive`: the prober could not tell "
                "(its own control target was unreachable too)."},
    "latency_ms": {"type": "integer", "minimum": 0},
    "detail": {"type": "string", "description": "What was seen (`HTTP 503`): kept for staff, never public."},
}

SUBSCRIBER_FIELDS = {
    "email": {"type": "string", "minLength": 3, "maxLength": 254, "description": "Makes an email subscriber: the "
              "address to mail (RFC 5321's common form; no control character, space or angle bracket; a domain "
              "in its xn-- form). Only on a server with an SMTP relay (`warta serve --smtp-url`): 422 otherwise. "
              "422 too when it is subscribed already."},
    "component_ids": {"type": "array", "items": {"type": "string"}, "description": "Email subscribers: the "
                      "components to be mailed about; absent or empty: all, including those added later."},
    "skip_confirmation_notification": {"type": "boolean", "default": False, "description": "Email subscribers: "
                                       "active at once, without the confirmation mail (double opt-in) otherwise sent."},
    "language": extension({**ref("Language")}, "Email subscribers: the language of their mail; default the page's."),
    "endpoint": {"type": "string", "format": "uri", "minLength": 1, "maxLength": 2048,
                 "description": "The URL to POST deliveries to: an absolute `https://` (or `http://`) URL with a host, "
                                "and a port from 1 to 65535 if any, without user information or a fragment; printable "
                                "ASCII (a host in punycode, a path percent-encoded), at most 2,048 characters."},
    "events": extension({"type": "array", "minItems": 1, "items": ref("WebhookEvent")},
                        "The events to be told of; default `incident` and `component_update`, what every subscriber "
                        "gets. `check` only to those that ask. An unknown one is a 422 naming `subscriber[events]`."),
}


def json_body(root: str, fields: dict, required: list[str], outer: dict | None = None) -> dict:
    inner = {"type": "object", "properties": fields}
    if required:
        inner["required"] = required
    properties = {root: inner}
    if outer:
        properties.update(outer)
    schema = {"type": "object", "properties": properties}
    if required:
        schema["required"] = [root]
    return schema


def form_body(root: str, fields: dict, required: list[str], outer: dict | None = None,
              skip: tuple[str, ...] = ()) -> tuple[dict, dict]:
    """The same fields flattened to the bracket names a form sends (`incident[name]`), so any
    client or tool sends exactly what the server parses. Returns the schema and its encoding."""
    properties: dict[str, dict] = {}
    patterns: dict[str, dict] = {}
    encoding: dict[str, dict] = {}

    def scalar(schema: dict) -> dict:
        schema = deepcopy(schema)
        schema.pop("x-warta-extension", None)
        t = schema.get("type")
        if isinstance(t, list):
            t = [x for x in t if x != "null"]
            schema["type"] = t[0] if len(t) == 1 else t
        if schema.get("anyOf"):
            schema = schema["anyOf"][0]
        if "enum" in schema:
            schema["enum"] = [v for v in schema["enum"] if v is not None]
        return schema

    for name, schema in fields.items():
        if name in skip:
            continue
        key = f"{root}[{name}]"
        kind = schema.get("type")
        if name == "translations":
            inner = schema["additionalProperties"]["properties"]
            for language in LANGUAGES:
                for part, part_schema in inner.items():
                    properties[f"{key}[{language}][{part}]"] = extension(scalar(part_schema),
                        f"The {part} in `{language}` (must not be the page's default language).")
        elif name == "components" and root == "incident":
            patterns[r"^incident\[components\]\[[a-z0-9]{12}\]$"] = ref("ComponentStatus")
        elif name == "metadata":
            patterns[r"^incident\[metadata\]\[[A-Za-z0-9_]{1,20}\]$"] = {"type": "string"}
        elif kind == "array":
            properties[key + "[]"] = {"type": "array", "items": {"type": "string"},
                                      "description": schema.get("description", "")}
            encoding[key + "[]"] = {"style": "form", "explode": True}
        else:
            properties[key] = scalar(schema)
    for name, schema in (outer or {}).items():
        properties[name] = scalar(schema)
    form = {"type": "object", "properties": properties, "additionalProperties": False}
    if patterns:
        form["patternProperties"] = patterns
    if required:
        form["required"] = [f"{root}[{name}]" for name in required]
    return form, encoding


FORM_CONVENTION = (
    "The body is `application/json` (`{\"%(root)s\": {...}}`) or `application/x-www-form-urlencoded` "
    "with the Rails/Statuspage bracket convention: `%(root)s[name]=...`, lists as repeated "
    "`%(root)s[field][]=value`, maps as `%(root)s[field][key]=value` (e.g. "
    "`incident[components][k3x9abcdefgh]=major_outage`), nested objects as "
    "`incident[translations][en][name]=...`. Form values are strings: booleans are "
    "`true`/`false`/`1`/`0` (any case), numbers their decimal text. Unknown fields are ignored; a "
    "field given twice, or both as a value and as a group, is a 400. Any other Content-Type is a "
    "415. An absent or empty body counts as `{}`."
)


def flatten(value: dict, prefix: str = "") -> dict:
    """A JSON example as the form fields that say the same (`incident[name]`)."""
    fields: dict = {}
    for key, item in value.items():
        name = f"{prefix}[{key}]" if prefix else key
        if isinstance(item, dict):
            fields.update(flatten(item, name))
        elif isinstance(item, list):
            fields[name + "[]"] = item
        else:
            fields[name] = item
    return fields


def request_body(root: str, fields: dict, required: list[str], *, outer: dict | None = None,
                 form_skip: tuple[str, ...] = (), description: str = "",
                 examples: dict[str, tuple[str, dict]] | None = None) -> dict:
    form, encoding = form_body(root, fields, required, outer, skip=form_skip)
    json_media = {"schema": json_body(root, fields, required, outer)}
    form_media = {"schema": form}
    if encoding:
        form_media["encoding"] = encoding
    if examples:
        json_media["examples"] = {name: {"summary": summary, "value": value}
                                  for name, (summary, value) in examples.items()}
        form_media["examples"] = {name: {"summary": summary, "value": flatten(value)}
                                  for name, (summary, value) in examples.items()}
    return {
        "required": bool(required),
        "description": (description + " " if description else "") + FORM_CONVENTION % {"root": root},
        "content": {
            "application/json": json_media,
            "application/x-www-form-urlencoded": form_media,
        },
    }


request_bodies: dict[str, dict] = {}


def shared_body(name: str, body: dict) -> dict:
    """Registers `body` under components/requestBodies (PATCH and PUT share theirs)."""
    request_bodies[name] = body
    return {"$ref": f"#/components/requestBodies/{name}"}


# --------------------------------------------------------------------------------------
# Parameters, headers, responses

parameters = {
    "page_id": {"name": "page_id", "in": "path", "required": True,
                "description": "The page's id (`GET /v1/pages` lists it). Any other id is a 404 with `field: page_id`.",
                "schema": ref("Identifier")},
    "incident_id": {"name": "incident_id", "in": "path", "required": True, "schema": ref("Identifier"),
                    "description": "An incident's or maintenance's id."},
    "update_id": {"name": "update_id", "in": "path", "required": True, "schema": ref("Identifier"),
                  "description": "An incident update's id (`incident_updates[].id`)."},
    "component_id": {"name": "component_id", "in": "path", "required": True, "schema": ref("Identifier")},
    "group_id": {"name": "group_id", "in": "path", "required": True, "schema": ref("Identifier"),
                 "description": "A component group's id."},
    "template_id": {"name": "template_id", "in": "path", "required": True, "schema": ref("Identifier"),
                    "description": "An incident template's id."},
    "check_id": {"name": "check_id", "in": "path", "required": True, "schema": ref("Identifier"),
                 "description": "A check's id."},
    "secret": {"name": "secret", "in": "path", "required": True, "schema": {"type": "string"},
               "description": "The secret of a heartbeat check's URL, as its creation answered it."},
    "subscriber_id": {"name": "subscriber_id", "in": "path", "required": True, "schema": ref("Identifier"),
                      "description": "A subscriber's id."},
    "q": {"name": "q", "in": "query", "required": False, "schema": {"type": "string"},
          "description": "Keeps incidents whose name contains this text (case-insensitive for ASCII; `%` and `_` match themselves)."},
    "limit": {"name": "limit", "in": "query", "required": False,
              "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 100},
              "description": "Incidents per page. Outside 1…100, or not a whole number: 422 with `field: limit`."},
    "page": {"name": "page", "in": "query", "required": False,
             "schema": {"type": "integer", "minimum": 1, "maximum": 100000, "default": 1},
             "description": "1-based page number. Outside 1…100000, or not a whole number: 422 with `field: page`."},
    "subscriber_type": {"name": "type", "in": "query", "required": False,
                        "schema": {"type": "string", "enum": SUBSCRIBER_TYPES},
                        "description": "Only subscribers of this type; both when absent. Another value: 422 with `field: type`."},
    "subscriber_state": {"name": "state", "in": "query", "required": False,
                         "schema": {"type": "string", "enum": SUBSCRIBER_STATES + ["all"], "default": "all"},
                         "description": "Only subscribers in this state. Another value: 422 with `field: state`."},
    "subscriber_q": {"name": "q", "in": "query", "required": False, "schema": {"type": "string"},
                     "description": "Keeps subscribers whose address or endpoint contains this text (case-insensitive)."},
    "subscriber_limit": {"name": "limit", "in": "query", "required": False,
                         "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 100},
                         "description": "Rows per page (Statuspage's name; wins over `per_page`). Outside 1…100, or "
                                        "not a whole number: 422 with `field: limit`."},
    "per_page": {"name": "per_page", "in": "query", "required": False,
                 "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 100},
                 "description": "Rows per page. Outside 1…100, or not a whole number: 422 with `field: per_page`."},
    "If-None-Match": {"name": "If-None-Match", "in": "header", "required": False, "schema": {"type": "string"},
                      "description": "An ETag from an earlier response; 304 when it still matches."},
    "If-Modified-Since": {"name": "If-Modified-Since", "in": "header", "required": False, "schema": {"type": "string"},
                          "description": "An HTTP date; 304 when nothing changed since (ignored when If-None-Match is sent)."},
}


def param(name: str) -> dict:
    return {"$ref": f"#/components/parameters/{name}"}


headers = {
    "ETag": {"description": "A strong validator of the body.", "schema": {"type": "string", "pattern": "^\"[0-9a-f]+(-[0-9a-f]{16})?\"$"}},
    "Last-Modified": {"description": "The newest change of the page's content (HTTP date).", "schema": {"type": "string"}},
    "V2CacheControl": {"description": "`public, max-age=N, stale-while-revalidate=30, stale-if-error=86400`; `max-age` never outlives the next time-driven change.",
                       "schema": {"type": "string", "pattern": "^public, max-age=[0-9]+, stale-while-revalidate=30, stale-if-error=86400$"}},
    "NoStore": {"description": "`no-store`.", "schema": {"type": "string", "const": "no-store"}},
    "WWW-Authenticate": {"required": True, "description": "`Bearer realm=\"warta\", OAuth realm=\"warta\"`.",
                         "schema": {"type": "string"}},
    "Allow": {"required": True, "description": "The allowed methods.", "schema": {"type": "string"}},
    "Accept-Post": {"description": "`application/json, application/x-www-form-urlencoded`.", "schema": {"type": "string"}},
    "Retry-After": {"required": True, "description": "Seconds until the address may try again.",
                    "schema": {"type": "string", "pattern": "^[0-9]+$"}},
}


def header(name: str) -> dict:
    return {"$ref": f"#/components/headers/{name}"}


PROBLEM = {"application/problem+json": {"schema": ref("ProblemDetails")}}


def problem(description: str, **response_headers) -> dict:
    response = {"description": description, "content": deepcopy(PROBLEM)}
    if response_headers:
        response["headers"] = response_headers
    return response


responses = {
    "BadRequest": problem("The request could not be read: a malformed request line, target or header (HTTP layer), "
                          "or a body that is not valid JSON / form syntax, or not an object."),
    "Unauthorized": problem("No token, a malformed `Authorization` header, or a token that is unknown, revoked or expired.",
                            **{"WWW-Authenticate": header("WWW-Authenticate")}),
    "Forbidden": problem("The token is valid but does not hold the scope this operation needs (`warta token create "
                         "--scope`); `detail` names the scope. Another token, not a retry, helps."),
    "NotFound": problem("The page, or the incident, update, component, group, subscriber or check named in the path, does not exist; "
                        "`field` names the path parameter."),
    "ContentTooLarge": problem("The body is larger than the server accepts (1 MiB by default)."),
    "URITooLong": problem("The request line is longer than the server accepts (8 KiB by default)."),
    "UnsupportedMediaType": problem("The body is neither JSON nor a form.", **{"Accept-Post": header("Accept-Post")}),
    "UnprocessableContent": problem("A field (or query parameter) breaks a rule; `field` names it, `detail` says what would be accepted."),
    "HeaderFieldsTooLarge": problem("The header section is larger than the server accepts (16 KiB / 100 fields by default)."),
    "ServiceUnavailable": problem("The token could not be checked (the database did not answer); try again."),
    "InsufficientStorage": problem("The server's disk is full: the write was refused and nothing was written; "
                                   "repeat it once space is freed."),
    "TooManyRequests": problem("Too many failed authentications from this client address (20 a minute by default, "
                               "`warta serve --auth-failures`); the token is not checked until `Retry-After` seconds pass.",
                               **{"Retry-After": header("Retry-After")}),
    "NotModified": {"description": "The client's copy (`If-None-Match` / `If-Modified-Since`) is current. No body.",
                    "headers": {"ETag": header("ETag"), "Last-Modified": header("Last-Modified"),
                                "Cache-Control": header("V2CacheControl")}},
}


def resp(name: str) -> dict:
    return {"$ref": f"#/components/responses/{name}"}


def ok_json(description: str, schema: dict, *, v2: bool = False) -> dict:
    response = {"description": description, "content": {"application/json": {"schema": schema}}}
    if v2:
        response["headers"] = {"ETag": header("ETag"), "Last-Modified": header("Last-Modified"),
                               "Cache-Control": header("V2CacheControl")}
    else:
        response["headers"] = {"Cache-Control": header("NoStore")}
    return response


# --------------------------------------------------------------------------------------
# Operations

paths: dict[str, dict] = {}

COMMON_ERRORS = {"400": resp("BadRequest"), "414": resp("URITooLong"), "431": resp("HeaderFieldsTooLarge")}

V2_ENDPOINTS = [
    ("summary.json", "getSummary", "Summary", "V2SummaryDocument",
     "Every component, the unresolved incidents, the upcoming and active maintenances, and the rollup status."),
    ("status.json", "getStatus", "Status", "V2StatusDocument", "The page's rollup status."),
    ("components.json", "getComponents", "Components", "V2ComponentsDocument",
     "Every component and group in one flat list, in tree order."),
    ("incidents.json", "getIncidents", "Incidents", "V2IncidentsDocument",
     "The 50 most recent incidents, newest first (maintenances are in `scheduled-maintenances.json`)."),
    ("incidents/unresolved.json", "getUnresolvedIncidents", "Unresolved incidents", "V2UnresolvedIncidentsDocument",
     "Incidents that are investigating, identified or monitoring."),
    ("scheduled-maintenances.json", "getScheduledMaintenances", "Scheduled maintenances", "V2ScheduledMaintenancesDocument",
     "The 50 most recent scheduled maintenances in every status, latest `scheduled_for` first."),
    ("scheduled-maintenances/upcoming.json", "getUpcomingScheduledMaintenances", "Upcoming scheduled maintenances",
     "V2UpcomingMaintenancesDocument", "Maintenances that are `scheduled`."),
    ("scheduled-maintenances/active.json", "getActiveScheduledMaintenances", "Active scheduled maintenances",
     "V2ActiveMaintenancesDocument", "Maintenances that are `in_progress` or `verifying`."),
    ("uptime.json", "getUptime", "Uptime (Warta extension)", "V2UptimeDocument",
     "**Warta extension** (not in Statuspage): 90 local days of uptime for each component, declared and, apart, "
     "measured by its checks."),
    ("checks.json", "getChecks", "Automatic checks (Warta extension)", "V2ChecksDocument",
     "**Warta extension** (not in Statuspage): what automatic checks measure, beside what staff declare; empty "
     "when the page keeps its checks private."),
]

for path, operation_id, summary, schema_name, description in V2_ENDPOINTS:
    operation = {
        "operationId": operation_id,
        "tags": ["Public (v2)"],
        "summary": summary,
        "description": description + " Answered from a prepared snapshot; also served without the `.json` "
                       "suffix and for HEAD. No authentication.",
        "security": [],
        "parameters": [param("If-None-Match"), param("If-Modified-Since")],
        "responses": {
            "200": ok_json(summary, ref(schema_name), v2=True),
            "304": resp("NotModified"),
            **COMMON_ERRORS,
        },
    }
    if operation_id in ("getUptime", "getChecks"):
        operation["x-warta-extension"] = True
    paths[f"/api/v2/{path}"] = {"get": operation}

V1_SECURITY = [{"bearerAuth": []}, {"oauthToken": []}]


def v1_operation(operation_id: str, tag: str, summary: str, description: str, success: tuple[str, dict],
                 *, params: list[str] = (), body: dict | None = None, extra_errors: tuple[str, ...] = (),
                 links: dict | None = None, extension_operation: bool = False) -> dict:
    status, success_response = success
    success_response = deepcopy(success_response)
    if links:
        success_response["links"] = links
    operation = {
        "operationId": operation_id,
        "tags": [tag],
        "summary": summary,
        "description": description,
        "security": V1_SECURITY,
    }
    if params:
        operation["parameters"] = [param(p) for p in params]
    if body:
        operation["requestBody"] = body
    responses_ = {status: success_response, "400": resp("BadRequest"), "401": resp("Unauthorized"),
                  "429": resp("TooManyRequests")}
    # Reading the page is open to every token: a client learns the page id before anything else.
    if operation_id not in ("listPages", "getPage"):
        responses_["403"] = resp("Forbidden")
    if any(p in params for p in ("page_id",)):
        responses_["404"] = resp("NotFound")
    if body:
        responses_["413"] = resp("ContentTooLarge")
        responses_["415"] = resp("UnsupportedMediaType")
        responses_["422"] = resp("UnprocessableContent")
    for code in extra_errors:
        responses_[code] = resp({"422": "UnprocessableContent"}[code])
    responses_["414"] = resp("URITooLong")
    responses_["431"] = resp("HeaderFieldsTooLarge")
    responses_["503"] = resp("ServiceUnavailable")
    if body or operation_id.startswith("delete"):
        responses_["507"] = resp("InsufficientStorage")
    operation["responses"] = dict(sorted(responses_.items()))
    if extension_operation:
        operation["x-warta-extension"] = True
    return operation


def array_of(name: str) -> dict:
    return {"type": "array", "items": ref(name)}


def link(operation_id: str, description: str, **parameters_) -> dict:
    return {"operationId": operation_id, "parameters": parameters_, "description": description}


PAGE_FROM_BODY = {"page_id": "$response.body#/page_id"}
INCIDENT_LINKS = {
    "GetIncident": link("getIncident", "Read the incident.", incident_id="$response.body#/id", **PAGE_FROM_BODY),
    "PatchIncident": link("patchIncident", "Change the incident.", incident_id="$response.body#/id", **PAGE_FROM_BODY),
    "PutIncident": link("putIncident", "Change the incident.", incident_id="$response.body#/id", **PAGE_FROM_BODY),
    "DeleteIncident": link("deleteIncident", "Delete the incident.", incident_id="$response.body#/id", **PAGE_FROM_BODY),
    "PatchLatestIncidentUpdate": link("patchIncidentUpdate", "Edit its latest update.", incident_id="$response.body#/id",
                                      update_id="$response.body#/incident_updates/0/id", **PAGE_FROM_BODY),
    "PutLatestIncidentUpdate": link("putIncidentUpdate", "Edit its latest update.", incident_id="$response.body#/id",
                                    update_id="$response.body#/incident_updates/0/id", **PAGE_FROM_BODY),
}
COMPONENT_LINKS = {
    "GetComponent": link("getComponent", "Read the component.", component_id="$response.body#/id", **PAGE_FROM_BODY),
    "PatchComponent": link("patchComponent", "Change the component.", component_id="$response.body#/id", **PAGE_FROM_BODY),
    "PutComponent": link("putComponent", "Change the component.", component_id="$response.body#/id", **PAGE_FROM_BODY),
    "DeleteComponent": link("deleteComponent", "Delete the component.", component_id="$response.body#/id", **PAGE_FROM_BODY),
}
GROUP_LINKS = {
    "GetComponentGroup": link("getComponentGroup", "Read the group.", group_id="$response.body#/id", **PAGE_FROM_BODY),
    "PatchComponentGroup": link("patchComponentGroup", "Change the group.", group_id="$response.body#/id", **PAGE_FROM_BODY),
    "PutComponentGroup": link("putComponentGroup", "Change the group.", group_id="$response.body#/id", **PAGE_FROM_BODY),
    "DeleteComponentGroup": link("deleteComponentGroup", "Delete the group.", group_id="$response.body#/id", **PAGE_FROM_BODY),
}

P = "/v1/pages/{page_id}"

# Pages
paths["/v1/pages"] = {"get": v1_operation(
    "listPages", "Pages", "List pages", "The one page this server serves, as a one-element list.",
    ("200", ok_json("The pages.", array_of("V1Page"))))}
page_body = shared_body("PageChange", request_body("page", PAGE_FIELDS, [], form_skip=("header_links",),
                         description="Fields left out are unchanged; nullable fields take null to clear (JSON only).",
    examples={"settings": ("Name, address and time zone", {"page": {
        "name": "Example Status", "url": "https://status.example.com", "time_zone": "Asia/Jakarta"}})}))
paths[P] = {
    "get": v1_operation("getPage", "Pages", "Get the page", "The page's settings.",
                        ("200", ok_json("The page.", ref("V1Page"))), params=["page_id"]),
    "patch": v1_operation("patchPage", "Pages", "Update the page", "Changes the page's settings and returns them.",
                          ("200", ok_json("The page after the change.", ref("V1Page"))), params=["page_id"], body=page_body),
    "put": v1_operation("putPage", "Pages", "Update the page (PUT)", "The same as PATCH: fields left out are unchanged.",
                        ("200", ok_json("The page after the change.", ref("V1Page"))), params=["page_id"], body=page_body),
}

# Incidents
INCIDENT_LIST_PARAMS = ["page_id", "q", "limit", "page"]
paths[P + "/incidents"] = {
    "get": v1_operation("listIncidents", "Incidents", "List incidents",
                        "Incidents and maintenances in every status, newest created first.",
                        ("200", ok_json("A page of incidents.", array_of("V1Incident"))),
                        params=INCIDENT_LIST_PARAMS, extra_errors=("422",)),
    "post": v1_operation("createIncident", "Incidents", "Create an incident or scheduled maintenance",
                         "Creates an incident, or a scheduled maintenance when `scheduled_for` is given or the status is "
                         "a maintenance status (then `scheduled_for` and `scheduled_until` are required). `body` "
                         "becomes the first update; `components` sets statuses. Warta extensions: `next_update_at` / "
                         "`next_update_in` (the promise of the next update) and `translations`.",
                         ("201", ok_json("The new incident.", ref("V1Incident"))), params=["page_id"],
                         body=request_body("incident", INCIDENT_FIELDS, ["name"], examples={
                             "incident": ("An incident with a promise of the next update", {"incident": {
                                 "name": "Elevated error rates on the payment API", "status": "investigating",
                                 "impact_override": "major", "body": "We are investigating elevated error rates.",
                                 "deliver_notifications": True, "next_update_in": 30}}),
                             "maintenance": ("A scheduled maintenance", {"incident": {
                                 "name": "Database upgrade", "status": "scheduled",
                                 "scheduled_for": "2030-06-30T01:00:00Z", "scheduled_until": "2030-06-30T03:00:00Z",
                                 "body": "The database will be upgraded; the API stays read-only meanwhile.",
                                 "scheduled_auto_in_progress": True, "scheduled_auto_completed": True}}),
                         }), links=INCIDENT_LINKS),
}
for filter_path, operation_id, summary, description in [
    ("unresolved", "listUnresolvedIncidents", "List unresolved incidents", "Incidents that are investigating, identified or monitoring (no maintenances)."),
    ("upcoming", "listUpcomingIncidents", "List upcoming maintenances", "Maintenances that are `scheduled`."),
    ("active_maintenance", "listActiveMaintenanceIncidents", "List active maintenances", "Maintenances that are `in_progress` or `verifying`."),
    ("scheduled", "listScheduledIncidents", "List scheduled maintenances", "Maintenances not completed: `scheduled`, `in_progress` or `verifying`."),
]:
    paths[f"{P}/incidents/{filter_path}"] = {"get": v1_operation(
        operation_id, "Incidents", summary, description + " Newest created first.",
        ("200", ok_json("A page of incidents.", array_of("V1Incident"))),
        params=INCIDENT_LIST_PARAMS, extra_errors=("422",))}

incident_patch_body = shared_body("IncidentChange", request_body("incident", incident_update_fields, [],
    description="Fields left out are unchanged. A new `status`, or a `body` (even empty), appends an incident update "
                "that carries this request's component changes and promise; `next_update_at`/`next_update_in` need such "
                "an update (422 otherwise).",
    examples={"progress": ("A progress update", {"incident": {
        "body": "The cause is identified; a fix is being deployed.", "next_update_in": 60}})}))
I = P + "/incidents/{incident_id}"
paths[I] = {
    "get": v1_operation("getIncident", "Incidents", "Get an incident", "One incident or maintenance with its updates.",
                        ("200", ok_json("The incident.", ref("V1Incident"))), params=["page_id", "incident_id"],
                        links={k: v for k, v in INCIDENT_LINKS.items() if "IncidentUpdate" in k}),
    "patch": v1_operation("patchIncident", "Incidents", "Update an incident", "Changes an incident or maintenance.",
                          ("200", ok_json("The incident after the change.", ref("V1Incident"))),
                          params=["page_id", "incident_id"], body=incident_patch_body),
    "put": v1_operation("putIncident", "Incidents", "Update an incident (PUT)", "The same as PATCH.",
                        ("200", ok_json("The incident after the change.", ref("V1Incident"))),
                        params=["page_id", "incident_id"], body=incident_patch_body),
    "delete": v1_operation("deleteIncident", "Incidents", "Delete an incident",
                           "Deletes an incident or maintenance with its updates and returns it as it was.",
                           ("200", ok_json("The deleted incident.", ref("V1Incident"))), params=["page_id", "incident_id"]),
}
update_body = shared_body("IncidentUpdateEdit", request_body("incident_update", INCIDENT_UPDATE_FIELDS, [],
    description="Edits a posted update; its status and component changes are history and cannot be edited. "
                "Statuspage's `wants_twitter_update` is accepted and ignored.",
    examples={"correction": ("Correct a typo, silently", {"incident_update": {
        "body": "We are investigating elevated error rates.", "deliver_notifications": False}})}))
paths[I + "/incident_updates/{update_id}"] = {
    "patch": v1_operation("patchIncidentUpdate", "Incident updates", "Edit an incident update",
                          "Changes an update's text, display time, notification flag or translations.",
                          ("200", ok_json("The update after the change.", ref("V1IncidentUpdate"))),
                          params=["page_id", "incident_id", "update_id"], body=update_body),
    "put": v1_operation("putIncidentUpdate", "Incident updates", "Edit an incident update (PUT)", "The same as PATCH.",
                        ("200", ok_json("The update after the change.", ref("V1IncidentUpdate"))),
                        params=["page_id", "incident_id", "update_id"], body=update_body),
}

# Components
component_create_body = shared_body("ComponentCreate", request_body("component", COMPONENT_FIELDS, ["name"],
    description="Defaults: `status` operational, `showcase` true, `only_show_if_degraded` false.",
    examples={"component": ("A component", {"component": {
        "name": "Payment API", "description": "The public REST API for payments.", "status": "operational"}})}))
component_patch_body = shared_body("ComponentChange", request_body("component", COMPONENT_FIELDS, [],
    description="Fields left out are unchanged; a new `group_id` moves the component to the end of that group "
                "(null: of the top level).",
    examples={"status": ("A new status", {"component": {"status": "degraded_performance"}})}))
paths[P + "/components"] = {
    "get": v1_operation("listComponents", "Components", "List components",
                        "Every component in display order (groups are listed by `component-groups`).",
                        ("200", ok_json("A page of components.", array_of("V1Component"))),
                        params=["page_id", "per_page", "page"], extra_errors=("422",)),
    "post": v1_operation("createComponent", "Components", "Create a component", "Appends a component to its parent.",
                         ("201", ok_json("The new component.", ref("V1Component"))), params=["page_id"],
                         body=component_create_body, links=COMPONENT_LINKS),
}
C = P + "/components/{component_id}"
paths[C] = {
    "get": v1_operation("getComponent", "Components", "Get a component", "One component.",
                        ("200", ok_json("The component.", ref("V1Component"))), params=["page_id", "component_id"]),
    "patch": v1_operation("patchComponent", "Components", "Update a component",
                          "Changes a component; a new status is recorded in its history (and its uptime).",
                          ("200", ok_json("The component after the change.", ref("V1Component"))),
                          params=["page_id", "component_id"], body=component_patch_body),
    "put": v1_operation("putComponent", "Components", "Update a component (PUT)", "The same as PATCH.",
                        ("200", ok_json("The component after the change.", ref("V1Component"))),
                        params=["page_id", "component_id"], body=component_patch_body),
    "delete": v1_operation("deleteComponent", "Components", "Delete a component",
                           "Deletes a component and its status history; past updates keep what they recorded.",
                           ("204", {"description": "Deleted. No body."}), params=["page_id", "component_id"]),
}

# Component groups
GROUP_OUTER = {"description": {"type": ["string", "null"],
               "description": "Statuspage's place for the description, beside `component_group`; "
                              "`component_group[description]` wins when both are given."}}
group_create_body = shared_body("ComponentGroupCreate", request_body("component_group", GROUP_FIELDS, ["name"], outer=GROUP_OUTER,
    description="Statuspage's shape: `{\"component_group\": {\"name\", \"components\": [ids]}, \"description\"}`.",
    examples={"group": ("An empty group", {"component_group": {"name": "Backend", "components": []},
                                           "description": "Services behind the API."})}))
group_patch_body = shared_body("ComponentGroupChange", request_body("component_group", GROUP_FIELDS, [], outer=GROUP_OUTER,
    description="Fields left out are unchanged."))
paths[P + "/component-groups"] = {
    "get": v1_operation("listComponentGroups", "Component groups", "List component groups", "Every group by position.",
                        ("200", ok_json("A page of groups.", array_of("V1ComponentGroup"))),
                        params=["page_id", "per_page", "page"], extra_errors=("422",)),
    "post": v1_operation("createComponentGroup", "Component groups", "Create a component group",
                         "Creates a group at the end of the top level and moves the listed components into it.",
                         ("201", ok_json("The new group.", ref("V1ComponentGroup"))), params=["page_id"],
                         body=group_create_body, links=GROUP_LINKS),
}
G = P + "/component-groups/{group_id}"
paths[G] = {
    "get": v1_operation("getComponentGroup", "Component groups", "Get a component group", "One group with its members.",
                        ("200", ok_json("The group.", ref("V1ComponentGroup"))), params=["page_id", "group_id"]),
    "patch": v1_operation("patchComponentGroup", "Component groups", "Update a component group", "Changes a group.",
                          ("200", ok_json("The group after the change.", ref("V1ComponentGroup"))),
                          params=["page_id", "group_id"], body=group_patch_body),
    "put": v1_operation("putComponentGroup", "Component groups", "Update a component group (PUT)", "The same as PATCH.",
                        ("200", ok_json("The group after the change.", ref("V1ComponentGroup"))),
                        params=["page_id", "group_id"], body=group_patch_body),
    "delete": v1_operation("deleteComponentGroup", "Component groups", "Delete a component group",
                           "Deletes a group; its members move to the end of the top level.",
                           ("204", {"description": "Deleted. No body."}), params=["page_id", "group_id"]),
}

# Incident templates
template_create_body = shared_body("IncidentTemplateCreate", request_body("template", TEMPLATE_FIELDS,
    ["name", "title", "body"], description="Statuspage's shape: `{\"template\": {\"name\", \"title\", \"body\", ...}}`.",
    examples={"template": ("Autogates down, in two languages", {"template": {
        "name": "Autogates down", "title": "Autogate tidak berfungsi: {component}",
        "body": "Autogate di {component} tidak berfungsi sejak {started}. Pembaruan berikutnya pukul {next_update}.",
        "translations": {"en": {"title": "Autogates out of service: {component}",
                                "body": "The autogates at {component} have been down since {started}. Next update by {next_update}."}}}})}))
template_patch_body = shared_body("IncidentTemplateChange", request_body("template", TEMPLATE_FIELDS, [],
    description="Fields left out are unchanged."))
paths[P + "/incident_templates"] = {
    "get": v1_operation("listIncidentTemplates", "Incident templates", "List incident templates", "Every template by name.",
                        ("200", ok_json("A page of templates.", array_of("V1IncidentTemplate"))),
                        params=["page_id", "per_page", "page"], extra_errors=("422",)),
    "post": v1_operation("createIncidentTemplate", "Incident templates", "Create an incident template",
                         "Saves a template; its placeholders are checked now.",
                         ("201", ok_json("The new template.", ref("V1IncidentTemplate"))), params=["page_id"],
                         body=template_create_body),
}
T = P + "/incident_templates/{template_id}"
paths[T] = {
    "get": v1_operation("getIncidentTemplate", "Incident templates", "Get an incident template", "One template.",
                        ("200", ok_json("The template.", ref("V1IncidentTemplate"))), params=["page_id", "template_id"]),
    "patch": v1_operation("patchIncidentTemplate", "Incident templates", "Update an incident template", "Changes a template.",
                          ("200", ok_json("The template after the change.", ref("V1IncidentTemplate"))),
                          params=["page_id", "template_id"], body=template_patch_body),
    "put": v1_operation("putIncidentTemplate", "Incident templates", "Update an incident template (PUT)", "The same as PATCH.",
                        ("200", ok_json("The template after the change.", ref("V1IncidentTemplate"))),
                        params=["page_id", "template_id"], body=template_patch_body),
    "delete": v1_operation("deleteIncidentTemplate", "Incident templates", "Delete an incident template",
                           "Deletes a template; incidents posted from it keep their texts.",
                           ("200", ok_json("The template as it was.", ref("V1IncidentTemplate"))),
                           params=["page_id", "template_id"]),
}

# Subscribers
SUBSCRIBER_LINKS = {
    "GetSubscriber": link("getSubscriber", "Read the subscriber.", subscriber_id="$response.body#/id",
                          page_id="$request.path.page_id"),
    "DeleteSubscriber": link("deleteSubscriber", "Delete the subscriber.", subscriber_id="$response.body#/id",
                             page_id="$request.path.page_id"),
}
WEBHOOK_DELIVERY = """\
**Deliveries.** A subscriber chooses its events (`subscriber[events]`): `incident`, every incident or \
maintenance created or changed (through this API, or by a maintenance's automatic transitions); \
`component_update`, every component status change (an incident's included: it sends both); and \
`check`, every change of an automatic check's verdict (Warta's; for staff, so it is sent whether or \
not the page shows checks). Without a choice it gets `incident` and `component_update`. Each event is \
POSTed to the subscriber's endpoint as JSON, in Statuspage's shapes (see this document's `webhooks`):

- an incident: `{"meta": {"unsubscribe": null, "documentation": null, "generated_at", "event_id"}, \
"page": {"id", "status_indicator", "status_description"}, "incident": <the v2 incident>}`;
- a component: `{"meta", "page", "component_update": {"created_at", "new_status", "old_status", "id", \
"component_id"}, "component": <the v2 component>}`;
- a check: `{"meta", "page", "check": {"id", "name", "component_id", "state", "previous_state", "since", \
"locations": [{"name", "state", "last_report_at"}]}}`, the verdict as it was when it changed.

Headers: `Content-Type: application/json`, `X-Warta-Event` (`incident`, `component_update` or `check`), \
`X-Warta-Event-Id` (the change's id, also `meta.event_id`), `X-Warta-Delivery` (this delivery's \
number: the same on every retry of it), and `X-Warta-Signature: sha256=<hex>`, the HMAC-SHA256 of the \
raw body keyed with the subscriber's `secret` as text; recompute it over the bytes received, before \
parsing them.

Any 2xx answer is a delivery. Anything else (another status, a redirect, which is not followed, a \
refused connection, no answer within 10 s) is retried with the same body: first after `warta serve \
--webhook-retry` seconds (30 by default), each wait doubling up to an hour, until 24 hours after the \
change, then abandoned. A subscriber gets its events in order: a later one waits while an earlier \
one is retried, and a subscriber that is down holds back only its own. Delivery is at least once \
(deliveries are kept in the database and survive restarts, and a crash between an attempt and its \
record repeats it): use `X-Warta-Delivery` or `X-Warta-Event-Id` to drop repeats. The body is made \
at the first attempt, from the incident or component as it is then; one deleted before that is not \
delivered. A check event is made from the facts fixed at the change, so it is delivered even then. \
A staff request never waits for a subscriber."""
subscriber_body = request_body("subscriber", SUBSCRIBER_FIELDS, [],
    description="`email` makes an email subscriber, `endpoint` a webhook: one of them, not both (422 with "
                "`field: subscriber[email]` or `subscriber[endpoint]`). An endpoint is refused (422) when it "
                "leads inside the server's network without `warta serve --webhook-allow-private`. `component_ids` "
                "and `language` are for email subscribers, `events` for webhooks (422 on the other kind). "
                "Statuspage's SMS and Slack subscribers are not supported.",
    examples={"email": ("An email subscriber for two components, confirmed by mail", {"subscriber": {
                  "email": "ani@example.org", "component_ids": ["k3x9abcdefgh", "p7q2abcdefgh"], "language": "en"}}),
              "webhook": ("A webhook", {"subscriber": {"endpoint": "https://hooks.example.com/warta"}}),
              "checks": ("A staff channel told of checks too", {"subscriber": {
                  "endpoint": "https://hooks.example.com/ops", "events": ["incident", "check"]}})})
# One of the two, in both media types.
subscriber_body["content"]["application/json"]["schema"]["required"] = ["subscriber"]
subscriber_body["content"]["application/json"]["schema"]["properties"]["subscriber"]["oneOf"] = [
    {"required": ["email"], "not": {"required": ["endpoint"]}},
    {"required": ["endpoint"], "not": {"required": ["email"]}},
]
subscriber_body["content"]["application/x-www-form-urlencoded"]["schema"]["oneOf"] = [
    {"required": ["subscriber[email]"], "not": {"required": ["subscriber[endpoint]"]}},
    {"required": ["subscriber[endpoint]"], "not": {"required": ["subscriber[email]"]}},
]
SELECTION_IDS = {"type": "array", "minItems": 1, "maxItems": 100, "items": ref("Identifier")}
SELECTION_FIELDS = {
    "subscribers": {"oneOf": [SELECTION_IDS, {"type": "string", "minLength": 1}],
                    "description": "The subscribers' ids (at most 100, Statuspage's limit), `\"all\"`, or, as "
                                   "Statuspage's own description has it, one string of comma-separated ids. An id "
                                   "that names no subscriber is a 422 with `field: subscribers`."},
    "type": {"type": "string", "enum": SUBSCRIBER_TYPES, "description": "Only subscribers of this type."},
    "state": {"type": "string", "enum": SUBSCRIBER_STATES + ["all"], "default": "all",
              "description": "Only subscribers in this state."},
}


def selection_body(description: str, example: dict) -> dict:
    """The body of a bulk action: top-level `subscribers`, `type`, `state` (no root object)."""
    form = {"type": "object", "additionalProperties": False, "properties": {
        "subscribers[]": {**SELECTION_IDS, "description": "An id; repeated for more."},
        "subscribers": {"type": "string", "minLength": 1, "description": "`all`, or comma-separated ids."},
        "type": SELECTION_FIELDS["type"], "state": SELECTION_FIELDS["state"],
    }, "oneOf": [{"required": ["subscribers[]"]}, {"required": ["subscribers"]}]}
    return {
        "required": True,
        "description": description + " JSON (`{\"subscribers\": [...]}`) or a form (`subscribers[]=id`, "
                       "`subscribers=all`, `type=email`); other members are ignored.",
        "content": {
            "application/json": {"schema": {"type": "object", "required": ["subscribers"],
                                            "properties": SELECTION_FIELDS},
                                 "examples": {"example": {"summary": "Example", "value": example}}},
            "application/x-www-form-urlencoded": {"schema": form,
                                                  "encoding": {"subscribers[]": {"style": "form", "explode": True}}},
        },
    }


SUBSCRIBER_FILTER_PARAMS = ["page_id", "subscriber_type", "subscriber_state", "subscriber_q", "subscriber_limit",
                            "per_page", "page"]
paths[P + "/subscribers"] = {
    "get": v1_operation("listSubscribers", "Subscribers", "List subscribers",
                        "Subscribers of both kinds, oldest first (webhooks without their secrets), filtered by "
                        "`type`, `state` and `q`, a page at a time (`limit` or `per_page`, and `page`).",
                        ("200", ok_json("A page of subscribers.", array_of("V1Subscriber"))),
                        params=SUBSCRIBER_FILTER_PARAMS, extra_errors=("422",)),
    "post": v1_operation("createSubscriber", "Subscribers", "Create a subscriber",
                         "An email subscriber (`subscriber[email]`, on a server with an SMTP relay) is sent a "
                         "confirmation link unless `skip_confirmation_notification`, and mailed about each "
                         "incident update on its components once confirmed. A webhook subscriber "
                         "(`subscriber[endpoint]`) is a URL told of the changes it chooses; its signing `secret` "
                         "(a Warta extension) is answered this once.\n\n" + WEBHOOK_DELIVERY,
                         ("201", ok_json("The new subscriber (a webhook's with its secret).",
                                         ref("V1SubscriberCreated"))),
                         params=["page_id"], body=subscriber_body, links=SUBSCRIBER_LINKS),
}
paths[P + "/subscribers/count"] = {
    "get": v1_operation("countSubscribers", "Subscribers", "Count subscribers",
                        "How many subscribers of `type` (both when absent) are in `state` (default `all`).",
                        ("200", ok_json("The count.", ref("V1SubscriberCount"))),
                        params=["page_id", "subscriber_type", "subscriber_state"], extra_errors=("422",)),
}
paths[P + "/subscribers/unsubscribe"] = {
    "post": v1_operation("unsubscribeSubscribers", "Subscribers", "Unsubscribe subscribers",
                         "Deletes the subscribers named (of both kinds unless `type` says), with their pending mail "
                         "and deliveries, and answers them as they were. Those not of `type` or not in `state` are "
                         "left alone.",
                         ("200", ok_json("The subscribers deleted, as they were.", array_of("V1Subscriber"))),
                         params=["page_id"], body=selection_body("Whom to unsubscribe.", {
                             "subscribers": "all", "type": "email", "state": "unconfirmed"})),
}
paths[P + "/subscribers/resend_confirmation"] = {
    "post": v1_operation("resendConfirmations", "Subscribers", "Resend confirmations",
                         "Mails a fresh confirmation link, and gives 48 more hours, to each unconfirmed email "
                         "subscriber named; the others are left alone. Answers the subscribers mailed, as they "
                         "are now (a list rather than Statuspage's empty answer, so the caller sees whom it "
                         "reached). 422 on a server without an SMTP relay.",
                         ("200", ok_json("The subscribers mailed.", array_of("V1EmailSubscriber"))),
                         params=["page_id"], body=selection_body("Whom to mail.", {"subscribers": "all"})),
}
paths[P + "/subscribers/reactivate"] = {
    "post": v1_operation("reactivateSubscribers", "Subscribers", "Reactivate subscribers",
                         "Lifts the quarantine of each quarantined email subscriber named, so it is mailed again; "
                         "answers them as they are now. Webhooks are never quarantined.",
                         ("200", ok_json("The subscribers reactivated.", array_of("V1EmailSubscriber"))),
                         params=["page_id"], body=selection_body("Whom to reactivate.", {
                             "subscribers": ["k3x9abcdefgh"]})),
}
S = P + "/subscribers/{subscriber_id}"
paths[S] = {
    "get": v1_operation("getSubscriber", "Subscribers", "Get a subscriber",
                        "One subscriber of either kind (a webhook without its secret, with the state of its "
                        "deliveries). See `createSubscriber` for what is delivered and how.",
                        ("200", ok_json("The subscriber.", ref("V1Subscriber"))), params=["page_id", "subscriber_id"]),
    "delete": v1_operation("deleteSubscriber", "Subscribers", "Delete a subscriber",
                           "Unsubscribes: deletes the subscriber (an email subscriber's address with it) and its "
                           "pending mail or deliveries (an attempt already under way may still arrive) and returns "
                           "it as it was.",
                           ("200", ok_json("The deleted subscriber.", ref("V1Subscriber"))),
                           params=["page_id", "subscriber_id"]),
}
paths[S + "/resend_confirmation"] = {
    "post": v1_operation("resendConfirmation", "Subscribers", "Resend a confirmation",
                         "Mails a fresh confirmation link to one unconfirmed email subscriber and gives it 48 more "
                         "hours; 422 for any other subscriber, or on a server without an SMTP relay.",
                         ("200", ok_json("The subscriber, as it is now.", ref("V1EmailSubscriber"))),
                         params=["page_id", "subscriber_id"], extra_errors=("422",)),
}


# Checks
CHECK_LINKS = {
    "GetCheck": link("getCheck", "Read the check.", check_id="$response.body#/id", **PAGE_FROM_BODY),
    "PatchCheck": link("patchCheck", "Change the check.", check_id="$response.body#/id", **PAGE_FROM_BODY),
    "PutCheck": link("putCheck", "Change the check.", check_id="$response.body#/id", **PAGE_FROM_BODY),
    "PostCheckResult": link("postCheckResult", "Report a result.", check_id="$response.body#/id", **PAGE_FROM_BODY),
    "DeleteCheck": link("deleteCheck", "Delete the check.", check_id="$response.body#/id", **PAGE_FROM_BODY),
}
CHECKS_APART = ("A check never changes a component's status, an incident or the page's indicator: what it measures "
                "is shown beside what staff declare (`/api/v2/checks.json`).")
check_create_body = request_body("check", CHECK_FIELDS, ["name", "component_id", "type"],
    description="`url` is required for http and tcp checks and refused for heartbeats; `timeout` must not exceed "
                "`interval`. A field that breaks a rule is a 422 naming it (`check[url]`); nothing is created then.",
    examples={
        "http": ("An http check", {"check": {"name": "M-Paspor API", "component_id": "k3x9abcdefgh", "type": "http",
                                             "url": "https://paspor.example.go.id/health", "expected_statuses": [200],
                                             "interval": 30}}),
        "heartbeat": ("A heartbeat", {"check": {"name": "Nightly backup", "component_id": "k3x9abcdefgh",
                                                "type": "heartbeat", "interval": 86400, "grace": 3600}}),
    })
check_patch_body = shared_body("CheckChange", request_body("check", check_patch_fields, [],
    description="Fields left out are unchanged; `type` cannot change, a heartbeat has no `url`; null clears "
                "`body_contains` and `grace`.",
    examples={"slower": ("Probe less often", {"check": {"interval": 120, "timeout": 20}})}))
result_body = request_body("result", RESULT_FIELDS, ["location", "outcome"],
    description="One result of one probe, as `warta probe` posts it. A location's results run through the check's "
                "thresholds; the check's state is the verdict across locations.",
    examples={"failure": ("A failed probe", {"result": {"location": "jakarta-2", "outcome": "failure",
                                                        "latency_ms": 12, "detail": "HTTP 503"}})})
paths[P + "/checks"] = {
    "get": v1_operation("listChecks", "Checks", "List checks",
                        "**Warta extension**: every automatic check, oldest first, with what each location saw last.",
                        ("200", ok_json("The checks.", array_of("V1Check"))), params=["page_id", "per_page", "page"],
                        extra_errors=("422",), extension_operation=True),
    "post": v1_operation("createCheck", "Checks", "Create a check",
                         "**Warta extension**: an http, tcp or heartbeat check of one component. The server probes "
                         "it as location `local`; `warta probe` processes elsewhere report as their own locations. "
                         + CHECKS_APART,
                         ("201", ok_json("The new check; a heartbeat's with its URL, shown this once.",
                                         ref("V1CheckCreated"))),
                         params=["page_id"], body=check_create_body, links=CHECK_LINKS, extension_operation=True),
}
K = P + "/checks/{check_id}"
paths[K] = {
    "get": v1_operation("getCheck", "Checks", "Get a check", "**Warta extension**: one check and each location's last "
                        "result.", ("200", ok_json("The check.", ref("V1Check"))), params=["page_id", "check_id"],
                        extension_operation=True),
    "patch": v1_operation("patchCheck", "Checks", "Update a check", "**Warta extension**: changes a check's settings.",
                          ("200", ok_json("The check after the change.", ref("V1Check"))),
                          params=["page_id", "check_id"], body=check_patch_body, extension_operation=True),
    "put": v1_operation("putCheck", "Checks", "Update a check (PUT)", "**Warta extension**: the same as PATCH.",
                        ("200", ok_json("The check after the change.", ref("V1Check"))),
                        params=["page_id", "check_id"], body=check_patch_body, extension_operation=True),
    "delete": v1_operation("deleteCheck", "Checks", "Delete a check",
                           "**Warta extension**: deletes a check with its results and history and returns it as it "
                           "was. Check events already queued for subscribers are still delivered.",
                           ("200", ok_json("The deleted check.", ref("V1Check"))), params=["page_id", "check_id"],
                           extension_operation=True),
}
paths[K + "/results"] = {"post": v1_operation(
    "postCheckResult", "Checks", "Report a probe's result",
    "**Warta extension**: what a remote prober (`warta probe --location NAME`) found. Results older than the "
    "location's last are ignored. " + CHECKS_APART,
    ("200", ok_json("The check after the result.", ref("V1Check"))), params=["page_id", "check_id"], body=result_body,
    extension_operation=True)}


def heartbeat_operation(method: str) -> dict:
    return {
        "operationId": f"{method}Heartbeat",
        "tags": ["Checks"],
        "summary": f"Beat a heartbeat ({method.upper()})",
        "description": "**Warta extension**: the URL a heartbeat check's job calls when it has run. No token: the "
                       "secret in the path is the credential. A beat missing for the check's `interval` plus "
                       "`grace` is a failure. GET and POST do the same, so any scheduler or `curl` can call it.",
        "security": [],
        "x-warta-extension": True,
        "parameters": [param("secret")],
        "responses": {
            "200": {"description": "The beat was recorded.", "content": {"application/json": {"schema": ref("HeartbeatBeat")}}},
            "404": problem("No heartbeat check has this secret; nothing was recorded."),
            **COMMON_ERRORS,
            "507": resp("InsufficientStorage"),
        },
    }


paths["/heartbeat/{secret}"] = {"get": heartbeat_operation("get"), "post": heartbeat_operation("post")}


def webhook(operation_id: str, event: str, summary: str, schema_name: str) -> dict:
    def delivery_header(name: str, description: str, schema: dict) -> dict:
        return {"name": name, "in": "header", "required": True, "description": description, "schema": schema}

    return {"post": {
        "operationId": operation_id,
        "tags": ["Subscribers"],
        "summary": summary,
        "description": "What Warta POSTs to each subscriber's endpoint. " + WEBHOOK_DELIVERY,
        "parameters": [
            delivery_header("X-Warta-Event", "The kind of change.", {"type": "string", "const": event}),
            delivery_header("X-Warta-Event-Id", "The change's id, the same for every subscriber (`meta.event_id`).",
                            ref("Identifier")),
            delivery_header("X-Warta-Delivery", "This delivery's number, the same on each retry of it.",
                            {"type": "string", "pattern": "^[0-9]+$"}),
            delivery_header("X-Warta-Signature", "`sha256=` and the hex HMAC-SHA256 of the raw body, keyed with the "
                            "subscriber's `secret` as text.", {"type": "string", "pattern": "^sha256=[0-9a-f]{64}$"}),
        ],
        "requestBody": {"required": True, "content": {"application/json": {"schema": ref(schema_name)}}},
        "responses": {
            "2XX": {"description": "Delivered; the body is ignored."},
            "default": {"description": "Not delivered: retried later with the same body."},
        },
        "x-warta-extension": True,
    }}


webhooks = {
    "incident": webhook("incidentWebhook", "incident", "An incident changed", "WebhookIncidentEvent"),
    "component_update": webhook("componentUpdateWebhook", "component_update", "A component's status changed",
                                "WebhookComponentEvent"),
    "check": webhook("checkWebhook", "check", "An automatic check's verdict changed", "WebhookCheckEvent"),
}

# Audit log
paths[P + "/audit-log"] = {"get": v1_operation(
    "listAuditLog", "Audit log", "Read the audit log",
    "**Warta extension** (not in Statuspage): every successful write, newest first.",
    ("200", ok_json("A page of audit entries.", array_of("AuditEntry"))),
    params=["page_id", "per_page", "page"], extra_errors=("422",), extension_operation=True)}

# Meta
paths["/healthz"] = {"get": {
    "operationId": "getHealth",
    "tags": ["Meta"],
    "summary": "Health check",
    "description": "**Warta extension**: 200 when the database answers; 503 when it does not, or when the latest "
                   "write failed because the disk is full (until a write succeeds). No authentication.",
    "security": [],
    "x-warta-extension": True,
    "responses": {
        "200": {"description": "Healthy.", "headers": {"Cache-Control": header("NoStore")},
                "content": {"application/json": {"schema": ref("Health")}}},
        "503": {"description": "The database does not answer (`database`: `unavailable`) or its disk is full "
                               "(`disk full`).", "headers": {"Cache-Control": header("NoStore")},
                "content": {"application/json": {"schema": ref("Health")}}},
        **COMMON_ERRORS,
    },
}}
paths["/metrics"] = {"get": {
    "operationId": "getMetrics",
    "tags": ["Meta"],
    "summary": "Metrics",
    "description": "**Warta extension**: the Prometheus text exposition format, version 0.0.4, of what this "
                   "process has done since it started: requests by route pattern and status, a latency histogram "
                   "per route, open connections, snapshot builds, the last write, writes refused for a full disk, the "
                   "webhook queue depth and "
                   "delivery outcomes. No authentication: it names no page content, but keep it from the public "
                   "at the proxy.",
    "security": [],
    "x-warta-extension": True,
    "responses": {
        "200": {"description": "The metrics, as `text/plain; version=0.0.4; charset=utf-8`.",
                "headers": {"Cache-Control": header("NoStore")},
                "content": {"text/plain": {"schema": {"type": "string"},
                                           "example": "# HELP warta_http_open_connections Client connections open now.\n"
                                                      "# TYPE warta_http_open_connections gauge\n"
                                                      "warta_http_open_connections 3\n"}}},
        **COMMON_ERRORS,
    },
}}
schemas["Health"] = obj({
    "status": {"type": "string", "enum": ["ok", "error"]},
    "version": {"type": "string"},
    "database": {"type": "string", "enum": ["ok", "unavailable", "disk full"],
                 "description": "`ok`, `unavailable` (the reason is in the log) or `disk full`."},
})
paths["/api/openapi.json"] = {"get": {
    "operationId": "getOpenAPIDocument",
    "tags": ["Meta"],
    "summary": "This document",
    "description": "This OpenAPI description, compiled into the binary. No authentication.",
    "security": [],
    "parameters": [param("If-None-Match"), param("If-Modified-Since")],
    "responses": {
        "200": {"description": "The OpenAPI document.", "headers": {"ETag": header("ETag")},
                "content": {"application/json": {"schema": {"type": "object", "required": ["openapi", "info", "paths"]}}}},
        "304": {"description": "The client's copy is current. No body.", "headers": {"ETag": header("ETag")}},
        **COMMON_ERRORS,
    },
}}

# --------------------------------------------------------------------------------------
# The document

DESCRIPTION = """\
Warta is a status-page server that is wire-compatible with Atlassian Statuspage: its public
**v2 read API** (`/api/v2/...`, no authentication) and a **subset of the v1 management API**
(`/v1/...`, with a token). Existing Statuspage clients work by changing only the base URL.

**Paths.** The `.json` suffix is optional everywhere: `/api/v2/summary` and
`/api/v2/summary.json` are the same document, and so are `/v1/pages/{page_id}/incidents` (as
generated clients send it) and `/v1/pages/{page_id}/incidents.json` (as older scripts do). v2
paths are listed here with `.json`, v1 paths without. Every GET also answers HEAD; OPTIONS
answers 204 with `Allow`; any other method on a known path is a 405 problem with `Allow`.

**Authentication.** Every `/v1` call needs `Authorization: Bearer <token>` (RFC 6750) or
Statuspage's `Authorization: OAuth <token>`. Tokens are made with `warta token create NAME`
and take effect (or stop working, once revoked) on the next request. A missing, malformed or
unknown token is a 401 with `WWW-Authenticate: Bearer realm="warta", OAuth realm="warta"`.
After 20 failures within a minute from one client address (`warta serve --auth-failures`),
that address gets 429 with `Retry-After` until the oldest failure is a minute old.

**Shapes.** v1 answers bare objects and bare arrays (no `page` wrapper), v2 documents always
carry `page`. Every key is always present; unset values are `null`, never omitted. Enums are
exactly Statuspage's strings. Timestamps have three fractional digits and are written in the
page's time zone with that instant's offset.

**Request bodies** are JSON or `application/x-www-form-urlencoded` with the bracket convention
(`incident[name]=...&incident[component_ids][]=...&incident[components][ID]=major_outage`);
see each request body.

**Errors** are RFC 9457 problem documents (`application/problem+json`: `type`, `title`,
`status`, `detail`, and `field` naming the offending input where there is one), from the
management API (400, 401, 404, 415, 422, 429, 503), the router (404, 405) and the HTTP layer (400,
408, 413, 414, 431, 501, 505).

**Warta extensions** (not in Statuspage) are marked `x-warta-extension: true` and say so in
their description:
- the promise of the next update: `next_update_at` (ISO 8601) or `next_update_in` (minutes)
  on incident writes; `next_update_at` and `update_overdue` on incidents (v1 and v2) and
  `next_update_at` on v1 updates;
- translations: `translations[<lang>][name|body]` on writes, `name_translations` and
  `body_translations` on v1 objects (a page speaks `id` and `en`; the default language's text
  is the primary `name`/`body`);
- page settings `default_language`, `logo_url`, `accent_color`, `header_links`,
  `stylesheet_url`;
- webhook subscribers' signing `secret`, `pending_deliveries`, `last_error` and `events` (the
  `check` event among them), and the deliveries' `X-Warta-*` headers and `meta.event_id`;
- subscribers' `state` and an email subscriber's `language` (`subscriber[language]` on
  creation);
- automatic checks: `/v1/pages/{page_id}/checks` (with `.../results` for remote probers),
  `/heartbeat/{secret}`, `GET /api/v2/checks.json`, summary's `automated_checks`, uptime's
  `measured`, and `next_update_promised_by` on v2 incidents (whose promise `next_update_at` is);
- `GET /api/v2/uptime.json`, `GET /v1/pages/{page_id}/audit-log`, `GET /healthz` and
  `GET /metrics`.
"""

document_ = {
    "openapi": "3.1.0",
    "info": {
        "title": "Warta",
        "version": VERSION,
        "summary": "Statuspage-compatible status page: public v2 read API and v1 management API.",
        "description": DESCRIPTION,
    },
    "servers": [{"url": "/", "description": "This server."}],
    "tags": [
        {"name": "Public (v2)", "description": "Statuspage's public read API. No authentication; answered from a snapshot with ETag and Last-Modified."},
        {"name": "Pages", "description": "v1: the page's settings."},
        {"name": "Incidents", "description": "v1: incidents and scheduled maintenances."},
        {"name": "Incident updates", "description": "v1: editing posted updates."},
        {"name": "Components", "description": "v1: components."},
        {"name": "Component groups", "description": "v1: component groups."},
        {"name": "Incident templates", "description": "v1: incident templates, with Warta's translations and placeholders."},
        {"name": "Subscribers", "description": "v1: email subscribers (on a server with an SMTP relay), mailed about "
                                                "incident updates on their components, and webhook subscribers, told "
                                                "of incident changes, component status changes and, if they ask, "
                                                "check changes (see `createSubscriber`)."},
        {"name": "Checks", "description": "Warta extension: automatic checks (http, tcp, heartbeat), the results "
                                          "probers report, and the heartbeat URL. What they measure is shown beside "
                                          "what staff declare, never as a component's status."},
        {"name": "Audit log", "description": "Warta extension: who changed what."},
        {"name": "Meta", "description": "Health, metrics and this document."},
    ],
    "paths": paths,
    "webhooks": webhooks,
    "components": {
        "securitySchemes": {
            "bearerAuth": {"type": "http", "scheme": "bearer",
                           "description": "`Authorization: Bearer <token>` (RFC 6750). Make a token with `warta token create NAME`."},
            "oauthToken": {"type": "apiKey", "in": "header", "name": "Authorization",
                           "description": "Statuspage's form: the `Authorization` header with the value `OAuth <token>` "
                                          "(the literal word `OAuth`, a space, then the token). The same tokens as `bearerAuth`."},
        },
        "schemas": schemas,
        "parameters": parameters,
        "headers": headers,
        "responses": responses,
        "requestBodies": request_bodies,
    },
}


def render() -> str:
    return json.dumps(document_, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current != text:
            print(f"{OUTPUT.relative_to(ROOT)} is out of date: run python3 Tests/contract/build_openapi.py", file=sys.stderr)
            return 1
        return 0
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)} ({len(text)} bytes, {len(paths)} paths)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
