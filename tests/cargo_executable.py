"""The executable of one target from `cargo ... --message-format=json` on stdin.

    cargo test --release --test NAME --no-run --message-format=json | python3 tests/cargo_executable.py NAME
"""
import json
import sys

for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == sys.argv[1] and m.get("executable"):
        print(m["executable"])
