//! The self-audit on real runs (hostapd / wpa_supplicant vectors, which carry both sides'
//! logged secrets): clean; and on the same runs with each weakness put in: flagged.

use wps::audit::{DegenerateKey, Finding, Run, Side, Value, audit};

fn hex16(s: &serde_json::Value) -> [u8; 16] {
    hex::decode(s.as_str().expect("hex"))
        .expect("hex")
        .try_into()
        .expect("16 bytes")
}

/// Run `dir` of tests/vectors as `side` saw it: messages from the capture's
/// reassembled WSC messages, secrets from the side's log.
fn vector_run(dir: &str, side: Side) -> Run {
    let path = format!(
        "{}/tests/vectors/{dir}/vectors.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("vectors")).expect("json");
    let messages: Vec<Vec<u8>> = v["messages"]
        .as_array()
        .expect("messages")
        .iter()
        .map(|m| hex::decode(m["wsc"].as_str().expect("wsc")).expect("hex"))
        .collect();
    let mut run = Run::new(dir, side);
    run.read_messages(messages.iter().map(Vec::as_slice));
    let (log, s1, s2) = match side {
        Side::Enrollee => (&v["enrollee"], "e_s1", "e_s2"),
        Side::Registrar => (&v["registrar"], "r_s1", "r_s2"),
    };
    run.secret_nonce_1 = Some(hex16(&log[s1]));
    run.secret_nonce_2 = Some(hex16(&log[s2]));
    run
}

const CLEAN: [&str; 3] = [
    "hostapd-run-1",
    "hostapd-run-3-frag100",
    "hostapd-run-8-pbc",
];

#[test]
fn real_runs_are_clean_on_both_sides() {
    for side in [Side::Enrollee, Side::Registrar] {
        let runs: Vec<Run> = CLEAN.iter().map(|d| vector_run(d, side)).collect();
        assert!(
            runs.iter()
                .all(|r| r.own_nonce.is_some() && r.peer_public_key.is_some())
        );
        assert_eq!(audit(&runs), [], "{side:?}");
    }
}

#[test]
fn pixie_dust_secret_nonces_are_flagged() {
    let mut zero = vector_run("hostapd-run-1", Side::Enrollee);
    zero.secret_nonce_1 = Some([0; 16]);
    zero.secret_nonce_2 = Some([0; 16]);
    let f = audit(&[zero]);
    let s1 = Value::SecretNonce1(Side::Enrollee);
    assert!(
        f.contains(&Finding::Zero {
            run: "hostapd-run-1".into(),
            value: s1
        }),
        "{f:?}"
    );
    assert!(
        f.iter()
            .any(|f| matches!(f, Finding::SecretNoncesEqual { .. }))
    );
    assert_eq!(
        f[0].to_string(),
        "run hostapd-run-1: E-S1 is all zeros: the random number generator gave nothing \
         (Pixie Dust: the PIN can be found offline)"
    );

    let mut nonce = vector_run("hostapd-run-1", Side::Enrollee);
    nonce.secret_nonce_2 = nonce.own_nonce;
    let f = audit(&[nonce]);
    assert_eq!(
        f,
        [Finding::SecretNonceIsNonce {
            run: "hostapd-run-1".into(),
            value: Value::SecretNonce2(Side::Enrollee)
        }]
    );

    let mut peer = vector_run("hostapd-run-1", Side::Registrar);
    peer.secret_nonce_1 = peer.peer_nonce;
    assert!(matches!(
        &audit(&[peer])[..],
        [Finding::SecretNonceIsNonce { .. }]
    ));
}

#[test]
fn an_echoed_nonce_is_flagged_and_secrets_stay_out_of_debug() {
    let mut run = vector_run("hostapd-run-1", Side::Enrollee);
    run.peer_nonce = run.own_nonce;
    assert_eq!(
        audit(std::slice::from_ref(&run)),
        [Finding::NonceEchoed {
            run: "hostapd-run-1".into()
        }]
    );
    let shown = format!("{run:?}");
    let s1 = hex::encode(run.secret_nonce_1.unwrap());
    assert!(
        shown.contains("<redacted>") && !shown.contains(&s1),
        "{shown}"
    );
    assert!(!shown.contains(&format!("{:?}", run.secret_nonce_1.unwrap())));
}

#[test]
fn repeats_across_runs_are_flagged() {
    let a = vector_run("hostapd-run-1", Side::Enrollee);
    let mut b = vector_run("hostapd-run-3-frag100", Side::Enrollee);
    b.secret_nonce_1 = a.secret_nonce_1;
    b.own_nonce = a.own_nonce;
    b.own_public_key.clone_from(&a.own_public_key);
    let f = audit(&[a, b]);
    let again = |value| Finding::Repeated {
        value,
        first: "hostapd-run-1".into(),
        again: "hostapd-run-3-frag100".into(),
    };
    assert!(f.contains(&again(Value::Nonce(Side::Enrollee))), "{f:?}");
    assert!(
        f.contains(&again(Value::SecretNonce1(Side::Enrollee))),
        "{f:?}"
    );
    assert!(
        f.iter()
            .any(|f| matches!(f, Finding::PublicKeyReused { .. }))
    );
    assert_eq!(f.len(), 3, "{f:?}");
}

#[test]
fn degenerate_peer_keys_are_flagged() {
    // p − 2 and p − 1 are checked beside the code (they need the prime); here values
    // from both ends that a capture could carry.
    let mut two = vec![0u8; 192];
    two[191] = 2;
    let mut one_short = vec![0u8; 191];
    one_short[190] = 1;
    for (key, kind) in [
        (two, DegenerateKey::Small),
        (one_short, DegenerateKey::Small),
        (vec![0, 0, 1], DegenerateKey::BadLength),
        (vec![0xff; 192], DegenerateKey::NearPrime),
    ] {
        let mut run = vector_run("hostapd-run-1", Side::Registrar);
        run.peer_public_key = Some(key);
        let f = audit(&[run]);
        assert_eq!(
            f,
            [Finding::DegeneratePeerKey {
                run: "hostapd-run-1".into(),
                kind
            }]
        );
        assert!(f[0].to_string().contains("looks like an attack"));
    }
}

#[test]
fn a_label_pin_on_two_devices_is_flagged() {
    let mut a = vector_run("hostapd-run-1", Side::Enrollee);
    let mut b = vector_run("hostapd-run-8-pbc", Side::Enrollee);
    let mut c = vector_run("hostapd-run-3-frag100", Side::Enrollee);
    // Runs 1 and 3 are the same device; give run 8 a device of its own.
    b.device = Some(wps::attr::Uuid([9; 16]));
    for r in [&mut a, &mut b, &mut c] {
        r.label_pin = Some("12345670".into());
    }
    let f = audit(&[a, c, b]);
    assert_eq!(f.len(), 2, "{f:?}");
    assert!(
        f.iter()
            .all(|f| matches!(f, Finding::LabelPinRepeated { .. }))
    );
}
