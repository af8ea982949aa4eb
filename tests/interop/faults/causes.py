"""Why a run against hostapd failed, read from its `hostapd -dd` log.

`run.sh --report` lists every failed run of the pairs with hostapd (baseline,
our-station) with one line from `cause()`: hostapd's EAP sessions in order, how
each ended, and what became of the PIN. The verdict says whose the failure is:

* `PIN gone`: hostapd no longer had the PIN, by its own rules
  (src/wps/wps_registrar.c, wps.c): consumed once M7 proved its second half,
  invalidated when a session that sent M6 failed, or a wildcard PIN's second
  session ended. No enrollee can finish after that.
* `PIN still valid`: the walk time ended (or the enrollee stopped) while
  hostapd still held the PIN: the enrollee's failure.
"""

import re

# hostapd sends a WSC Request at most three times, 5 s apart (eap_server_wsc.c:
# MaxRetrans 2, timeout 5); its EAP state machine enters RETRANSMIT for each resend,
# and once more when it gives up.
SENDS_MAX = 3

PATTERNS = [
    ("identity", re.compile(r"EAP-Identity: Peer identity")),
    ("resend", re.compile(r"EAP: EAP entering state RETRANSMIT")),
    ("build", re.compile(r"WPS: Building Message (M2D|M[2468])$")),
    ("wildcard", re.compile(r"WPS: Found a wildcard PIN")),
    ("no_pin", re.compile(r"WPS: PIN needed for")),
    ("second_half", re.compile(r"proved knowledge of the second half")),
    ("revealed", re.compile(r"Full PIN information revealed and negotiation failed")),
    ("used_wildcard", re.compile(r"Invalidating used wildcard PIN")),
    ("timeout", re.compile(r"CTRL-EVENT-EAP-TIMEOUT-FAILURE")),
    ("failure", re.compile(r"CTRL-EVENT-EAP-FAILURE")),
    ("success", re.compile(r"WPS-REG-SUCCESS")),
]


class Session:
    def __init__(self):
        self.message = "WSC_Start"  # the Request being sent
        self.sends = 1
        self.pin_use = None  # 1, 2 for a wildcard PIN's uses
        self.m2d = False
        self.end = None

    def words(self):
        if self.m2d:
            return "M2D (no PIN)"
        use = f" (PIN use {self.pin_use})" if self.pin_use else ""
        if self.end == "timeout":
            return f"{self.message} sent {self.sends}x, no answer{use}"
        if self.end == "success":
            return f"registered{use}"
        if self.end == "failure":
            return f"EAP-Failure after {self.message}{use}"
        return f"still at {self.message} ({self.sends} sends){use}"


def cause(log_path):
    """One line: hostapd's sessions and the verdict (see the module doc)."""
    sessions, pin_gone = [], None
    s = None
    try:
        lines = open(log_path, errors="replace").read().splitlines()
    except OSError as e:
        return f"no hostapd log ({e.strerror})"
    for line in lines:
        event = next((name for name, p in PATTERNS if p.search(line)), None)
        if event is None:
            continue
        if event == "identity" or s is None:
            s = Session()
            sessions.append(s)
            if event == "identity":
                continue
        if event == "resend":
            s.sends = min(s.sends + 1, SENDS_MAX)
        elif event == "build":
            s.message = line.rsplit(" ", 1)[-1]
            s.sends = 1
            s.m2d = s.m2d or s.message == "M2D"
        elif event == "wildcard":
            s.pin_use = sum(1 for x in sessions if x.pin_use) + 1
        elif event == "no_pin":
            s.m2d = True
        elif event == "second_half":
            pin_gone = pin_gone or "consumed by M7, M8 never arrived"
        elif event == "revealed":
            pin_gone = pin_gone or "revealed in M6, then the session failed: invalidated"
        elif event == "used_wildcard":
            pin_gone = pin_gone or "the wildcard PIN's second session failed: invalidated"
        elif event in ("timeout", "failure", "success"):
            s.end = s.end or event
    verdict = f"PIN gone ({pin_gone})" if pin_gone else "PIN still valid at the end"
    if not sessions:
        return f"{verdict}; no EAP-Identity reached hostapd"
    parts, i = [], 0
    while i < len(sessions):
        j = i
        while j + 1 < len(sessions) and sessions[j + 1].m2d and sessions[i].m2d:
            j += 1
        n = f"{i + 1}" if i == j else f"{i + 1}-{j + 1}"
        parts.append(f"{n}: {sessions[i].words()}")
        i = j + 1
    return f"{verdict}; sessions {'; '.join(parts)}"


if __name__ == "__main__":
    import sys

    for path in sys.argv[1:]:
        print(f"{path}: {cause(path)}")
