# Shell helpers the interop labs share (run.sh, upnp.sh, faults/run.sh): sourced, not run.
# Each lab keeps its own set -u and variables; these functions use only their arguments,
# the PIDS array (stop_pids) and BAD/RESULT/WHY (need, verdict) that the lab defines.

log() { printf '%s\n' "$*" >&2; }

# 8-digit PIN with a valid checksum from a 7-digit prefix
pin_from_prefix() {
	local p=$((10#$1)) acc=0 w d n
	n=$p
	for w in 3 1 3 1 3 1 3; do
		d=$((n % 10))
		acc=$((acc + w * d))
		n=$((n / 10))
	done
	printf '%07d%d\n' "$p" $(((10 - acc % 10) % 10))
}

wait_for() { # file regex tenths
	for _ in $(seq 1 "$3"); do
		grep -q -E "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

random_prefix() { printf '%07d' $(((RANDOM * 32768 + RANDOM) % 10000000)); }

random_hex() { od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'; }

to_hex() { printf '%s' "$1" | od -An -tx1 | tr -d ' \n'; }

stop_pids() {
	local pid
	for pid in "${PIDS[@]}"; do
		kill -0 "$pid" 2>/dev/null || continue
		kill "$pid" 2>/dev/null
		for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		kill -9 "$pid" 2>/dev/null
	done
	PIDS=()
}

need() { # description command...
	local what="$1"
	shift
	"$@" || BAD+=("$what")
}

verdict() { # PASS text
	if [ ${#BAD[@]} -eq 0 ]; then
		RESULT=PASS WHY="$1"
	else
		RESULT=FAIL
		WHY="$(
			IFS=';'
			echo "${BAD[*]}"
		)"
	fi
}

last_line() { tail -n 1 "$1" 2>/dev/null; }

not() { ! "$@"; }
# --list: the SCENARIOS table ("name|description"), names padded to $1 columns.
list_scenarios() {
	local s
	for s in "${SCENARIOS[@]}"; do printf "%-${1}s %s\n" "${s%%|*}" "${s#*|}"; done
}

# The scenarios named as arguments (every one without arguments) into `selected`; an
# unknown name (no sc_<name> function) exits 2.
select_scenarios() {
	local s name
	selected=("$@")
	[ ${#selected[@]} -eq 0 ] && for s in "${SCENARIOS[@]}"; do selected+=("${s%%|*}"); done
	for name in "${selected[@]}"; do
		declare -F "sc_${name//-/_}" >/dev/null || { log "unknown scenario $name (see --list)"; exit 2; }
	done
}

# The lab cannot run on this machine (no root, no namespaces, a daemon missing): with
# WPS_INTEROP_OPTIONAL=1 say SKIPPED and exit 0, else exit 2. $1: the lab, $2: why.
lab_unavailable() {
	if [ "${WPS_INTEROP_OPTIONAL:-}" = 1 ]; then
		echo "SKIPPED: $1 not run: $2"
		exit 0
	fi
	log "$1: $2 (set WPS_INTEROP_OPTIONAL=1 to skip instead)"
	exit 2
}
