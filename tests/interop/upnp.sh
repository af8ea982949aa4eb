#!/bin/bash
# Interop scenarios for the PC path (WFAWLANConfig:1 over UPnP): our `wps er`
# (external registrar) against Debian's hostapd as the access point's UPnP device,
# with a wpa_supplicant enrollee behind it; wpa_supplicant's external registrar
# (wps_er_*) against our `wps ap --upnp-iface`; and ours against ours
# (`wps er` <-> `wps ap` <-> `wps station`). Three network namespaces, two veth
# pairs, no radio. Modelled on shared/interop/upnp/wpsu-lab.sh; see README.md here.
#
#   wpsu-sta                      wpsu-ap                                   wpsu-er
#   wpa_supplicant -D wired       hostapd -D wired + UPnP device            wps er
#     or wps station                or wps ap --upnp-iface wpsu-lan0          or wpa_supplicant -D none
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
#   WPSU_BREAK=ap-pin|pin|1  a broken setup, to see every scenario FAIL: the external
#                            registrar is given a wrong AP PIN (ap-pin), the enrollee
#                            a PIN other than the one the registrar accepts (pin), or
#                            both (1)
#
# Our program (cli/, binary wps):
#   wps er --iface IF   -> wpa_cli's wps_er_* commands on stdin, one reply line
#                          each (OK / FAIL <reason>); wpa_supplicant's event lines on
#                          stdout (WPS-ER-AP-ADD, WPS-ER-AP-SETTINGS, WPS-SUCCESS, ...)
#   wps ap --iface IF --upnp-iface LAN ...
#                       -> hostapd_cli's commands on stdin, hostapd's event lines on
#                          stdout; a relayed registration is logged on stderr
#   wps station --iface IF --pin PIN -> the credential as JSON on stdout
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

# shared with the other labs: log, lab_settings, pin_from_prefix, wait_for, random_*,
# to_hex, netns_add, veth_pair, stop_pids, need, verdict, last_line, not
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
lab_settings WPSU /tmp/wps-interop-upnp 20
NS_AP=wpsu-ap NS_STA=wpsu-sta NS_ER=wpsu-er
IF_AP=wpsu-ap0 IF_STA=wpsu-sta0 IF_LAN=wpsu-lan0 IF_ER=wpsu-er0
IP_LAN=192.168.77.1 IP_ER=192.168.77.2
AP_MAC=02:00:00:00:5a:01 LAN_MAC=02:00:00:00:5a:02 STA_MAC=02:00:00:00:5b:01 ER_MAC=02:00:00:00:5c:01
AP_UUID=12345678-9abc-def0-1234-56789abcdef0 STA_UUID=87654321-9abc-def0-1234-56789abcdef0
PIDS=()
ER_FD=
AP_FD=
trap '' PIPE

SCENARIOS=(
	"our-er-learn|wps er: wps_er_learn any AP_PIN reads hostapd's settings (WPS-ER-AP-SETTINGS)"
	"our-er-enrollee-pin|wps er: learn, then wps_er_pin any PIN MAC; a wpa_supplicant enrollee relayed by hostapd gets hostapd's network"
	"our-er-enrollee-pbc|wps er: learn; an injected push-button Probe Request reaches us (M1=0); wps_er_pbc UUID; a pbc=1 enrollee gets hostapd's network"
	"our-er-config|wps er: wps_er_config any AP_PIN with a new SSID and passphrase; hostapd takes them (WPS-NEW-AP-SETTINGS)"
	"wpas-er-learn|wpa_supplicant's ER: wps_er_learn UUID AP_PIN reads our wps ap's settings over UPnP (WPS-ER-AP-SETTINGS)"
	"wpas-er-config|wpa_supplicant's ER: wps_er_config UUID AP_PIN with a new SSID and passphrase; our wps ap takes them"
	"wpas-er-enrollee|wpa_supplicant's ER: learn, wps_er_pin any PIN MAC; a wpa_supplicant enrollee registered through our wps ap's relay"
	"our-er-our-ap|wps er <-> wps ap --upnp-iface <-> wps station: learn, wps_er_pin; the station gets our AP's network through the relay"
	"our-ap-hostile|wps ap --upnp-iface against hostile requests: garbage, oversized, off-subnet callback, SetSelectedRegistrar from a stranger, idle and surplus connections"
)

# --------------------------------------------------------------------------
# helpers

netns_down() {
	ip netns del "$NS_AP" 2>/dev/null
	ip netns del "$NS_STA" 2>/dev/null
	ip netns del "$NS_ER" 2>/dev/null
	# veth pairs left in the root namespace by an interrupted setup
	ip link del "$IF_AP" 2>/dev/null
	ip link del "$IF_LAN" 2>/dev/null
	rm -rf "/run/$NS_AP-hostapd" "/run/$NS_STA-wpas" "/run/$NS_ER-wpas"
}

close_er_stdin() { close_fd ER_FD; }

close_ap_stdin() { close_fd AP_FD; }

cleanup() {
	close_er_stdin
	close_ap_stdin
	stop_pids
	netns_down
}

netns_up() {
	netns_down
	netns_add "$NS_AP" "$NS_STA" "$NS_ER" &&
		veth_pair "$IF_AP" "$NS_AP" "$AP_MAC" "$IF_STA" "$NS_STA" "$STA_MAC" &&
		veth_pair "$IF_LAN" "$NS_AP" "$LAN_MAC" "$IF_ER" "$NS_ER" "$ER_MAC" &&
		ip -n "$NS_AP" addr add "$IP_LAN/24" dev "$IF_LAN" &&
		ip -n "$NS_ER" addr add "$IP_ER/24" dev "$IF_ER" &&
		# hostapd adds this route itself, `wps ap --upnp-iface` does not (the kernel's
		# routes choose the interface of its multicast SSDP); `wps er` needs none (it
		# sends from the interface's address)
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
	cat >"$OUT/hostapd.conf" <<-EOC
		interface=$IF_AP
		driver=wired
		ctrl_interface=/run/$NS_AP-hostapd
		logger_stdout=-1
		logger_stdout_level=0
		ieee8021x=1
		eapol_version=2
		eap_server=1
		ssid=$SSID
		wpa=2
		wpa_key_mgmt=WPA-PSK
		wpa_passphrase=$PASS
		rsn_pairwise=CCMP
		wps_state=2
		uuid=$AP_UUID
		device_name=wpsu AP
		manufacturer=wpsu
		model_name=wpsu-model
		model_number=1
		serial_number=0001
		device_type=6-0050F204-1
		os_version=01020300
		config_methods=label display keypad
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
start_er() { # [later: do not wait for the access point]
	rm -f "$OUT/er.in"
	mkfifo "$OUT/er.in"
	ip netns exec "$NS_ER" "$WPS" er --iface "$IF_ER" <"$OUT/er.in" >"$OUT/er.out" 2>"$OUT/er.err" &
	ER_PID=$!
	PIDS+=("$ER_PID")
	exec {ER_FD}>"$OUT/er.in"
	[ "${1:-}" = later ] && return 0
	# hostapd answers M-SEARCH after a random delay of up to MX (3) seconds
	wait_for "$OUT/er.out" "^WPS-ER-AP-ADD $AP_UUID $AP_MAC " 80 ||
		{ BAD+=("wps er did not find the access point: $(last_line "$OUT/er.err")"); return 1; }
}

# one command to wps er; its reply must be OK
er_cmd() { # command line
	send_cmd "$OUT/er.out" "$ER_FD" "$1"
	need "wps er: '$1' answered '$REPLY', not 'OK'" [ "$REPLY" = OK ]
}

# a program whose stdin was closed must exit 0 within 5 s
wait_exit() { # pid name stderr-file
	local rc=124
	for _ in $(seq 1 50); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
	if kill -0 "$1" 2>/dev/null; then
		kill -9 "$1" 2>/dev/null
		wait "$1" 2>/dev/null
	else
		wait "$1"
		rc=$?
	fi
	need "$2 exit $rc at EOF: $(last_line "$3")" [ "$rc" -eq 0 ]
}

# EOF on wps er's stdin ends it
stop_er() {
	close_er_stdin
	wait_exit "$ER_PID" "wps er" "$OUT/er.err"
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

# the head of a wpa_supplicant configuration: control interface and WPS identity
wpas_head() { # ctrl_interface uuid role number device_type
	cat <<-EOC
		ctrl_interface=$1
		update_config=0
		uuid=$2
		device_name=wpsu $3
		manufacturer=wpsu
		model_name=wpsu-$3-model
		model_number=$4
		serial_number=000$4
		device_type=$5
		os_version=01020300
		config_methods=keypad display
	EOC
}

# A push-button enrollee's Probe Request (WPS IE: Config Methods, UUID-E, Primary Device
# Type, Device Password ID 4, Device Name, Version2), as hex for MGMT_RX_PROCESS.
probe_frame() {
	python3 - "$STA_MAC" "$STA_UUID" <<-'EOP'
		import struct, sys
		sta = bytes.fromhex(sys.argv[1].replace(':', ''))
		uuid = bytes.fromhex(sys.argv[2].replace('-', ''))
		def tlv(t, v):
		    return struct.pack('>HH', t, len(v)) + v
		wps = (tlv(0x104a, b'\x10') + tlv(0x103a, b'\x01') + tlv(0x1008, struct.pack('>H', 0x0680))
		       + tlv(0x1047, uuid) + tlv(0x1054, bytes.fromhex('00030050f2040001'))
		       + tlv(0x103c, b'\x03') + tlv(0x1002, b'\0\0') + tlv(0x1009, b'\0\0')
		       + tlv(0x1012, struct.pack('>H', 4)) + tlv(0x1021, b' ') + tlv(0x1023, b' ')
		       + tlv(0x1024, b' ') + tlv(0x1011, b'wpsu STA') + tlv(0x1049, bytes.fromhex('00372a000120')))
		bc = b'\xff' * 6
		ies = (b'\x00\x00' + bytes.fromhex('010882848b960c121824')
		       + bytes([0xdd, 4 + len(wps)]) + bytes.fromhex('0050f204') + wps)
		print((b'\x40\x00\x00\x00' + bc + sta + bc + b'\x00\x00' + ies).hex())
	EOP
}

inject_probe() {
	hostapd_raw SET ext_mgmt_frame_handling 1 >/dev/null
	hostapd_raw MGMT_RX_PROCESS freq=2412 "frame=$(probe_frame)" >/dev/null
	hostapd_raw SET ext_mgmt_frame_handling 0 >/dev/null
}

wpas_conf() { # phase1
	{
		wpas_head "/run/$NS_STA-wpas" "$STA_UUID" STA 2 3-0050F204-1
		echo ap_scan=0
	} >"$OUT/wpas.conf"
	cat >>"$OUT/wpas.conf" <<-EOC
		network={
		 key_mgmt=IEEE8021X
		 eap=WSC
		 identity="WFA-SimpleConfig-Enrollee-1-0"
		 phase1="$1"
		 eapol_flags=0
		}
	EOC
}

# the SSID line wpa_supplicant logs for the credential, as hexdump_ascii's text
wpas_cred_ssid() { grep -A1 'WPS: SSID - hexdump_ascii' "$OUT/wpas.log" | grep -q -- "$1"; }

# a wpa_supplicant enrollee on the EAPOL port; it must get the network $SSID
wpas_enrollee() { # phase1
	wpas_conf "$1"
	start_bg "$NS_STA" "$OUT/wpas.log" wpa_supplicant -dd -t -D wired -i "$IF_STA" -c "$OUT/wpas.conf"
	wait_for "$OUT/wpas.log" 'WPS-SUCCESS|WPS-FAIL|CTRL-EVENT-EAP-FAILURE' $((TIMEOUT * 10))
	need "the enrollee (wpa_supplicant) got no credential (WPS-CRED-RECEIVED)" grep -q 'WPS-CRED-RECEIVED' "$OUT/wpas.log"
	need "the enrollee (wpa_supplicant) printed no WPS-SUCCESS" grep -q 'WPS-SUCCESS' "$OUT/wpas.log"
	need "the credential's SSID is not $SSID" wpas_cred_ssid "$SSID"
}

# wps er learns hostapd's settings; sets nothing, checks the line
learn() {
	er_cmd "wps_er_learn any $GIVEN_AP_PIN"
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
	wpas_enrollee "pin=$GIVEN_PIN"
	need "wps er printed no WPS-SUCCESS" wait_for "$OUT/er.out" '^WPS-SUCCESS$' 30
	need "wps er printed no WPS-ER-ENROLLEE-ADD with M1=1" \
		grep -q -E "^WPS-ER-ENROLLEE-ADD $STA_UUID $STA_MAC M1=1 " "$OUT/er.out"
	need "hostapd relayed no M2 from us (PutWLANResponse)" grep -q 'PutWLANResponse' "$OUT/hostapd.log"
	stop_er
	verdict "enrollee got $SSID through hostapd's relay; WPS-SUCCESS on both sides"
}

sc_our_er_enrollee_pbc() {
	# the broken setup (WPSU_BREAK=pin): the enrollee uses a PIN, not the button
	local phase1="pbc=1"
	[ "$GIVEN_PIN" = "$PIN" ] || phase1="pin=$GIVEN_PIN"
	start_hostapd || return
	start_er || return
	learn
	inject_probe
	need "wps er printed no WPS-ER-ENROLLEE-ADD with M1=0 (from the Probe Request)" \
		wait_for "$OUT/er.out" "^WPS-ER-ENROLLEE-ADD $STA_UUID $STA_MAC M1=0 .*dev_passwd_id=4 " 50
	er_cmd "wps_er_pbc $STA_UUID"
	need "no WPS-ER-AP-SET-SEL-REG state=DONE" wait_for "$OUT/er.out" "^WPS-ER-AP-SET-SEL-REG uuid=$AP_UUID state=DONE\$" 50
	need "hostapd did not take our push-button selection" wait_for "$OUT/hostapd.log" 'External Registrar selected .dev_pw_id=4' 30
	inject_assoc
	wpas_enrollee "$phase1"
	need "wps er printed no WPS-SUCCESS" wait_for "$OUT/er.out" '^WPS-SUCCESS$' 30
	stop_er
	verdict "push-button enrollee got $SSID through hostapd's relay; WPS-SUCCESS on both sides"
}

sc_our_er_config() {
	local new_ssid new_pass
	new_ssid="wpsu-$(random_hex 3)"
	new_pass="new-$(random_hex 8)"
	echo "new_ssid=$new_ssid new_passphrase=$new_pass" >>"$OUT/params.txt"
	start_hostapd || return
	start_er || return
	er_cmd "wps_er_config any $GIVEN_AP_PIN $(to_hex "$new_ssid") WPA2PSK CCMP $(to_hex "$new_pass")"
	need "hostapd printed no WPS-NEW-AP-SETTINGS" wait_for "$OUT/hostapd.log" 'WPS-NEW-AP-SETTINGS' $((TIMEOUT * 10))
	need "wps er printed no WPS-SUCCESS" wait_for "$OUT/er.out" '^WPS-SUCCESS$' 30
	# hostapd rewrites its configuration file with the new settings
	need "hostapd's config does not say ssid=$new_ssid" wait_for "$OUT/hostapd.conf" "^ssid=$new_ssid\$" 30
	need "hostapd's config does not say wpa_passphrase=$new_pass" grep -q "^wpa_passphrase=$new_pass\$" "$OUT/hostapd.conf"
	stop_er
	verdict "hostapd took ssid=$new_ssid"
}

# --------------------------------------------------------------------------
# our access point: `wps ap --upnp-iface` (with wpa_supplicant's external registrar,
# or ours)

# `wps ap` in the AP namespace with a fifo as its stdin (held open on AP_FD): the
# EAPOL port wpsu-ap0, the UPnP device on wpsu-lan0; returns once it printed AP-ENABLED
start_our_ap() {
	# hostapd needs (and adds) a route for 239.0.0.0/8; we send from the interface's
	# address instead
	ip -n "$NS_AP" route del 239.0.0.0/8 2>/dev/null
	rm -f "$OUT/ap.in"
	mkfifo "$OUT/ap.in"
	(
		[ -n "$ER_FD" ] && exec {ER_FD}>&-
		exec ip netns exec "$NS_AP" "$WPS" ap --iface "$IF_AP" --ssid "$SSID" --passphrase "$PASS" \
			--ap-pin "$AP_PIN" --uuid "$AP_UUID" --upnp-iface "$IF_LAN" \
			<"$OUT/ap.in" >"$OUT/ap.out" 2>"$OUT/ap.err"
	) &
	AP_PID=$!
	PIDS+=("$AP_PID")
	exec {AP_FD}>"$OUT/ap.in"
	wait_for "$OUT/ap.out" '^AP-ENABLED$' 50 || { BAD+=("wps ap did not start: $(last_line "$OUT/ap.err")"); return 1; }
}

# EOF on wps ap's stdin ends it
stop_our_ap() {
	close_ap_stdin
	wait_exit "$AP_PID" "wps ap" "$OUT/ap.err"
}

WPAS_ER_CTRL="/run/$NS_ER-wpas"
wpas_er_cli() { ip netns exec "$NS_ER" wpa_cli -p "$WPAS_ER_CTRL" -i "$IF_ER" "$@"; }

# A monitor of a control interface: every event, one line each, to a file. Some
# (WPS-ER-AP-SETTINGS) never reach wpa_supplicant's debug log.
write_ctrl_monitor() { # script path
	cat >"$1" <<-'EOP'
		import os, socket, sys, time
		path, out = sys.argv[1], sys.argv[2]
		me = '/tmp/wps-interop-ctrlmon-%d' % os.getpid()
		s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
		s.bind(me)
		try:
		    for _ in range(100):
		        try:
		            s.connect(path)
		            break
		        except OSError:
		            time.sleep(0.1)
		    s.send(b'ATTACH')
		    s.settimeout(5)
		    with open(out, 'a', buffering=1) as f:
		        f.write('MONITOR %s\n' % s.recv(64).decode(errors='replace').strip())
		        s.settimeout(None)
		        while True:
		            text = s.recv(8192).decode('utf-8', 'replace').strip()
		            if text.startswith('<') and '>' in text[:4]:
		                text = text[text.index('>') + 1:]
		            if text != 'OK':
		                f.write(text + '\n')
		finally:
		    os.unlink(me)
	EOP
}

# wpa_supplicant as the external registrar (-D none on wpsu-er0) with a monitor on
# its control interface; returns once wps_er_start found our AP (WPS-ER-AP-ADD)
start_wpas_er() {
	wpas_head "$WPAS_ER_CTRL" 87654321-9abc-def0-1234-56789abcdef9 ER 3 1-0050F204-1 >"$OUT/wpas-er.conf"
	start_bg "$NS_ER" "$OUT/wpas-er.log" wpa_supplicant -dd -t -D none -i "$IF_ER" -c "$OUT/wpas-er.conf"
	for _ in $(seq 1 50); do [ -S "$WPAS_ER_CTRL/$IF_ER" ] && break; sleep 0.1; done
	write_ctrl_monitor "$OUT/ctrlmon.py"
	start_bg "$NS_ER" "$OUT/monitor.log" python3 "$OUT/ctrlmon.py" "$WPAS_ER_CTRL/$IF_ER" "$OUT/er-events.log"
	wait_for "$OUT/er-events.log" '^MONITOR OK' 50 || { BAD+=("no monitor on wpa_supplicant's control interface"); return 1; }
	wpas_er_cli wps_er_start >/dev/null
	# our device answers M-SEARCH after a random delay of up to MX (3) seconds
	wait_for "$OUT/er-events.log" "^WPS-ER-AP-ADD $AP_UUID $AP_MAC " 80 ||
		{ BAD+=("wpa_supplicant's ER did not find wps ap: $(last_line "$OUT/ap.err")"); return 1; }
}

# wpa_supplicant's ER learns our settings; checks its line
wpas_er_learn() {
	wpas_er_cli wps_er_learn "$AP_UUID" "$GIVEN_AP_PIN" >/dev/null
	need "wpa_supplicant's ER printed no WPS-ER-AP-SETTINGS with our network" wait_for "$OUT/er-events.log" \
		"^WPS-ER-AP-SETTINGS uuid=$AP_UUID ssid=$SSID auth_type=0x0020 encr_type=0x0008 key=$PASS\$" $((TIMEOUT * 10))
}

sc_wpas_er_learn() {
	start_our_ap || return
	start_wpas_er || return
	wpas_er_learn
	# read only: the ER NACKs after M7; we report it as hostapd does and change nothing
	need "wps ap printed no WPS-FAIL msg=11 config_error=0" wait_for "$OUT/ap.out" '^WPS-FAIL msg=11 config_error=0$' 30
	need "wps ap changed its settings" not grep -q 'WPS-NEW-AP-SETTINGS' "$OUT/ap.out"
	stop_our_ap
	verdict "WPS-ER-AP-SETTINGS ssid=$SSID key=$PASS from our wps ap"
}

sc_wpas_er_config() {
	local new_ssid new_pass
	new_ssid="wpsu-$(random_hex 3)"
	new_pass="new-$(random_hex 8)"
	echo "new_ssid=$new_ssid new_passphrase=$new_pass" >>"$OUT/params.txt"
	start_our_ap || return
	start_wpas_er || return
	wpas_er_cli wps_er_config "$AP_UUID" "$GIVEN_AP_PIN" "$new_ssid" WPA2PSK CCMP "$new_pass" >/dev/null
	need "wps ap printed no WPS-NEW-AP-SETTINGS" wait_for "$OUT/ap.out" '^WPS-NEW-AP-SETTINGS$' $((TIMEOUT * 10))
	need "wps ap did not take ssid=$new_ssid" wait_for "$OUT/ap.err" "^new AP settings: \\{\"ssid\":\"$new_ssid\",.*\"network_key\":\"$new_pass\"" 20
	need "wpa_supplicant's ER printed no WPS-SUCCESS" wait_for "$OUT/er-events.log" '^WPS-SUCCESS' 30
	# and hands the new network out: the ER reads it back
	wpas_er_cli wps_er_learn "$AP_UUID" "$AP_PIN" >/dev/null
	need "wpa_supplicant's ER did not read the new settings back" wait_for "$OUT/er-events.log" \
		"^WPS-ER-AP-SETTINGS uuid=$AP_UUID ssid=$new_ssid auth_type=0x0020 encr_type=0x0008 key=$new_pass\$" $((TIMEOUT * 10))
	stop_our_ap
	verdict "our wps ap took ssid=$new_ssid from wpa_supplicant's ER"
}

sc_wpas_er_enrollee() {
	start_our_ap || return
	start_wpas_er || return
	wpas_er_learn
	wpas_er_cli wps_er_pin any "$PIN" "$STA_MAC" >/dev/null
	# a debug-level event: in the log, not on the monitor
	need "no WPS-ER-AP-SET-SEL-REG state=DONE" wait_for "$OUT/wpas-er.log" "WPS-ER-AP-SET-SEL-REG uuid=$AP_UUID state=DONE" 50
	wpas_enrollee "pin=$GIVEN_PIN"
	need "wpa_supplicant's ER printed no WPS-ER-ENROLLEE-ADD with M1=1" \
		grep -q -E "^WPS-ER-ENROLLEE-ADD $STA_UUID $STA_MAC M1=1 " "$OUT/er-events.log"
	need "wpa_supplicant's ER printed no WPS-SUCCESS" wait_for "$OUT/er-events.log" '^WPS-SUCCESS' 30
	need "wps ap logged no relayed registration" wait_for "$OUT/ap.err" \
		"^enrollee $STA_MAC $STA_UUID: registered by the external registrar" 30
	stop_our_ap
	verdict "enrollee got $SSID through our relay; WPS-SUCCESS at the enrollee and the ER"
}

sc_our_er_our_ap() {
	# wps er searches before wps ap is up: only wps ap's ssdp:alive, multicast without
	# a route, can make them meet
	start_er later
	sleep 1
	start_our_ap || return
	need "wps er did not hear wps ap's ssdp:alive (no WPS-ER-AP-ADD)" \
		wait_for "$OUT/er.out" "^WPS-ER-AP-ADD $AP_UUID $AP_MAC " 50 || return
	learn
	er_cmd "wps_er_pin any $PIN $STA_MAC"
	need "no WPS-ER-AP-SET-SEL-REG state=DONE" wait_for "$OUT/er.out" "^WPS-ER-AP-SET-SEL-REG uuid=$AP_UUID state=DONE\$" 50
	start_bg "$NS_STA" "$OUT/station.out" "$WPS" station --iface "$IF_STA" --pin "$GIVEN_PIN" --timeout "$TIMEOUT"
	wait_for "$OUT/station.out" '"ssid"|WPS-FAIL|timed out' $((TIMEOUT * 10))
	need "wps station got no credential with $SSID and its passphrase: $(last_line "$OUT/station.out")" \
		grep -q -E "\"ssid\":\"$SSID\".*\"network_key\":\"$PASS\"" "$OUT/station.out"
	need "wps er printed no WPS-ER-ENROLLEE-ADD with M1=1" \
		grep -q -E "^WPS-ER-ENROLLEE-ADD [0-9a-f-]{36} $STA_MAC M1=1 " "$OUT/er.out"
	need "wps er printed no WPS-SUCCESS" wait_for "$OUT/er.out" '^WPS-SUCCESS$' 30
	need "wps ap logged no relayed registration" wait_for "$OUT/ap.err" \
		"^enrollee $STA_MAC [0-9a-f-]{36}: registered by the external registrar" 30
	stop_er
	stop_our_ap
	verdict "wps station got $SSID from wps er through wps ap's relay"
}

# Hostile requests from the PC's namespace: each must get its HTTP error (never a hang
# or a crash), idle connections are closed, surplus ones at once; then the device
# still serves its description. The broken setup (WPSU_BREAK=1) expects the wrong
# answers, so it must fail.
sc_our_ap_hostile() {
	start_our_ap || return
	ip netns exec "$NS_ER" python3 - "$IP_LAN" "${WPSU_BREAK:-}" >"$OUT/hostile.txt" 2>&1 <<-'EOP'
		import socket, sys, time
		ap, broken = (sys.argv[1], 49152), sys.argv[2] == '1'
		def ask(data):
		    s = socket.create_connection(ap, timeout=10)
		    try:
		        s.sendall(data)
		        s.shutdown(socket.SHUT_WR)
		    except OSError:
		        pass
		    out = b''
		    try:
		        while True:
		            b = s.recv(65536)
		            if not b:
		                break
		            out += b
		    except OSError:
		        pass
		    s.close()
		    return out.decode('latin-1')
		def check(name, answer, *want):
		    ok = all(w in answer for w in want) != broken
		    print('%s %s: %s' % ('ok' if ok else 'BAD', name, answer.split('\r\n', 1)[0]))
		    return ok
		soap = ('<?xml version="1.0"?>\n<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/">'
		        '<s:Body><u:SetSelectedRegistrar xmlns:u="urn:schemas-wifialliance-org:service:WFAWLANConfig:1">'
		        '<NewMessage>EEoAARAQQQABAQ==</NewMessage></u:SetSelectedRegistrar></s:Body></s:Envelope>\n')
		results = [
		    check('garbage', ask(b'\x00\x01 hello\r\n\r\n'), 'HTTP/1.1 400 '),
		    check('oversized body', ask(b'POST /wps_control HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n'
		                                + b'a' * 100000), 'HTTP/1.1 413 '),
		    check('oversized head', ask(b'GET /wps_device.xml HTTP/1.1\r\nX: ' + b'a' * 20000 + b'\r\n\r\n'),
		          'HTTP/1.1 413 '),
		    check('callback off the subnet', ask(b'SUBSCRIBE /wps_event HTTP/1.1\r\nHost: x\r\n'
		                                         b'CALLBACK: <http://10.9.8.7:80/cb>\r\nNT: upnp:event\r\n'
		                                         b'TIMEOUT: Second-1800\r\n\r\n'), 'HTTP/1.1 412 '),
		    check('SetSelectedRegistrar from a stranger',
		          ask(('POST /wps_control HTTP/1.1\r\nHost: x\r\nContent-Type: text/xml\r\n'
		               'SOAPACTION: "urn:schemas-wifialliance-org:service:WFAWLANConfig:1#SetSelectedRegistrar"\r\n'
		               'Content-Length: %d\r\n\r\n%s' % (len(soap), soap)).encode()),
		          'HTTP/1.1 500 ', '<errorCode>501</errorCode>'),
		    check('unknown method', ask(b'DELETE /wps_device.xml HTTP/1.1\r\nHost: x\r\n\r\n'), 'HTTP/1.1 501 '),
		]
		# idle connections: the server closes each after its 5 s; beyond 16 at once, at once
		idle = [socket.create_connection(ap, timeout=10) for _ in range(16)]
		time.sleep(0.5)
		extra = socket.create_connection(ap, timeout=10)
		t = time.time()
		try:
		    extra.recv(1)
		except OSError:
		    pass
		surplus = time.time() - t
		t = time.time()
		for s in idle:
		    try:
		        s.recv(1)
		    except OSError:
		        pass
		quiet = time.time() - t
		results.append((surplus < 1.0) != broken)
		print('%s surplus connection closed after %.1f s' % ('ok' if results[-1] else 'BAD', surplus))
		results.append((quiet < 7.0) != broken)
		print('%s idle connections closed within %.1f s' % ('ok' if results[-1] else 'BAD', quiet))
		results.append(check('the description afterwards', ask(b'GET /wps_device.xml HTTP/1.1\r\nHost: x\r\n\r\n'),
		                     'HTTP/1.1 200 OK'))
		sys.exit(0 if all(results) else 1)
	EOP
	local rc=$?
	need "hostile requests: $(grep -m1 '^BAD' "$OUT/hostile.txt" || last_line "$OUT/hostile.txt")" [ "$rc" -eq 0 ]
	need "wps ap is gone" kill -0 "$AP_PID"
	stop_our_ap
	verdict "$(grep -c '^ok' "$OUT/hostile.txt") checks: every hostile request got its HTTP error, idle and surplus connections closed"
}

# --------------------------------------------------------------------------

if [ "${1:-}" = --list ]; then
	list_scenarios 24
	exit 0
fi

select_scenarios "$@"

unavailable() { lab_unavailable "UPnP interop scenarios" "$1"; }
[ "$(id -u)" -eq 0 ] || unavailable "not root (network namespaces need it)"
for c in hostapd hostapd_cli wpa_supplicant wpa_cli ip python3 mkfifo; do
	command -v "$c" >/dev/null || unavailable "missing $c (apt-get install -y hostapd wpasupplicant iproute2 python3)"
done
ip netns add wpsu-probe 2>/dev/null && ip netns del wpsu-probe 2>/dev/null || unavailable "'ip netns add' does not work here"

trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -z "${WPSU_NO_BUILD:-}" ]; then
	(cd "$REPO" && cargo build -p wps-cli) || { log "cargo build -p wps-cli failed"; exit 2; }
fi
[ -x "$WPS" ] || { log "no $WPS (set CARGO_TARGET_DIR?)"; exit 2; }

new_params() {
	PIN="$(pin_from_prefix "$(random_prefix)")"
	AP_PIN="$(pin_from_prefix "$(random_prefix)")"
	SSID="wpsu-$(random_hex 3)"
	PASS="pass-$(random_hex 8)"
	# what the other side is given: the same PINs, or (WPSU_BREAK=1) other ones
	GIVEN_PIN=$PIN GIVEN_AP_PIN=$AP_PIN
	case "${WPSU_BREAK:-}" in
	1 | pin) GIVEN_PIN="$(pin_from_prefix "$(printf '%07d' $(((10#${PIN:0:7} + 1) % 10000000)))")" ;;&
	1 | ap-pin) GIVEN_AP_PIN="$(pin_from_prefix "$(printf '%07d' $(((10#${AP_PIN:0:7} + 1) % 10000000)))")" ;;
	esac
	printf 'pin=%s ap_pin=%s ssid=%s passphrase=%s given_pin=%s given_ap_pin=%s\n' "$PIN" "$AP_PIN" "$SSID" "$PASS" \
		"$GIVEN_PIN" "$GIVEN_AP_PIN" >"$OUT/params.txt"
}
run_scenario() {
	capture
	"sc_${1//-/_}"
	[ "$RESULT" = PASS ] || verdict "?"
}
after_scenario() {
	close_er_stdin
	close_ap_stdin
}
run_scenarios "UPnP interop summary" 24 \
	"params.txt, hostapd.log, wpas.log, er.out, er.err, er.commands, *.pcap"
