#!/usr/bin/env bash
# Screenshots of the public page, as a demo server serves it, for the docs:
# docs/screenshot-{desktop,phone}-{light,dark}.png.
#
#   docs/screenshots.sh [path/to/warta]                   # default: .build/debug/warta
#   WARTA_URL=http://127.0.0.1:8080 docs/screenshots.sh   # a server already running
#
# Installs Debian's chromium when it is missing, starts `warta serve --demo --port 0` on a new
# database in a temporary folder (with Tests/lib/warta-server.sh), and renders the page
# ($SCREENSHOT_PATH, default /, in the language $SCREENSHOT_LANG, default en, which Chromium
# asks for in Accept-Language) with headless Chromium, whole, at 1280 (desktop) and 390
# (phone, in mobile mode) CSS pixels wide, in the light and the dark colour scheme.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=Tests/lib/warta-server.sh
. "$ROOT/Tests/lib/warta-server.sh"

BINARY="${1:-.build/debug/warta}"
PAGE_PATH="${SCREENSHOT_PATH:-/}"
LANGUAGE="${SCREENSHOT_LANG:-en}"
OUT="$ROOT/docs"

say() { printf 'screenshots: %s\n' "$*" >&2; }
fail() { say "$*"; exit 1; }

if ! command -v chromium >/dev/null; then
    say "installing chromium"
    sudo=$([ "$(id -u)" = 0 ] || echo sudo)
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq && $sudo apt-get install -y -qq chromium
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/warta-screenshots.XXXXXX")"
cleanup() {
    local status=$?
    warta_stop
    rm -rf "$WORK"
    exit "$status"
}
warta_on_exit cleanup

if [ -n "${WARTA_URL:-}" ]; then
    warta_attach "$WARTA_URL"
else
    warta_wait_runnable "$BINARY" 1
    warta_start "$BINARY" "$WORK" --demo --no-access-log
fi
BASE="$WARTA_BASE"

# Headless Chromium's own --screenshot shoots the window, which cuts a long page or pads a
# short one, so the shots are taken over the DevTools protocol instead: the viewport width and
# mobile mode are emulated, prefers-color-scheme is emulated for dark, and each shot is clipped
# to the page's full height. Chromium speaks the protocol on its fds 3 (commands) and 4
# (replies and events), one JSON message per NUL. As root it runs only without its sandbox.
touch "$WORK/chromium.log"
timeout 180 python3 - "$BASE$PAGE_PATH" "$OUT" "$WORK" "$LANGUAGE" <<'PYTHON' || { cat "$WORK/chromium.log" >&2; fail "chromium could not render $BASE$PAGE_PATH"; }
import base64, json, os, subprocess, sys

url, out, work, language = sys.argv[1:]
commands_in, commands = os.pipe()
replies, replies_out = os.pipe()

def give_pipes():  # in the child: dup2 onto 3 and 4 also clears close-on-exec
    read, write = os.dup(commands_in), os.dup(replies_out)
    os.dup2(read, 3)
    os.dup2(write, 4)

chromium = subprocess.Popen(
    ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
     f"--user-data-dir={work}/profile", f"--accept-lang={language}", "--remote-debugging-pipe"],
    preexec_fn=give_pipes, close_fds=False, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
    stderr=open(f"{work}/chromium.log", "wb"))
os.close(commands_in)
os.close(replies_out)
buffer, events, last_id = b"", [], 0

def receive():
    global buffer
    while b"\0" not in buffer:
        chunk = os.read(replies, 1 << 20)
        if not chunk:
            sys.exit("chromium exited")
        buffer += chunk
    message, buffer = buffer.split(b"\0", 1)
    return json.loads(message)

def call(method, session=None, **params):
    global last_id
    last_id += 1
    message = {"id": last_id, "method": method, "params": params}
    if session:
        message["sessionId"] = session
    os.write(commands, json.dumps(message).encode() + b"\0")
    while (reply := receive()).get("id") != last_id:
        events.append(reply)
    if "error" in reply:
        sys.exit(f"{method}: {reply['error'].get('message')}")
    return reply["result"]

target = call("Target.createTarget", url="about:blank")["targetId"]
page = call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
call("Page.enable", page)
for device, width, height, mobile in [("desktop", 1280, 800, False), ("phone", 390, 844, True)]:
    shots = {}
    for scheme in ("light", "dark"):
        call("Emulation.setDeviceMetricsOverride", page, width=width, height=height, deviceScaleFactor=1, mobile=mobile)
        call("Emulation.setEmulatedMedia", page, features=[{"name": "prefers-color-scheme", "value": scheme}])
        events.clear()
        call("Page.navigate", page, url=url)
        while not any(event.get("method") == "Page.loadEventFired" for event in events):
            events.append(receive())
        full = call("Page.getLayoutMetrics", page)["cssContentSize"]
        shot = call("Page.captureScreenshot", page, format="png", captureBeyondViewport=True,
                    clip={"x": 0, "y": 0, "width": width, "height": full["height"], "scale": 1})
        shots[scheme] = base64.b64decode(shot["data"])
        with open(f"{out}/screenshot-{device}-{scheme}.png", "wb") as file:
            file.write(shots[scheme])
        print(f"screenshots: docs/screenshot-{device}-{scheme}.png ({width}x{round(full['height'])})", file=sys.stderr)
    # Identical shots mean the page has no dark styles, or the emulation did not take.
    if shots["light"] == shots["dark"]:
        print(f"screenshots: warning: the {device} light and dark screenshots are identical", file=sys.stderr)
call("Browser.close")
chromium.wait()
PYTHON
