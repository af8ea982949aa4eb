//! A tiny reader for classic pcap files (Ethernet link type), enough to pull
//! EAPOL frames out of the captures under tests/vectors.

/// One Ethernet frame from a capture.
#[derive(Debug, Clone)]
pub struct EthFrame {
    pub dst: [u8; 6],
    pub src: [u8; 6],
    pub ethertype: u16,
    pub payload: Vec<u8>,
}

/// Every Ethernet frame in a classic (not pcapng) capture with link type 1.
pub fn read_ethernet(bytes: &[u8]) -> Vec<EthFrame> {
    assert!(bytes.len() >= 24, "pcap global header truncated");
    let magic = u32::from_le_bytes(bytes[0..4].try_into().unwrap());
    let le = match magic {
        0xa1b2_c3d4 | 0xa1b2_3c4d => true,
        0xd4c3_b2a1 | 0x4d3c_b2a1 => false,
        other => panic!("not a classic pcap file (magic {other:#x})"),
    };
    let u32_at = |b: &[u8], at: usize| {
        let a: [u8; 4] = b[at..at + 4].try_into().unwrap();
        if le {
            u32::from_le_bytes(a)
        } else {
            u32::from_be_bytes(a)
        }
    };
    assert_eq!(u32_at(bytes, 20), 1, "link type must be Ethernet");
    let mut frames = Vec::new();
    let mut at = 24;
    while at < bytes.len() {
        let incl = u32_at(bytes, at + 8) as usize;
        let orig = u32_at(bytes, at + 12) as usize;
        assert_eq!(
            incl,
            orig,
            "frame {} was cut by the snap length",
            frames.len()
        );
        let data = &bytes[at + 16..at + 16 + incl];
        at += 16 + incl;
        frames.push(EthFrame {
            dst: data[0..6].try_into().unwrap(),
            src: data[6..12].try_into().unwrap(),
            ethertype: u16::from_be_bytes([data[12], data[13]]),
            payload: data[14..].to_vec(),
        });
    }
    frames
}
