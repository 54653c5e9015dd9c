#!/usr/bin/env python3
"""Prints schemathesis dictionaries (TOML) of the ids that exist on a running Warta server.

    live_dictionaries.py BASE_URL PAGE_ID TOKEN >> schemathesis.toml

Used by schemathesis.sh: the demo database's ids are random, so they are read from the
server it started, through the v1 API. Only the standard library is used.
"""

from __future__ import annotations

import json
import sys
import urllib.error
import urllib.request

# Never an id (ids are 12 characters of [a-z0-9]): keeps a dictionary non-empty.
PLACEHOLDER = "000000000000"


def get(base: str, path: str, token: str) -> list:
    request = urllib.request.Request(base + path, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def get_if_served(base: str, path: str, token: str) -> list:
    """`get`, or an empty list from a server that does not have `path` (a build from before it)."""
    try:
        return get(base, path, token)
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return []
        raise


def toml_list(values: list[str]) -> str:
    return "[" + ", ".join(json.dumps(v) for v in (values or [PLACEHOLDER])) + "]"


def main(base: str, page_id: str, token: str) -> None:
    page = f"/v1/pages/{page_id}"
    incidents = get(base, f"{page}/incidents?limit=100", token)
    components = get(base, f"{page}/components?per_page=100", token)
    groups = get(base, f"{page}/component-groups?per_page=100", token)
    checks = get_if_served(base, f"{page}/checks", token)
    # The incident whose updates the edit operations get (below); kept out of the ids that
    # every other operation, DELETE included, may draw.
    edited = max(incidents, key=lambda i: len(i["incident_updates"]), default=None)
    dictionaries = {
        "incident_ids": [i["id"] for i in incidents if i is not edited],
        "update_ids": [u["id"] for i in incidents for u in i["incident_updates"]],
        "component_ids": [c["id"] for c in components],
        "group_ids": [g["id"] for g in groups],
        "check_ids": [c["id"] for c in checks],
    }
    print("\n# Live ids, appended by schemathesis.sh.")
    for name, values in dictionaries.items():
        print(f"[dictionaries.{name}]\nvalues = {toml_list(values)}")

    # An update is addressed by its incident and its own id: a random pair of live ids
    # almost never matches, so the edit operations get one incident and its updates.
    if edited is not None:
        # Dictionaries, not fixed values: the stateful phase's links still pass their own ids.
        print(f"[dictionaries.edited_incident_id]\nvalues = {toml_list([edited['id']])}")
        print(f"[dictionaries.edited_update_ids]\nvalues = {toml_list([u['id'] for u in edited['incident_updates']])}")
        print("[[operations]]")
        print('include-operation-id = ["patchIncidentUpdate", "putIncidentUpdate"]')
        print('parameters = { "path.incident_id" = { dictionary = "edited_incident_id", probability = 0.9 }, '
              '"path.update_id" = { dictionary = "edited_update_ids", probability = 0.9 } }')


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
