"""Fetches Warta's public HTML pages, checks their status and headers, and saves them for the
HTML checker.

    crawl.py BASE_URL OUT_DIR [--default-lang id] [--mail [--database PATH]]

Fetches the home, history and banner (/embed) pages in both languages, /status.txt (plain text
of at most 160 characters), a page that does not exist, and every
incident page they link to (each in both languages), without following redirects. Each page
must answer 200 (404 for the two that do not exist) as `text/html; charset=utf-8` with the
security headers, and its <html lang> must be the language asked for. Every other same-site
link must answer 200. The demo's states that only some pages show (STATES: what automatic
checks measured) must each be on a saved page in both languages, so the checker sees them. The pages are written to OUT_DIR/*.html and their stylesheets to
OUT_DIR/*.css. Prints the number of pages; exits 1 naming each URL at fault.

--mail (a server with an SMTP relay) also checks the mail subscription pages: the sign-up
form in both languages, the form refused (422), a sign-up (303 to /subscribe/sent, which is
checked too) and too many sign-ups (429). With --database (the server's SQLite file, for the
subscription key) it also follows the sign-up's link as the mail would carry it: the
unconfirmed page, the unsubscribe page, confirming, the manage form and its refusal, the
page of a quarantined address, leaving and leaving again.
"""

import argparse
import hashlib
import hmac
import re
import sqlite3
import sys
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser

PAGES = ["/", "/?lang=en", "/?lang=id", "/history", "/history?lang=en", "/history?page=2", "/embed", "/embed?lang=en"]
# The status in one SMS: plain UTF-8 text of at most this many characters, in each language.
STATUS_TEXTS = ["/status.txt", "/status.txt?lang=en"]
STATUS_TEXT_LIMIT = 160
# Must answer 404, still as a page (the last: a subscription link that names no subscription).
MISSING = ["/no-such-page", "/incidents/zzzzzzzzzzzz", "/subscriptions/zzzzzzzzzzzz" + "0" * 32]
MAIL_PAGES = ["/subscribe", "/subscribe?lang=en", "/subscribe/sent", "/subscribe/sent?lang=en"]
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
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


def fetch(url, body=None):
    """Returns (status, headers, body); an HTTP error status is an answer, not an exception.
    With a body (a form) the request is a POST."""
    request = urllib.request.Request(url, data=body, headers=FORM if body is not None else {})
    try:
        with OPENER.open(request, timeout=10) as response:
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
    arguments.add_argument("--mail", action="store_true", help="the server has an SMTP relay: check the subscription pages")
    arguments.add_argument("--database", help="the server's SQLite file, to follow a subscriber's link")
    options = arguments.parse_args()
    base = options.base.rstrip("/")
    site = urllib.parse.urlsplit(base).netloc
    failures = []
    pages = {}  # path and query -> Page
    checked = set()

    def check_page(target, expected_status, form=None, name=None, lang=None, referrer_policy=None):
        """GETs target (POSTs `form` to it), checks the answer and saves it as `name`."""
        url = base + target
        status, headers, body = fetch(url, form)
        if form is None:
            checked.add(target)
        problems = []
        if referrer_policy and headers.get("Referrer-Policy") != referrer_policy:
            problems.append(f"Referrer-Policy {headers.get('Referrer-Policy')!r}, expected {referrer_policy!r}")
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
        lang = lang or urllib.parse.parse_qs(urllib.parse.urlsplit(target).query).get("lang", [options.default_lang])[0]
        if page.lang != lang:
            found = f'<html lang="{page.lang}">' if page.lang is not None else "no <html lang>"
            problems.append(f'{found}, expected <html lang="{lang}">')
        failures.extend(f"{'POST ' if form is not None else ''}{url}: {problem}" for problem in problems)
        with open(f"{options.out}/{name or file_name(target)}.html", "wb") as out:
            out.write(body)
        # Keyed by where it came from (links are resolved against it), apart for each name.
        pages[target + "#" + name if name else target] = page
        return page

    def post_redirect(target, form, location):
        """POSTs `form` to target, which must answer 303 See Other to `location`."""
        status, headers, _ = fetch(base + target, form)
        if status != 303 or headers.get("Location") != location:
            failures.append(f"POST {base + target}: status {status}, Location {headers.get('Location')!r}; "
                            f"expected 303 to {location!r}")

    for target in PAGES:
        check_page(target, 200)
    for target in STATUS_TEXTS:
        status, headers, body = fetch(base + target)
        text = body.decode("utf-8", errors="replace")
        if status != 200 or (headers.get("Content-Type") or "").replace(" ", "").lower() != "text/plain;charset=utf-8":
            failures.append(f"{base + target}: status {status}, Content-Type {headers.get('Content-Type')!r}; "
                            "expected 200 text/plain; charset=utf-8")
        elif not text or len(text) > STATUS_TEXT_LIMIT or "\ufffd" in text:
            failures.append(f"{base + target}: {len(text)} characters {text!r}; expected 1 to {STATUS_TEXT_LIMIT} of UTF-8")
    for target in MISSING:
        private = options.mail and target.startswith("/subscriptions/")
        check_page(target, 404, referrer_policy="no-referrer" if private else None)
    if options.mail:
        check_mail(options, check_page, post_redirect, failures)

    # Every same-site link of the pages above, as a path and query relative to the site.
    def links(page_target, urls):
        for link in urls:
            absolute = urllib.parse.urldefrag(urllib.parse.urljoin(base + page_target, link)).url
            parts = urllib.parse.urlsplit(absolute)
            # A page that does not exist may link to itself (in another language, say).
            # A subscription's own links are checked where it is followed (it ends there).
            if (parts.scheme in ("http", "https") and parts.netloc == site and parts.path not in MISSING
                    and not parts.path.startswith("/subscriptions/")):
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


def check_mail(options, check_page, post_redirect, failures):
    """The subscription pages, in the order a person meets them."""
    lang = options.default_lang
    for target in MAIL_PAGES:
        check_page(target, 200)
    refused = b"email=not-an-address&language=" + lang.encode() + b"&components=chosen"
    check_page("/subscribe", 422, form=refused, name="subscribe.refused")
    address = "html-check@example.org"
    post_redirect(f"/subscribe?lang={lang}",
                  f"email={urllib.parse.quote(address)}&language={lang}&components=all".encode(),
                  f"/subscribe/sent?lang={lang}")
    # Two sign-ups so far; the limit allows ten from one address in four hours.
    for _ in range(8):
        fetch(options.base.rstrip("/") + "/subscribe", refused)
    check_page("/subscribe", 429, form=refused, name="subscribe.limited")
    if not options.database:
        return

    # The link the confirmation mail carries: the subscriber's id and the first 128 bits of
    # HMAC-SHA256(key, "subscription:" + id), in hex (Store.subscriptionToken).
    with sqlite3.connect(f"file:{options.database}?mode=ro", uri=True, timeout=10) as database:
        key = database.execute("SELECT key FROM mail_keys WHERE id = 1").fetchone()[0]
        row = database.execute("SELECT id FROM mail_subscribers WHERE email = ?", (address,)).fetchone()
    if row is None:
        failures.append(f"{options.database}: the sign-up of {address} is not in mail_subscribers")
        return
    subscriber = row[0]
    token = subscriber + hmac.new(key.encode(), f"subscription:{subscriber}".encode(), hashlib.sha256).digest()[:16].hex()
    page = f"/subscriptions/{token}"
    private = "no-referrer"
    check_page(page, 200, name="subscription.unconfirmed", referrer_policy=private)
    check_page(page + "/unsubscribe", 200, name="subscription.unsubscribe", referrer_policy=private)
    post_redirect(page, b"action=confirm", page + "?done=confirmed")
    check_page(page + "?done=confirmed", 200, name="subscription.confirmed", referrer_policy=private)
    check_page(page + "?lang=en", 200, name="subscription.en", referrer_policy=private)
    check_page(page, 422, form=b"action=save&language=xx&components=chosen", name="subscription.refused",
               referrer_policy=private)
    # Quarantine is the sender's verdict on bounces; the page only shows it.
    with sqlite3.connect(options.database, timeout=10) as database:
        database.execute("UPDATE mail_subscribers SET quarantined_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?",
                         (subscriber,))
    check_page(page, 200, name="subscription.quarantined", referrer_policy=private)
    # RFC 8058's one-click POST, then the same again.
    one_click = b"List-Unsubscribe=One-Click"
    check_page(page + "/unsubscribe", 200, form=one_click, name="subscription.left", referrer_policy=private)
    check_page(page + "/unsubscribe", 200, form=one_click, name="subscription.ended", referrer_policy=private)


if __name__ == "__main__":
    sys.exit(main())
