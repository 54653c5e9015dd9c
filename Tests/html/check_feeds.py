"""Checks Warta's history feeds and status badge.

    check_feeds.py BASE_URL

/history.rss must parse as RSS 2.0 and /history.atom as Atom 1.0 without any complaint from
feedparser (a feed reader's tolerance hides errors, so `bozo` fails the check), with at
least one entry, and every entry with a title, an absolute http(s) link, an id (the RSS
guid) and a date it can read. /badge.svg must be an SVG document. Exits 1 naming each URL at
fault.
"""

import sys
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ElementTree

import feedparser

FEEDS = {"/history.rss": "rss20", "/history.atom": "atom10"}  # feedparser's names for them


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def absolute(link):
    parts = urllib.parse.urlsplit(link or "")
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def check_feed(url, version):
    status, headers, body = fetch(url)
    if status != 200:
        return [f"status {status}, expected 200"], 0
    # The served Content-Type goes along so that a wrong type or charset counts too. No base
    # URL goes along: feedparser would resolve relative links against it and hide them.
    feed = feedparser.parse(body, response_headers={"content-type": headers.get("Content-Type", "")})
    if feed.bozo:
        return [f"not a well-formed feed: {feed.bozo_exception}"], 0
    problems = []
    if feed.version != version:
        problems.append(f"parsed as {feed.version or 'unknown'}, expected {version}")
    if not feed.entries:
        problems.append("no entries")
    for number, entry in enumerate(feed.entries, 1):
        name = f"entry {number} ({entry.get('id') or entry.get('title') or 'no id'})"
        for field in ("title", "link", "id"):
            if not entry.get(field):
                problems.append(f"{name} has no {field}")
        if not (entry.get("published_parsed") or entry.get("updated_parsed")):
            problems.append(f"{name} has no published or updated date that parses")
        for link in dict.fromkeys([entry.get("link"), *(link.get("href") for link in entry.get("links", []))]):
            if link and not absolute(link):
                problems.append(f"{name} links to {link!r}, not an absolute http(s) URL")
    if feed.feed.get("link") and not absolute(feed.feed.link):
        problems.append(f"the feed links to {feed.feed.link!r}, not an absolute http(s) URL")
    return problems, len(feed.entries)


def check_badge(url):
    status, headers, body = fetch(url)
    if status != 200:
        return [f"status {status}, expected 200"]
    problems = []
    if not (headers.get("Content-Type") or "").startswith("image/svg+xml"):
        problems.append(f"Content-Type {headers.get('Content-Type')!r}, expected image/svg+xml")
    try:
        root = ElementTree.fromstring(body)
        if root.tag != "{http://www.w3.org/2000/svg}svg":
            problems.append(f"root element {root.tag}, expected {{http://www.w3.org/2000/svg}}svg")
    except ElementTree.ParseError as error:
        problems.append(f"not well-formed XML: {error}")
    return problems


def main():
    base = sys.argv[1].rstrip("/")
    failures, counts = [], []
    for path, version in FEEDS.items():
        problems, entries = check_feed(base + path, version)
        failures += [f"{base + path}: {problem}" for problem in problems]
        counts.append(f"{path} {entries} entries")
    failures += [f"{base}/badge.svg: {problem}" for problem in check_badge(base + "/badge.svg")]
    for failure in failures:
        print(f"feeds: {failure}", file=sys.stderr)
    print(", ".join(counts))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
