#!/bin/bash
# Interop scenarios: our `wps` command (wps ap, wps station) against Debian's
# hostapd and wpa_supplicant, over a veth pair between two network namespaces
# (wired 802.1X, no radio). See README.md here.
#
# Usage (root; needs hostapd wpasupplicant iproute2 python3, tcpdump optional):
#   tests/interop/run.sh                 run every scenario
#   tests/interop/run.sh NAME...         run the named scenarios
#   tests/interop/run.sh --list          list the scenarios
# Env:
#   WPSX_OUT=DIR             per-scenario logs/pcaps (default /tmp/wps-interop)
#   WPSX_NO_BUILD=1          do not build the wps command first
#   WPSX_TIMEOUT=SECS        how long a registration may take (default 30)
#   CARGO_TARGET_DIR         where target/debug/wps is (default ./target)
#   WPS_INTEROP_OPTIONAL=1   without root, network namespaces, hostapd or
#                            wpa_supplicant: print SKIPPED and exit 0 (else exit 2)
#
# Our programs (cli/, binary wps):
#   wps station --iface IF (--pin PIN | --pbc | --ap-pin PIN ... | --nfc-token FILE
#                           | --nfc-handover-req FILE --nfc-handover-sel HEX)
#                 -> the credential as one JSON line, exit 0; WPS-FAIL on stderr, exit 1
#   wps ap --iface IF --ssid S --passphrase P [--ap-pin PIN]
#                 -> hostapd_cli commands on stdin (wps_pin, wps_pbc, ...), one reply
#                    line each; hostapd's event lines on stdout (AP-ENABLED,
#                    WPS-REG-SUCCESS, WPS-FAIL, WPS-PIN-NEEDED, ...); exits 0 at EOF
#
# Each scenario gets a fresh random PIN, SSID and passphrase, and checks the
# outcome on both sides (our exit status and output, and the hostapd /
# wpa_supplicant log events). Everything we start is stopped by PID and the
# namespaces are deleted by a trap, also on failure or Ctrl-C.
# Exit status: 0 if every scenario PASSed, 1 if one FAILed, 2 on a setup error.
set -u

# shared with the other labs: log, lab_settings, pin_from_prefix, wait_for, random_*,
# to_hex, netns_add, veth_pair, stop_pids, need, verdict, last_line, not
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
lab_settings WPSX /tmp/wps-interop 30
NS_AP=wpsx-ap NS_STA=wpsx-sta
IF_AP=wpsx-ap0 IF_STA=wpsx-sta0
AP_MAC=02:00:00:00:1a:01 STA_MAC=02:00:00:00:1b:01
PIDS=()
AP_FD=
# writing to a `wps ap` that has died must not kill the script
trap '' PIPE

# --------------------------------------------------------------------------
# scenario table: name | description
SCENARIOS=(
	"lab-plumbing|hostapd registrar <-> wpa_supplicant enrollee (no code of ours; checks the lab)"
	"hapd-our-station-pin|hostapd registrar (wps_pin any) <-> wps station --pin"
	"hapd-our-station-pbc|hostapd registrar (wps_pbc) <-> wps station --pbc"
	"hapd-our-station-wrong-first-half|hostapd registrar <-> wps station, PIN wrong in its first half: we NACK M4 with config error 18"
	"hapd-our-station-wrong-second-half|hostapd registrar <-> wps station, PIN wrong in its second half: we NACK M6 with config error 18"
	"hapd-our-station-frag100|hostapd registrar with fragment_size=100 <-> wps station --fragment-size 100"
	"our-ap-wpas-pin|wps ap (wps_pin any PIN) <-> wpa_supplicant enrollee (PIN)"
	"our-ap-wpas-wrong-pin|wps ap <-> wpa_supplicant enrollee with another PIN: it NACKs M4 with config error 18"
	"our-ap-wpas-frag100|wps ap --fragment-size 100 <-> wpa_supplicant enrollee with fragment_size=100"
	"our-ap-pbc|wps ap (wps_pbc) <-> wpa_supplicant enrollee with push-button (pbc=1)"
	"our-ap-m2d|wps ap without a PIN <-> wpa_supplicant enrollee (PIN): we answer M1 with M2D and print WPS-PIN-NEEDED"
	"our-ap-pbc-then-pin|wps ap: wps_pbc, then wps_pin: the push-button enrollee gets no credential, the PIN enrollee does"
	"our-ap-pin-expires|wps ap: wps_pin any PIN 3, 4 s later the enrollee gets M2D (WPS-PIN-NEEDED); a fresh PIN works"
	"wpas-er-our-ap|wpa_supplicant external registrar (AP PIN, new settings) <-> wps ap --ap-pin"
	"wpas-er-our-ap-wrong-pin|wpa_supplicant external registrar with a wrong AP PIN <-> wps ap: we NACK M4 with config error 18"
	"wpas-er-read-only|wpa_supplicant external registrar (AP PIN, no new settings) <-> wps ap: it reads M7 and NACKs with config error 0"
	"wpas-er-ap-pin-lockout|wpa_supplicant external registrar: 3 wrong AP PINs lock wps ap (WPS-AP-SETUP-LOCKED); the right one then gets config error 15"
	"hapd-our-station-multiap|hostapd multi_ap=3 with a backhaul network (wps_pbc) <-> wps station --pbc --multi-ap: the backhaul credential, \"backhaul\":true"
	"hapd-our-station-multiap-plain|hostapd multi_ap=3 with a backhaul network (wps_pbc) <-> wps station --pbc: the fronthaul credential"
	"our-ap-wpas-multiap|wps ap --multi-ap 3 --backhaul-ssid/--backhaul-passphrase (wps_pbc) <-> wpa_supplicant pbc=1 multi_ap=1: the backhaul SSID"
	"our-ap-wpas-multiap-plain|wps ap --multi-ap 3 with a backhaul network (wps_pbc) <-> wpa_supplicant pbc=1: the fronthaul SSID"
	"hapd-reads-our-nfc-token|wps nfc token; hostapd wps_nfc_tag_read HEX; wps station --nfc-token FILE registers"
	"hapd-reads-our-nfc-token-badhash|the same with one bit of the token's public key hash flipped: hostapd M2D config error 20, we exit 1"
	"hapd-nfc-config-our-station|hostapd wps_nfc_config_token NDEF read by wps station --nfc-config: hostapd's network, no registration"
	"our-ap-reads-wpas-nfc-token|wpa_supplicant wps_nfc_token NDEF; wps ap wps_nfc_tag_read HEX; wpa_supplicant wps_nfc registers"
	"our-ap-reads-wpas-nfc-token-badhash|the same with the hash flipped: wps ap M2D config error 20, wpa_supplicant WPS-M2D config_error=20"
	"our-ap-nfc-config-wpas|wps ap wps_nfc_config_token NDEF read by wpa_supplicant wps_nfc_tag_read: it adds our network"
	"hapd-handover-our-station|wps nfc handover-req; hostapd nfc_get_handover_sel + NFC_REPORT_HANDOVER; wps station --nfc-handover-req/--nfc-handover-sel: M1, M2 (credential), WSC_Done"
	"hapd-handover-our-station-badreq|the same, one bit of the request's hash flipped for hostapd: hostapd M2D config error 20, we exit 1"
	"hapd-handover-our-station-badsel|the same, one bit of the select's hash flipped for us: we NACK M2 with config error 20, hostapd WPS-FAIL config_error=20"
	"hapd-handover-stale-our-station|hostapd wps_nfc_token NDEF + disable, then a handover (its 2.10 quirk: the select names a key M2 does not use): we NACK M2 with 20"
	"our-ap-handover-wpas|wpa_supplicant nfc_get_handover_req; wps ap nfc_get_handover_sel + nfc_report_handover; wpa_supplicant nfc_report_handover INIT: M1, M2, WSC_Done"
	"our-ap-handover-wpas-badreq|the same, one bit of the request's hash flipped for wps ap: wps ap M2D config error 20, wpa_supplicant WPS-M2D config_error=20"
	"our-ap-handover-wpas-badsel|the same, one bit of the select's hash flipped for wpa_supplicant: it NACKs M2 (hash mismatch), wps ap WPS-FAIL msg=5 config_error=20"
	"wpas-reads-our-ap-nfc-token|wps ap wps_nfc_token NDEF + enable; wpa_supplicant wps_nfc_tag_read, wps_reg nfc-pw: it reads our settings with the token's password"
)

# --------------------------------------------------------------------------
# helpers

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


netns_down() {
	ip netns del "$NS_AP" 2>/dev/null
	ip netns del "$NS_STA" 2>/dev/null
	# a veth pair left in the root namespace by an interrupted setup
	ip link del "$IF_AP" 2>/dev/null
	rm -rf "/run/$NS_AP-hostapd" "/run/$NS_STA-wpas"
}

cleanup() {
	close_ap_stdin
	stop_pids
	netns_down
}

netns_up() {
	netns_down
	netns_add "$NS_AP" "$NS_STA" &&
		veth_pair "$IF_AP" "$NS_AP" "$AP_MAC" "$IF_STA" "$NS_STA" "$STA_MAC"
}


# `wps station` in the station namespace, in the background, output to
# $OUT/station.out / .err; its PID in PROG_PID
start_station() { # args...
	ip netns exec "$NS_STA" "$WPS" station --iface "$IF_STA" "$@" --timeout "$TIMEOUT" >"$OUT/station.out" 2>"$OUT/station.err" &
	PROG_PID=$!
	PIDS+=("$PROG_PID")
}

# `wps ap` in the AP namespace with a fifo as its stdin (held open on AP_FD),
# output to $OUT/ap.out / .err; returns once it printed AP-ENABLED
start_ap() { # args...
	rm -f "$OUT/ap.in"
	mkfifo "$OUT/ap.in"
	ip netns exec "$NS_AP" "$WPS" ap --iface "$IF_AP" --ssid "$SSID" --passphrase "$PASS" "$@" <"$OUT/ap.in" >"$OUT/ap.out" 2>"$OUT/ap.err" &
	AP_PID=$!
	PIDS+=("$AP_PID")
	exec {AP_FD}>"$OUT/ap.in"
	wait_for "$OUT/ap.out" '^AP-ENABLED$' 50 || { BAD+=("wps ap did not start: $(last_line "$OUT/ap.err")"); return 1; }
}

# one command to wps ap; its reply line in REPLY
ap_cmd() { send_cmd "$OUT/ap.out" "$AP_FD" "$1"; }

# ap_cmd, and the reply must be $2 (default OK)
ap_cmd_expect() { # command line, reply
	ap_cmd "$1"
	need "wps ap: '$1' answered '$REPLY', not '${2:-OK}'" [ "$REPLY" = "${2:-OK}" ]
}

close_ap_stdin() { close_fd AP_FD; }

# EOF on wps ap's stdin ends it; it must exit 0 within 5 s
stop_ap() {
	close_ap_stdin
	PROG_PID=$AP_PID TIMEOUT=0 wait_prog
	need "wps ap exit $RC at EOF: $(last_line "$OUT/ap.err")" [ "$RC" -eq 0 ]
}

# how many lines of file $1 match $2
count() { grep -c -E -- "$2" "$1" 2>/dev/null; }

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
	wired_hostapd_conf "$IF_AP" "/run/$NS_AP-hostapd" "$1" "$2" 12345678-9abc-def0-1234-56789abcdef0 wpsx \
		>"$OUT/hostapd.conf"
	echo "ap_pin=$AP_PIN" >>"$OUT/hostapd.conf"
	[ -n "${3:-}" ] && echo "fragment_size=$3" >>"$OUT/hostapd.conf"
	# MULTI_AP=N: a Multi-AP BSS with the backhaul network $BH_SSID / $BH_PASS
	if [ -n "${MULTI_AP:-}" ]; then
		printf 'multi_ap=%s\nmulti_ap_backhaul_ssid="%s"\nmulti_ap_backhaul_wpa_passphrase=%s\n' \
			"$MULTI_AP" "$BH_SSID" "$BH_PASS" >>"$OUT/hostapd.conf"
	fi
	return 0
}

start_hostapd() {
	start_bg "$NS_AP" "$OUT/hostapd.log" hostapd -dd -t "$OUT/hostapd.conf"
	wait_for "$OUT/hostapd.log" 'AP-ENABLED' 50 || { WHY="hostapd did not start"; return 1; }
}

hostapd_cli_() { ip netns exec "$NS_AP" hostapd_cli -p "/run/$NS_AP-hostapd" -i "$IF_AP" "$@"; }

# WTAG (optional) names a second or third wpa_supplicant run: wpas$WTAG.conf / .log
wpas_conf() { # identity phase1 [fragment_size]
	wired_wpas_conf "/run/$NS_STA-wpas" 87654321-9abc-def0-1234-56789abcdef0 wpsx 1-0050F204-1 \
		"$1" "$2" "${3:+fragment_size=$3}" >"$OUT/wpas${WTAG:-}.conf"
}

start_wpas() {
	start_bg "$NS_STA" "$OUT/wpas${WTAG:-}.log" wpa_supplicant -dd -t -D wired -i "$IF_STA" -c "$OUT/wpas${WTAG:-}.conf"
	WPAS_PID=$!
}

# stop the last wpa_supplicant started (by its PID)
stop_wpas() {
	kill "$WPAS_PID" 2>/dev/null
	for _ in $(seq 1 30); do kill -0 "$WPAS_PID" 2>/dev/null || break; sleep 0.1; done
	kill -9 "$WPAS_PID" 2>/dev/null
	wait "$WPAS_PID" 2>/dev/null
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
wpas_cred_ssid_has() { grep -A1 'WPS: SSID - hexdump_ascii' "$OUT/wpas${WTAG:-}.log" | grep -q -F -- "$1"; }

# expected outcome helpers: append a problem to BAD
BAD=()
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

# hostapd registrar <-> wps station; $1 = how hostapd is armed (pin|pbc),
# $2 = wps station's arguments, $3 = ok | the msg number of the expected NACK
hapd_vs_our_station() {
	hostapd_conf "$SSID" "$PASS" "${FRAG:-}" && start_hostapd || return
	if [ "$1" = pbc ]; then hostapd_cli_ wps_pbc >/dev/null; else hostapd_cli_ wps_pin any "$PIN" 300 >/dev/null; fi
	# shellcheck disable=SC2086
	start_station $2
	wait_prog
	if [ "$3" = ok ]; then
		need "wps station exit $RC: $(last_line "$OUT/station.err")" [ "$RC" -eq 0 ]
		check_json "$OUT/station.out" "$SSID" "$PASS" "$STA_MAC"
		need "no WPS-REG-SUCCESS in hostapd" wait_for "$OUT/hostapd.log" 'WPS-REG-SUCCESS' 30
		verdict "credential ssid=$SSID auth=WPA2-PSK encr=AES; hostapd WPS-REG-SUCCESS"
	else
		local msg="$3"
		need "wps station exit $RC, not 1" [ "$RC" -eq 1 ]
		need "wps station: $(grep -m1 WPS-FAIL "$OUT/station.err")" grep -q -x "WPS-FAIL msg=$msg config_error=18" "$OUT/station.err"
		need "wps station did not say the PIN was incorrect" grep -q 'the PIN was incorrect' "$OUT/station.err"
		need "hostapd: $(grep -o 'WPS-FAIL.*' "$OUT/hostapd.log" | head -1)" wait_for "$OUT/hostapd.log" "WPS-FAIL msg=$msg config_error=18" 30
		verdict "we: exit 1, WPS-FAIL msg=$msg config_error=18; hostapd WPS-FAIL msg=$msg config_error=18"
	fi
}

sc_hapd_our_station_pin() { hapd_vs_our_station pin "--pin $PIN" ok; }
sc_hapd_our_station_pbc() { hapd_vs_our_station pbc "--pbc" ok; }
sc_hapd_our_station_wrong_first_half() { hapd_vs_our_station pin "--pin $(other_first_half "$PIN")" 8; }
sc_hapd_our_station_wrong_second_half() { hapd_vs_our_station pin "--pin $(other_second_half "$PIN")" 10; }
sc_hapd_our_station_frag100() {
	FRAG=100 hapd_vs_our_station pin "--pin $PIN --fragment-size 100" ok
	[ "$RESULT" = PASS ] || return
	# hostapd sent fragments (and got our FRAG_ACKs) and reassembled ours
	need "hostapd sent no fragments" grep -q 'WAIT_FRAG_ACK' "$OUT/hostapd.log"
	need "hostapd received no fragments" grep -q 'EAP-WSC: Send WSC/FRAG_ACK' "$OUT/hostapd.log"
	verdict "$WHY; fragments both ways"
}

WPAS_UUID=87654321-9abc-def0-1234-56789abcdef0

# wps ap delivered to wpa_supplicant: our WPS-SUCCESS and WPS-REG-SUCCESS within $2
# tenths, its WPS-CRED-RECEIVED (with SSID $1) and WPS-SUCCESS
our_ap_delivered_to_wpas() { # ssid tenths
	need "wps ap printed no WPS-SUCCESS: $(last_line "$OUT/ap.err")" wait_for "$OUT/ap.out" '^WPS-SUCCESS$' "$2"
	need "wps ap printed no WPS-REG-SUCCESS $STA_MAC $WPAS_UUID" grep -q -x "WPS-REG-SUCCESS $STA_MAC $WPAS_UUID" "$OUT/ap.out"
	need "no WPS-CRED-RECEIVED in wpa_supplicant" wait_for "$OUT/wpas.log" 'WPS-CRED-RECEIVED' 20
	need "no WPS-SUCCESS in wpa_supplicant" wait_for "$OUT/wpas.log" 'WPS-SUCCESS' 20
	need "wpa_supplicant got another SSID" wpas_cred_ssid_has "$1"
}

# wps ap refused wpa_supplicant's key (NFC hash mismatch) with M2D and error 20
# within $1 tenths: WPS-FAIL msg=6 config_error=20, no WPS-PIN-NEEDED; wpa_supplicant
# WPS-M2D config_error=20; no credential on either side
our_ap_m2d_20_to_wpas() { # tenths
	need "wps ap: $(grep -m1 WPS-FAIL "$OUT/ap.out")" wait_for "$OUT/ap.out" '^WPS-FAIL msg=6 config_error=20$' "$1"
	need "wps ap said WPS-PIN-NEEDED for another device's key" not grep -q '^WPS-PIN-NEEDED' "$OUT/ap.out"
	need "wpa_supplicant: no WPS-M2D with config_error=20" wait_for "$OUT/wpas.log" 'WPS-M2D .*config_error=20' 20
	need "wpa_supplicant got a credential" not grep -q -E 'WPS-CRED-RECEIVED|WPS-SUCCESS' "$OUT/wpas.log"
	need "wps ap delivered a credential" not grep -q -E '^WPS-(REG-)?SUCCESS' "$OUT/ap.out"
}

# wps ap <-> wpa_supplicant enrollee; $1 = wpa_supplicant's phase1
# (pin=PIN | pbc=1), $2 = the command given to wps ap first (empty: none),
# $3 = ok | fail (NACK of M4) | m2d, $4 = fragment_size on both sides
our_ap_vs_wpas() {
	wpas_conf "WFA-SimpleConfig-Enrollee-1-0" "$1" "${4:-}"
	# shellcheck disable=SC2086
	start_ap ${4:+--fragment-size $4} ${AP_ARGS:-} || return
	[ -n "$2" ] && ap_cmd_expect "$2"
	start_wpas
	local tenths=$((TIMEOUT * 10))
	case "$3" in
	ok)
		our_ap_delivered_to_wpas "${WANT_SSID:-$SSID}" "$tenths"
		stop_ap
		verdict "wps ap: WPS-REG-SUCCESS + WPS-SUCCESS; wpa_supplicant WPS-CRED-RECEIVED ssid=${WANT_SSID:-$SSID} + WPS-SUCCESS"
		;;
	fail)
		need "wps ap: $(grep -m1 WPS-FAIL "$OUT/ap.out")" wait_for "$OUT/ap.out" '^WPS-FAIL msg=8 config_error=18$' "$tenths"
		need "wpa_supplicant: $(grep -o -E 'WPS-(FAIL|SUCCESS).*' "$OUT/wpas.log" | head -1)" wait_for "$OUT/wpas.log" 'WPS-FAIL msg=8 config_error=18' 20
		need "wps ap delivered a credential" not grep -q -E '^WPS-(REG-)?SUCCESS' "$OUT/ap.out"
		stop_ap
		verdict "wps ap: WPS-FAIL msg=8 config_error=18; wpa_supplicant WPS-FAIL msg=8 config_error=18"
		;;
	m2d)
		# we announce the enrollee (its UUID from wpas.conf, its MAC, PIN
		# method) when we answer its M1 with M2D
		need "wps ap printed no WPS-PIN-NEEDED for wpa_supplicant: $(head -2 "$OUT/ap.out" | tail -1)" wait_for "$OUT/ap.out" "^WPS-PIN-NEEDED $WPAS_UUID $STA_MAC \\[[^]]*[|]1-0050F204-1\\]\$" "$tenths"
		need "wpa_supplicant logged no M2D" wait_for "$OUT/wpas.log" 'WPS: Received M2D' 20
		need "wpa_supplicant: no WPS-M2D event with config_error=0" grep -q 'WPS-M2D .*config_error=0$' "$OUT/wpas.log"
		need "wpa_supplicant sent no WSC_ACK after the M2D" logged_after "$OUT/wpas.log" 'WPS: Received M2D' 'WPS: Building Message WSC_ACK'
		need "wpa_supplicant got a credential" not grep -q -E 'WPS-CRED-RECEIVED|WPS-SUCCESS' "$OUT/wpas.log"
		stop_ap
		verdict "wps ap: M2D, WPS-PIN-NEEDED; wpa_supplicant Received M2D + WPS-M2D config_error=0 + WSC_ACK, no credential"
		;;
	esac
}

sc_our_ap_wpas_pin() { our_ap_vs_wpas "pin=$PIN" "wps_pin any $PIN" ok; }
sc_our_ap_wpas_wrong_pin() { our_ap_vs_wpas "pin=$(other_first_half "$PIN")" "wps_pin any $PIN" fail; }
sc_our_ap_wpas_frag100() {
	our_ap_vs_wpas "pin=$PIN" "wps_pin any $PIN" ok 100
	[ "$RESULT" = PASS ] || return
	need "wpa_supplicant sent no fragments" grep -q 'WAIT_FRAG_ACK' "$OUT/wpas.log"
	need "wpa_supplicant received no fragments" grep -q 'EAP-WSC: Send WSC/FRAG_ACK' "$OUT/wpas.log"
	verdict "$WHY; fragments both ways"
}
sc_our_ap_pbc() {
	our_ap_vs_wpas "pbc=1" "wps_pbc" ok
	[ "$RESULT" = PASS ] || return
	need "wpa_supplicant's M1 was not push-button" grep -q 'WPS:  \* Device Password ID (4)' "$OUT/wpas.log"
	need "wpa_supplicant did not use the push-button password" grep -q 'WPS: Device Password ID 4$' "$OUT/wpas.log"
	need "wps ap: no WPS-PBC-ACTIVE" grep -q -x 'WPS-PBC-ACTIVE' "$OUT/ap.out"
	verdict "$WHY; push-button (Device Password ID 4)"
}
sc_our_ap_m2d() { our_ap_vs_wpas "pin=$PIN" "" m2d; }

# (a) adding a PIN stops push-button mode: wps_pbc, then wps_pin; a push-button
# enrollee gets no credential (M2D), a PIN enrollee does
sc_our_ap_pbc_then_pin() {
	start_ap || return
	ap_cmd_expect "wps_pbc"
	need "wps ap: no WPS-PBC-ACTIVE after wps_pbc" wait_for "$OUT/ap.out" '^WPS-PBC-ACTIVE$' 20
	ap_cmd_expect "wps_pin any $PIN"
	need "wps ap: no WPS-PBC-DISABLE after wps_pin" wait_for "$OUT/ap.out" '^WPS-PBC-DISABLE$' 20
	ap_cmd "wps_get_status"
	need "wps ap: wps_get_status '$REPLY' is not PBC disabled" grep -q '^pbc_status=Disabled ' <<<"$REPLY"
	WTAG=-pbc wpas_conf "WFA-SimpleConfig-Enrollee-1-0" "pbc=1"
	WTAG=-pbc start_wpas
	need "push-button wpa_supplicant got no M2D" wait_for "$OUT/wpas-pbc.log" 'WPS: Received M2D' $((TIMEOUT * 10))
	stop_wpas
	need "push-button wpa_supplicant got a credential" not grep -q -E 'WPS-CRED-RECEIVED|WPS-SUCCESS' "$OUT/wpas-pbc.log"
	need "wps ap delivered to the push-button enrollee" not grep -q -E '^WPS-(REG-)?SUCCESS' "$OUT/ap.out"
	WTAG=-pin wpas_conf "WFA-SimpleConfig-Enrollee-1-0" "pin=$PIN"
	WTAG=-pin start_wpas
	need "wps ap printed no WPS-SUCCESS for the PIN enrollee" wait_for "$OUT/ap.out" '^WPS-SUCCESS$' $((TIMEOUT * 10))
	need "PIN wpa_supplicant: no WPS-CRED-RECEIVED" wait_for "$OUT/wpas-pin.log" 'WPS-CRED-RECEIVED' 20
	WTAG=-pin need "PIN wpa_supplicant got another SSID" wpas_cred_ssid_has "$SSID"
	stop_wpas
	stop_ap
	verdict "wps_pin stopped PBC (WPS-PBC-DISABLE); push-button enrollee: M2D, no credential; PIN enrollee: WPS-CRED-RECEIVED ssid=$SSID"
}

# (c) a PIN's lifetime: wps_pin any PIN 3, wait past it: the enrollee gets M2D
# and wps ap says WPS-PIN-NEEDED; a fresh PIN then works
sc_our_ap_pin_expires() {
	start_ap || return
	ap_cmd_expect "wps_pin any $PIN 3"
	sleep 4
	WTAG=-old wpas_conf "WFA-SimpleConfig-Enrollee-1-0" "pin=$PIN"
	WTAG=-old start_wpas
	need "wps ap printed no WPS-PIN-NEEDED for the expired PIN" wait_for "$OUT/ap.out" "^WPS-PIN-NEEDED $WPAS_UUID $STA_MAC \\[[^]]*[|]1-0050F204-1\\]\$" $((TIMEOUT * 10))
	need "wpa_supplicant with the expired PIN got no M2D" wait_for "$OUT/wpas-old.log" 'WPS: Received M2D' 20
	stop_wpas
	need "wpa_supplicant got a credential with an expired PIN" not grep -q -E 'WPS-CRED-RECEIVED|WPS-SUCCESS' "$OUT/wpas-old.log"
	local fresh
	fresh="$(pin_from_prefix "$(random_prefix)")"
	echo "fresh_pin=$fresh" >>"$OUT/params.txt"
	ap_cmd_expect "wps_pin any $fresh"
	WTAG=-new wpas_conf "WFA-SimpleConfig-Enrollee-1-0" "pin=$fresh"
	WTAG=-new start_wpas
	need "wps ap printed no WPS-SUCCESS with the fresh PIN" wait_for "$OUT/ap.out" '^WPS-SUCCESS$' $((TIMEOUT * 10))
	need "wpa_supplicant with the fresh PIN: no WPS-CRED-RECEIVED" wait_for "$OUT/wpas-new.log" 'WPS-CRED-RECEIVED' 20
	stop_wpas
	stop_ap
	verdict "PIN past its 3 s: M2D + WPS-PIN-NEEDED, no credential; a fresh PIN: WPS-SUCCESS"
}

# wpa_supplicant as external registrar <-> wps ap --ap-pin; $1 = AP PIN the
# registrar uses, $2 = ok (new settings in M8) | fail (NACK of M4) |
# read-only (no new settings: the registrar NACKs after M7)
wpas_er_vs_our_ap() {
	local new_ssid="wpsx-new-$(random_hex 2)" new_key="new-$(random_hex 8)" phase1="pin=$1"
	[ "$2" = read-only ] || phase1="$phase1 new_ssid=$(to_hex "$new_ssid") new_auth=WPA2PSK new_encr=CCMP new_key=$(to_hex "$new_key")"
	wpas_conf "WFA-SimpleConfig-Registrar-1-0" "$phase1"
	start_ap --ap-pin "$AP_PIN" || return
	start_wpas
	local tenths=$((TIMEOUT * 10))
	case "$2" in
	ok)
		need "wps ap printed no WPS-SUCCESS: $(last_line "$OUT/ap.err")" wait_for "$OUT/ap.out" '^WPS-SUCCESS$' "$tenths"
		need "wps ap printed no WPS-NEW-AP-SETTINGS" grep -q -x 'WPS-NEW-AP-SETTINGS' "$OUT/ap.out"
		sed -n 's/^new AP settings: //p' "$OUT/ap.err" | head -1 >"$OUT/new-settings.json"
		check_json "$OUT/new-settings.json" "$new_ssid" "$new_key" "$AP_MAC"
		need "wpa_supplicant did not read our SSID from M7" wpas_cred_ssid_has "$SSID"
		need "no WPS-SUCCESS in wpa_supplicant" wait_for "$OUT/wpas.log" 'WPS-SUCCESS' 20
		stop_ap
		verdict "AP read (ssid=$SSID) and reconfigured to ssid=$new_ssid; wpa_supplicant WPS-SUCCESS"
		;;
	fail)
		need "wps ap: $(grep -m1 WPS-FAIL "$OUT/ap.out")" wait_for "$OUT/ap.out" '^WPS-FAIL msg=8 config_error=18$' "$tenths"
		need "wpa_supplicant: $(grep -o -E 'WPS-(FAIL|SUCCESS).*' "$OUT/wpas.log" | head -1)" wait_for "$OUT/wpas.log" 'WPS-FAIL msg=8 config_error=18' 20
		stop_ap
		verdict "wps ap: WPS-FAIL msg=8 config_error=18; wpa_supplicant WPS-FAIL msg=8 config_error=18"
		;;
	read-only)
		# wpa_supplicant takes our SSID from M7 and ends with its WSC_NACK,
		# config error 0; we keep our settings
		need "no WPS-CRED-RECEIVED in wpa_supplicant" wait_for "$OUT/wpas.log" 'WPS-CRED-RECEIVED' "$tenths"
		need "wpa_supplicant did not read our SSID from M7" wpas_cred_ssid_has "$SSID"
		need "wpa_supplicant: $(grep -o -E 'WPS-(FAIL|SUCCESS).*' "$OUT/wpas.log" | head -1)" wait_for "$OUT/wpas.log" 'WPS-FAIL msg=11 config_error=0$' 20
		need "wpa_supplicant sent new settings" not grep -q -E 'WPS-SUCCESS|Building Message M8' "$OUT/wpas.log"
		need "wps ap does not say the settings were read" wait_for "$OUT/ap.err" "read the access point's settings" 20
		need "wps ap took new settings" not grep -q -E '^WPS-(NEW-AP-SETTINGS|SUCCESS)' "$OUT/ap.out"
		stop_ap
		verdict "wps ap: settings read, none taken; wpa_supplicant read ssid=$SSID from M7, WPS-FAIL msg=11 config_error=0"
		;;
	esac
}

sc_wpas_er_our_ap() { wpas_er_vs_our_ap "$AP_PIN" ok; }
sc_wpas_er_our_ap_wrong_pin() { wpas_er_vs_our_ap "$(other_first_half "$AP_PIN")" fail; }
sc_wpas_er_read_only() { wpas_er_vs_our_ap "$AP_PIN" read-only; }

# (b) the AP-PIN lockout: three wrong AP PINs (each config_error=18) lock AP
# setup (WPS-AP-SETUP-LOCKED); then even the right AP PIN gets config_error=15.
# --no-solicit: each wpa_supplicant run is exactly one attempt (it waits in
# HELD after a failure; we do not ask it again)
sc_wpas_er_ap_pin_lockout() {
	start_ap --ap-pin "$AP_PIN" --no-solicit || return
	local i wrong settings
	wrong="$(other_first_half "$AP_PIN")"
	settings="new_ssid=$(to_hex "wpsx-evil") new_auth=WPA2PSK new_encr=CCMP new_key=$(to_hex "evil-passphrase")"
	for i in 1 2 3; do
		WTAG=-wrong$i wpas_conf "WFA-SimpleConfig-Registrar-1-0" "pin=$wrong $settings"
		WTAG=-wrong$i start_wpas
		need "guess $i: wpa_supplicant: $(grep -o -E 'WPS-(FAIL|SUCCESS).*' "$OUT/wpas-wrong$i.log" | head -1)" wait_for "$OUT/wpas-wrong$i.log" 'WPS-FAIL msg=8 config_error=18' $((TIMEOUT * 10))
		stop_wpas
		need "guess $i: wps ap printed $(count "$OUT/ap.out" '^WPS-FAIL msg=8 config_error=18$') WPS-FAIL msg=8 config_error=18" wait_for_count "$OUT/ap.out" '^WPS-FAIL msg=8 config_error=18$' "$i" 20
	done
	need "wps ap printed no WPS-AP-SETUP-LOCKED after three wrong AP PINs" wait_for "$OUT/ap.out" '^WPS-AP-SETUP-LOCKED$' 20
	WTAG=-right wpas_conf "WFA-SimpleConfig-Registrar-1-0" "pin=$AP_PIN $settings"
	WTAG=-right start_wpas
	need "right AP PIN while locked: wpa_supplicant: $(grep -o -E 'WPS-(FAIL|SUCCESS).*' "$OUT/wpas-right.log" | head -1)" wait_for "$OUT/wpas-right.log" 'WPS-FAIL msg=[0-9]+ config_error=15' $((TIMEOUT * 10))
	stop_wpas
	need "wpa_supplicant configured a locked AP" not grep -q 'WPS-SUCCESS' "$OUT/wpas-right.log"
	need "wps ap took new settings while locked" not grep -q -E '^WPS-(NEW-AP-SETTINGS|SUCCESS)' "$OUT/ap.out"
	stop_ap
	verdict "3 wrong AP PINs: config_error=18 each, WPS-AP-SETUP-LOCKED; the right AP PIN then: config_error=15"
}

# --------------------------------------------------------------------------
# NFC: password tokens and configuration tokens (the "tag" is a shell variable
# passed between control interfaces)

# flip the lowest bit of the first byte of a password token's Public Key Hash
# (after the 26-byte NDEF header and the 4-byte OOB Device Password TLV header)
flip_hash() { printf '%s%02X%s\n' "${1:0:60}" $((0x${1:60:2} ^ 1)) "${1:62}"; }

# hostapd reads our station's password token; $1 = ok | badhash
hapd_reads_our_token() {
	hostapd_conf "$SSID" "$PASS" && start_hostapd || return
	local tok reply
	tok="$("$WPS" nfc token --out "$OUT/station.token" 2>"$OUT/nfc-token.err")"
	need "wps nfc token wrote no private token file" [ "$(stat -c %a "$OUT/station.token" 2>/dev/null)" = 600 ]
	[ "$1" = badhash ] && tok="$(flip_hash "$tok")"
	echo "token=$tok" >>"$OUT/params.txt"
	reply="$(hostapd_cli_ wps_nfc_tag_read "$tok")"
	need "hostapd_cli wps_nfc_tag_read answered '$reply'" [ "$reply" = OK ]
	start_station --nfc-token "$OUT/station.token"
	wait_prog
	need "hostapd did not take the token" grep -q 'WPS: Add NFC Password Token for Password ID' "$OUT/hostapd.log"
	need "hostapd did not match M1's Device Password ID to the token" grep -q 'WPS: Found matching NFC Password Token' "$OUT/hostapd.log"
	if [ "$1" = ok ]; then
		need "wps station exit $RC: $(last_line "$OUT/station.err")" [ "$RC" -eq 0 ]
		check_json "$OUT/station.out" "$SSID" "$PASS" "$STA_MAC"
		need "hostapd did not use the token's password" grep -q 'WPS: Use OOB Device Password from NFC Password Token' "$OUT/hostapd.log"
		need "no WPS-REG-SUCCESS in hostapd" wait_for "$OUT/hostapd.log" 'WPS-REG-SUCCESS' 30
		verdict "hostapd matched our token (ID, hash, hex password); credential ssid=$SSID; WPS-REG-SUCCESS"
	else
		need "wps station exit $RC, not 1" [ "$RC" -eq 1 ]
		need "wps station: $(grep -m1 WPS-FAIL "$OUT/station.err")" grep -q -x 'WPS-FAIL msg=6 config_error=20' "$OUT/station.err"
		need "wps station did not say why" grep -q 'public key hash mismatch' "$OUT/station.err"
		need "hostapd logged no hash mismatch" grep -q 'WPS: Public Key hash mismatch' "$OUT/hostapd.log"
		need "hostapd delivered a credential" not grep -q 'WPS-REG-SUCCESS' "$OUT/hostapd.log"
		verdict "hostapd: Public Key hash mismatch, M2D; we: exit 1, 'public key hash mismatch', WPS-FAIL msg=6 config_error=20"
	fi
}
sc_hapd_reads_our_nfc_token() { hapd_reads_our_token ok; }
sc_hapd_reads_our_nfc_token_badhash() { hapd_reads_our_token badhash; }

sc_hapd_nfc_config_our_station() {
	hostapd_conf "$SSID" "$PASS" && start_hostapd || return
	local tok
	tok="$(hostapd_cli_ wps_nfc_config_token NDEF)"
	echo "token=$tok" >>"$OUT/params.txt"
	"$WPS" station --nfc-config "$tok" >"$OUT/station.out" 2>"$OUT/station.err"
	RC=$?
	need "wps station --nfc-config exit $RC: $(last_line "$OUT/station.err")" [ "$RC" -eq 0 ]
	# hostapd's token Credential carries an all-zero MAC Address
	check_json "$OUT/station.out" "$SSID" "$PASS" 00:00:00:00:00:00
	verdict "hostapd's configuration token: ssid=$SSID, its passphrase, WPA2-PSK/AES; no EAP"
}

# wpa_supplicant with no network block (wps_nfc / wps_nfc_tag_read add one)
wpas_nfc_conf() {
	cat >"$OUT/wpas.conf" <<-EOC
		ctrl_interface=/run/$NS_STA-wpas
		ap_scan=0
		update_config=0
		uuid=$WPAS_UUID
		device_name=wpsx STA
		manufacturer=wpsx
		model_name=wpsx-sta-model
		model_number=2
		serial_number=0002
		device_type=1-0050F204-1
		os_version=01020300
		config_methods=keypad display nfc_interface ext_nfc_token int_nfc_token
	EOC
}
wpa_cli_() { ip netns exec "$NS_STA" wpa_cli -p "/run/$NS_STA-wpas" -i "$IF_STA" "$@"; }
start_nfc_wpas() {
	wpas_nfc_conf
	start_wpas
	for _ in $(seq 1 50); do [ -S "/run/$NS_STA-wpas/$IF_STA" ] && return 0; sleep 0.1; done
	BAD+=("wpa_supplicant's control socket did not appear")
	return 1
}

# wps ap reads wpa_supplicant's password token; $1 = ok | badhash
our_ap_reads_wpas_token() {
	start_ap || return
	start_nfc_wpas || return
	local tok
	tok="$(wpa_cli_ wps_nfc_token NDEF)"
	[ "$1" = badhash ] && tok="$(flip_hash "$tok")"
	echo "token=$tok" >>"$OUT/params.txt"
	ap_cmd_expect "wps_nfc_tag_read $tok"
	wpa_cli_ wps_nfc >/dev/null
	local tenths=$((TIMEOUT * 10))
	if [ "$1" = ok ]; then
		our_ap_delivered_to_wpas "$SSID" "$tenths"
		need "wpa_supplicant's M1 did not use its token's Device Password ID $((16#${tok:100:4}))" grep -q "WPS: Device Password ID $((16#${tok:100:4}))\$" "$OUT/wpas.log"
		stop_ap
		verdict "wps ap took wpa_supplicant's token: WPS-REG-SUCCESS; wpa_supplicant WPS-CRED-RECEIVED ssid=$SSID + WPS-SUCCESS"
	else
		our_ap_m2d_20_to_wpas "$tenths"
		stop_ap
		verdict "wps ap: M2D, WPS-FAIL msg=6 config_error=20; wpa_supplicant WPS-M2D config_error=20, no credential"
	fi
}
sc_our_ap_reads_wpas_nfc_token() { our_ap_reads_wpas_token ok; }
sc_our_ap_reads_wpas_nfc_token_badhash() { our_ap_reads_wpas_token badhash; }

sc_our_ap_nfc_config_wpas() {
	start_ap || return
	start_nfc_wpas || return
	ap_cmd "wps_nfc_config_token NDEF"
	local tok="$REPLY"
	echo "token=$tok" >>"$OUT/params.txt"
	need "wps ap's configuration token is not NDEF hex: '$tok'" grep -q -E '^D2[0-9A-F]+$' <<<"$tok"
	wpa_cli_ wps_nfc_tag_read "$tok" >/dev/null
	need "no WPS-CRED-RECEIVED in wpa_supplicant" wait_for "$OUT/wpas.log" 'WPS-CRED-RECEIVED' 50
	need "wpa_supplicant got another SSID" wpas_cred_ssid_has "$SSID"
	need "wpa_supplicant added no network $SSID" grep -q -F -- "$SSID" <<<"$(wpa_cli_ list_networks)"
	stop_ap
	verdict "wpa_supplicant read our configuration token: WPS-CRED-RECEIVED ssid=$SSID, network added"
}

# --------------------------------------------------------------------------
# NFC connection handover (Device Password ID 7): the request and select pass
# between the control interfaces as in shared/interop/nfc/wpsu-nfc.sh (its
# nfc-handover and nfc-handover-stale scenarios)

# flip the lowest bit of the first byte of a carrier record's Public Key Hash
# (after the 26-byte NDEF header, the 2-byte carrier length and the 4-byte
# OOB Device Password TLV header)
flip_carrier_hash() { printf '%s%02X%s\n' "${1:0:64}" $((0x${1:64:2} ^ 1)) "${1:66}"; }
# the Public Key Hash of a carrier record, lowercase hex
carrier_hash() { printf '%s\n' "${1:64:40}" | tr 'A-F' 'a-f'; }
# the 20 bytes hostapd / wpa_supplicant log after $2 (a hexdump line), lowercase hex
logged_hash() { grep -m1 -- "$2" "$1" | sed 's/.*): //' | tr -d ' \n'; }
hapd_raw() { ip netns exec "$NS_AP" wpa_cli -p "/run/$NS_AP-hostapd" -i "$IF_AP" raw "$@"; }

# hostapd <-> wps station by handover; $1 = ok | badreq | badsel | stale
hapd_handover_our_station() {
	hostapd_conf "$SSID" "$PASS" && start_hostapd || return
	local req sel reply
	if [ "$1" = stale ]; then
		echo "ap_token=$(hostapd_cli_ wps_nfc_token NDEF)" >>"$OUT/params.txt"
		hostapd_cli_ wps_nfc_token disable >/dev/null
	fi
	req="$("$WPS" nfc handover-req --out "$OUT/station.req" --uuid "$WPAS_UUID" 2>"$OUT/nfc-req.err")"
	need "wps nfc handover-req wrote no private request file" [ "$(stat -c %a "$OUT/station.req" 2>/dev/null)" = 600 ]
	sel="$(hostapd_cli_ nfc_get_handover_sel NDEF WPS-CR)"
	echo "request=$req" >>"$OUT/params.txt"
	echo "select=$sel" >>"$OUT/params.txt"
	local hapd_req="$req" our_sel="$sel"
	[ "$1" = badreq ] && hapd_req="$(flip_carrier_hash "$req")"
	[ "$1" = badsel ] && our_sel="$(flip_carrier_hash "$sel")"
	reply="$(hapd_raw NFC_REPORT_HANDOVER RESP WPS "$hapd_req" "$sel")"
	need "hostapd NFC_REPORT_HANDOVER answered '$reply'" [ "$reply" = OK ]
	start_station --nfc-handover-req "$OUT/station.req" --nfc-handover-sel "$our_sel"
	wait_prog
	need "hostapd did not take the request's hash" grep -q 'WPS: Enrollee Public Key hash' "$OUT/hostapd.log"
	need "hostapd did not add Device Password 7" grep -q 'WPS: Added NFC Device Password 7 to Registrar' "$OUT/hostapd.log"
	need "our M1 did not carry Device Password ID 7" grep -q 'WPS: Device Password ID 7$' "$OUT/hostapd.log"
	need "hostapd ran M3 (not the abbreviated handshake)" not grep -q 'WPS: Received M3' "$OUT/hostapd.log"
	case "$1" in
	ok)
		need "wps station exit $RC: $(last_line "$OUT/station.err")" [ "$RC" -eq 0 ]
		check_json "$OUT/station.out" "$SSID" "$PASS" "$STA_MAC"
		need "hostapd did not run the abbreviated handshake" grep -q 'abbreviated WPS handshake without Device Password' "$OUT/hostapd.log"
		need "hostapd logged another request hash" [ "$(logged_hash "$OUT/hostapd.log" 'Enrollee Public Key hash')" = "$(carrier_hash "$req")" ]
		need "no WPS-REG-SUCCESS $STA_MAC $WPAS_UUID in hostapd" wait_for "$OUT/hostapd.log" "WPS-REG-SUCCESS $STA_MAC $WPAS_UUID" 30
		verdict "hostapd: Device Password ID 7, abbreviated handshake, WPS-REG-SUCCESS; we: credential ssid=$SSID from M2"
		;;
	badreq)
		need "wps station exit $RC, not 1" [ "$RC" -eq 1 ]
		need "wps station: $(grep -m1 WPS-FAIL "$OUT/station.err")" grep -q -x 'WPS-FAIL msg=6 config_error=20' "$OUT/station.err"
		need "wps station did not say why" grep -q 'public key hash mismatch' "$OUT/station.err"
		need "hostapd logged no hash mismatch" grep -q 'WPS: Public Key hash mismatch' "$OUT/hostapd.log"
		need "hostapd delivered a credential" not grep -q -E 'WPS-REG-SUCCESS|Building Message M2$' "$OUT/hostapd.log"
		verdict "hostapd: Public Key hash mismatch, M2D; we: exit 1, WPS-FAIL msg=6 config_error=20"
		;;
	badsel | stale)
		need "wps station exit $RC, not 1" [ "$RC" -eq 1 ]
		need "wps station: $(grep -m1 WPS-FAIL "$OUT/station.err")" grep -q -x 'WPS-FAIL msg=5 config_error=20' "$OUT/station.err"
		need "wps station did not say why" grep -q 'public key hash mismatch' "$OUT/station.err"
		need "wps station printed a credential" [ ! -s "$OUT/station.out" ]
		need "hostapd: $(grep -o 'WPS-FAIL.*' "$OUT/hostapd.log" | head -1)" wait_for "$OUT/hostapd.log" 'WPS-FAIL msg=12 config_error=20' 30
		need "hostapd reported success" not grep -q 'WPS-REG-SUCCESS' "$OUT/hostapd.log"
		verdict "we NACK M2 (its key is not the select's): exit 1, WPS-FAIL msg=5 config_error=20; hostapd WPS-FAIL msg=12 config_error=20"
		;;
	esac
}
sc_hapd_handover_our_station() { hapd_handover_our_station ok; }
sc_hapd_handover_our_station_badreq() { hapd_handover_our_station badreq; }
sc_hapd_handover_our_station_badsel() { hapd_handover_our_station badsel; }
sc_hapd_handover_stale_our_station() { hapd_handover_our_station stale; }

# the handover/wps_reg network gets a BSSID; a wired port only "associates"
# with the PAE group address: clear it and reassociate (lab adjustment 1)
unpin_bssid() {
	local id
	for id in $(wpa_cli_ list_networks | awk 'NR > 1 { print $1 }'); do
		wpa_cli_ set_network "$id" bssid any >/dev/null
	done
	wpa_cli_ reassociate >/dev/null
}

# wpa_supplicant <-> wps ap by handover; $1 = ok | badreq | badsel
our_ap_handover_wpas() {
	start_ap || return
	start_nfc_wpas || return
	local req sel
	req="$(wpa_cli_ nfc_get_handover_req NDEF WPS-CR)"
	ap_cmd "nfc_get_handover_sel NDEF WPS-CR"
	sel="$REPLY"
	echo "request=$req" >>"$OUT/params.txt"
	echo "select=$sel" >>"$OUT/params.txt"
	need "wps ap's select is not NDEF hex: '$sel'" grep -q -E '^D2[0-9A-F]+$' <<<"$sel"
	local ap_req="$req" wpas_sel="$sel"
	[ "$1" = badreq ] && ap_req="$(flip_carrier_hash "$req")"
	[ "$1" = badsel ] && wpas_sel="$(flip_carrier_hash "$sel")"
	ap_cmd_expect "nfc_report_handover RESP WPS $ap_req $sel"
	wpa_cli_ nfc_report_handover INIT WPS "$req" "$wpas_sel" >/dev/null
	unpin_bssid
	local tenths=$((TIMEOUT * 10))
	need "wpa_supplicant did not take our select's hash" wait_for "$OUT/wpas.log" 'WPS: AP Public Key hash' 20
	need "wpa_supplicant's M1 did not carry Device Password ID 7" wait_for "$OUT/wpas.log" 'WPS:  \* Device Password ID \(7\)' "$tenths"
	case "$1" in
	ok)
		our_ap_delivered_to_wpas "$SSID" "$tenths"
		need "wpa_supplicant logged another select hash" [ "$(logged_hash "$OUT/wpas.log" 'AP Public Key hash')" = "$(carrier_hash "$sel")" ]
		need "wpa_supplicant: public key hash mismatch" not grep -q 'Public Key hash mismatch' "$OUT/wpas.log"
		need "wpa_supplicant ran M3 (not the abbreviated handshake)" not grep -q 'WPS: Building Message M3' "$OUT/wpas.log"
		stop_ap
		verdict "wps ap: WPS-REG-SUCCESS + WPS-SUCCESS after M1, M2, WSC_Done; wpa_supplicant WPS-CRED-RECEIVED ssid=$SSID + WPS-SUCCESS"
		;;
	badreq)
		our_ap_m2d_20_to_wpas "$tenths"
		stop_ap
		verdict "wps ap: M2D, WPS-FAIL msg=6 config_error=20; wpa_supplicant WPS-M2D config_error=20, no credential"
		;;
	badsel)
		need "wps ap: $(grep -m1 WPS-FAIL "$OUT/ap.out")" wait_for "$OUT/ap.out" '^WPS-FAIL msg=5 config_error=20$' "$tenths"
		need "wpa_supplicant logged no hash mismatch" wait_for "$OUT/wpas.log" 'WPS: Public Key hash mismatch' 20
		need "wpa_supplicant: no WPS-FAIL" wait_for "$OUT/wpas.log" 'WPS-FAIL' 20
		need "wpa_supplicant got a credential" not grep -q -E 'WPS-CRED-RECEIVED|WPS-SUCCESS' "$OUT/wpas.log"
		need "wps ap delivered a credential" not grep -q -E '^WPS-(REG-)?SUCCESS' "$OUT/ap.out"
		stop_ap
		verdict "wpa_supplicant: Public Key hash mismatch, WPS-FAIL (its NACK says 20); wps ap WPS-FAIL msg=5 config_error=20"
		;;
	esac
}
sc_our_ap_handover_wpas() { our_ap_handover_wpas ok; }
sc_our_ap_handover_wpas_badreq() { our_ap_handover_wpas badreq; }
sc_our_ap_handover_wpas_badsel() { our_ap_handover_wpas badsel; }

# wps ap's own password token (wps_nfc_token NDEF + enable) read by
# wpa_supplicant, which registers with it as external registrar (the lab's nfc-pw-ap)
sc_wpas_reads_our_ap_nfc_token() {
	start_ap --ap-pin "$AP_PIN" || return
	start_nfc_wpas || return
	local tok
	ap_cmd "wps_nfc_token NDEF"
	tok="$REPLY"
	echo "ap_token=$tok" >>"$OUT/params.txt"
	need "wps ap's token is not NDEF hex: '$tok'" grep -q -E '^D2[0-9A-F]+$' <<<"$tok"
	ap_cmd_expect "wps_nfc_token enable"
	wpa_cli_ wps_nfc_tag_read "$tok" >/dev/null
	wpa_cli_ wps_reg "$PAE_GROUP" nfc-pw >/dev/null
	unpin_bssid
	local tenths=$((TIMEOUT * 10))
	need "wpa_supplicant did not take our token" wait_for "$OUT/wpas.log" 'WPS: Add NFC Password Token for Password ID' 20
	need "no WPS-CRED-RECEIVED in wpa_supplicant" wait_for "$OUT/wpas.log" 'WPS-CRED-RECEIVED' "$tenths"
	need "wpa_supplicant did not match our M1 to the token" grep -q 'WPS: Found matching NFC Password Token' "$OUT/wpas.log"
	need "wpa_supplicant: public key hash mismatch" not grep -q 'Public Key hash mismatch' "$OUT/wpas.log"
	need "wpa_supplicant did not read our SSID from M7" wpas_cred_ssid_has "$SSID"
	need "wps ap: $(grep -m1 WPS-FAIL "$OUT/ap.out")" wait_for "$OUT/ap.out" '^WPS-FAIL msg=11 config_error=0$' 20
	need "wps ap does not say the settings were read" wait_for "$OUT/ap.err" "read the access point's settings" 20
	stop_ap
	verdict "wpa_supplicant matched our token (ID, hash, hex password) and read ssid=$SSID from M7; wps ap WPS-FAIL msg=11 config_error=0 (read only)"
}
PAE_GROUP=01:80:c2:00:00:03

# whether file $1 has at least $3 lines matching $2 within $4 tenths
# Multi-AP backhaul onboarding (hostapd's multi_ap, wpa_supplicant's multi_ap=1)
BH_SSID=wpsx-backhaul
BH_PASS=wpsx-backhaul-pass

# whether our JSON line in $1 says "backhaul": true
json_backhaul() {
	python3 -c 'import json, sys; sys.exit(0 if json.loads(open(sys.argv[1]).readline()).get("backhaul") is True else 1)' "$1" 2>/dev/null
}

sc_hapd_our_station_multiap() {
	MULTI_AP=3 hostapd_conf "$SSID" "$PASS" && MULTI_AP=3 start_hostapd || return
	hostapd_cli_ wps_pbc >/dev/null
	start_station --pbc --multi-ap
	wait_prog
	need "wps station exit $RC: $(last_line "$OUT/station.err")" [ "$RC" -eq 0 ]
	check_json "$OUT/station.out" "$BH_SSID" "$BH_PASS" "$STA_MAC"
	need "our JSON does not say \"backhaul\":true" json_backhaul "$OUT/station.out"
	need "hostapd did not read our Multi-AP subelement" grep -q 'WPS: Multi-AP extension value 80' "$OUT/hostapd.log"
	need "hostapd did not use the backhaul credentials" grep -q 'WPS: Use backhaul STA credentials' "$OUT/hostapd.log"
	need "no WPS-REG-SUCCESS in hostapd" grep -q 'WPS-REG-SUCCESS' "$OUT/hostapd.log"
	verdict "credential ssid=$BH_SSID auth=WPA2-PSK encr=AES \"backhaul\":true; hostapd: Multi-AP extension value 80, Use backhaul STA credentials, WPS-REG-SUCCESS"
}

sc_hapd_our_station_multiap_plain() {
	MULTI_AP=3 hapd_vs_our_station pbc "--pbc" ok
	[ "$RESULT" = PASS ] || return
	need "our JSON says \"backhaul\"" not grep -q backhaul "$OUT/station.out"
	need "hostapd saw the Backhaul STA flag" not grep -q 'WPS: Multi-AP extension value 80' "$OUT/hostapd.log"
	need "hostapd used the backhaul credentials" not grep -q 'WPS: Use backhaul STA credentials' "$OUT/hostapd.log"
	verdict "$WHY; no Multi-AP subelement, the fronthaul network"
}

sc_our_ap_wpas_multiap() {
	AP_ARGS="--multi-ap 3 --backhaul-ssid $BH_SSID --backhaul-passphrase $BH_PASS" WANT_SSID=$BH_SSID \
		our_ap_vs_wpas "pbc=1 multi_ap=1" "wps_pbc" ok
	[ "$RESULT" = PASS ] || return
	need "wpa_supplicant got the fronthaul SSID" not wpas_cred_ssid_has "$SSID"
	need "wpa_supplicant's M1 had no Multi-AP subelement" grep -q -F 'WPS:  * Multi-AP (0x80)' "$OUT/wpas.log"
	verdict "$WHY (the backhaul network)"
}

sc_our_ap_wpas_multiap_plain() {
	AP_ARGS="--multi-ap 3 --backhaul-ssid $BH_SSID --backhaul-passphrase $BH_PASS" \
		our_ap_vs_wpas "pbc=1" "wps_pbc" ok
	[ "$RESULT" = PASS ] || return
	need "wpa_supplicant got the backhaul SSID" not wpas_cred_ssid_has "$BH_SSID"
	need "wpa_supplicant's M1 had a Multi-AP subelement" not grep -q -F 'WPS:  * Multi-AP' "$OUT/wpas.log"
	verdict "$WHY (the fronthaul network)"
}

wait_for_count() { # file regex n tenths
	for _ in $(seq 1 "$4"); do
		[ "$(count "$1" "$2")" -ge "$3" ] && return 0
		sleep 0.1
	done
	return 1
}

# --------------------------------------------------------------------------

if [ "${1:-}" = --list ]; then
	list_scenarios 36
	exit 0
fi

select_scenarios "$@"

# The lab needs root, network namespaces, hostapd and wpa_supplicant.
check_lab "interop scenarios" wpsx-probe hostapd hostapd_cli wpa_supplicant ip python3 timeout

trap cleanup EXIT
trap 'exit 130' INT TERM

build_wps "${WPSX_NO_BUILD:-}"

new_params() {
	PIN="$(pin_from_prefix "$(random_prefix)")"
	SSID="wpsx-$(random_hex 3)"
	PASS="pass-$(random_hex 8)"
	AP_PIN="$(pin_from_prefix "$(random_prefix)")"
	printf 'pin=%s ssid=%s passphrase=%s ap_pin=%s\n' "$PIN" "$SSID" "$PASS" "$AP_PIN" >"$OUT/params.txt"
}
run_scenarios "interop summary" 36 "params.txt, *.log, *.out, *.err, eapol.pcap"
