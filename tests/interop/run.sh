#!/bin/bash
# Interop scenarios: our example programs against Debian's hostapd and
# wpa_supplicant, over a veth pair between two network namespaces (wired
# 802.1X, no radio). Modelled on shared/interop/wpsi-lab.sh; see README.md here.
#
# Usage (root; needs hostapd wpasupplicant iproute2 python3, tcpdump optional):
#   tests/interop/run.sh                 run every scenario
#   tests/interop/run.sh NAME...         run the named scenarios
#   tests/interop/run.sh --list          list the scenarios
# Env:
#   WPSX_OUT=DIR             per-scenario logs/pcaps (default /tmp/wps-interop)
#   WPSX_NO_BUILD=1          do not build the example programs first
#   WPSX_TIMEOUT=SECS        per-program timeout (default 30)
#   CARGO_TARGET_DIR         where the example binaries are (default ./target)
#   WPS_INTEROP_OPTIONAL=1   without root, network namespaces, hostapd or
#                            wpa_supplicant: print SKIPPED and exit 0 (else exit 2)
#
# Our programs (examples/):
#   eapol_enrollee    --iface IF (--pin PIN | --pbc)   -> one JSON line, exit 0
#   eapol_registrar   --iface IF (--pin PIN | --pbc | --no-pin) --ssid S --passphrase P
#                                     -> exit 0 on WSC_Done; 3 after an M2D and its ACK
#   eapol_ap_enrollee --iface IF --ap-pin PIN --ssid S --passphrase P
#                                     -> new settings as JSON, exit 0; 3 when the
#                                        registrar only read the settings
#
# Each scenario gets a fresh random PIN, SSID and passphrase, and checks the
# outcome on both sides (our exit status and output, and the hostapd /
# wpa_supplicant log events). Everything we start is stopped by PID and the
# namespaces are deleted by a trap, also on failure or Ctrl-C.
# Exit status: 0 if every scenario PASSed, 1 if one FAILed, 2 on a setup error.
set -u

REPO="$(cd "$(dirname "$0")/../.." && pwd)"
OUT_ROOT="${WPSX_OUT:-/tmp/wps-interop}"
TIMEOUT="${WPSX_TIMEOUT:-30}"
TARGET="${CARGO_TARGET_DIR:-$REPO/target}"
EX="$TARGET/debug/examples"
NS_AP=wpsx-ap
NS_STA=wpsx-sta
IF_AP=wpsx-ap0
IF_STA=wpsx-sta0
AP_MAC=02:00:00:00:1a:01
STA_MAC=02:00:00:00:1b:01
PROGRAMS=(eapol_enrollee eapol_registrar eapol_ap_enrollee)
PIDS=()

# --------------------------------------------------------------------------
# scenario table: name | description
SCENARIOS=(
	"lab-plumbing|hostapd registrar <-> wpa_supplicant enrollee (no code of ours; checks the lab)"
	"hapd-our-enrollee-pin|hostapd registrar (wps_pin any) <-> our eapol_enrollee --pin"
	"hapd-our-enrollee-pbc|hostapd registrar (wps_pbc) <-> our eapol_enrollee --pbc"
	"hapd-our-enrollee-wrong-first-half|hostapd registrar <-> our enrollee, PIN wrong in its first half: we NACK M4 with config error 18"
	"hapd-our-enrollee-wrong-second-half|hostapd registrar <-> our enrollee, PIN wrong in its second half: we NACK M6 with config error 18"
	"hapd-our-enrollee-frag100|hostapd registrar with fragment_size=100 <-> our enrollee with --fragment-size 100"
	"our-registrar-wpas-pin|our eapol_registrar <-> wpa_supplicant enrollee (PIN)"
	"our-registrar-wpas-wrong-pin|our eapol_registrar <-> wpa_supplicant enrollee with another PIN: it NACKs M4 with config error 18"
	"our-registrar-wpas-frag100|our eapol_registrar --fragment-size 100 <-> wpa_supplicant enrollee with fragment_size=100"
	"our-registrar-pbc|our eapol_registrar --pbc <-> wpa_supplicant enrollee with push-button (pbc=1)"
	"our-registrar-m2d|our eapol_registrar --no-pin <-> wpa_supplicant enrollee (PIN): we answer M1 with M2D, it ACKs"
	"wpas-er-our-ap-enrollee|wpa_supplicant external registrar (AP PIN, new settings) <-> our eapol_ap_enrollee"
	"wpas-er-our-ap-enrollee-wrong-pin|wpa_supplicant external registrar with a wrong AP PIN <-> our AP enrollee: we NACK M4 with config error 18"
	"wpas-er-read-only|wpa_supplicant external registrar (AP PIN, no new settings) <-> our AP enrollee: it reads M7 and NACKs with config error 0"
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
to_hex() { printf '%s' "$1" | od -An -tx1 | tr -d ' \n'; }

# a checksum-valid PIN other than $1 whose first half differs
other_first_half() {
	local p=${1:0:7}
	pin_from_prefix "$(printf '%04d' $(((10#${p:0:4} + 1) % 10000)))${p:4:3}"
}
# a checksum-valid PIN with the first half of $1 and another second half
other_second_half() {
	local p=${1:0:7} bad
	bad="$(pin_from_prefix "${p:0:4}$(printf '%03d' $(((10#${p:4:3} + 1) % 1000)))")"
	[ "${bad:4:4}" = "${1:4:4}" ] && bad="$(pin_from_prefix "${p:0:4}$(printf '%03d' $(((10#${p:4:3} + 2) % 1000)))")"
	echo "$bad"
}

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

# one of our programs in a namespace, in the background, output to
# $OUT/NAME.out / .err; its PID in PROG_PID
start_prog() { # ns name program args...
	local ns="$1" name="$2" prog="$EX/$3"
	shift 3
	ip netns exec "$ns" "$prog" "$@" --timeout "$TIMEOUT" >"$OUT/$name.out" 2>"$OUT/$name.err" &
	PROG_PID=$!
	PIDS+=("$PROG_PID")
}

# wait for PROG_PID (at most TIMEOUT + 5 s, then kill it); sets RC
wait_prog() {
	local limit=$(((TIMEOUT + 5) * 10))
	for _ in $(seq 1 "$limit"); do
		kill -0 "$PROG_PID" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$PROG_PID" 2>/dev/null; then
		kill -9 "$PROG_PID" 2>/dev/null
		wait "$PROG_PID" 2>/dev/null
		RC=124
	else
		wait "$PROG_PID"
		RC=$?
	fi
}

capture() {
	command -v tcpdump >/dev/null || return 0
	start_bg "$NS_STA" "$OUT/tcpdump.log" tcpdump --immediate-mode -i "$IF_STA" -U -w "$OUT/eapol.pcap" ether proto 0x888e
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
		ap_pin=$AP_PIN
	EOC
	[ -n "${3:-}" ] && echo "fragment_size=$3" >>"$OUT/hostapd.conf"
	return 0
}

start_hostapd() {
	start_bg "$NS_AP" "$OUT/hostapd.log" hostapd -dd -t "$OUT/hostapd.conf"
	wait_for "$OUT/hostapd.log" 'AP-ENABLED' 50 || { WHY="hostapd did not start"; return 1; }
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

# the credential JSON line one of our programs printed, as the array J:
# ssid network_key auth_type encr_type mac (one python3 start: they are slow)
read_json() { # file
	mapfile -t J < <(python3 -c '
import json, sys
j = json.loads(open(sys.argv[1]).readline())
for k in ("ssid", "network_key", "auth_type", "encr_type", "mac"):
    print(j[k])' "$1" 2>/dev/null)
}

# the SSID wpa_supplicant logged with the credential it received (ASCII column)
wpas_cred_ssid_has() { grep -A1 'WPS: SSID - hexdump_ascii' "$OUT/wpas.log" | grep -q -F -- "$1"; }

# expected outcome helpers: append a problem to BAD
BAD=()
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
# whether $3 is in file $1 after (or on) the first line with $2
logged_after() { sed -n "/$2/,\$p" "$1" | grep -q -- "$3"; }

# check our credential JSON line in $1 against ssid $2, key $3, mac $4
check_json() {
	local J=()
	read_json "$1"
	if [ ${#J[@]} -ne 5 ]; then
		BAD+=("no credential JSON line")
		return
	fi
	need "ssid '${J[0]}' != $2" [ "${J[0]}" = "$2" ]
	need "network_key differs" [ "${J[1]}" = "$3" ]
	need "auth_type '${J[2]}'" [ "${J[2]}" = WPA2-PSK ]
	need "encr_type '${J[3]}'" [ "${J[3]}" = AES ]
	need "mac '${J[4]}' != $4" [ "${J[4]}" = "$4" ]
}

# --------------------------------------------------------------------------
# scenarios: each sets RESULT (PASS / FAIL) and WHY

sc_lab_plumbing() {
	hostapd_conf "$SSID" "$PASS" && start_hostapd || return
	hostapd_cli_ wps_pin any "$PIN" 300 >/dev/null
	wpas_conf "WFA-SimpleConfig-Enrollee-1-0" "pin=$PIN"
	start_wpas
	need "no WPS-SUCCESS in wpa_supplicant" wait_for "$OUT/wpas.log" 'WPS-SUCCESS' 150
	need "no WPS-REG-SUCCESS in hostapd" wait_for "$OUT/hostapd.log" 'WPS-REG-SUCCESS' 20
	verdict "WPS-SUCCESS on both sides"
}

# hostapd registrar <-> our enrollee; $1 = how hostapd is armed (pin|pbc),
# $2 = our enrollee's arguments, $3 = ok | the msg number of the expected NACK
hapd_vs_our_enrollee() {
	hostapd_conf "$SSID" "$PASS" "${FRAG:-}" && start_hostapd || return
	if [ "$1" = pbc ]; then hostapd_cli_ wps_pbc >/dev/null; else hostapd_cli_ wps_pin any "$PIN" 300 >/dev/null; fi
	# shellcheck disable=SC2086
	start_prog "$NS_STA" enrollee eapol_enrollee --iface "$IF_STA" $2
	wait_prog
	if [ "$3" = ok ]; then
		need "enrollee exit $RC: $(last_line "$OUT/enrollee.err")" [ "$RC" -eq 0 ]
		check_json "$OUT/enrollee.out" "$SSID" "$PASS" "$STA_MAC"
		need "no WPS-REG-SUCCESS in hostapd" wait_for "$OUT/hostapd.log" 'WPS-REG-SUCCESS' 30
		verdict "credential ssid=$SSID auth=WPA2-PSK encr=AES; hostapd WPS-REG-SUCCESS"
	else
		local msg="$3"
		need "enrollee exit $RC, not 1" [ "$RC" -eq 1 ]
		need "enrollee: $(last_line "$OUT/enrollee.err")" grep -q "^WPS-FAIL msg=$msg .*config_error=18 " "$OUT/enrollee.err"
		need "hostapd: $(grep -o 'WPS-FAIL.*' "$OUT/hostapd.log" | head -1)" wait_for "$OUT/hostapd.log" "WPS-FAIL msg=$msg config_error=18" 30
		verdict "we: exit 1, WPS-FAIL msg=$msg config_error=18; hostapd WPS-FAIL msg=$msg config_error=18"
	fi
}

sc_hapd_our_enrollee_pin() { hapd_vs_our_enrollee pin "--pin $PIN" ok; }
sc_hapd_our_enrollee_pbc() { hapd_vs_our_enrollee pbc "--pbc" ok; }
sc_hapd_our_enrollee_wrong_first_half() { hapd_vs_our_enrollee pin "--pin $(other_first_half "$PIN")" 8; }
sc_hapd_our_enrollee_wrong_second_half() { hapd_vs_our_enrollee pin "--pin $(other_second_half "$PIN")" 10; }
sc_hapd_our_enrollee_frag100() {
	FRAG=100 hapd_vs_our_enrollee pin "--pin $PIN --fragment-size 100" ok
	[ "$RESULT" = PASS ] || return
	# hostapd sent fragments (and got our FRAG_ACKs) and reassembled ours
	need "hostapd sent no fragments" grep -q 'WAIT_FRAG_ACK' "$OUT/hostapd.log"
	need "hostapd received no fragments" grep -q 'EAP-WSC: Send WSC/FRAG_ACK' "$OUT/hostapd.log"
	verdict "$WHY; fragments both ways"
}

# our registrar <-> wpa_supplicant enrollee; $1 = wpa_supplicant's phase1
# (pin=PIN | pbc=1), $2 = our registrar's password arguments (--pin PIN |
# --pbc | --no-pin), $3 = ok | fail (NACK of M4) | m2d, $4 = fragment_size on
# both sides
our_registrar_vs_wpas() {
	wpas_conf "WFA-SimpleConfig-Enrollee-1-0" "$1" "${4:-}"
	# shellcheck disable=SC2086
	start_prog "$NS_AP" registrar eapol_registrar --iface "$IF_AP" $2 --ssid "$SSID" --passphrase "$PASS" ${4:+--fragment-size $4}
	sleep 0.2
	start_wpas
	wait_prog
	case "$3" in
	ok)
		need "registrar exit $RC: $(last_line "$OUT/registrar.err")" [ "$RC" -eq 0 ]
		need "registrar printed no WPS-REG-SUCCESS" grep -q '^WPS-REG-SUCCESS' "$OUT/registrar.out"
		need "no WPS-CRED-RECEIVED in wpa_supplicant" wait_for "$OUT/wpas.log" 'WPS-CRED-RECEIVED' 20
		need "no WPS-SUCCESS in wpa_supplicant" wait_for "$OUT/wpas.log" 'WPS-SUCCESS' 20
		need "wpa_supplicant got another SSID" wpas_cred_ssid_has "$SSID"
		verdict "registrar exit 0; wpa_supplicant WPS-CRED-RECEIVED ssid=$SSID + WPS-SUCCESS"
		;;
	fail)
		need "registrar exit $RC, not 1" [ "$RC" -eq 1 ]
		need "registrar: $(last_line "$OUT/registrar.err")" grep -q '^WPS-FAIL msg=8 .*config_error=18 ' "$OUT/registrar.err"
		need "wpa_supplicant: $(grep -o -E 'WPS-(FAIL|SUCCESS).*' "$OUT/wpas.log" | head -1)" wait_for "$OUT/wpas.log" 'WPS-FAIL msg=8 config_error=18' 20
		verdict "registrar exit 1, WPS-FAIL msg=8 config_error=18; wpa_supplicant WPS-FAIL msg=8 config_error=18"
		;;
	m2d)
		# we announce the enrollee (its UUID from wpas.conf, its MAC, PIN
		# method) when we send the M2D, and exit 3 after its WSC_ACK
		local want="^WPS-PIN-NEEDED 87654321-9abc-def0-1234-56789abcdef0 $STA_MAC dev_password_id=0\$"
		need "registrar exit $RC, not 3: $(last_line "$OUT/registrar.err")" [ "$RC" -eq 3 ]
		need "registrar printed no WPS-PIN-NEEDED for wpa_supplicant: $(head -1 "$OUT/registrar.out")" grep -q -E "$want" "$OUT/registrar.out"
		need "we sent no M2D" grep -q -x '  -> M2D' "$OUT/registrar.err"
		need "wpa_supplicant logged no M2D" wait_for "$OUT/wpas.log" 'WPS: Received M2D' 20
		need "wpa_supplicant: no WPS-M2D event with config_error=0" grep -q 'WPS-M2D .*config_error=0$' "$OUT/wpas.log"
		need "wpa_supplicant sent no WSC_ACK after the M2D" logged_after "$OUT/wpas.log" 'WPS: Received M2D' 'WPS: Building Message WSC_ACK'
		need "wpa_supplicant got a credential" not grep -q -E 'WPS-CRED-RECEIVED|WPS-SUCCESS' "$OUT/wpas.log"
		verdict "registrar: M2D, WPS-PIN-NEEDED, exit 3 after the WSC_ACK; wpa_supplicant Received M2D + WPS-M2D config_error=0, no credential"
		;;
	esac
}

sc_our_registrar_wpas_pin() { our_registrar_vs_wpas "pin=$PIN" "--pin $PIN" ok; }
sc_our_registrar_wpas_wrong_pin() { our_registrar_vs_wpas "pin=$(other_first_half "$PIN")" "--pin $PIN" fail; }
sc_our_registrar_wpas_frag100() {
	our_registrar_vs_wpas "pin=$PIN" "--pin $PIN" ok 100
	[ "$RESULT" = PASS ] || return
	need "wpa_supplicant sent no fragments" grep -q 'WAIT_FRAG_ACK' "$OUT/wpas.log"
	need "wpa_supplicant received no fragments" grep -q 'EAP-WSC: Send WSC/FRAG_ACK' "$OUT/wpas.log"
	verdict "$WHY; fragments both ways"
}
sc_our_registrar_pbc() {
	our_registrar_vs_wpas "pbc=1" "--pbc" ok
	[ "$RESULT" = PASS ] || return
	need "wpa_supplicant's M1 was not push-button" grep -q 'WPS:  \* Device Password ID (4)' "$OUT/wpas.log"
	need "wpa_supplicant did not use the push-button password" grep -q 'WPS: Device Password ID 4$' "$OUT/wpas.log"
	need "registrar: no WPS-PBC-ACTIVE" grep -q '^WPS-PBC-ACTIVE' "$OUT/registrar.err"
	verdict "$WHY; push-button (Device Password ID 4)"
}
sc_our_registrar_m2d() { our_registrar_vs_wpas "pin=$PIN" "--no-pin" m2d; }

# wpa_supplicant as external registrar <-> our AP enrollee; $1 = AP PIN the
# registrar uses, $2 = ok (new settings in M8) | fail (NACK of M4) |
# read-only (no new settings: the registrar NACKs after M7)
wpas_er_vs_our_ap() {
	local new_ssid="wpsx-new-$(random_hex 2)" new_key="new-$(random_hex 8)" phase1="pin=$1"
	[ "$2" = read-only ] || phase1="$phase1 new_ssid=$(to_hex "$new_ssid") new_auth=WPA2PSK new_encr=CCMP new_key=$(to_hex "$new_key")"
	wpas_conf "WFA-SimpleConfig-Registrar-1-0" "$phase1"
	start_prog "$NS_AP" ap-enrollee eapol_ap_enrollee --iface "$IF_AP" --ap-pin "$AP_PIN" --ssid "$SSID" --passphrase "$PASS"
	sleep 0.2
	start_wpas
	wait_prog
	case "$2" in
	ok)
		need "AP enrollee exit $RC: $(last_line "$OUT/ap-enrollee.err")" [ "$RC" -eq 0 ]
		check_json "$OUT/ap-enrollee.out" "$new_ssid" "$new_key" "$AP_MAC"
		need "wpa_supplicant did not read our SSID from M7" wpas_cred_ssid_has "$SSID"
		need "no WPS-SUCCESS in wpa_supplicant" wait_for "$OUT/wpas.log" 'WPS-SUCCESS' 20
		verdict "AP read (ssid=$SSID) and reconfigured to ssid=$new_ssid; wpa_supplicant WPS-SUCCESS"
		;;
	fail)
		need "AP enrollee exit $RC, not 1" [ "$RC" -eq 1 ]
		need "AP enrollee: $(last_line "$OUT/ap-enrollee.err")" grep -q '^WPS-FAIL msg=8 .*config_error=18 ' "$OUT/ap-enrollee.err"
		need "wpa_supplicant: $(grep -o -E 'WPS-(FAIL|SUCCESS).*' "$OUT/wpas.log" | head -1)" wait_for "$OUT/wpas.log" 'WPS-FAIL msg=8 config_error=18' 20
		verdict "AP enrollee exit 1, WPS-FAIL msg=8 config_error=18; wpa_supplicant WPS-FAIL msg=8 config_error=18"
		;;
	read-only)
		# we exit 3 and print WPS-AP-SETTINGS-READ, nothing else (no JSON:
		# no settings applied); wpa_supplicant took our SSID from M7 and
		# ended with its WSC_NACK, config error 0
		need "AP enrollee exit $RC, not 3: $(last_line "$OUT/ap-enrollee.err")" [ "$RC" -eq 3 ]
		need "AP enrollee stdout is not just WPS-AP-SETTINGS-READ: $(head -c 80 "$OUT/ap-enrollee.out")" [ "$(cat "$OUT/ap-enrollee.out")" = WPS-AP-SETTINGS-READ ]
		need "AP enrollee got no WSC_NACK after M7" logged_after "$OUT/ap-enrollee.err" '^  -> M7$' '^<- WSC_NACK$'
		need "no WPS-CRED-RECEIVED in wpa_supplicant" wait_for "$OUT/wpas.log" 'WPS-CRED-RECEIVED' 20
		need "wpa_supplicant did not read our SSID from M7" wpas_cred_ssid_has "$SSID"
		need "wpa_supplicant: $(grep -o -E 'WPS-(FAIL|SUCCESS).*' "$OUT/wpas.log" | head -1)" wait_for "$OUT/wpas.log" 'WPS-FAIL msg=11 config_error=0$' 20
		need "wpa_supplicant sent new settings" not grep -q -E 'WPS-SUCCESS|Building Message M8' "$OUT/wpas.log"
		verdict "AP enrollee exit 3, WPS-AP-SETTINGS-READ; wpa_supplicant read ssid=$SSID from M7, WPS-FAIL msg=11 config_error=0"
		;;
	esac
}

sc_wpas_er_our_ap_enrollee() { wpas_er_vs_our_ap "$AP_PIN" ok; }
sc_wpas_er_our_ap_enrollee_wrong_pin() { wpas_er_vs_our_ap "$(other_first_half "$AP_PIN")" fail; }
sc_wpas_er_read_only() { wpas_er_vs_our_ap "$AP_PIN" read-only; }

# --------------------------------------------------------------------------

if [ "${1:-}" = --list ]; then
	for s in "${SCENARIOS[@]}"; do printf '%-36s %s\n' "${s%%|*}" "${s#*|}"; done
	exit 0
fi

selected=("$@")
[ ${#selected[@]} -eq 0 ] && for s in "${SCENARIOS[@]}"; do selected+=("${s%%|*}"); done
for name in "${selected[@]}"; do
	declare -F "sc_${name//-/_}" >/dev/null || { log "unknown scenario $name (see --list)"; exit 2; }
done

# The lab needs root, network namespaces, hostapd and wpa_supplicant.
unavailable() {
	if [ "${WPS_INTEROP_OPTIONAL:-}" = 1 ]; then
		echo "SKIPPED: interop scenarios not run: $1"
		exit 0
	fi
	log "interop: $1 (set WPS_INTEROP_OPTIONAL=1 to skip instead)"
	exit 2
}
[ "$(id -u)" -eq 0 ] || unavailable "not root (network namespaces need it)"
for c in hostapd hostapd_cli wpa_supplicant ip python3 timeout; do
	command -v "$c" >/dev/null || unavailable "missing $c (apt-get install -y hostapd wpasupplicant iproute2 python3)"
done
ip netns add wpsx-probe 2>/dev/null && ip netns del wpsx-probe 2>/dev/null || unavailable "'ip netns add' does not work here"

trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -z "${WPSX_NO_BUILD:-}" ]; then
	build=()
	for p in "${PROGRAMS[@]}"; do build+=(--example "$p"); done
	(cd "$REPO" && cargo build "${build[@]}") || { log "cargo build of the examples failed"; exit 2; }
fi
for p in "${PROGRAMS[@]}"; do
	[ -x "$EX/$p" ] || { log "no $EX/$p (set CARGO_TARGET_DIR?)"; exit 2; }
done

failed=0
summary=()
t_start=$SECONDS
for name in "${selected[@]}"; do
	OUT="$OUT_ROOT/$name"
	rm -rf "$OUT"
	mkdir -p "$OUT"
	PIN="$(pin_from_prefix "$(random_prefix)")"
	SSID="wpsx-$(random_hex 3)"
	PASS="pass-$(random_hex 8)"
	AP_PIN="$(pin_from_prefix "$(random_prefix)")"
	printf 'pin=%s ssid=%s passphrase=%s ap_pin=%s\n' "$PIN" "$SSID" "$PASS" "$AP_PIN" >"$OUT/params.txt"
	RESULT=FAIL WHY="network namespace setup failed"
	BAD=()
	t0=$SECONDS
	if netns_up; then
		capture
		"sc_${name//-/_}"
	fi
	stop_pids
	netns_down
	summary+=("$(printf '%-4s %-36s %3ss  %s' "$RESULT" "$name" $((SECONDS - t0)) "$WHY")")
	log "${summary[-1]}"
	[ "$RESULT" = PASS ] || failed=$((failed + 1))
done
echo
echo "== interop summary: $((${#selected[@]} - failed)) of ${#selected[@]} passed in $((SECONDS - t_start)) s =="
printf '%s\n' "${summary[@]}"
echo "logs: $OUT_ROOT/<scenario>/ (params.txt, *.log, *.out, *.err, eapol.pcap)"
[ "$failed" -eq 0 ] || exit 1
