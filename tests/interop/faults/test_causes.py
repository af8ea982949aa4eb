"""causes.py on hostapd log lines of the shapes `hostapd -dd -t` writes.

python3 -m unittest discover -s tests/interop/faults -p 'test_*.py'
"""

import os
import tempfile
import unittest

from causes import cause

T = "1796061334.5: "
START = T + "wpsf0-ap0: STA 02:00:00:00:2f:01 IEEE 802.1X: received EAPOL-Start from STA"
IDENTITY = T + "EAP-Identity: Peer identity - hexdump_ascii(len=29):"
RESEND = T + "EAP: EAP entering state RETRANSMIT"
TIMEOUT = T + "wpsf0-ap0: CTRL-EVENT-EAP-TIMEOUT-FAILURE 02:00:00:00:2f:01"
FAILURE = T + "wpsf0-ap0: CTRL-EVENT-EAP-FAILURE 02:00:00:00:2f:01"
WILDCARD = T + "WPS: Found a wildcard PIN. Assigned it for this UUID-E"
NO_PIN = T + "WPS: PIN needed for E-UUID a6824130-cff4-58e8-b03c-a3ce3f3f8616"


def build(m):
    return T + f"WPS: Building Message {m}"


def session(*lines):
    return [START, IDENTITY, *lines]


# a request sent three times, then hostapd gives up (the third RETRANSMIT ends it)
def unanswered(m):
    return [build(m), RESEND, RESEND, RESEND, TIMEOUT]


class Causes(unittest.TestCase):
    def cause_of(self, lines):
        with tempfile.NamedTemporaryFile("w", suffix=".log", delete=False) as f:
            f.write("\n".join(lines) + "\n")
        try:
            return cause(f.name)
        finally:
            os.unlink(f.name)

    def test_m8_lost_after_m7_consumed_the_pin(self):
        lines = session(WILDCARD, build("M2"), build("M4"), build("M6"),
                        T + "WPS: Enrollee proved knowledge of the second half of the device password",
                        *unanswered("M8"))
        lines += session(NO_PIN, build("M2D"), FAILURE) * 2
        self.assertEqual(
            self.cause_of(lines),
            "PIN gone (consumed by M7, M8 never arrived); sessions 1: M8 sent 3x, no answer "
            "(PIN use 1); 2-3: M2D (no PIN)",
        )

    def test_wildcard_pin_serves_two_sessions(self):
        lines = session(WILDCARD, *unanswered("M2"))
        lines += session(WILDCARD, build("M2"), *unanswered("M4"))
        lines.append(T + "WPS: Invalidating used wildcard PIN")
        self.assertEqual(
            self.cause_of(lines),
            "PIN gone (the wildcard PIN's second session failed: invalidated); sessions "
            "1: M2 sent 3x, no answer (PIN use 1); 2: M4 sent 3x, no answer (PIN use 2)",
        )

    def test_pin_revealed_in_m6(self):
        lines = session(WILDCARD, build("M2"), build("M4"), *unanswered("M6"))
        lines.append(T + "WPS: Full PIN information revealed and negotiation failed")
        self.assertTrue(self.cause_of(lines).startswith("PIN gone (revealed in M6"))

    def test_the_enrollee_gave_up_while_hostapd_held_the_pin(self):
        lines = session(WILDCARD, build("M2"), RESEND, RESEND, RESEND, TIMEOUT)
        self.assertEqual(
            self.cause_of(lines),
            "PIN still valid at the end; sessions 1: M2 sent 3x, no answer (PIN use 1)",
        )
        self.assertEqual(
            self.cause_of([START]),
            "PIN still valid at the end; no EAP-Identity reached hostapd",
        )


if __name__ == "__main__":
    unittest.main()
