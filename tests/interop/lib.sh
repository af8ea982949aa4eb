# Shell helpers the interop labs share (run.sh, upnp.sh, faults/run.sh): sourced, not run.
# Each lab keeps its own set -u and variables; these functions use only their arguments,
# the PIDS array (stop_pids) and BAD/RESULT/WHY (need, verdict) that the lab defines, and
# set the lab's REPO/OUT_ROOT/TIMEOUT/TARGET/WPS (lab_settings) and REPLY (send_cmd).

log() { printf '%s\n' "$*" >&2; }

# The paths and limit of a lab whose settings are named $1_*: REPO (the checkout),
# OUT_ROOT ($1_OUT, default $2), TIMEOUT ($1_TIMEOUT, default $3), TARGET and WPS (our
# debug build of the `wps` command).
lab_settings() {
	local out="${1}_OUT" timeout="${1}_TIMEOUT"
	REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
	OUT_ROOT="${!out:-$2}"
	TIMEOUT="${!timeout:-$3}"
	TARGET="${CARGO_TARGET_DIR:-$REPO/target}"
	WPS="$TARGET/debug/wps"
}

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

# Namespaces $@, each with its loopback up.
netns_add() {
	local n
	for n in "$@"; do
		ip netns add "$n" && ip -n "$n" link set lo up || return 1
	done
}

# A veth pair, both ends up: $1 into namespace $2 with MAC $3, $4 into namespace $5 with
# MAC $6 (an empty MAC keeps the kernel's).
veth_pair() {
	ip link add "$1" type veth peer name "$4" &&
		ip link set "$1" netns "$2" && ip link set "$4" netns "$5" &&
		ip -n "$2" link set "$1" ${3:+address "$3"} up &&
		ip -n "$5" link set "$4" ${6:+address "$6"} up
}

# Closes the descriptor whose number the variable named $1 holds (a lab's AP_FD or
# ER_FD), if it holds one, and empties the variable.
close_fd() {
	local n="${!1:-}"
	[ -n "$n" ] || return 0
	exec {n}>&-
	printf -v "$1" '%s' ''
}

# The reply lines (every line that is not an event line) of the output file $1.
replies() { grep -v -E '^[A-Z]+(-[A-Z]+)+( |$)' "$1" 2>/dev/null; }

# One command line $3 to a program (`wps ap`, `wps er`) that reads descriptor $2 and
# writes to the file $1: waits up to 3 s for its next reply line, into REPLY, and logs
# both to $1's .commands file.
send_cmd() { # out-file fd command-line
	local before
	before="$(replies "$1" | wc -l)"
	echo "$3" >&"$2"
	for _ in $(seq 1 30); do
		[ "$(replies "$1" | wc -l)" -gt "$before" ] && break
		sleep 0.1
	done
	REPLY="$(replies "$1" | sed -n "$((before + 1))p")"
	printf '> %s\n%s\n' "$3" "$REPLY" >>"${1%.out}.commands"
}

stop_pids() {
	local pid
	for pid in "${PIDS[@]}"; do
		kill -0 "$pid" 2>/dev/null || continue
		kill "$pid" 2>/dev/null
		for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		kill -9 "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
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

# The lab can run here: root, the commands it names, network namespaces; otherwise
# lab_unavailable. $1: the lab, $2: a namespace name to try; then the commands.
check_lab() {
	local lab="$1" probe="$2" c
	shift 2
	[ "$(id -u)" -eq 0 ] || lab_unavailable "$lab" "not root (network namespaces need it)"
	for c in "$@"; do
		command -v "$c" >/dev/null ||
			lab_unavailable "$lab" "missing $c (apt-get install -y hostapd wpasupplicant iproute2 python3)"
	done
	ip netns add "$probe" 2>/dev/null && ip netns del "$probe" 2>/dev/null ||
		lab_unavailable "$lab" "'ip netns add' does not work here"
}

# Builds the wps command unless $1 (the lab's *_NO_BUILD) is set; $WPS must then exist.
build_wps() {
	if [ -z "$1" ]; then
		(cd "$REPO" && cargo build -p wps-cli) || { log "cargo build -p wps-cli failed"; exit 2; }
	fi
	[ -x "$WPS" ] || { log "no $WPS (set CARGO_TARGET_DIR?)"; exit 2; }
}

# Starts cmd... in namespace ns, output to logfile, and records the PID. A child must not
# hold open the stdin pipe of a `wps ap` / `wps er` the lab writes to (AP_FD / ER_FD):
# that `wps` would never see EOF.
start_bg() { # ns logfile cmd... ; records the PID
	local ns="$1" logf="$2"
	shift 2
	# a child must not hold the stdin of wps er or wps ap open (they would never see EOF)
	(
		[ -n "${ER_FD:-}" ] && exec {ER_FD}>&-
		[ -n "${AP_FD:-}" ] && exec {AP_FD}>&-
		exec ip netns exec "$ns" "$@" >"$logf" 2>&1
	) &
	PIDS+=("$!")
}

# The hostapd.conf lines the wired labs share: a WPA2-PSK network, WPS configured, an
# 802.1X wired authenticator. $1 interface, $2 ctrl_interface, $3 SSID, $4 passphrase,
# $5 UUID, $6 the lab's name (device name, manufacturer, model). The lab adds its own.
wired_hostapd_conf() {
	cat <<-EOC
		interface=$1
		driver=wired
		ctrl_interface=$2
		logger_stdout=-1
		logger_stdout_level=0
		ieee8021x=1
		eapol_version=2
		eap_server=1
		ssid=$3
		wpa=2
		wpa_key_mgmt=WPA-PSK
		wpa_passphrase=$4
		rsn_pairwise=CCMP
		wps_state=2
		uuid=$5
		device_name=$6 AP
		manufacturer=$6
		model_name=$6-model
		model_number=1
		serial_number=0001
		device_type=6-0050F204-1
		os_version=01020300
		config_methods=label display keypad
	EOC
}

# A wired wpa_supplicant.conf with one WSC network. $1 ctrl_interface, $2 UUID, $3 the
# lab's name, $4 device type, $5 EAP identity, $6 phase1, $7 one more network line
# (optional, e.g. fragment_size=N).
wired_wpas_conf() {
	cat <<-EOC
		ctrl_interface=$1
		ap_scan=0
		update_config=0
		uuid=$2
		device_name=$3 STA
		manufacturer=$3
		model_name=$3-sta-model
		model_number=2
		serial_number=0002
		device_type=$4
		os_version=01020300
		config_methods=keypad display
		network={
		 key_mgmt=IEEE8021X
		 eap=WSC
		 identity="$5"
		 phase1="$6"
		 eapol_flags=0
		 ${7:-}
		}
	EOC
}

# Runs every scenario of `selected` and prints the summary; exits 1 if one failed. For each:
# a fresh $OUT_ROOT/<name>, the lab's new_params (PIN, SSID, … and $OUT/params.txt), the
# namespaces, the lab's run_scenario (default: capture, then sc_<name>), the lab's
# after_scenario (if defined), stop_pids, the namespaces down.
# $1: the summary's title, $2: the name column's width, $3: what the logs folder holds.
run_scenarios() {
	local title="$1" width="$2" logs="$3" name t0 t_start=$SECONDS failed=0 summary=()
	for name in "${selected[@]}"; do
		OUT="$OUT_ROOT/$name"
		rm -rf "$OUT"
		mkdir -p "$OUT"
		new_params
		RESULT=FAIL WHY="network namespace setup failed"
		BAD=()
		t0=$SECONDS
		if netns_up; then
			if declare -F run_scenario >/dev/null; then
				run_scenario "$name"
			else
				capture
				"sc_${name//-/_}"
			fi
		fi
		declare -F after_scenario >/dev/null && after_scenario
		stop_pids
		netns_down
		summary+=("$(printf "%-4s %-${width}s %3ss  %s" "$RESULT" "$name" $((SECONDS - t0)) "$WHY")")
		log "${summary[-1]}"
		[ "$RESULT" = PASS ] || failed=$((failed + 1))
	done
	echo
	echo "== $title: $((${#selected[@]} - failed)) of ${#selected[@]} passed in $((SECONDS - t_start)) s =="
	printf '%s\n' "${summary[@]}"
	echo "logs: $OUT_ROOT/<scenario>/ ($logs)"
	[ "$failed" -eq 0 ] || exit 1
}
