#!/bin/bash
# Interop scenarios: our example programs against Debian's hostapd and
# wpa_supplicant, over a veth pair between two network namespaces (wired
# 802.1X, no radio). Modelled on shared/interop/wpsi-lab.sh.
#
# Usage (root; needs hostapd wpasupplicant iproute2 python3, tcpdump optional):
#   tests/interop/run.sh                 run every scenario
#   tests/interop/run.sh NAME...         run the named scenarios
#   tests/interop/run.sh --list          list scenarios and whether they run for
#                                        real or as a STUB
# Env:
#   WPSX_OUT=DIR        per-scenario logs/pcaps (default /tmp/wps-interop)
#   WPSX_NO_BUILD=1     do not run `cargo build --examples` first
#   WPSX_TIMEOUT=SECS   per-program timeout (default 40)
#   CARGO_TARGET_DIR    where the example binaries are (default ./target)
#
# Our programs (command lines fixed by shared/design.md):
#   eapol_enrollee  --iface IF (--pin PIN | --pbc)   -> one JSON line, exit 0
#   eapol_registrar --iface IF --pin PIN --ssid S --passphrase P -> exit 0 on WSC_Done
# While an example does not exist yet, its scenarios run `eapol_stub` instead
# (same transport and EAP drivers, stops where registration starts) and are
# reported as STUB-PASS / STUB-FAIL: they prove the plumbing, not WPS.
#
# Each scenario gets a fresh random PIN, SSID and passphrase. Everything we
# start is stopped by PID and the namespaces are deleted by a trap, also on
# failure or Ctrl-C. Exit status: 0 if no scenario FAILed.
set -u

REPO="$(cd "$(dirname "$0")/../.." && pwd)"
OUT_ROOT="${WPSX_OUT:-/tmp/wps-interop}"
TIMEOUT="${WPSX_TIMEOUT:-40}"
TARGET="${CARGO_TARGET_DIR:-$REPO/target}"
EX="$TARGET/debug/examples"
NS_AP=wpsx-ap
NS_STA=wpsx-sta
IF_AP=wpsx-ap0
IF_STA=wpsx-sta0
AP_MAC=02:00:00:00:1a:01
STA_MAC=02:00:00:00:1b:01
PIDS=()

# --------------------------------------------------------------------------
# scenario table: name | description
SCENARIOS=(
	"lab-plumbing|hostapd registrar <-> wpa_supplicant enrollee (no code of ours; checks the lab)"
	"hapd-our-enrollee-pin|hostapd registrar <-> our eapol_enrollee --pin"
	"hapd-our-enrollee-pbc|hostapd registrar (wps_pbc) <-> our eapol_enrollee --pbc"
	"hapd-our-enrollee-wrong-first-half|hostapd registrar <-> our enrollee, PIN wrong in its first half (expect NACK after M4, config error 18)"
	"hapd-our-enrollee-wrong-second-half|hostapd registrar <-> our enrollee, PIN wrong in its second half (expect NACK after M6, config error 18)"
	"hapd-our-enrollee-frag100|hostapd registrar with fragment_size=100 <-> our enrollee"
	"our-registrar-wpas-pin|our eapol_registrar <-> wpa_supplicant enrollee (PIN)"
	"our-registrar-wpas-wrong-pin|our eapol_registrar <-> wpa_supplicant enrollee with another PIN (expect failure, config error 18)"
	"our-registrar-wpas-frag100|our eapol_registrar <-> wpa_supplicant enrollee with fragment_size=100"
	"wpas-er-our-ap-enrollee|wpa_supplicant external registrar <-> our AP enrollee (no program in design.md yet: always a stub)"
)

# --------------------------------------------------------------------------
# helpers

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
random_prefix() { printf '%07d' $(((RANDOM * 32768 + RANDOM) % 10000000)); }
random_hex() { od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'; }

# example binary, or empty if it was not built (scenario then runs the stub)
program() { [ -x "$EX/$1" ] && echo "$EX/$1"; }

start_bg() { # ns logfile cmd... ; records the PID
	local ns="$1" logf="$2"
	shift 2
	ip netns exec "$ns" "$@" >"$logf" 2>&1 &
	PIDS+=("$!")
}

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

netns_down() {
	ip netns del "$NS_AP" 2>/dev/null
	ip netns del "$NS_STA" 2>/dev/null
	rm -rf "/run/$NS_AP-hostapd" "/run/$NS_STA-wpas"
}

cleanup() {
	stop_pids
	netns_down
}
trap cleanup EXIT
trap 'exit 130' INT TERM

netns_up() {
	netns_down
	ip netns add "$NS_AP" && ip netns add "$NS_STA" &&
		ip link add "$IF_AP" type veth peer name "$IF_STA" &&
		ip link set "$IF_AP" netns "$NS_AP" && ip link set "$IF_STA" netns "$NS_STA" &&
		ip -n "$NS_AP" link set "$IF_AP" address "$AP_MAC" up &&
		ip -n "$NS_STA" link set "$IF_STA" address "$STA_MAC" up &&
		ip -n "$NS_AP" link set lo up && ip -n "$NS_STA" link set lo up
}

wait_for() { # file regex tenths
	for _ in $(seq 1 "$3"); do
		grep -q -E "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# run a program in a namespace with a timeout; sets RC, output in $OUT/NAME.out/.err
run_prog() { # ns name cmd...
	local ns="$1" name="$2"
	shift 2
	timeout "$TIMEOUT" ip netns exec "$ns" "$@" >"$OUT/$name.out" 2>"$OUT/$name.err"
	RC=$?
}

capture() {
	command -v tcpdump >/dev/null || return 0
	start_bg "$NS_STA" "$OUT/tcpdump.log" tcpdump -i "$IF_STA" -U -w "$OUT/eapol.pcap" ether proto 0x888e
	wait_for "$OUT/tcpdump.log" 'listening on' 30
}

hostapd_conf() { # ssid passphrase [fragment_size]
	cat >"$OUT/hostapd.conf" <<-EOC
		interface=$IF_AP
		driver=wired
		ctrl_interface=/run/$NS_AP-hostapd
		logger_stdout=-1
		logger_stdout_level=0
		ieee8021x=1
		eapol_version=2
		eap_server=1
		ssid=$1
		wpa=2
		wpa_key_mgmt=WPA-PSK
		wpa_passphrase=$2
		rsn_pairwise=CCMP
		wps_state=2
		uuid=12345678-9abc-def0-1234-56789abcdef0
		device_name=wpsx AP
		manufacturer=wpsx
		model_name=wpsx-model
		model_number=1
		serial_number=0001
		device_type=6-0050F204-1
		os_version=01020300
		config_methods=label display keypad
		ap_pin=${AP_PIN:-12345670}
	EOC
	[ -n "${3:-}" ] && echo "fragment_size=$3" >>"$OUT/hostapd.conf"
	return 0
}

start_hostapd() {
	start_bg "$NS_AP" "$OUT/hostapd.log" hostapd -dd -t "$OUT/hostapd.conf"
	wait_for "$OUT/hostapd.log" 'AP-ENABLED' 50 || { log "hostapd did not start"; return 1; }
}

hostapd_cli_() { ip netns exec "$NS_AP" hostapd_cli -p "/run/$NS_AP-hostapd" -i "$IF_AP" "$@"; }

wpas_conf() { # identity phase1 [fragment_size]
	cat >"$OUT/wpas.conf" <<-EOC
		ctrl_interface=/run/$NS_STA-wpas
		ap_scan=0
		update_config=0
		uuid=87654321-9abc-def0-1234-56789abcdef0
		device_name=wpsx STA
		manufacturer=wpsx
		model_name=wpsx-sta-model
		model_number=2
		serial_number=0002
		device_type=1-0050F204-1
		os_version=01020300
		config_methods=keypad display
		network={
		 key_mgmt=IEEE8021X
		 eap=WSC
		 identity="$1"
		 phase1="$2"
		 eapol_flags=0
		 ${3:+fragment_size=$3}
		}
	EOC
}

start_wpas() {
	start_bg "$NS_STA" "$OUT/wpas.log" wpa_supplicant -dd -t -D wired -i "$IF_STA" -c "$OUT/wpas.conf"
}

# field of the JSON line our enrollee printed
json_field() { python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())[sys.argv[2]])' "$OUT/enrollee.out" "$1" 2>/dev/null; }

# --------------------------------------------------------------------------
# scenarios: each sets RESULT to PASS / FAIL / STUB-PASS / STUB-FAIL and WHY

expect_stub() { # name role ns iface
	run_prog "$3" "$1" "$EX/eapol_stub" --iface "$4" --role "$2" --timeout "$TIMEOUT"
	if [ "$RC" -eq 3 ] && grep -q '^STUB-OK' "$OUT/$1.out"; then
		RESULT=STUB-PASS WHY="$(cat "$OUT/$1.out")"
	else
		RESULT=STUB-FAIL WHY="eapol_stub exit $RC: $(tail -1 "$OUT/$1.err")"
	fi
}

sc_lab_plumbing() {
	hostapd_conf "$SSID" "$PASS" && start_hostapd || return
	hostapd_cli_ wps_pin any "$PIN" 300 >/dev/null
	wpas_conf "WFA-SimpleConfig-Enrollee-1-0" "pin=$PIN"
	start_wpas
	if wait_for "$OUT/wpas.log" 'WPS-SUCCESS' 150 && wait_for "$OUT/hostapd.log" 'WPS-REG-SUCCESS' 20; then
		RESULT=PASS WHY="WPS-SUCCESS on both sides"
	else
		RESULT=FAIL WHY="no WPS-SUCCESS"
	fi
}

# hostapd registrar <-> our enrollee; $1 = how hostapd is armed (pin|pbc),
# $2 = our enrollee's arguments, $3 = expected outcome (ok | fail MSG)
hapd_vs_our_enrollee() {
	hostapd_conf "$SSID" "$PASS" "${FRAG:-}" && start_hostapd || return
	if [ "$1" = pbc ]; then hostapd_cli_ wps_pbc >/dev/null; else hostapd_cli_ wps_pin any "$PIN" 300 >/dev/null; fi
	local prog
	prog="$(program eapol_enrollee)"
	if [ -z "$prog" ]; then
		expect_stub enrollee enrollee "$NS_STA" "$IF_STA"
		return
	fi
	# shellcheck disable=SC2086
	run_prog "$NS_STA" enrollee "$prog" --iface "$IF_STA" $2
	if [ "$3" = ok ]; then
		if [ "$RC" -eq 0 ] && [ "$(json_field ssid)" = "$SSID" ] && [ "$(json_field network_key)" = "$PASS" ] &&
			wait_for "$OUT/hostapd.log" 'WPS-REG-SUCCESS' 30; then
			RESULT=PASS WHY="credential ssid=$SSID received; hostapd WPS-REG-SUCCESS"
		else
			RESULT=FAIL WHY="exit $RC, ssid '$(json_field ssid)', $(tail -1 "$OUT/enrollee.err")"
		fi
	else
		local msg="$4"
		if [ "$RC" -ne 0 ] && wait_for "$OUT/hostapd.log" "WPS-FAIL msg=$msg config_error=18" 30; then
			RESULT=PASS WHY="exit $RC; hostapd WPS-FAIL msg=$msg config_error=18"
		else
			RESULT=FAIL WHY="exit $RC; hostapd: $(grep -o 'WPS-FAIL.*' "$OUT/hostapd.log" | head -1)"
		fi
	fi
}

sc_hapd_our_enrollee_pin() { hapd_vs_our_enrollee pin "--pin $PIN" ok; }
sc_hapd_our_enrollee_pbc() { hapd_vs_our_enrollee pbc "--pbc" ok; }
sc_hapd_our_enrollee_wrong_first_half() {
	local p=${PIN:0:7} bad
	bad="$(pin_from_prefix "$(printf '%04d' $(((10#${p:0:4} + 1) % 10000)))${p:4:3}")"
	hapd_vs_our_enrollee pin "--pin $bad" fail 8
}
sc_hapd_our_enrollee_wrong_second_half() {
	local p=${PIN:0:7} bad
	bad="$(pin_from_prefix "${p:0:4}$(printf '%03d' $(((10#${p:4:3} + 1) % 1000)))")"
	[ "${bad:4:4}" = "${PIN:4:4}" ] && bad="$(pin_from_prefix "${p:0:4}$(printf '%03d' $(((10#${p:4:3} + 2) % 1000)))")"
	hapd_vs_our_enrollee pin "--pin $bad" fail 10
}
sc_hapd_our_enrollee_frag100() { FRAG=100 hapd_vs_our_enrollee pin "--pin $PIN" ok; }

# our registrar <-> wpa_supplicant enrollee; $1 = enrollee PIN, $2 = ok|fail, $3 = fragment_size
our_registrar_vs_wpas() {
	local prog
	prog="$(program eapol_registrar)"
	wpas_conf "WFA-SimpleConfig-Enrollee-1-0" "pin=$1" "${3:-}"
	if [ -z "$prog" ]; then
		start_bg "$NS_AP" "$OUT/registrar.out" "$EX/eapol_stub" --iface "$IF_AP" --role registrar --timeout "$TIMEOUT"
		local stub_pid="${PIDS[-1]}"
		sleep 0.3
		start_wpas
		wait "$stub_pid"
		RC=$?
		if [ "$RC" -eq 3 ] && grep -q '^STUB-OK' "$OUT/registrar.out"; then
			RESULT=STUB-PASS WHY="$(grep '^STUB-OK' "$OUT/registrar.out")"
		else
			RESULT=STUB-FAIL WHY="eapol_stub exit $RC: $(tail -1 "$OUT/registrar.out")"
		fi
		return
	fi
	start_bg "$NS_AP" "$OUT/registrar.out" "$prog" --iface "$IF_AP" --pin "$PIN" --ssid "$SSID" --passphrase "$PASS"
	local reg_pid="${PIDS[-1]}"
	sleep 0.3
	start_wpas
	timeout "$TIMEOUT" tail --pid="$reg_pid" -f /dev/null
	wait "$reg_pid"
	RC=$?
	if [ "$2" = ok ]; then
		if [ "$RC" -eq 0 ] && wait_for "$OUT/wpas.log" 'WPS-CRED-RECEIVED' 20 && grep -q "WPS-SUCCESS" "$OUT/wpas.log"; then
			RESULT=PASS WHY="wpa_supplicant WPS-CRED-RECEIVED + WPS-SUCCESS; registrar exit 0"
		else
			RESULT=FAIL WHY="registrar exit $RC; wpas: $(grep -o -E 'WPS-(FAIL|SUCCESS).*' "$OUT/wpas.log" | head -1)"
		fi
	else
		if [ "$RC" -ne 0 ] && wait_for "$OUT/wpas.log" 'WPS-FAIL .*config_error=18' 20; then
			RESULT=PASS WHY="registrar exit $RC; wpas $(grep -o 'WPS-FAIL.*' "$OUT/wpas.log" | head -1)"
		else
			RESULT=FAIL WHY="registrar exit $RC; wpas: $(grep -o -E 'WPS-(FAIL|SUCCESS).*' "$OUT/wpas.log" | head -1)"
		fi
	fi
}

sc_our_registrar_wpas_pin() { our_registrar_vs_wpas "$PIN" ok; }
sc_our_registrar_wpas_wrong_pin() { our_registrar_vs_wpas "$(pin_from_prefix "$(random_prefix)")" fail; }
sc_our_registrar_wpas_frag100() { our_registrar_vs_wpas "$PIN" ok 100; }

sc_wpas_er_our_ap_enrollee() {
	# No AP-enrollee program is specified yet; the stub checks identity
	# selection (WFA-SimpleConfig-Registrar-1-0) and where M1 is due.
	start_bg "$NS_AP" "$OUT/ap-enrollee.out" "$EX/eapol_stub" --iface "$IF_AP" --role ap-enrollee --timeout "$TIMEOUT"
	local stub_pid="${PIDS[-1]}"
	sleep 0.3
	wpas_conf "WFA-SimpleConfig-Registrar-1-0" "pin=$PIN"
	start_wpas
	wait "$stub_pid"
	RC=$?
	if [ "$RC" -eq 3 ] && grep -q '^STUB-OK' "$OUT/ap-enrollee.out"; then
		RESULT=STUB-PASS WHY="$(grep '^STUB-OK' "$OUT/ap-enrollee.out")"
	else
		RESULT=STUB-FAIL WHY="eapol_stub exit $RC: $(tail -1 "$OUT/ap-enrollee.out")"
	fi
}

# --------------------------------------------------------------------------

mode_of() {
	case "$1" in
	lab-plumbing) echo real ;;
	hapd-our-enrollee-*) [ -n "$(program eapol_enrollee)" ] && echo real || echo STUB ;;
	our-registrar-*) [ -n "$(program eapol_registrar)" ] && echo real || echo STUB ;;
	*) echo STUB ;;
	esac
}

if [ "${1:-}" = --list ]; then
	for s in "${SCENARIOS[@]}"; do printf '%-38s %-5s %s\n' "${s%%|*}" "$(mode_of "${s%%|*}")" "${s#*|}"; done
	exit 0
fi
[ "$(id -u)" -eq 0 ] || { log "run as root (network namespaces)"; exit 2; }
for c in hostapd hostapd_cli wpa_supplicant ip python3 timeout; do
	command -v "$c" >/dev/null || { log "missing $c (apt-get install -y hostapd wpasupplicant iproute2 python3)"; exit 2; }
done
if [ -z "${WPSX_NO_BUILD:-}" ]; then
	(cd "$REPO" && cargo build --examples) || { log "cargo build --examples failed"; exit 2; }
fi
[ -x "$EX/eapol_stub" ] || { log "no $EX/eapol_stub (set CARGO_TARGET_DIR?)"; exit 2; }

selected=("$@")
[ ${#selected[@]} -eq 0 ] && for s in "${SCENARIOS[@]}"; do selected+=("${s%%|*}"); done

failed=0
summary=()
for name in "${selected[@]}"; do
	fn="sc_${name//-/_}"
	declare -F "$fn" >/dev/null || { log "unknown scenario $name"; exit 2; }
	OUT="$OUT_ROOT/$name"
	rm -rf "$OUT"
	mkdir -p "$OUT"
	PIN="$(pin_from_prefix "$(random_prefix)")"
	SSID="wpsx-$(random_hex 3)"
	PASS="pass-$(random_hex 8)"
	AP_PIN="$(pin_from_prefix "$(random_prefix)")"
	printf 'pin=%s ssid=%s passphrase=%s ap_pin=%s\n' "$PIN" "$SSID" "$PASS" "$AP_PIN" >"$OUT/params.txt"
	RESULT=FAIL WHY="setup failed"
	if netns_up; then
		capture
		"$fn"
	fi
	stop_pids
	netns_down
	summary+=("$(printf '%-10s %-38s %s' "$RESULT" "$name" "$WHY")")
	log "${summary[-1]}"
	case "$RESULT" in *FAIL) failed=$((failed + 1)) ;; esac
done
echo
printf '%s\n' "${summary[@]}"
echo "logs: $OUT_ROOT/<scenario>/"
[ "$failed" -eq 0 ]
