//! A small reader for classic pcap files with Ethernet frames (link type 1), enough to
//! pull EAPOL frames out of a capture. A damaged file is an error in plain words, never
//! a panic.

/// One Ethernet frame from a capture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EthFrame {
    pub dst: [u8; 6],
    pub src: [u8; 6],
    pub ethertype: u16,
    pub payload: Vec<u8>,
}

/// Every Ethernet frame in a classic (not pcapng) capture with link type 1. Frames too
/// short for an Ethernet header are skipped.
pub fn read_ethernet(bytes: &[u8]) -> Result<Vec<EthFrame>, String> {
    let magic = u32_le(bytes, 0).ok_or("too short for a pcap file")?;
    let le = match magic {
        0xa1b2_c3d4 | 0xa1b2_3c4d => true,
        0xd4c3_b2a1 | 0x4d3c_b2a1 => false,
        _ => return Err("not a classic pcap file (pcapng is not read here)".into()),
    };
    let u32_at = |at: usize| {
        if le {
            u32_le(bytes, at)
        } else {
            u32_le(bytes, at).map(u32::swap_bytes)
        }
    };
    match u32_at(20) {
        Some(1) => {}
        Some(other) => return Err(format!("link type {other}, not Ethernet (1)")),
        None => return Err("pcap header truncated".into()),
    }
    let mut frames = Vec::new();
    let mut at = 24usize;
    while at < bytes.len() {
        let incl = u32_at(at.saturating_add(8))
            .and_then(|n| usize::try_from(n).ok())
            .ok_or_else(|| format!("record header at byte {at} truncated"))?;
        let start = at.saturating_add(16);
        let data = start
            .checked_add(incl)
            .and_then(|end| bytes.get(start..end))
            .ok_or_else(|| format!("record at byte {at} runs past the end of the file"))?;
        at = start.saturating_add(incl);
        if let (Some(dst), Some(src), Some(ty), Some(payload)) = (
            data.get(0..6),
            data.get(6..12),
            data.get(12..14),
            data.get(14..),
        ) {
            frames.push(EthFrame {
                dst: dst.try_into().unwrap_or_default(),
                src: src.try_into().unwrap_or_default(),
                ethertype: u16::from_be_bytes(ty.try_into().unwrap_or_default()),
                payload: payload.to_vec(),
            });
        }
    }
    Ok(frames)
}

fn u32_le(bytes: &[u8], at: usize) -> Option<u32> {
    let b = bytes.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes(b.try_into().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_vectors_and_refuses_damage() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/vectors/hostapd-run-1/eapol.pcap"
        );
        let data = std::fs::read(path).unwrap();
        let frames = read_ethernet(&data).unwrap();
        assert!(frames.iter().all(|f| f.ethertype == 0x888e));
        assert!(frames.len() > 10);
        for cut in [0, 3, 23, data.len() - 1] {
            let r = read_ethernet(&data[..cut]);
            assert!(r.is_err(), "cut at {cut}");
        }
        assert!(read_ethernet(b"not a pcap file at all, no no no").is_err());
    }
}
