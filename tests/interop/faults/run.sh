#!/bin/bash
# Fault lab: WPS registrations over a lossy, duplicating, reordering, slow link,
# against Debian's hostapd and wpa_supplicant. This kernel has no netem, so a
# middle network namespace runs bridge.py, which forwards frames between two
# veth pairs and impairs EAPOL with a seeded schedule: run i of every pair meets
# the same fates for its k-th frame in each direction. See README.md here.
#
#   AP ns (wpsfS-ap)        mid ns (wpsfS-mid)          station ns (wpsfS-sta)
#   wpsfS-ap0 ==veth== wpsfS-ma  [bridge.py]  wpsfS-ms ==veth== wpsfS-sta0
#
# Usage (root; needs hostapd wpasupplicant iproute2 python3):
#   tests/interop/faults/run.sh                  every pair x every fault, WPSF_RUNS runs
#                                                each, then writes tests/interop/faults.md
#   tests/interop/faults/run.sh --pairs P,.. --faults F,.. --runs N
#                                                a part (earlier results of other rows are
#                                                kept in WPSF_OUT and go into the report)
#   tests/interop/faults/run.sh --report         only rewrite the report from WPSF_OUT
#   tests/interop/faults/run.sh --ci             CI: a few runs of one fault per pair;
#                                                fails when one of our pairs is below the floor
# Pairs:  baseline     hostapd (wps_pin any) <-> wpa_supplicant enrollee
#         our-station  hostapd (wps_pin any) <-> our station ($WPSF_OUR_STATION)
#         our-ap       our AP ($WPSF_OUR_AP)  <-> wpa_supplicant enrollee
# Faults: none loss20 dup10 reorder delay300 all (see bridge.py)
# Env:
#   WPSF_OUR_STATION   command template, {if} {pin} replaced; success = exit status 0
#                      (default: $T/debug/wps station --iface {if} --pin {pin} --timeout 120)
#   WPSF_OUR_AP        command template, {if} {pin} {ssid} {pass} replaced; success =
#                      wpa_supplicant's WPS-SUCCESS (default: $T/debug/wps ap --iface {if}
#                      --ssid {ssid} --passphrase {pass})
#   WPSF_OUR_AP_STDIN  written to the AP's standard input once it printed AP-ENABLED
#                      (default 'wps_pin any {pin}', for `wps ap`; empty: nothing)
#   WPSF_BUILD         build command run first (default: cargo build -p wps-cli;
#                      empty = no build)
#   WPSF_RUNS          runs per (pair, fault) (default 20)
#   WPSF_ONLY          run indices to run instead of 0..WPSF_RUNS-1, e.g. 7,15 (replay
#                      failed runs alone; use another WPSF_OUT, as the rows are replaced)
#   WPSF_LIMIT         seconds a run may take (default 120, the walk time)
#   WPSF_SEED          schedule seed (default 1); results of other seeds are kept and
#                      counted too (more runs per row: run again with another seed)
#   WPSF_NS            namespace prefix (default wpsf; two runs side by side need two)
#   WPSF_OUT           results and logs (default /tmp/wps-faults)
#   WPSF_REPORT        the report (default tests/interop/faults.md)
#   WPSF_CI_FLOOR      --ci: runs (of WPSF_CI_RUNS, default 4) each of our pairs must
#                      complete within WPSF_CI_LIMIT (default 60) s under loss20 (default 3)
#   WPS_INTEROP_OPTIONAL=1  without root/netns/daemons: print SKIPPED and exit 0
# Commands in the templates are split at spaces (no quoting) and run from the
# repository root. Every process started is stopped by its PID; namespaces are
# deleted by a trap.
set -u

HERE="$(cd "$(dirname "$0")" && pwd)"
# shared with the other labs: log, pin_from_prefix, wait_for
# shellcheck source=../lib.sh
. "$HERE/../lib.sh"
REPO="$(cd "$HERE/../../.." && pwd)"
T="${CARGO_TARGET_DIR:-target}"
# (the defaults are spelled out first: a '}' inside ${VAR:-...} would end it)
DEFAULT_STATION="$T/debug/wps station --iface {if} --pin {pin} --timeout 120"
DEFAULT_AP="$T/debug/wps ap --iface {if} --ssid {ssid} --passphrase {pass}"
DEFAULT_AP_STDIN="wps_pin any {pin}"
OUR_STATION="${WPSF_OUR_STATION:-$DEFAULT_STATION}"
OUR_AP="${WPSF_OUR_AP:-$DEFAULT_AP}"
OUR_AP_STDIN="${WPSF_OUR_AP_STDIN-$DEFAULT_AP_STDIN}"
BUILD="${WPSF_BUILD-cargo build -p wps-cli}"
RUNS="${WPSF_RUNS:-20}"
LIMIT="${WPSF_LIMIT:-120}"
SEED="${WPSF_SEED:-1}"
OUT_ROOT="${WPSF_OUT:-/tmp/wps-faults}"
REPORT="${WPSF_REPORT:-$REPO/tests/interop/faults.md}"
ALL_PAIRS=(baseline our-station our-ap)
ALL_FAULTS=(none loss20 dup10 reorder delay300 all)
AP_MAC=02:00:00:00:1f:01
STA_MAC=02:00:00:00:2f:01
PIDS=()


# ---------------------------------------------------------------- one run
netns_down() {
	local n
	for n in ap mid sta; do ip netns del "$P-$n" 2>/dev/null; done
	rm -rf "/run/$P-hostapd" "/run/$P-wpas"
}

netns_up() {
	netns_down
	local n
	for n in ap mid sta; do
		ip netns add "$P-$n" || return 1
		ip netns exec "$P-$n" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 2>/dev/null
		ip -n "$P-$n" link set lo up || return 1
	done
	veth_pair "$P-ap0" "$P-ap" "$AP_MAC" "$P-ma" "$P-mid" "" &&
		veth_pair "$P-sta0" "$P-sta" "$STA_MAC" "$P-ms" "$P-mid" ""
}


fill() { # template -> words in W
	local s="$1"
	s="${s//\{if\}/$IFACE}"
	s="${s//\{pin\}/$PIN}"
	s="${s//\{ssid\}/$SSID}"
	s="${s//\{pass\}/$PASS}"
	read -r -a W <<<"$s"
}

hostapd_up() {
	wired_hostapd_conf "$P-ap0" "/run/$P-hostapd" "$SSID" "$PASS" 12345678-9abc-def0-1234-56789abcdef0 wpsf \
		>"$RUN/hostapd.conf"
	start_bg "$P-ap" "$RUN/hostapd.log" hostapd -dd -t "$RUN/hostapd.conf"
	wait_for "$RUN/hostapd.log" 'AP-ENABLED' 50 || return 1
	ip netns exec "$P-ap" hostapd_cli -p "/run/$P-hostapd" -i "$P-ap0" wps_pin any "$PIN" "$LIMIT" >/dev/null
}

wpas_up() {
	wired_wpas_conf "/run/$P-wpas" 87654321-9abc-def0-1234-56789abcdef0 wpsf 1-0050F204-1 \
		"WFA-SimpleConfig-Enrollee-1-0" "pin=$PIN" >"$RUN/wpas.conf"
	start_bg "$P-sta" "$RUN/wpas.log" wpa_supplicant -dd -t -D wired -i "$P-sta0" -c "$RUN/wpas.conf"
}

now() { echo "$EPOCHREALTIME"; }
elapsed() { python3 -c "print(f'{$(now) - $1:.1f}')"; }

# waits until the station side succeeded or LIMIT passed; sets OK (1/0) and SECS.
# Our station holds the credential when it prints it (its time is taken then, as
# wpa_supplicant's WPS-SUCCESS is); it stays up to 11 s more to answer a resent M8
# (LINGER in src/station.rs), and the run counts once it has exited with status 0.
await() { # kind (wpas|exit) [pid]
	local t0="$T0" end=$((SECONDS + LIMIT + 1)) rc held=""
	OK=0
	while ((SECONDS < end)); do
		if [ "$1" = wpas ]; then
			grep -q 'WPS-SUCCESS' "$RUN/wpas.log" 2>/dev/null && OK=1 && break
		fi
		if [ "$1" = exit ] && [ -z "$held" ] && [ -s "$RUN/station.out" ]; then
			held="$(elapsed "$t0")"
			end=$((SECONDS + 15))
		fi
		if [ "$1" = exit ] && ! kill -0 "$2" 2>/dev/null; then
			wait "$2"
			rc=$?
			[ "$rc" -eq 0 ] && OK=1
			NOTE="exit $rc"
			break
		fi
		sleep 0.1
	done
	SECS="${held:-$(elapsed "$t0")}"
	if [ "$OK" = 1 ] && python3 -c "import sys; sys.exit(not $SECS > $LIMIT)"; then OK=0; fi
}

one_run() { # pair fault i
	local pair="$1" fault="$2" i="$3" fd
	RUN="$OUT_ROOT/logs/$pair/$fault/s$SEED-$i"
	rm -rf "$RUN"
	mkdir -p "$RUN"
	# the PIN, SSID and passphrase are fixed per run index, like the schedule
	PIN="$(pin_from_prefix "$(printf '%07d' $(((SEED * 7919 + i * 104729) % 10000000)))")"
	SSID="wpsf-$SEED-$i"
	PASS="pass-wpsf-$SEED-$i"
	OK=0 SECS="" NOTE=""
	printf 'pin=%s ssid=%s passphrase=%s fault=%s seed=%s run=%s\n' "$PIN" "$SSID" "$PASS" "$fault" "$SEED" "$i" >"$RUN/params.txt"
	if ! netns_up; then
		NOTE="namespace setup failed"
	else
		start_bg "$P-mid" "$RUN/bridge.err" python3 "$HERE/bridge.py" --a "$P-ma" --b "$P-ms" \
			--fault "$fault" --seed "$SEED" --run "$i" --log "$RUN/bridge.log"
		# bridge.py writes its first line once its sockets are open: a frame sent before
		# that is lost (our station's first EAPOL-Start was, in about half the runs)
		wait_for "$RUN/bridge.log" '^# bridge' 50 || NOTE="the bridge did not start"
		case "$pair" in
		baseline)
			if hostapd_up; then
				T0="$(now)"
				wpas_up
				await wpas
			else NOTE="hostapd did not start"; fi
			;;
		our-station)
			if hostapd_up; then
				IFACE="$P-sta0"
				fill "$OUR_STATION"
				T0="$(now)"
				(cd "$REPO" && exec ip netns exec "$P-sta" "${W[@]}" >"$RUN/station.out" 2>"$RUN/station.err") &
				PIDS+=("$!")
				await exit "$!"
			else NOTE="hostapd did not start"; fi
			;;
		our-ap)
			IFACE="$P-ap0"
			fill "$OUR_AP"
			if [ -n "$OUR_AP_STDIN" ]; then
				rm -f "$RUN/ap.stdin"
				mkfifo "$RUN/ap.stdin"
				(cd "$REPO" && exec ip netns exec "$P-ap" "${W[@]}" <"$RUN/ap.stdin" >"$RUN/ap.out" 2>"$RUN/ap.err") &
				PIDS+=("$!")
				exec {fd}>"$RUN/ap.stdin"
				if wait_for "$RUN/ap.out" 'AP-ENABLED' 100; then
					fill "$OUR_AP_STDIN"
					printf '%s\n' "${W[*]}" >&"$fd"
				else NOTE="our AP printed no AP-ENABLED"; fi
			else
				(cd "$REPO" && exec ip netns exec "$P-ap" "${W[@]}" >"$RUN/ap.out" 2>"$RUN/ap.err") &
				PIDS+=("$!")
				sleep 0.3
			fi
			T0="$(now)"
			wpas_up
			await wpas
			[ -n "${fd:-}" ] && exec {fd}>&-
			;;
		esac
	fi
	stop_pids
	netns_down
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$pair" "$fault" "$SEED" "$i" "$OK" "$SECS" "$NOTE" >>"$RESULTS"
	log "$(printf '%-12s %-9s run %2d: %s %6ss %s' "$pair" "$fault" "$i" "$([ "$OK" = 1 ] && echo ok || echo FAIL)" "$SECS" "$NOTE")"
}

# one pair, its faults in turn, in namespace prefix P
worker() { # pair slot faults...
	local pair="$1" f i
	P="${WPSF_NS:-wpsf}$2"
	shift 2
	trap 'stop_pids; netns_down' EXIT
	trap 'exit 130' INT TERM
	for f in "$@"; do
		RESULTS="$OUT_ROOT/results/$pair.$f.s$SEED.tsv"
		: >"$RESULTS"
		if [ -n "${WPSF_ONLY:-}" ]; then
			for i in ${WPSF_ONLY//,/ }; do one_run "$pair" "$f" "$i"; done
		else
			for ((i = 0; i < RUNS; i++)); do one_run "$pair" "$f" "$i"; done
		fi
	done
}

# ---------------------------------------------------------------- report

report() {
	python3 - "$OUT_ROOT" "$REPORT" "$1" "$HERE" <<-'EOF'
		import glob, os, statistics, sys
		out, report, ci = sys.argv[1], sys.argv[2], sys.argv[3] == "ci"
		sys.dont_write_bytecode = True
		sys.path.insert(0, sys.argv[4])
		from causes import cause
		pairs = ["baseline", "our-station", "our-ap"]
		faults = ["none", "loss20", "dup10", "reorder", "delay300", "all"]
		rows = {}
		seeds = set()
		failed = []  # (pair, fault, seed, run)
		for f in glob.glob(os.path.join(out, "results", "*.tsv")):
		    for line in open(f):
		        p = line.rstrip("\n").split("\t")
		        if len(p) < 6:
		            continue
		        pair, fault, ok, secs = p[0], p[1], p[4] == "1", float(p[5] or 0)
		        rows.setdefault((pair, fault), []).append((ok, secs))
		        seeds.add(int(p[2]))
		        if not ok:
		            failed.append((pair, fault, int(p[2]), int(p[3])))
		meta = open(os.path.join(out, "meta.txt")).read() if os.path.exists(os.path.join(out, "meta.txt")) else ""
		def pct(k, n):
		    return f"{100 * k / n:.0f} % ({k}/{n})" if n else "-"
		lines = [
		    "# Fault lab results",
		    "",
		    "Regenerate with `sudo bash tests/interop/faults/run.sh` (see tests/interop/faults/README.md).",
		    "A run succeeds when the enrollee holds the credential (wpa_supplicant's `WPS-SUCCESS`, or the",
		    "credential our station prints, with exit status 0); its time runs from the start of the",
		    "station side to then. Every run has the 120 s walk time; run *i* of every pair meets the",
		    "same per-frame fates (seeded schedule).",
		    "",
		    "| pair | fault | runs | done within 60 s | done within 120 s | median time (done) | slowest (done) |",
		    "|---|---|---|---|---|---|---|",
		]
		summary = {}
		for fault in faults:
		    for pair in pairs:
		        r = rows.get((pair, fault))
		        if not r:
		            continue
		        n = len(r)
		        done = sorted(s for ok, s in r if ok)
		        w60 = sum(1 for s in done if s <= 60)
		        summary[(pair, fault)] = (n, w60, len(done))
		        med = f"{statistics.median(done):.1f} s" if done else "-"
		        slow = f"{done[-1]:.1f} s" if done else "-"
		        lines.append(f"| {pair} | {fault} | {n} | {pct(w60, n)} | {pct(len(done), n)} | {med} | {slow} |")
		lines += ["", "Pairs: `baseline` = hostapd (`wps_pin any`) ↔ wpa_supplicant; `our-station` = hostapd ↔",
		          "our station; `our-ap` = our AP ↔ wpa_supplicant. Faults are per direction, on EAPOL frames",
		          "only (see tests/interop/faults/bridge.py): `loss20` 20 % lost, `dup10` 10 % delivered twice,",
		          "`reorder` 25 % held back 600 ms, `delay300` 300 ms ± 100 ms each, `all` everything at once.",
		          "", f"Seeds: {', '.join(map(str, sorted(seeds)))} (runs 0..N-1 of each). Run with:", "", "```", meta.strip(), "```", ""]
		order = {(p, f): (faults.index(f), pairs.index(p)) for p in pairs for f in faults}
		failed.sort(key=lambda k: (order.get(k[:2], (9, 9)), k[2], k[3]))
		if failed:
		    lines += ["## Failed runs", "",
		              "Read from each run's `hostapd.log` by tests/interop/faults/causes.py: hostapd's EAP",
		              "sessions in order and what became of the PIN. *PIN gone*: hostapd had dropped the PIN by",
		              "its own rules (consumed by M7, invalidated after M6, a wildcard PIN's second session",
		              "over), so no enrollee could finish; *PIN still valid*: the enrollee's failure.", ""]
		    for pair, fault, seed, run in failed:
		        log = os.path.join(out, "logs", pair, fault, f"s{seed}-{run}", "hostapd.log")
		        why = cause(log) if pair != "our-ap" else "our AP: see ap.err and wpas.log"
		        lines.append(f"- {pair}, {fault}, seed {seed} run {run}: {why}")
		    lines.append("")
		if not ci:
		    with open(report, "w") as fh:
		        fh.write("\n".join(lines))
		    print(f"report: {report}")
		else:
		    print("\n".join(lines[8:8 + len(summary) + 2]))
		with open(os.path.join(out, "summary.tsv"), "w") as fh:
		    for (pair, fault), (n, w60, w120) in summary.items():
		        fh.write(f"{pair}\t{fault}\t{n}\t{w60}\t{w120}\n")
	EOF
}

# ---------------------------------------------------------------- main

if [ "${1:-}" = --worker ]; then
	shift
	worker "$@"
	exit 0
fi

pairs=("${ALL_PAIRS[@]}")
faults=("${ALL_FAULTS[@]}")
mode=full
while [ $# -gt 0 ]; do
	case "$1" in
	--pairs) IFS=, read -r -a pairs <<<"$2"; shift 2 ;;
	--faults) IFS=, read -r -a faults <<<"$2"; shift 2 ;;
	--runs) RUNS="$2"; shift 2 ;;
	--report) mode=report; shift ;;
	--ci) mode=ci; shift ;;
	-h | --help) sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) log "unknown argument $1 (see --help)"; exit 2 ;;
	esac
done

if [ "$mode" = report ]; then
	report full
	exit 0
fi

if [ "$mode" = ci ]; then
	faults=(loss20)
	RUNS="${WPSF_CI_RUNS:-4}"
	LIMIT="${WPSF_CI_LIMIT:-60}"
	FLOOR="${WPSF_CI_FLOOR:-3}"
	OUT_ROOT="${WPSF_OUT:-/tmp/wps-faults-ci}"
fi
export WPSF_RUNS="$RUNS" WPSF_LIMIT="$LIMIT" WPSF_SEED="$SEED" WPSF_OUT="$OUT_ROOT" WPSF_OUR_STATION="$OUR_STATION" WPSF_OUR_AP="$OUR_AP" WPSF_OUR_AP_STDIN="$OUR_AP_STDIN"

check_lab "fault lab" "wpsf-probe-$$" hostapd hostapd_cli wpa_supplicant ip python3

if [ -n "$BUILD" ]; then
	(cd "$REPO" && $BUILD) || { log "build failed: $BUILD"; exit 2; }
fi

mkdir -p "$OUT_ROOT/results"
[ "$mode" = ci ] && rm -f "$OUT_ROOT"/results/*.tsv
{
	echo "WPSF_OUR_STATION='$OUR_STATION'"
	echo "WPSF_OUR_AP='$OUR_AP'"
	[ -n "$OUR_AP_STDIN" ] && echo "WPSF_OUR_AP_STDIN='$OUR_AP_STDIN'"
	echo "WPSF_LIMIT=$LIMIT; $(hostapd -v 2>&1 | head -1); $(wpa_supplicant -v 2>&1 | head -1)"
	echo "measured $(date -u +%Y-%m-%d) on $(uname -sr), $(nproc) cores"
} >"$OUT_ROOT/meta.txt"

# the pairs run side by side, each in its own namespaces (they mostly wait)
WORKERS=()
trap 'for w in "${WORKERS[@]}"; do kill "$w" 2>/dev/null; done; wait' EXIT
trap 'exit 130' INT TERM
slot=0
for pair in "${pairs[@]}"; do
	case " ${ALL_PAIRS[*]} " in *" $pair "*) ;; *) log "unknown pair $pair"; exit 2 ;; esac
	# --ci gets namespaces of its own (wpsfc0-...), so it can run beside a full run
	bash "$0" --worker "$pair" "$([ "$mode" = ci ] && echo c)$slot" "${faults[@]}" &
	WORKERS+=("$!")
	slot=$((slot + 1))
done
for w in "${WORKERS[@]}"; do wait "$w"; done
WORKERS=()

if [ "$mode" = full ]; then
	report full
	exit 0
fi

# --ci: each of our pairs must complete at least FLOOR of RUNS within LIMIT
report ci
bad=0
while IFS=$'\t' read -r pair fault n w60 w120; do
	[ "$pair" = baseline ] && continue
	if [ "$w120" -lt "$FLOOR" ]; then
		log "fault lab: $pair completed $w120 of $n runs under $fault within $LIMIT s; the floor is $FLOOR"
		bad=1
	fi
done <"$OUT_ROOT/summary.tsv"
[ "$bad" -eq 0 ] && echo "fault lab: our pairs at or above the floor ($FLOOR of $RUNS runs within $LIMIT s under loss20)"
exit "$bad"
