# Warta: `make run` serves the status page, `make test` runs the whole suite.
# Both install what is missing on a Debian machine first (run as root, or have sudo).

SWIFT    ?= swift
HOST     ?= 127.0.0.1
PORT     ?= 8080
DB       ?= ./warta.db
ARGS     ?=
SUDO     := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT      := DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get

# Debian packages the build needs, and those the tests need besides.
BUILD_PACKAGES := libsqlite3-dev tzdata
TEST_PACKAGES  := curl

.PHONY: run build test deps test-deps bench clean contract contract-deps

run: build
	.build/release/warta serve --host $(HOST) --port $(PORT) --db $(DB) $(ARGS)

build: deps
	$(SWIFT) build -c release --product warta

test: deps test-deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	$(MAKE) --no-print-directory contract

bench: deps
	Benchmarks/http.sh

# Contract tests: the HTTP APIs against Public/api/openapi.json, with schemathesis (pinned,
# from PyPI, in .venv-contract/). See Tests/contract/schemathesis.sh.
contract: deps contract-deps
	$(SWIFT) build --product warta
	Tests/contract/schemathesis.sh .build/debug/warta

# Python with venv for the contract tests' virtual environment.
contract-deps:
	@python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || { echo "Installing python3-venv"; $(APT) update -qq && $(APT) install -y -qq python3 python3-venv; }

# Installs only what is missing, so a second run asks nothing of the network.
deps:
	@missing=$$(for p in $(BUILD_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then echo "Installing $$missing"; $(APT) update -qq && $(APT) install -y -qq $$missing; fi

test-deps:
	@missing=$$(for p in $(TEST_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then echo "Installing $$missing"; $(APT) update -qq && $(APT) install -y -qq $$missing; fi

clean:
	rm -rf .build
