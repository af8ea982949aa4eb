#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 60), starting from the committed seeds.
# Fails on any crash, timeout (>10 s for one input) or out-of-memory (>512 MB).
#
#   fuzz/run.sh 60            # what CI runs
#   fuzz/run.sh 3600 tlv      # one target, one hour
#
# Needs a nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz --locked`).
set -euo pipefail
cd "$(dirname "$0")"

SECONDS_PER_TARGET="${1:-60}"
shift || true
if [ "$#" -gt 0 ]; then
    targets=("$@")
else
    mapfile -t targets < <(cargo +nightly fuzz list)
fi

cargo +nightly fuzz build

for t in "${targets[@]}"; do
    echo "=== fuzz $t for ${SECONDS_PER_TARGET}s"
    mkdir -p "corpus/$t"
    if [ -d "seeds/$t" ]; then
        cp -n seeds/"$t"/* "corpus/$t/" 2>/dev/null || true
    fi
    # -dict is harmless for the structured targets and helps the byte-level ones.
    cargo +nightly fuzz run "$t" "corpus/$t" -- \
        -max_total_time="$SECONDS_PER_TARGET" \
        -rss_limit_mb=512 \
        -timeout=10 \
        -dict=wsc.dict \
        -print_final_stats=1
done
echo "fuzz: all ${#targets[@]} targets ran ${SECONDS_PER_TARGET}s without a finding"
