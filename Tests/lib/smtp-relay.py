#!/usr/bin/env python3
"""An SMTP relay for the tests (aiosmtpd): keeps every message it accepts, refuses on purpose.

    smtp-relay.py DIR [--tls-cert F --tls-key F] [--require-starttls] [--implicit-tls]
                      [--auth USER:PASSWORD] [--fail RCPT=CODE[:TIMES]]... [--drop-reused-mail]

Binds 127.0.0.1 on a free port and prints it as the first line of standard output.

Each accepted message is saved as DIR/NNNN.eml (0001.eml first), the bytes as received after
dot-unstuffing, and described by one JSON line appended to DIR/log.jsonl:
    {"n", "mail_from", "rcpt_tos", "tls", "connection", "size", "auth"}
"connection" numbers the TCP connections from 1, so messages with the same number came over
one connection; "tls" says whether that connection was encrypted then; "auth" is the user
name logged in with, or null. A refused RCPT is logged too, with "refused": CODE instead of
"n" and "size".

With --tls-cert and --tls-key, STARTTLS is offered (RFC 3207), and required before MAIL with
--require-starttls; with --implicit-tls too, TLS starts with the connection instead (RFC 8314)
and no STARTTLS is offered. --auth requires SMTP AUTH PLAIN or LOGIN (RFC 4954) with that user
name and password, after TLS. --fail rcpt@x=451:2 answers 451 to the first two RCPTs of that
address and accepts the ones after; without :TIMES it always refuses. --drop-reused-mail
closes, without a reply, a connection that sends MAIL after it has carried a message: a relay
that went away while the client kept the connection.

SIGTERM or SIGINT ends it cleanly (exit 0).
"""
import argparse, asyncio, itertools, json, logging, os, signal, ssl, sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

# The test process blocks signals in its threads and a child inherits that mask: without
# clearing it, SIGTERM would stay pending forever.
signal.pthread_sigmask(signal.SIG_SETMASK, [])
# aiosmtpd warns on every login about an attribute it reads itself.
logging.getLogger("mail.log").setLevel(logging.ERROR)

parser = argparse.ArgumentParser()
parser.add_argument("dir")
parser.add_argument("--tls-cert")
parser.add_argument("--tls-key")
parser.add_argument("--require-starttls", action="store_true")
parser.add_argument("--implicit-tls", action="store_true")
parser.add_argument("--auth")
parser.add_argument("--fail", action="append", default=[])
parser.add_argument("--drop-reused-mail", action="store_true")
arguments = parser.parse_args()

failures = {}  # address -> [code, times left or None for always]
for rule in arguments.fail:
    address, _, answer = rule.rpartition("=")
    code, _, times = answer.partition(":")
    failures[address.lower()] = [int(code), int(times) if times else None]

tls_context = None
if arguments.tls_cert:
    tls_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls_context.load_cert_chain(arguments.tls_cert, arguments.tls_key)

credentials = None
if arguments.auth:
    user, _, password = arguments.auth.partition(":")
    credentials = (user.encode(), password.encode())

log_path = os.path.join(arguments.dir, "log.jsonl")
accepted = itertools.count(1)
connections = itertools.count(1)


def log(record):
    with open(log_path, "a") as file:
        file.write(json.dumps(record) + "\n")


def authenticate(server, session, envelope, mechanism, auth_data):
    if not isinstance(auth_data, LoginPassword) or (auth_data.login, auth_data.password) != credentials:
        return AuthResult(success=False, handled=False)
    return AuthResult(success=True, auth_data=auth_data.login.decode())


class Relay(SMTP):
    """One connection: numbered, and remembering whether it has carried a message."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.number = next(connections)
        self.carried = 0

    @property
    def encrypted(self):
        return self.transport is not None and self.transport.get_extra_info("ssl_object") is not None

    def describe(self, envelope, recipients):
        return {"mail_from": envelope.mail_from, "rcpt_tos": recipients, "tls": self.encrypted,
                "connection": self.number, "auth": self.session.auth_data if self.session.authenticated else None}


class Handler:
    async def handle_MAIL(self, server, session, envelope, address, options):
        if arguments.drop_reused_mail and server.carried:
            server.transport.close()
            return "421 closing"  # never seen: the connection is gone
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, options):
        rule = failures.get(address.lower())
        if rule and (rule[1] is None or rule[1] > 0):
            if rule[1] is not None:
                rule[1] -= 1
            log(dict(server.describe(envelope, [address]), refused=rule[0]))
            return f"{rule[0]} {'try again later' if rule[0] < 500 else 'no such user here'}"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        number = next(accepted)
        content = envelope.original_content
        with open(os.path.join(arguments.dir, f"{number:04d}.eml"), "wb") as file:
            file.write(content)
        server.carried += 1
        log(dict(server.describe(envelope, envelope.rcpt_tos), n=number, size=len(content)))
        return "250 OK: queued"


async def main():
    handler = Handler()
    options = dict(hostname="relay.test", auth_required=credentials is not None,
                   auth_require_tls=True, authenticator=authenticate)
    if tls_context and not arguments.implicit_tls:
        options.update(tls_context=tls_context, require_starttls=arguments.require_starttls)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: Relay(handler, **options), "127.0.0.1", 0,
                                      ssl=tls_context if arguments.implicit_tls else None)
    print(server.sockets[0].getsockname()[1], flush=True)
    stopped = asyncio.Event()
    for number in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(number, stopped.set)
    await stopped.wait()
    server.close()


asyncio.run(main())
sys.exit(0)
