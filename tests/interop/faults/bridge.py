#!/usr/bin/env python3
"""Impairment bridge for the fault lab (this kernel has no netem).

Runs in the middle network namespace and forwards every Ethernet frame between
two interfaces with AF_PACKET sockets. EAPOL frames (EtherType 0x888E) meet the
impairment; anything else is forwarded untouched, so that it cannot shift the
schedule.

The schedule is seeded: frame k of direction d in run r draws its fate from a
generator seeded with (seed, run, d) and always draws the same number of
values per frame, so run r of every pair meets the same fates for its k-th
frame in each direction, whatever the programs do with them.

    bridge.py --a IF_A --b IF_B --fault NAME --seed S --run R [--log FILE]

Faults (per direction):
    none      forward everything at once
    loss20    20 % of the frames are lost
    dup10     10 % of the frames are delivered twice (the copy 0-200 ms later)
    reorder   25 % of the frames are held back 600 ms, so frames behind them
              (retransmissions, duplicates, the next fragment) overtake them
    delay300  every frame is delayed 300 ms +- 100 ms (uniform)
    all       all of the above at once

Stops on SIGTERM or SIGINT. Python 3 standard library only.
"""

import argparse
import heapq
import random
import select
import signal
import socket
import sys
import time

ETH_P_ALL = 0x0003
ETH_P_EAPOL = 0x888E
PACKET_OUTGOING = 4

FAULTS = {
    #          loss  dup   reorder  delay (s)
    "none": (0.0, 0.0, 0.0, False),
    "loss20": (0.20, 0.0, 0.0, False),
    "dup10": (0.0, 0.10, 0.0, False),
    "reorder": (0.0, 0.0, 0.25, False),
    "delay300": (0.0, 0.0, 0.0, True),
    "all": (0.20, 0.10, 0.25, True),
}
REORDER_HOLD = 0.6
DUP_GAP_MAX = 0.2
DELAY_MEAN = 0.3
DELAY_SPREAD = 0.1


class Direction:
    """One direction: its own seeded generator and frame counter."""

    def __init__(self, name, seed, run, index, fault):
        self.name = name
        self.rng = random.Random(f"wpsf/{seed}/{run}/{index}")
        self.loss, self.dup, self.reorder, self.delay = FAULTS[fault]
        self.frames = 0

    def fate(self):
        """The send times (offsets in seconds) of frame k: [] when it is lost."""
        r = self.rng
        # always five draws per frame, used or not, so the schedule is fixed
        u_loss, u_dup, u_gap, u_reorder, u_delay = (r.random() for _ in range(5))
        self.frames += 1
        if u_loss < self.loss:
            return []
        base = 0.0
        if self.delay:
            base += DELAY_MEAN - DELAY_SPREAD + 2 * DELAY_SPREAD * u_delay
        if u_reorder < self.reorder:
            base += REORDER_HOLD
        times = [base]
        if u_dup < self.dup:
            times.append(base + DUP_GAP_MAX * u_gap)
        return times


def open_socket(ifname):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.bind((ifname, 0))
    s.setblocking(False)
    return s


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--a", required=True, help="interface towards the AP side")
    ap.add_argument("--b", required=True, help="interface towards the station side")
    ap.add_argument("--fault", required=True, choices=sorted(FAULTS))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--run", type=int, default=0)
    ap.add_argument("--log", help="append one line per EAPOL frame here")
    args = ap.parse_args()

    sa, sb = open_socket(args.a), open_socket(args.b)
    # direction 0: AP -> station, 1: station -> AP
    dirs = {
        sa.fileno(): (sa, sb, Direction("ap>sta", args.seed, args.run, 0, args.fault)),
        sb.fileno(): (sb, sa, Direction("sta>ap", args.seed, args.run, 1, args.fault)),
    }
    log = open(args.log, "a", buffering=1) if args.log else None
    queue = []  # (due, seq, socket, frame)
    seq = 0
    running = True

    def stop(*_):
        nonlocal running
        running = False

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    t0 = time.monotonic()
    if log:
        log.write(f"# bridge {args.a}<->{args.b} fault={args.fault} seed={args.seed} run={args.run}\n")

    while running:
        now = time.monotonic()
        while queue and queue[0][0] <= now:
            _, _, out, frame = heapq.heappop(queue)
            try:
                out.send(frame)
            except OSError as e:
                print(f"bridge: send failed: {e}", file=sys.stderr)
        timeout = max(0.0, queue[0][0] - now) if queue else 0.5
        try:
            ready, _, _ = select.select([sa, sb], [], [], min(timeout, 0.5))
        except InterruptedError:
            continue
        for s in ready:
            src, dst, d = dirs[s.fileno()]
            while True:
                try:
                    frame, addr = src.recvfrom(65535)
                except (BlockingIOError, InterruptedError):
                    break
                if addr[2] == PACKET_OUTGOING:
                    continue  # our own sends, seen again on the socket
                now = time.monotonic()
                ethertype = int.from_bytes(frame[12:14], "big") if len(frame) >= 14 else 0
                if ethertype != ETH_P_EAPOL:
                    times = [0.0]
                else:
                    k = d.frames
                    times = d.fate()
                    if log:
                        what = "lost" if not times else " ".join(f"+{t * 1000:.0f}ms" for t in times)
                        log.write(f"{now - t0:9.3f} {d.name} #{k} len={len(frame)} {what}\n")
                for t in times:
                    seq += 1
                    heapq.heappush(queue, (now + t, seq, dst, frame))
    if log:
        log.close()


if __name__ == "__main__":
    main()
