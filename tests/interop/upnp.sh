#!/bin/bash
# Interop scenarios for the PC path: our `wps er` (external registrar over UPnP,
# WFAWLANConfig:1) against Debian's hostapd as the access point's UPnP device,
# with a wpa_supplicant enrollee behind it. Three network namespaces, two veth
# pairs, no radio. See README.md here.
#
#   wpsu-sta                      wpsu-ap                                   wpsu-er
#   wpa_supplicant -D wired       hostapd -D wired + UPnP device            wps er
#   enrollee ("printer")          AP + internal registrar ("router")        external registrar ("PC")
#   wpsu-sta0 === EAPOL === wpsu-ap0     wpsu-lan0 === IPv4, UPnP === wpsu-er0
#                                        192.168.77.1/24                   192.168.77.2/24
#
# Usage (root; needs hostapd wpasupplicant iproute2 python3, tcpdump optional):
#   tests/interop/upnp.sh                run every scenario
#   tests/interop/upnp.sh NAME...        run the named scenarios
#   tests/interop/upnp.sh --list         list the scenarios
# Env:
#   WPSU_OUT=DIR             per-scenario logs/pcaps (default /tmp/wps-interop-upnp)
#   WPSU_NO_BUILD=1          do not build the wps command first
#   WPSU_TIMEOUT=SECS        how long one step may take (default 20)
#   CARGO_TARGET_DIR         where target/debug/wps is (default ./target)
#   WPS_INTEROP_OPTIONAL=1   without root, network namespaces, hostapd or
#                            wpa_supplicant: print SKIPPED and exit 0 (else exit 2)
#
# Our program (cli/, binary wps):
#   wps er --iface IF   -> wpa_cli's wps_er_* commands on stdin, one reply line
#                          each (OK / FAIL <reason>); wpa_supplicant's event lines on
#                          stdout (WPS-ER-AP-ADD, WPS-ER-AP-SETTINGS, WPS-SUCCESS, ...)
#
# hostapd on a wired port never sees an 802.11 Association Request, so it never
# flags the station as a WPS station and drops every PutWLANResponse for it
# ("WPS UPnP: No matching STA found"). Before the enrollee starts, the scenarios
# that relay an enrollee feed hostapd the Authentication and Association Request
# a Wi-Fi printer would send, through its testing commands (MGMT_RX_PROCESS).
#
# Each scenario gets a fresh random PIN, AP PIN, SSID and passphrase. Everything
# we start is stopped by PID and the namespaces are deleted by a trap, also on
# failure or Ctrl-C. Exit status: 0 if every scenario PASSed, 1 if one FAILed,
# 2 on a setup error.
set -u

REPO="$(cd "$(dirname "$0")/../.." && pwd)"
OUT_ROOT="${WPSU_OUT:-/tmp/wps-interop-upnp}"
TIMEOUT="${WPSU_TIMEOUT:-20}"
TARGET="${CARGO_TARGET_DIR:-$REPO/target}"
WPS="$TARGET/debug/wps"
NS_AP=wpsu-ap
NS_STA=wpsu-sta
NS_ER=wpsu-er
IF_AP=wpsu-ap0
IF_STA=wpsu-sta0
IF_LAN=wpsu-lan0
IF_ER=wpsu-er0
IP_LAN=192.168.77.1
IP_ER=192.168.77.2
AP_MAC=02:00:00:00:5a:01
LAN_MAC=02:00:00:00:5a:02
STA_MAC=02:00:00:00:5b:01
ER_MAC=02:00:00:00:5c:01
AP_UUID=12345678-9abc-def0-1234-56789abcdef0
STA_UUID=87654321-9abc-def0-1234-56789abcdef0
PIDS=()
ER_FD=
trap '' PIPE

SCENARIOS=(
	"our-er-learn|wps er: wps_er_learn any AP_PIN reads hostapd's settings (WPS-ER-AP-SETTINGS)"
	"our-er-enrollee-pin|wps er: learn, then wps_er_pin any PIN MAC; a wpa_supplicant enrollee relayed by hostapd gets hostapd's network"
	"our-er-config|wps er: wps_er_config any AP_PIN with a new SSID and passphrase; hostapd takes them (WPS-NEW-AP-SETTINGS)"
)

# --------------------------------------------------------------------------
# helpers

# shared with the other labs: log, pin_from_prefix, wait_for, random_*, to_hex, stop_pids,
# need, verdict, last_line, not
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"


netns_down() {
	ip netns del "$NS_AP" 2>/dev/null
	ip netns del "$NS_STA" 2>/dev/null
	ip netns del "$NS_ER" 2>/dev/null
	# veth pairs left in the root namespace by an interrupted setup
	ip link del "$IF_AP" 2>/dev/null
	ip link del "$IF_LAN" 2>/dev/null
	rm -rf "/run/$NS_AP-hostapd" "/run/$NS_STA-wpas"
}

close_er_stdin() {
	if [ -n "$ER_FD" ]; then
		exec {ER_FD}>&-
		ER_FD=
	fi
}

cleanup() {
	close_er_stdin
	stop_pids
	netns_down
}

netns_up() {
	netns_down
	ip netns add "$NS_AP" && ip netns add "$NS_STA" && ip netns add "$NS_ER" &&
		ip link add "$IF_AP" type veth peer name "$IF_STA" &&
		ip link add "$IF_LAN" type veth peer name "$IF_ER" &&
		ip link set "$IF_AP" netns "$NS_AP" && ip link set "$IF_LAN" netns "$NS_AP" &&
		ip link set "$IF_STA" netns "$NS_STA" && ip link set "$IF_ER" netns "$NS_ER" &&
		ip -n "$NS_AP" link set "$IF_AP" address "$AP_MAC" up &&
		ip -n "$NS_AP" link set "$IF_LAN" address "$LAN_MAC" up &&
		ip -n "$NS_STA" link set "$IF_STA" address "$STA_MAC" up &&
		ip -n "$NS_ER" link set "$IF_ER" address "$ER_MAC" up &&
		ip -n "$NS_AP" addr add "$IP_LAN/24" dev "$IF_LAN" &&
		ip -n "$NS_ER" addr add "$IP_ER/24" dev "$IF_ER" &&
		ip -n "$NS_AP" link set lo up && ip -n "$NS_STA" link set lo up && ip -n "$NS_ER" link set lo up &&
		# hostapd adds this route itself too; `wps er` needs none (it sends from the
		# interface's address)
		ip -n "$NS_AP" route replace 239.0.0.0/8 dev "$IF_LAN"
}



capture() {
	command -v tcpdump >/dev/null || return 0
	start_bg "$NS_ER" "$OUT/tcpdump-upnp.log" tcpdump --immediate-mode -i "$IF_ER" -U -w "$OUT/upnp.pcap"
	start_bg "$NS_STA" "$OUT/tcpdump-eapol.log" tcpdump --immediate-mode -i "$IF_STA" -U -w "$OUT/eapol.pcap" ether proto 0x888e
	wait_for "$OUT/tcpdump-upnp.log" 'listening on' 30
	wait_for "$OUT/tcpdump-eapol.log" 'listening on' 30
}

hostapd_conf() {
	wired_hostapd_conf "$IF_AP" "/run/$NS_AP-hostapd" "$SSID" "$PASS" "$AP_UUID" wpsu >"$OUT/hostapd.conf"
	cat >>"$OUT/hostapd.conf" <<-EOC
		ap_pin=$AP_PIN
		upnp_iface=$IF_LAN
		friendly_name=wpsu UPnP AP
		manufacturer_url=http://www.example.com/
		model_description=wpsu test access point
		model_url=http://www.example.com/model/
	EOC
}

start_hostapd() {
	hostapd_conf
	start_bg "$NS_AP" "$OUT/hostapd.log" hostapd -dd -t "$OUT/hostapd.conf"
	wait_for "$OUT/hostapd.log" 'AP-ENABLED' 50 || { BAD+=("hostapd did not start"); return 1; }
}

hostapd_cli_() { ip netns exec "$NS_AP" hostapd_cli -p "/run/$NS_AP-hostapd" -i "$IF_AP" "$@"; }
# wpa_cli speaks the same control protocol; `raw` passes what hostapd_cli lacks
hostapd_raw() { ip netns exec "$NS_AP" wpa_cli -p "/run/$NS_AP-hostapd" -i "$IF_AP" raw "$@"; }

# `wps er` in the ER namespace with a fifo as its stdin (held open on ER_FD);
# returns once it found hostapd (WPS-ER-AP-ADD)
start_er() {
	rm -f "$OUT/er.in"
	mkfifo "$OUT/er.in"
	ip netns exec "$NS_ER" "$WPS" er --iface "$IF_ER" <"$OUT/er.in" >"$OUT/er.out" 2>"$OUT/er.err" &
	ER_PID=$!
	PIDS+=("$ER_PID")
	exec {ER_FD}>"$OUT/er.in"
	# hostapd answers M-SEARCH after a random delay of up to MX (3) seconds
	wait_for "$OUT/er.out" "^WPS-ER-AP-ADD $AP_UUID $AP_MAC " 80 ||
		{ BAD+=("wps er did not find hostapd: $(last_line "$OUT/er.err")"); return 1; }
}

# the reply lines of wps er so far (everything that is not an event line)
er_replies() { grep -v -E '^[A-Z]+(-[A-Z]+)+( |$)' "$OUT/er.out" 2>/dev/null; }

# one command to wps er; its reply must be OK
er_cmd() { # command line
	local before reply
	before="$(er_replies | wc -l)"
	echo "$1" >&"$ER_FD"
	for _ in $(seq 1 30); do
		[ "$(er_replies | wc -l)" -gt "$before" ] && break
		sleep 0.1
	done
	reply="$(er_replies | sed -n "$((before + 1))p")"
	printf '> %s\n%s\n' "$1" "$reply" >>"$OUT/er.commands"
	need "wps er: '$1' answered '$reply', not 'OK'" [ "$reply" = OK ]
}

# EOF on wps er's stdin ends it; it must exit 0 within 5 s
stop_er() {
	local rc=124
	close_er_stdin
	for _ in $(seq 1 50); do kill -0 "$ER_PID" 2>/dev/null || break; sleep 0.1; done
	if kill -0 "$ER_PID" 2>/dev/null; then
		kill -9 "$ER_PID" 2>/dev/null
		wait "$ER_PID" 2>/dev/null
	else
		wait "$ER_PID"
		rc=$?
	fi
	need "wps er exit $rc at EOF: $(last_line "$OUT/er.err")" [ "$rc" -eq 0 ]
}

# The Authentication and the Association Request (with a WPS IE: Version 0x10,
# Request Type 0x01, Version2) a Wi-Fi enrollee sends, as hex for MGMT_RX_PROCESS.
mgmt_frames() {
	python3 - "$STA_MAC" "$AP_MAC" "$SSID" <<-'EOP'
		import struct, sys
		sta, bssid = (bytes.fromhex(m.replace(':', '')) for m in sys.argv[1:3])
		ssid = sys.argv[3].encode()
		def hdr(fc):
		    return fc + b'\0\0' + bssid + sta + bssid + b'\0\0'
		def tlv(t, v):
		    return struct.pack('>HH', t, len(v)) + v
		wps = tlv(0x104a, b'\x10') + tlv(0x103a, b'\x01') + tlv(0x1049, bytes.fromhex('00372a000120'))
		ies = (bytes([0, len(ssid)]) + ssid + bytes.fromhex('010882848b960c121824')
		       + bytes([0xdd, 4 + len(wps)]) + bytes.fromhex('0050f204') + wps)
		print((hdr(b'\xb0\x00') + struct.pack('<HHH', 0, 1, 0)).hex())
		print((hdr(b'\x00\x00') + struct.pack('<HH', 0x0001, 10) + ies).hex())
	EOP
}

inject_assoc() {
	local f
	hostapd_raw SET ext_mgmt_frame_handling 1 >/dev/null
	for f in $(mgmt_frames); do
		hostapd_raw MGMT_RX_PROCESS freq=2412 "frame=$f" >/dev/null
	done
	hostapd_raw SET ext_mgmt_frame_handling 0 >/dev/null
	hostapd_cli_ sta "$STA_MAC" >"$OUT/sta-flags.txt"
	need "hostapd did not flag the injected station as WPS" grep -q '\[WPS\]' "$OUT/sta-flags.txt"
}

wpas_conf() { # phase1
	wired_wpas_conf "/run/$NS_STA-wpas" "$STA_UUID" wpsu 3-0050F204-1 \
		"WFA-SimpleConfig-Enrollee-1-0" "$1" >"$OUT/wpas.conf"
}

# the SSID line wpa_supplicant logs for the credential, as hexdump_ascii's text
wpas_cred_ssid() { grep -A1 'WPS: SSID - hexdump_ascii' "$OUT/wpas.log" | grep -q -- "$1"; }

# wps er learns hostapd's settings; sets nothing, checks the line
learn() {
	er_cmd "wps_er_learn any $AP_PIN"
	need "no WPS-ER-AP-SETTINGS with hostapd's network" wait_for "$OUT/er.out" \
		"^WPS-ER-AP-SETTINGS uuid=$AP_UUID ssid=$SSID auth_type=0x0020 encr_type=0x0008 key=$PASS\$" $((TIMEOUT * 10))
}

# --------------------------------------------------------------------------
# scenarios

sc_our_er_learn() {
	start_hostapd || return
	start_er || return
	learn
	need "hostapd did not serve PutMessage" wait_for "$OUT/hostapd.log" 'WPS UPnP: PutMessage' 20
	# read only: the ER NACKs after M7, as wpa_supplicant's does
	need "hostapd did not see our NACK after M7" wait_for "$OUT/hostapd.log" 'WPS-FAIL msg=11 config_error=0' 20
	need "hostapd changed its settings" not grep -q 'WPS-NEW-AP-SETTINGS' "$OUT/hostapd.log"
	stop_er
	need "hostapd saw no UNSUBSCRIBE at EOF" wait_for "$OUT/hostapd.log" 'HTTP UNSUBSCRIBE|Unsubscribe' 20
	verdict "WPS-ER-AP-SETTINGS ssid=$SSID key=$PASS"
}

sc_our_er_enrollee_pin() {
	start_hostapd || return
	start_er || return
	learn
	er_cmd "wps_er_pin any $PIN $STA_MAC"
	need "no WPS-ER-AP-SET-SEL-REG state=DONE" wait_for "$OUT/er.out" "^WPS-ER-AP-SET-SEL-REG uuid=$AP_UUID state=DONE\$" 50
	inject_assoc
	wpas_conf "pin=$PIN"
	start_bg "$NS_STA" "$OUT/wpas.log" wpa_supplicant -dd -t -D wired -i "$IF_STA" -c "$OUT/wpas.conf"
	wait_for "$OUT/wpas.log" 'WPS-SUCCESS|WPS-FAIL|CTRL-EVENT-EAP-FAILURE' $((TIMEOUT * 10))
	need "wps er printed no WPS-SUCCESS" wait_for "$OUT/er.out" '^WPS-SUCCESS$' 30
	need "wps er printed no WPS-ER-ENROLLEE-ADD with M1=1" \
		grep -q -E "^WPS-ER-ENROLLEE-ADD $STA_UUID $STA_MAC M1=1 " "$OUT/er.out"
	need "wpa_supplicant got no credential (WPS-CRED-RECEIVED)" grep -q 'WPS-CRED-RECEIVED' "$OUT/wpas.log"
	need "wpa_supplicant printed no WPS-SUCCESS" grep -q 'WPS-SUCCESS' "$OUT/wpas.log"
	need "the credential's SSID is not $SSID" wpas_cred_ssid "$SSID"
	need "hostapd relayed no M2 from us (PutWLANResponse)" grep -q 'PutWLANResponse' "$OUT/hostapd.log"
	stop_er
	verdict "enrollee got $SSID through hostapd's relay; WPS-SUCCESS on both sides"
}

sc_our_er_config() {
	local new_ssid new_pass
	new_ssid="wpsu-$(random_hex 3)"
	new_pass="new-$(random_hex 8)"
	echo "new_ssid=$new_ssid new_passphrase=$new_pass" >>"$OUT/params.txt"
	start_hostapd || return
	start_er || return
	er_cmd "wps_er_config any $AP_PIN $(to_hex "$new_ssid") WPA2PSK CCMP $(to_hex "$new_pass")"
	need "hostapd printed no WPS-NEW-AP-SETTINGS" wait_for "$OUT/hostapd.log" 'WPS-NEW-AP-SETTINGS' $((TIMEOUT * 10))
	need "wps er printed no WPS-SUCCESS" wait_for "$OUT/er.out" '^WPS-SUCCESS$' 30
	# hostapd rewrites its configuration file with the new settings
	need "hostapd's config does not say ssid=$new_ssid" wait_for "$OUT/hostapd.conf" "^ssid=$new_ssid\$" 30
	need "hostapd's config does not say wpa_passphrase=$new_pass" grep -q "^wpa_passphrase=$new_pass\$" "$OUT/hostapd.conf"
	stop_er
	verdict "hostapd took ssid=$new_ssid"
}

# --------------------------------------------------------------------------

if [ "${1:-}" = --list ]; then
	list_scenarios 24
	exit 0
fi

select_scenarios "$@"

check_lab "UPnP interop scenarios" wpsu-probe hostapd hostapd_cli wpa_supplicant wpa_cli ip python3 mkfifo

trap cleanup EXIT
trap 'exit 130' INT TERM

build_wps "${WPSU_NO_BUILD:-}"

new_params() {
	PIN="$(pin_from_prefix "$(random_prefix)")"
	AP_PIN="$(pin_from_prefix "$(random_prefix)")"
	SSID="wpsu-$(random_hex 3)"
	PASS="pass-$(random_hex 8)"
	printf 'pin=%s ap_pin=%s ssid=%s passphrase=%s\n' "$PIN" "$AP_PIN" "$SSID" "$PASS" >"$OUT/params.txt"
}
run_scenario() {
	capture
	"sc_${1//-/_}"
	[ "$RESULT" = PASS ] || verdict "?"
}
after_scenario() { close_er_stdin; }
run_scenarios "UPnP interop summary" 24 \
	"params.txt, hostapd.log, wpas.log, er.out, er.err, er.commands, *.pcap"
