# Owlery: `make run` serves the console, `make test` checks everything.
# Both install what is missing first (.ci/bootstrap), so they work on a fresh machine.
SHELL := /bin/bash
export PATH := $(CURDIR)/.tools/bin:$(HOME)/.cargo/bin:$(PATH)

BIND ?= 127.0.0.1:3000
DATA ?= ./data
E2E_DIR ?= target/e2e
E2E_BIND ?= 127.0.0.1:3917
# Extra arguments for Playwright, e.g. E2E_ARGS="tests/hosts.spec.ts --project=js"
E2E_ARGS ?=
WASM := --no-default-features --features hydrate --target wasm32-unknown-unknown
# Real OpenSSH hosts on this machine for the SSH job tests (see its README).
TESTBED ?= $(abspath ../shared/testbed/testbed.sh)
WITH_TESTBED = eval "$$($(TESTBED) env)" &&
# A real `systemctl` without a systemd daemon for the testbed hosts (PyPI
# docker-systemctl-replacement): the Tuning tests run Owlery's unit templates with it.
SYSTEMCTL_PY := $(CURDIR)/.tools/systemctl/systemctl2/systemctl3.py
export SYSTEMCTL_PY

.PHONY: run build bootstrap test lint fmt-check clippy unit e2e bench demo clean testbed systemctl-replacement

run: build
	./target/release/owlery serve --bind $(BIND) --data $(DATA) --site target/site

demo: build
	./target/release/owlery demo --data $(DATA)

bootstrap:
	.ci/bootstrap build

build: bootstrap
	cargo leptos build --release

# Without incremental compilation: a one-off run has no use for its cache, which
# would more than double the disk the debug build takes.
test:
	.ci/bootstrap test
	CARGO_INCREMENTAL=0 $(MAKE) --no-print-directory lint unit e2e

lint: fmt-check clippy

fmt-check:
	cargo fmt --all -- --check

# The server side and the wasm side are linted separately: building both features at
# once would unify them.
clippy:
	cargo clippy -p app --features ssr --all-targets -- -D warnings
	cargo clippy -p server --all-targets -- -D warnings
	cargo clippy -p app $(WASM) -- -D warnings

testbed:
	$(TESTBED) up

systemctl-replacement:
	test -f $(SYSTEMCTL_PY) || python3 -m pip install --quiet --disable-pip-version-check \
		--target .tools/systemctl docker-systemctl-replacement==1.7.1097

unit: testbed systemctl-replacement
	cargo test -p app --features ssr
	$(WITH_TESTBED) cargo nextest run -p server

e2e: build testbed systemctl-replacement
	rm -rf $(E2E_DIR) && mkdir -p $(E2E_DIR)
	echo "$${E2E_PASSWORD:-e2e admin password}" | ./target/release/owlery user add e2e-admin --role admin --password-stdin --data $(E2E_DIR)/data
	$(WITH_TESTBED) cd end2end && OWLERY_E2E_BIND=$(E2E_BIND) OWLERY_E2E_DATA=../$(E2E_DIR)/data npx playwright test $(E2E_ARGS)

bench: build
	.ci/bench

clean:
	cargo clean
	rm -rf $(E2E_DIR)
