#!/bin/bash
# Instruction counts of DH key generation and shared secret for private exponents of
# Hamming weight 2, 32, 256 and a random one, under valgrind (callgrind), in the bench
# build (thin LTO) at opt-level 3 and "s" (WPS_CT_OPT_LEVELS="3 s"). Constant time in
# the exponent means the counts of every weight are identical; any difference fails
# (exit 1). Counted: DhKeyPair::from_padded
# (2^x, key generation) and monty1536::pow (y^x, shared secret), nothing else.
#
#   bash benches/ct_icount.sh          (needs valgrind: apt-get install -y valgrind)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "ct_icount: valgrind is not installed" >&2; exit 2; }
status=0
for opt in ${WPS_CT_OPT_LEVELS:-3 s}; do
	bin="$(CARGO_PROFILE_BENCH_OPT_LEVEL="$opt" cargo bench --bench constant_time --no-run --message-format=json 2>/dev/null |
		python3 tests/cargo_executable.py constant_time)"
	[ -x "$bin" ] || { echo "ct_icount: no constant_time bench binary (opt-level $opt)" >&2; exit 2; }
	for op in keygen shared; do
		first=""
		for w in w002 w032 w256 wrnd; do
			n="$(WPS_CT_ONE="$op-$w" valgrind --tool=callgrind --callgrind-out-file=/dev/null \
				--toggle-collect='*DhKeyPair*from_padded*' --toggle-collect='*monty1536*pow*' "$bin" 2>&1 |
				sed -n 's/.*Collected : \([0-9]*\).*/\1/p')"
			echo "icount opt-level=$opt $op $w $n"
			[ -n "$n" ] && [ "$n" -gt 0 ] || { echo "ct_icount: nothing counted for $op-$w" >&2; exit 2; }
			[ -z "$first" ] && first="$n"
			[ "$n" = "$first" ] || status=1
		done
	done
done
[ "$status" -eq 0 ] && echo "ct_icount: identical counts for every exponent weight" || echo "ct_icount: the counts depend on the exponent" >&2
exit "$status"
