#!/usr/bin/env python3
"""Cuts er-enrollee.upnp.pcap into one file per SSDP datagram and per HTTP message.

    python3 extract.py er-enrollee.upnp.pcap er-enrollee/

Files are numbered in capture order (a TCP message takes the time of its first segment):
NNN-udp-<src port>-<dst port>.bin and NNN-tcp-<src port>-<dst port>.bin. Stdlib only.
"""
import os
import re
import struct
import sys


def frames(path):
    data = open(path, 'rb').read()
    endian = '<' if struct.unpack('<I', data[:4])[0] in (0xa1b2c3d4, 0xa1b23c4d) else '>'
    linktype = struct.unpack(endian + 'I', data[20:24])[0]
    off = 24
    while off + 16 <= len(data):
        _, _, incl, _ = struct.unpack(endian + 'IIII', data[off:off + 16])
        pkt = data[off + 16:off + 16 + incl]
        off += 16 + incl
        if linktype == 1 and pkt[12:14] == b'\x08\x00':
            yield pkt[14:]
        elif linktype == 113 and pkt[14:16] == b'\x08\x00':
            yield pkt[16:]


def main(pcap, out):
    os.makedirs(out, exist_ok=True)
    order = []          # (key, kind); key is ('udp', n) or a TCP flow
    udp = {}
    streams = {}        # flow -> {seq: payload}
    for ip in frames(pcap):
        ihl = (ip[0] & 15) * 4
        total = struct.unpack('>H', ip[2:4])[0]
        l4 = ip[ihl:total]
        if ip[9] == 17:
            sp, dp = struct.unpack('>HH', l4[:4])
            key = ('udp', len(order))
            udp[key] = (sp, dp, l4[8:])
            order.append(key)
        elif ip[9] == 6:
            sp, dp, seq = struct.unpack('>HHI', l4[:8])
            payload = l4[(l4[12] >> 4) * 4:]
            if not payload:
                continue
            flow = (ip[12:16], sp, ip[16:20], dp)
            if flow not in streams:
                streams[flow] = {}
                order.append(flow)
            streams[flow].setdefault(seq, payload)
    n = 0
    for key in order:
        if key[0] == 'udp':
            sp, dp, payload = udp[key]
            open(os.path.join(out, '%03d-udp-%d-%d.bin' % (n, sp, dp)), 'wb').write(payload)
            n += 1
            continue
        segs = streams[key]
        data = b''.join(segs[s] for s in sorted(segs))
        while data:
            end = data.find(b'\r\n\r\n')
            if end < 0:
                raise SystemExit('unterminated head')
            m = re.search(rb'(?im)^content-length:\s*(\d+)', data[:end])
            size = end + 4 + (int(m.group(1)) if m else 0)
            open(os.path.join(out, '%03d-tcp-%d-%d.bin' % (n, key[1], key[3])), 'wb').write(data[:size])
            n += 1
            data = data[size:]


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2])
