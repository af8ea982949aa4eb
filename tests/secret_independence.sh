#!/bin/bash
# Secret independence under valgrind's memcheck: builds tests/secret_independence.rs
# (release, as shipped) and runs it under memcheck; every operation's secrets are marked
# undefined, so a branch or an address that depends on one is a memcheck report, and the
# binary exits 1. tests/secret_independence.supp lets through the one verdict branch
# that is the point (the Encrypted Settings answer).
#
#   bash tests/secret_independence.sh      (needs valgrind: apt-get install -y valgrind)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "secret_independence: valgrind is not installed" >&2; exit 2; }
bin="$(cargo test --release --test secret_independence --no-run --message-format=json 2>/dev/null |
	python3 tests/cargo_executable.py secret_independence)"
[ -x "$bin" ] || { echo "secret_independence: no test binary" >&2; exit 2; }
valgrind --tool=memcheck --quiet --suppressions=tests/secret_independence.supp "$bin"
