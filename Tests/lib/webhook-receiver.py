#!/usr/bin/env python3
"""A webhook receiver for the tests: records every POST and fails the first ones on purpose.

    webhook-receiver.py LOG [--fail-first N] [--hold-first-until FILE] [--secret-file FILE]

Binds 127.0.0.1 on a free port and prints it on the first line of standard output. Each
request is appended to LOG as one JSON line: arrival time, the status answered, the headers
and the body (as text). The first N requests are answered 500; with --hold-first-until, the
first request is not answered until FILE exists, so a test can show that nobody waits for it.
With --secret-file, each line also says whether X-Warta-Signature is the HMAC-SHA256 of the
body keyed with that file's text, checked as a subscriber would.
"""
import argparse, hashlib, hmac, http.server, json, os, threading, time

parser = argparse.ArgumentParser()
parser.add_argument("log")
parser.add_argument("--fail-first", type=int, default=0)
parser.add_argument("--hold-first-until")
parser.add_argument("--secret-file")
arguments = parser.parse_args()
lock = threading.Lock()
seen = 0


class Receiver(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        global seen
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        arrived = time.time()
        with lock:
            seen += 1
            number = seen
        if number == 1 and arguments.hold_first_until:
            while not os.path.exists(arguments.hold_first_until):
                time.sleep(0.02)
        status = 500 if number <= arguments.fail_first else 204
        record = {"time": arrived, "status": status, "headers": dict(self.headers.items()), "body": body.decode("utf-8")}
        if arguments.secret_file:
            with open(arguments.secret_file) as file:
                expected = "sha256=" + hmac.new(file.read().strip().encode(), body, hashlib.sha256).hexdigest()
            record["signature_ok"] = hmac.compare_digest(expected, self.headers.get("X-Warta-Signature", ""))
        with lock, open(arguments.log, "a") as log:
            log.write(json.dumps(record) + "\n")
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *arguments):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
print(server.server_address[1], flush=True)
server.serve_forever()
