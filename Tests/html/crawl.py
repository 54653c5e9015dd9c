"""Fetches Warta's public HTML pages, checks their status and headers, and saves them for the
HTML checker.

    crawl.py BASE_URL OUT_DIR [--default-lang id]

Fetches the home and history pages in both languages, a page that does not exist, and every
incident page they link to (each in both languages), without following redirects. Each page
must answer 200 (404 for the two that do not exist) as `text/html; charset=utf-8` with the
security headers, and its <html lang> must be the language asked for. Every other same-site
link must answer 200. The demo's states that only some pages show (STATES: what automatic
checks measured) must each be on a saved page in both languages, so the checker sees them. The pages are written to OUT_DIR/*.html and their stylesheets to
OUT_DIR/*.css. Prints the number of pages; exits 1 naming each URL at fault.
"""

import argparse
import re
import sys
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser

PAGES = ["/", "/?lang=en", "/?lang=id", "/history", "/history?lang=en", "/history?page=2"]
MISSING = ["/no-such-page", "/incidents/zzzzzzzzzzzz"]  # must answer 404, still as a page
# Markup of each state the checker must see, and the texts that mark it in each language.
STATES = {
    "a failing check's line": ('class="k-failing"', {"en": "Automatic check", "id": "Pemeriksaan otomatis"}),
    "a check's quiet line": ('class="k-up"', {"en": "Automatic check", "id": "Pemeriksaan otomatis"}),
    "the banner of a failure without a statement": (
        'class="unconfirmed"', {"en": "No statement from staff yet", "id": "Belum ada pernyataan dari petugas"}),
    "a measured uptime bar": ('class="uptime measured"', {"en": "Measured by automatic check", "id": "Terukur oleh pemeriksaan otomatis"}),
    "the time to first statement": ("<dt>", {"en": "Time to first statement", "id": "Waktu hingga pernyataan pertama"}),
}


class NoRedirect(urllib.request.HTTPRedirectHandler):
    # A redirect is reported as its own status instead of being followed, so "200" means 200.
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def fetch(url):
    """Returns (status, headers, body); an HTTP error status is an answer, not an exception."""
    try:
        with OPENER.open(url, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


class Page(HTMLParser):
    """The <html lang> of a page, its links, its stylesheets and its source."""

    def __init__(self, body):
        super().__init__()
        self.lang, self.links, self.stylesheets = None, [], []
        self.text = body.decode("utf-8", errors="replace")
        self.feed(self.text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        url = attrs.get("href") or attrs.get("src")
        if url and tag in ("a", "link", "img", "script"):
            self.links.append(url)
            if tag == "link" and "stylesheet" in (attrs.get("rel") or "").lower().split():
                self.stylesheets.append(url)


def file_name(path_and_query):
    """'/' -> 'index', '/history?page=2' -> 'history.page-2', '/incidents/x' -> 'incidents-x'."""
    parts = urllib.parse.urlsplit(path_and_query)
    name = parts.path.strip("/").replace("/", "-") or "index"
    if parts.query:
        name += "." + parts.query
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name)


def main():
    arguments = argparse.ArgumentParser()
    arguments.add_argument("base")
    arguments.add_argument("out")
    arguments.add_argument("--default-lang", default="id", help="the language of a page asked for without ?lang")
    options = arguments.parse_args()
    base = options.base.rstrip("/")
    site = urllib.parse.urlsplit(base).netloc
    failures = []
    pages = {}  # path and query -> Page
    checked = set()

    def check_page(target, expected_status):
        url = base + target
        status, headers, body = fetch(url)
        checked.add(target)
        problems = []
        if status != expected_status:
            problems.append(f"status {status}, expected {expected_status}")
        content_type = (headers.get("Content-Type") or "").replace(" ", "").lower()
        if content_type != "text/html;charset=utf-8":
            problems.append(f"Content-Type {headers.get('Content-Type')!r}, expected 'text/html; charset=utf-8'")
        if not headers.get("Content-Security-Policy"):
            problems.append("no Content-Security-Policy header")
        if (headers.get("X-Content-Type-Options") or "").strip().lower() != "nosniff":
            problems.append("no X-Content-Type-Options: nosniff header")
        if not headers.get("Referrer-Policy"):
            problems.append("no Referrer-Policy header")
        page = Page(body)
        lang = urllib.parse.parse_qs(urllib.parse.urlsplit(target).query).get("lang", [options.default_lang])[0]
        if page.lang != lang:
            found = f'<html lang="{page.lang}">' if page.lang is not None else "no <html lang>"
            problems.append(f'{found}, expected <html lang="{lang}">')
        failures.extend(f"{url}: {problem}" for problem in problems)
        with open(f"{options.out}/{file_name(target)}.html", "wb") as out:
            out.write(body)
        pages[target] = page

    for target in PAGES:
        check_page(target, 200)
    for target in MISSING:
        check_page(target, 404)

    # Every same-site link of the pages above, as a path and query relative to the site.
    def links(page_target, urls):
        for link in urls:
            absolute = urllib.parse.urldefrag(urllib.parse.urljoin(base + page_target, link)).url
            parts = urllib.parse.urlsplit(absolute)
            # A page that does not exist may link to itself (in another language, say).
            if parts.scheme in ("http", "https") and parts.netloc == site and parts.path not in MISSING:
                yield urllib.parse.urlunsplit(("", "", parts.path or "/", parts.query, ""))

    found = {link for target, page in list(pages.items()) for link in links(target, page.links)}
    incidents = sorted({urllib.parse.urlsplit(link).path for link in found if link.startswith("/incidents/")})
    if not incidents:
        failures.append(f"{base}: no page links to an incident (/incidents/...)")
    # Each incident page in both languages, and any other form of it that a page links to.
    for target in sorted({*incidents, *(path + "?lang=en" for path in incidents),
                          *(link for link in found if link.startswith("/incidents/"))}):
        if target not in checked:
            check_page(target, 200)

    for state, (markup, texts) in STATES.items():
        for lang, text in texts.items():
            if not any(page.lang == lang and markup in page.text and text in page.text for page in pages.values()):
                failures.append(f"{base}: no {lang} page shows {state} ({markup} with {text!r})")

    stylesheets = {link for target, page in pages.items() for link in links(target, page.stylesheets)}
    for link in sorted(stylesheets):
        status, headers, body = fetch(base + link)
        if status != 200 or not (headers.get("Content-Type") or "").startswith("text/css"):
            failures.append(f"{base + link}: status {status}, Content-Type {headers.get('Content-Type')!r}; expected 200 text/css")
        name = file_name(link)
        with open(f"{options.out}/{name if name.endswith('.css') else name + '.css'}", "wb") as out:
            out.write(body)

    # The rest (feeds, badge, icons, scripts): each must answer 200.
    all_links = {link for target, page in pages.items() for link in links(target, page.links)}
    for link in sorted(all_links - checked - stylesheets):
        status, _, _ = fetch(base + link)
        if status != 200:
            failures.append(f"{base + link}: status {status}, expected 200 (linked from a page)")

    for failure in failures:
        print(f"html: {failure}", file=sys.stderr)
    print(len(pages))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
