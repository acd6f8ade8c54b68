# Owlery: `make run` serves the console, `make test` checks everything, `make check` is
# the fast tier (no SSH hosts, no browser). Each installs what is missing first
# (.ci/bootstrap), so they work on a fresh machine. docs/DEVELOPING.md explains the rest.
SHELL := /bin/bash
export PATH := $(CURDIR)/.tools/bin:$(HOME)/.cargo/bin:$(PATH)

BIND ?= 127.0.0.1:3000
DATA ?= ./data
E2E_DIR ?= $(CURDIR)/target/e2e
E2E_BIND ?= 127.0.0.1:3917
# Extra arguments for Playwright, e.g. E2E_ARGS="tests/hosts.spec.ts --project=js"
E2E_ARGS ?=
# `make test` builds the tests and the server the browser tests drive once, in one
# profile (Cargo.toml's profile.ci); `make run` and `make bench` use the release build.
TEST_PROFILE ?= ci
# The app's unit tests and the server's integration tests, one cargo invocation, so
# that dependencies are resolved (and compiled) once for both.
TESTS := -p app -p server --features app/ssr
WASM := --no-default-features --features hydrate --target wasm32-unknown-unknown
# Real OpenSSH hosts on this machine for the SSH tests (end2end/testbed/README.md).
TESTBED ?= $(CURDIR)/end2end/testbed/testbed.sh
WITH_TESTBED = eval "$$($(TESTBED) env)" &&
# The server's test modules that talk to the testbed: `make check` leaves them out.
SSH_TESTS := binary_id(server::integration) & test(/^(drift|jobs|runbooks|ssh|ssh_admin|tuning|wizard)::/)
# A real `systemctl` without a systemd daemon for the testbed hosts (PyPI
# docker-systemctl-replacement): the Tuning tests run Owlery's unit templates with it.
SYSTEMCTL_PY := $(CURDIR)/.tools/systemctl/systemctl2/systemctl3.py
export SYSTEMCTL_PY

.PHONY: run build bootstrap check test static paths bootstrap-test fmt-check lint clippy \
	native-lane clippy-native clippy-wasm front unit unit-build unit-fast e2e bench demo clean testbed \
	systemctl-replacement

run: build
	./target/release/owlery serve --bind $(BIND) --data $(DATA) --site target/site

demo: build
	./target/release/owlery demo --data $(DATA)

bootstrap:
	.ci/bootstrap build

build: bootstrap
	.ci/build all release

# The fast tier: formatting, both clippy sides, and every test that needs neither the
# SSH testbed nor a browser, on incremental debug builds.
check:
	.ci/bootstrap check
	$(MAKE) --no-print-directory static lint unit-fast

# Everything. The native lane (clippy, then the tests' build and run) and the wasm lane
# (clippy, then the site) run side by side; the browser tests need both.
test:
	.ci/bootstrap test
	$(MAKE) --no-print-directory static
	$(MAKE) --no-print-directory -j2 --output-sync=line native-lane front
	$(MAKE) --no-print-directory e2e E2E_BUILD=

native-lane:
	$(MAKE) --no-print-directory clippy-native
	$(MAKE) --no-print-directory unit

static: paths bootstrap-test fmt-check

# No tracked file may name a path outside the repository (the check tests itself first).
paths:
	.ci/check_paths.py

# The bootstrap stops with one clear line when a prerequisite is missing.
bootstrap-test:
	.ci/bootstrap_test

lint: fmt-check clippy

fmt-check:
	cargo fmt --all -- --check

# The server side and the wasm side are linted separately: building both features at
# once would unify them.
clippy: clippy-native clippy-wasm

clippy-native:
	cargo clippy $(TESTS) --all-targets -- -D warnings

# The wasm side is checked in the front build's own target dir, so that it can run
# beside the native lane.
clippy-wasm:
	cargo clippy -p app $(WASM) --target-dir target/front -- -D warnings

front: clippy-wasm
	.ci/build front

testbed:
	$(TESTBED) up

systemctl-replacement:
	test -f $(SYSTEMCTL_PY) || python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore \
		--target .tools/systemctl docker-systemctl-replacement==1.7.1097

unit-fast:
	cargo nextest run $(TESTS) -E 'not ($(SSH_TESTS))'

# Builds the tests and, with them, target/$(TEST_PROFILE)/owlery for the browser tests.
unit-build:
	cargo nextest run $(TESTS) --cargo-profile $(TEST_PROFILE) --no-run

unit: unit-build testbed systemctl-replacement
	$(WITH_TESTBED) cargo nextest run $(TESTS) --cargo-profile $(TEST_PROFILE)

# What the browser tests need built; `make test` has built it already.
E2E_BUILD ?= unit-build front
e2e: $(E2E_BUILD) testbed systemctl-replacement
	rm -rf $(E2E_DIR) && mkdir -p $(E2E_DIR)
	echo "$${E2E_PASSWORD:-e2e admin password}" | ./target/$(TEST_PROFILE)/owlery user add e2e-admin --role admin --password-stdin --data $(E2E_DIR)/data
	$(WITH_TESTBED) cd end2end && OWLERY_E2E_BIN=$(CURDIR)/target/$(TEST_PROFILE)/owlery \
		OWLERY_E2E_BIND=$(E2E_BIND) OWLERY_E2E_DATA=$(E2E_DIR)/data npx playwright test $(E2E_ARGS)

bench: build
	.ci/bench

clean:
	cargo clean
	rm -rf $(E2E_DIR)
