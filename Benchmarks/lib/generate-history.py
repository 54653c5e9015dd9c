#!/usr/bin/env python3
"""Years of status-page history, written straight into a Warta database.

    generate-history.py DB --incidents N --components N [--years 2] [--open 3] [--seed 1]

DB must exist and be migrated (`warta token create NAME --db DB` does both). The rows are
what the v1 API would have written over the years: components (most of them in groups),
each with its status history from which uptime is computed; resolved incidents and completed
maintenances spread over `--years`, each with its updates in Indonesian (the page's default
language) and English, the components it affected and what every update did to them; and a
few incidents still open, whose components are degraded now. Everything is replayed in time
order, so every recorded old status is the status the component really had.

The same seed gives the same history, so runs compare.
"""
import argparse
import datetime
import json
import random
import sqlite3
import string

ALPHABET = string.ascii_lowercase + string.digits
SEVERITY = {"degraded_performance": 1, "partial_outage": 2, "major_outage": 3}
IMPACT = {"degraded_performance": "minor", "partial_outage": "major", "major_outage": "critical"}

GROUPS = [
    ("Autogate Bandara", "Gerbang otomatis pemeriksaan paspor di bandara internasional."),
    ("Layanan Daring", "Layanan yang diakses melalui aplikasi dan situs web."),
    ("Kantor Imigrasi", "Layanan tatap muka di kantor imigrasi."),
    ("Pelabuhan", "Pemeriksaan keimigrasian di pelabuhan laut."),
    ("Pos Lintas Batas", "Pemeriksaan di pos lintas batas negara."),
    ("Integrasi Mitra", "Pertukaran data dengan instansi dan maskapai."),
]
PLACES = ["Jakarta", "Surabaya", "Medan", "Denpasar", "Makassar", "Batam", "Balikpapan", "Yogyakarta",
          "Semarang", "Pontianak", "Manado", "Kupang", "Jayapura", "Padang", "Palembang", "Mataram"]
SERVICES = ["Pembayaran", "Antrean Daring", "Aplikasi M-Paspor", "Visa Elektronik", "Izin Tinggal",
            "Verifikasi Biometrik", "Pusat Panggilan", "Portal Sponsor", "API Maskapai", "Notifikasi SMS"]

# (Indonesian, English) sentences; {c} is the component's name.
TITLES = [
    ("{c} lambat", "{c} is slow"),
    ("{c} tidak dapat diakses", "{c} is unreachable"),
    ("Gangguan pada {c}", "Disruption to {c}"),
    ("Sebagian permohonan di {c} gagal", "Some applications on {c} fail"),
    ("Waktu tunggu tinggi di {c}", "Long waiting times at {c}"),
]
STEPS = {
    "investigating": [
        ("Kami menerima laporan bahwa {c} tidak merespons bagi sebagian pengguna. Tim kami sedang "
         "menyelidiki penyebabnya. Permohonan yang sudah dikirim tidak hilang.",
         "We have reports that {c} is not responding for some users. Our team is investigating the "
         "cause. Applications already submitted are not lost."),
        ("Sejak pukul {t} WIB, {c} mengalami gangguan. Kami sedang memeriksa sistem terkait dan akan "
         "memberi kabar berikutnya dalam 30 menit.",
         "Since {t} WIB, {c} has been disrupted. We are checking the systems involved and will post "
         "the next update within 30 minutes."),
    ],
    "identified": [
        ("Penyebabnya sudah ditemukan: gangguan jaringan antara pusat data dan {c}. Perbaikan "
         "sedang dilakukan bersama penyedia layanan.",
         "The cause has been found: a network fault between the data centre and {c}. A fix is under "
         "way with the provider."),
        ("Sebuah pembaruan perangkat lunak menyebabkan {c} menolak sebagian permintaan. Pembaruan "
         "tersebut sedang ditarik kembali.",
         "A software update made {c} refuse some requests. The update is being rolled back."),
    ],
    "monitoring": [
        ("Perbaikan sudah diterapkan dan {c} kembali melayani. Kami memantau hasilnya.",
         "A fix is in place and {c} is serving again. We are monitoring the results."),
    ],
    "resolved": [
        ("{c} telah berfungsi normal kembali. Mohon maaf atas ketidaknyamanannya. Permohonan yang "
         "tertunda akan diproses hari ini.",
         "{c} is working normally again. We apologise for the inconvenience. Delayed applications "
         "will be processed today."),
        ("Gangguan telah teratasi. Seluruh layanan {c} berjalan normal.",
         "The disruption is resolved. Every part of {c} is working normally."),
    ],
}
MAINTENANCE = {
    "title": ("Pemeliharaan terjadwal {c}", "Scheduled maintenance of {c}"),
    "scheduled": ("{c} akan menjalani pemeliharaan rutin. Selama jendela pemeliharaan layanan "
                  "mungkin tidak tersedia.",
                  "{c} will undergo routine maintenance. The service may be unavailable during the window."),
    "in_progress": ("Pemeliharaan sedang berlangsung.", "Maintenance is in progress."),
    "completed": ("Pemeliharaan telah selesai dan {c} kembali normal.",
                  "Maintenance is complete and {c} is back to normal."),
}


def stamp(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


class Generator:
    def __init__(self, db, seed):
        self.db = db
        self.random = random.Random(seed)
        self.used_ids = set()

    def make_id(self):
        while True:
            candidate = "".join(self.random.choice(ALPHABET) for _ in range(12))
            if candidate not in self.used_ids:
                self.used_ids.add(candidate)
                return candidate

    def components(self, count, created):
        """Roughly seven in ten components in groups of eight, the rest at the top level."""
        rows, groups = [], []
        grouped = count * 7 // 10
        group_count = max(1, grouped // 8) if grouped else 0
        position = 0
        for g in range(group_count):
            position += 1
            name, description = GROUPS[g % len(GROUPS)]
            if g >= len(GROUPS):
                name = f"{name} {PLACES[(g // len(GROUPS)) % len(PLACES)]} {g // len(GROUPS) // len(PLACES) + 1}"
            groups.append((self.make_id(), name, description, position))
        for index in range(count):
            if index < grouped:
                group = groups[index % group_count]
                members = sum(1 for r in rows if r["group"] == group[0])
                place = PLACES[index % len(PLACES)]
                name = f"{SERVICES[index % len(SERVICES)]} {place} {index // (len(SERVICES) * len(PLACES)) + 1}"
                rows.append({"id": self.make_id(), "group": group[0], "name": name, "position": members + 1,
                             "display": f"{group[1]} - {name}"})
            else:
                position += 1
                name = f"{SERVICES[index % len(SERVICES)]} {PLACES[index % len(PLACES)]} Pusat {index}"
                rows.append({"id": self.make_id(), "group": None, "name": name, "position": position,
                             "display": name})
        c = self.db.cursor()
        c.executemany("INSERT INTO component_groups (id, name, description, position, created_at, updated_at)"
                      " VALUES (?, ?, ?, ?, ?, ?)",
                      [(g[0], g[1], g[2], g[3], stamp(created), stamp(created)) for g in groups])
        c.executemany("INSERT INTO components (id, group_id, name, description, status, position, created_at,"
                      " updated_at) VALUES (?, ?, ?, ?, 'operational', ?, ?, ?)",
                      [(r["id"], r["group"], r["name"], f"Layanan {r['name']}.", r["position"],
                        stamp(created), stamp(created)) for r in rows])
        c.executemany("INSERT INTO component_status_changes (component_id, status, changed_at) VALUES (?, 'operational', ?)",
                      [(r["id"], stamp(created)) for r in rows])
        return rows

    def plan_incident(self, components, start, open_now):
        """An incident as a list of updates (status, time, body pair, component changes)."""
        affected = self.random.sample(components, k=min(len(components), self.random.choice([1, 1, 1, 2, 3])))
        status = self.random.choice(["degraded_performance", "degraded_performance", "partial_outage", "major_outage"])
        name = affected[0]["name"]
        title = self.random.choice(TITLES)
        clock = start.astimezone(datetime.timezone(datetime.timedelta(hours=7))).strftime("%H.%M")
        steps = ["investigating"]
        if self.random.random() < 0.7:
            steps.append("identified")
        if self.random.random() < 0.5:
            steps.append("monitoring")
        if open_now:
            steps = steps[:2]
        else:
            steps.append("resolved")
        duration = datetime.timedelta(minutes=self.random.randint(20, 480))
        updates = []
        for n, step in enumerate(steps):
            at = start + duration * n / max(1, len(steps) - 1) if not open_now else start + datetime.timedelta(minutes=15 * n)
            body = self.random.choice(STEPS[step])
            changes = []
            if n == 0:
                changes = [(c, status) for c in affected]
            elif step == "resolved":
                changes = [(c, "operational") for c in affected]
            updates.append((step, at, (body[0].format(c=name, t=clock), body[1].format(c=name, t=clock)), changes))
        return {"kind": "incident", "affected": affected, "title": (title[0].format(c=name), title[1].format(c=name)),
                "status": steps[-1], "impact": IMPACT[status], "updates": updates, "start": start}

    def plan_maintenance(self, components, start):
        affected = [self.random.choice(components)]
        name = affected[0]["name"]
        announced = start - datetime.timedelta(days=3)
        until = start + datetime.timedelta(hours=self.random.choice([1, 2, 4]))
        updates = [
            ("scheduled", announced, tuple(s.format(c=name) for s in MAINTENANCE["scheduled"]), []),
            ("in_progress", start, MAINTENANCE["in_progress"], [(affected[0], "under_maintenance")]),
            ("completed", until, tuple(s.format(c=name) for s in MAINTENANCE["completed"]),
             [(affected[0], "operational")]),
        ]
        return {"kind": "maintenance", "affected": affected,
                "title": tuple(s.format(c=name) for s in MAINTENANCE["title"]), "status": "completed",
                "impact": "maintenance", "updates": updates, "start": start, "announced": announced, "until": until}

    def write(self, components, plans):
        """Replays every update in time order, so old statuses and the history agree."""
        current = {c["id"]: "operational" for c in components}
        events = []
        for plan in plans:
            plan["id"] = self.make_id()
            for update in plan["updates"]:
                events.append((update[1], plan, update))
        events.sort(key=lambda e: e[0])
        incidents, updates, update_components, links, changes = [], [], [], [], []
        for plan in plans:
            first, last = plan["updates"][0][1], plan["updates"][-1][1]
            done = plan["status"] in ("resolved", "completed")
            monitoring = next((u[1] for u in plan["updates"] if u[0] == "monitoring"), None)
            if plan["kind"] == "maintenance":
                incidents.append((plan["id"], plan["title"][0], json.dumps({"en": plan["title"][1]}), plan["status"],
                                  "maintenance", 1, stamp(plan["start"]), stamp(plan["until"]), 1, 1, 1, 1,
                                  stamp(plan["announced"]), None, stamp(last), stamp(first), stamp(last)))
            else:
                incidents.append((plan["id"], plan["title"][0], json.dumps({"en": plan["title"][1]}), plan["status"],
                                  plan["impact"], 0, None, None, 0, 0, 0, 0, stamp(first),
                                  stamp(monitoring) if monitoring else None, stamp(last) if done else None,
                                  stamp(first), stamp(last)))
            for position, component in enumerate(plan["affected"], 1):
                links.append((plan["id"], component["id"], position))
        for at, plan, (step, _, body, component_changes) in events:
            update_id = self.make_id()
            updates.append((update_id, plan["id"], step, body[0], json.dumps({"en": body[1]}, ensure_ascii=False),
                            stamp(at), stamp(at), stamp(at)))
            for position, (component, status) in enumerate(component_changes, 1):
                old = current[component["id"]]
                update_components.append((update_id, component["id"], component["display"], old, status, position))
                if old != status:
                    current[component["id"]] = status
                    changes.append((component["id"], status, stamp(at)))
        c = self.db.cursor()
        c.executemany("""INSERT INTO incidents (id, name, name_translations, status, impact, is_maintenance,
            scheduled_for, scheduled_until, scheduled_auto_in_progress, scheduled_auto_completed,
            auto_transition_to_maintenance_state, auto_transition_to_operational_state,
            started_at, monitoring_at, resolved_at, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", incidents)
        c.executemany("INSERT INTO incident_components (incident_id, component_id, position) VALUES (?, ?, ?)", links)
        c.executemany("""INSERT INTO incident_updates (id, incident_id, status, body, body_translations, display_at,
            created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""", updates)
        c.executemany("""INSERT INTO incident_update_components (update_id, component_id, name, old_status,
            new_status, position) VALUES (?, ?, ?, ?, ?, ?)""", update_components)
        c.executemany("INSERT INTO component_status_changes (component_id, status, changed_at) VALUES (?, ?, ?)",
                      changes)
        latest = {cid: at for cid, _, at in changes}
        c.executemany("UPDATE components SET status = ?, updated_at = ? WHERE id = ?",
                      [(status, latest[cid], cid) for cid, status in current.items() if cid in latest])
        return len(updates)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db")
    parser.add_argument("--incidents", type=int, required=True, help="incidents and maintenances in all")
    parser.add_argument("--components", type=int, required=True)
    parser.add_argument("--years", type=float, default=2)
    parser.add_argument("--open", type=int, default=3, help="incidents still open (part of --incidents)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    db = sqlite3.connect(args.db)
    db.execute("PRAGMA foreign_keys = ON")
    generator = Generator(db, args.seed)
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    span = datetime.timedelta(days=365 * args.years)
    with db:
        components = generator.components(args.components, now - span - datetime.timedelta(days=30))
        plans = []
        open_count = min(args.open, args.incidents)
        closed = args.incidents - open_count
        # History ends a day ago: whatever is still running today is one of the open ones.
        for _ in range(closed):
            start = now - datetime.timedelta(days=1) - span * generator.random.random()
            if generator.random.random() < 0.08:
                plans.append(generator.plan_maintenance(components, start))
            else:
                plans.append(generator.plan_incident(components, start, open_now=False))
        for n in range(open_count):
            plans.append(generator.plan_incident(components, now - datetime.timedelta(hours=2 + n), open_now=True))
        update_count = generator.write(components, plans)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    print(f"components={args.components} incidents={args.incidents} updates={update_count}")


if __name__ == "__main__":
    main()
