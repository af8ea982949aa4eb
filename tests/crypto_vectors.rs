//! Crypto layer against real runs (hostapd ⇄ wpa_supplicant, iwd ⇄ ASUS/Apple), the
//! computed known-answer values, negative cases, and property tests.

use aes::Aes128;
use aes::cipher::{BlockModeEncrypt, KeyIvInit, array::Array};
use hex_literal::hex;
use num_bigint::BigUint;
use proptest::prelude::*;
use serde_json::Value;
use wps::crypto::*;

use wps_testkit::vectors::{self, RUNS, hex as h, json as load, mac};

fn arr<const N: usize>(v: &Value) -> [u8; N] {
    h(v).try_into().unwrap()
}

fn p_big() -> BigUint {
    BigUint::parse_bytes(wps_testkit::fixtures::GROUP5_PRIME_HEX.as_bytes(), 16).unwrap()
}

fn to192(x: &BigUint) -> [u8; 192] {
    let b = x.to_bytes_be();
    let mut out = [0u8; 192];
    out[192 - b.len()..].copy_from_slice(&b);
    out
}

fn hostapd_runs() -> Vec<(String, Value)> {
    RUNS.iter()
        .map(|&r| (r.to_owned(), vectors::run(r)))
        .collect()
}

#[test]
fn hostapd_runs_full_key_schedule() {
    for (name, v) in hostapd_runs() {
        let (en, re, keys) = (&v["enrollee"], &v["registrar"], &v["keys"]);
        let e = DhKeyPair::from_private(&h(&en["dh_private"])).unwrap();
        let r = DhKeyPair::from_private(&h(&re["dh_private"])).unwrap();
        assert_eq!(e.exponent_bits(), 200, "{name}: 25-byte keys");
        let pke = h(&en["public_key"]);
        let pkr = h(&re["public_key"]);
        assert_eq!(e.public_key().as_slice(), pke, "{name} PKE");
        assert_eq!(r.public_key().as_slice(), pkr, "{name} PKR");

        let z = h(&keys["dh_shared"]);
        assert_eq!(
            e.shared_secret(&pkr).unwrap().as_slice(),
            z,
            "{name} shared (enrollee)"
        );
        assert_eq!(
            r.shared_secret(&pke).unwrap().as_slice(),
            z,
            "{name} shared (registrar)"
        );
        let dh_key = e.dh_key(&pkr).unwrap();
        assert!(dh_key == r.dh_key(&pke).unwrap());
        assert!(dh_key == arr::<32>(&keys["dh_key"]), "{name} DHKey");

        let k = kdk(
            &dh_key,
            &arr(&en["nonce"]),
            &mac(&en["mac"]),
            &arr(&re["nonce"]),
        );
        assert!(k == arr::<32>(&keys["kdk"]), "{name} KDK");
        let s = SessionKeys::derive(&k);
        assert_eq!(s.auth_key(), &arr::<32>(&keys["auth_key"]), "{name}");
        assert_eq!(
            s.key_wrap_key(),
            &arr::<16>(&keys["key_wrap_key"]),
            "{name}"
        );
        assert_eq!(s.emsk(), &arr::<32>(&keys["emsk"]), "{name}");
        let mut raw = [0u8; 80];
        kdf(&k, KDF_LABEL, &mut raw);
        assert_eq!(&raw[..32], s.auth_key());
        let auth = s.auth_key();

        // Each side's PSKs from its own device password (they differ in wrong-PIN runs).
        for side in [en, re] {
            let pw = side["device_password"].as_str().unwrap().as_bytes();
            let (p1, p2) = psks(auth, pw);
            assert!(p1 == arr::<16>(&side["psk1"]), "{name} psk1");
            assert!(p2 == arr::<16>(&side["psk2"]), "{name} psk2");
            let half = pw.len().div_ceil(2);
            assert!(psk(auth, &pw[..half]) == p1 && psk(auth, &pw[half..]) == p2);
        }

        let (ep1, ep2) = (arr::<16>(&en["psk1"]), arr::<16>(&en["psk2"]));
        let (rp1, rp2) = (arr::<16>(&re["psk1"]), arr::<16>(&re["psk2"]));
        let cases = [
            (&en["e_s1"], &ep1, &en["e_hash1"]),
            (&en["e_s2"], &ep2, &en["e_hash2"]),
            (&re["r_s1"], &rp1, &re["r_hash1"]),
            (&re["r_s2"], &rp2, &re["r_hash2"]),
        ];
        for (i, (nonce, p, expect)) in cases.into_iter().enumerate() {
            let nonce = arr::<16>(nonce);
            let expect = arr::<32>(expect);
            // E-Hash and R-Hash are one formula.
            let got = e_hash(auth, &nonce, p, &pke, &pkr);
            assert_eq!(got, expect, "{name} hash {i}");
            verify_e_hash(auth, &nonce, p, &pke, &pkr, &expect).unwrap();
            let mut bad = expect;
            bad[31] ^= 1;
            assert_eq!(
                verify_e_hash(auth, &nonce, p, &pke, &pkr, &bad),
                Err(VerifyError::Mismatch)
            );
        }
        // In a wrong-PIN run the registrar's R-Hash does not verify with the enrollee's PSK.
        if en["device_password"] != re["device_password"] {
            let rs1 = arr::<16>(&re["r_s1"]);
            let rs2 = arr::<16>(&re["r_s2"]);
            let ok1 = verify_e_hash(auth, &rs1, &ep1, &pke, &pkr, &h(&re["r_hash1"])).is_ok();
            let ok2 = verify_e_hash(auth, &rs2, &ep2, &pke, &pkr, &h(&re["r_hash2"])).is_ok();
            assert!(!(ok1 && ok2), "{name}: wrong PIN must fail a half");
        }

        // Authenticators of every WSC_MSG after M1, chained on the previous WSC_MSG.
        let msgs: Vec<_> = v["messages"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["op_code"] == "WSC_MSG")
            .collect();
        assert!(msgs.len() >= 4, "{name}");
        let mut checked = 0;
        for pair in msgs.windows(2) {
            let (prev, cur) = (h(&pair[0]["wsc"]), h(&pair[1]["wsc"]));
            let (body, tlv) = cur.split_at(cur.len() - 12);
            assert_eq!(
                &tlv[..4],
                &AUTHENTICATOR_TLV_HEADER,
                "{name} {}",
                pair[1]["name"]
            );
            assert_eq!(
                authenticator(auth, &prev, body),
                tlv[4..],
                "{name} {}",
                pair[1]["name"]
            );
            verify_authenticator(auth, &prev, &cur).unwrap();
            checked += 1;
        }
        assert_eq!(checked, msgs.len() - 1);

        // Every Encrypted Settings: decrypt to the logged plaintext (minus KWA), and
        // re-encrypt with the logged IV to the logged ciphertext.
        for es in v["encrypted_settings"].as_array().unwrap() {
            let iv = arr::<16>(&es["iv"]);
            let value = [iv.as_slice(), &h(&es["ciphertext"])].concat();
            let logged = h(&es["plaintext"]);
            let (attrs, kwa_tlv) = logged.split_at(logged.len() - 12);
            assert_eq!(&kwa_tlv[..4], &KWA_TLV_HEADER);
            assert_eq!(kwa_tlv[4..], h(&es["kwa"]));
            let got = decrypt_settings(s.key_wrap_key(), auth, &value).unwrap();
            assert_eq!(&got[..], attrs, "{name} {}", es["message"]);
            let mut inplace = value.clone();
            let got2 = decrypt_settings_in_place(s.key_wrap_key(), auth, &mut inplace).unwrap();
            assert_eq!(got2, attrs);
            verify_key_wrap_authenticator(auth, &logged).unwrap();
            assert_eq!(key_wrap_authenticator(auth, attrs), kwa_tlv[4..]);
            let again = encrypt_settings(s.key_wrap_key(), auth, &iv, attrs);
            assert_eq!(again, value, "{name} {} re-encrypt", es["message"]);
            let mut buf = [0u8; 512];
            let n = encrypt_settings_into(s.key_wrap_key(), auth, &iv, attrs, &mut buf).unwrap();
            assert_eq!(&buf[..n], value.as_slice());
        }
    }
}

// ---------------------------------------------------------------------------------------
// Known-answer values from tests/vectors/computed-kat.md

const KAT_A: [u8; 32] = hex!("5fa01dffc0fd832aab63f4a4ec4ddbcc73210f9a73af07e283d75ad683d1075d");
const KAT_B: [u8; 32] = hex!("595cb1f7b07b167c6bf429b645de0fb617aae0a4347ca1db9ac8dce909c2e1cb");
const KAT_PKE: [u8; 192] = hex!(
    "a52120b9a4bbe52b7099bff8fdfa5b61d5199c2c06c25ce690f99a784fed3e8d"
    "b52419051944f10ebb62c7d73741b767ceb946e06ef80c2078f965d5a7d08c9d"
    "5d14e8d47a5d2d77aa18538ed03acb1013cbcb9074926838372eb76ad0d15f91"
    "a5b129682abe5e3dff0a4cabf7939cc6907b9fba79c0831972ed07c3cb1469df"
    "b161c0c0c11bd0fa10eaa9b86faf7ce18ff2e2e24be84e4fff38d782e943d603"
    "3d0509feb86d03d685e1c8200cd77468ee1de8138ecceba5fbbf11a88b3ee53f"
);
const KAT_PKR: [u8; 192] = hex!(
    "dc1457388c4e25a4d4994a9a0db0709ce6fb7f407ee9bc340315586b1912b8ae"
    "479e8d31e303903f672dcfdf368a7dfb2d304985b3e275df5cf101c67a13ca66"
    "f88c3dc143f684ee61b12c9ae094aae3680c04c6ef8169837de89a275466312e"
    "7534403049eebc5e135411807e34f851e1079c7be95eefe2fbbe3741ef528d44"
    "e2885f621a3d7da9829ac0d09721327ac2f8a06ccf49db8b50bafc199497d5d2"
    "9edf70d46f6d98018e404082aafec8f9c0adfc30443371fa59e0294f8ad9d6fa"
);
const KAT_Z: [u8; 192] = hex!(
    "ca9fba8d894559b07a0264a0520cee973e86019df56f914c170cb8fd10dd9b33"
    "5f1cff6514f700b4c96af3c598369879dc512f54c15e23ea9b7316a01e14eb60"
    "5cf74561b3df9bc79e073fda58c0bb04bdba318912a77937864873890cc6d377"
    "d997422f75414122e3cc4fb1c4ed25d65e14db9d692af40b860ddb7821b1ee54"
    "a4962878904f3d2f78c851e83043a299925f70c1ce4b496528518e5d72d3d95d"
    "d270c1e0dba94f92f921e1a91091d98885bee904ae243864870c1a540551bed9"
);
const KAT_AUTH: [u8; 32] = hex!("8cd1b4291d650db04567f7586acc8544a823798bf9f0d235af3ebcf4770a8ddf");
const KAT_KWK: [u8; 16] = hex!("7e46eff22adc45b2791622760825712a");

#[test]
fn computed_kat_key_schedule() {
    let a = DhKeyPair::from_private(&KAT_A).unwrap();
    let b = DhKeyPair::from_private(&KAT_B).unwrap();
    assert_eq!(a.public_key(), KAT_PKE);
    assert_eq!(b.public_key(), KAT_PKR);
    assert!(a.shared_secret(&KAT_PKR).unwrap() == KAT_Z);
    assert!(b.shared_secret(&KAT_PKE).unwrap() == KAT_Z);
    let dh = a.dh_key(&KAT_PKR).unwrap();
    assert!(dh == hex!("e1ffc3630cce8c75af23a7f09b6ce177e40223c5ee5cd6bffcec13e986152e0e"));
    let n1: [u8; 16] = core::array::from_fn(|i| i as u8);
    let n2: [u8; 16] = core::array::from_fn(|i| 0x10 + i as u8);
    let k = kdk(&dh, &n1, &hex!("020000000001"), &n2);
    assert!(k == hex!("f88d6e919518d5daf38933b7577fd49b650aa53d2b89335ef0b914a94bb9615f"));
    let mut out = [0u8; 80];
    kdf(&k, KDF_LABEL, &mut out);
    assert_eq!(
        out,
        hex!(
            "8cd1b4291d650db04567f7586acc8544a823798bf9f0d235af3ebcf4770a8ddf"
            "7e46eff22adc45b2791622760825712aa9232b90e3d48ffe7dd31b8703d4f4be"
            "654d6444c5bf61598981eda18ea97945"
        )
    );
    let s = SessionKeys::derive(&k);
    assert_eq!(s.auth_key(), &KAT_AUTH);
    assert_eq!(s.key_wrap_key(), &KAT_KWK);
    assert_eq!(
        s.emsk(),
        &hex!("a9232b90e3d48ffe7dd31b8703d4f4be654d6444c5bf61598981eda18ea97945")
    );
}

#[test]
fn computed_kat_psk_and_hashes() {
    // (pin, psk1, psk2, e_hash1, e_hash2, r_hash1, r_hash2)
    type Row = (&'static str, [u8; 16], [u8; 16], [[u8; 32]; 4]);
    let table: [Row; 3] = [
        (
            "12345670",
            hex!("fa250458792ca109547b0c91e4896162"),
            hex!("07dbf5a67f4d4b249678129324eb1c80"),
            [
                hex!("a784e7e4441947ff2d9eec8d50cae2087fbcf40f1c7fb384e82553cee9a7834e"),
                hex!("a64d17e23ce819891bf93617f1534cae6c247376891ba26c101777d3b3933c08"),
                hex!("dd765c974c28f7b5fd2d22ea2fd47667fb34ed9bcc07d4cf84476c60e5fc6834"),
                hex!("e3a7bd9add3b6e34ae683ee28805ae63471fccca17696aa2bed12c17c5e4aee5"),
            ],
        ),
        (
            "1234",
            hex!("3da33c1274a348d9bd3f071b7ed7ef46"),
            hex!("cd5947aac1a7735947dbdc57f56c7f5d"),
            [
                hex!("f89e2b16bfdb571a751173c725620f0c24c1c89390a1bfc461870b577044d595"),
                hex!("8844c81fc45de9b61198c387b0af81c310f6ce325f5c238233035acad592b4b6"),
                hex!("5885df6f364aea3e588e95c2e33efa6d8fa86024068115c4bb3e4c305266259a"),
                hex!("d7aa780f6ff7192c212bf58a20556c8221aa0a77c5eb3b2f495fa8491055b355"),
            ],
        ),
        (
            "00000000",
            hex!("e610927fa22e39325e4e0bd31d9f9514"),
            hex!("e610927fa22e39325e4e0bd31d9f9514"),
            [
                hex!("2d2038a437679cd155b7cd27285f3604fcc51653ce2439794df89886dea6170a"),
                hex!("5de79ec6b7b28e33128337080791daeee7ec6accfb6c3194c849cf2736d66aaf"),
                hex!("9e8c4a8b4bb674707c11a1c6f2cb42d3e674634db8f9dbb7dc64f83f80c5011a"),
                hex!("35263dc65c077ef89915c446f47ab1dc71020bb9385306b8f0dc96ad83332989"),
            ],
        ),
    ];
    for (pin, p1, p2, hashes) in table {
        let (q1, q2) = psks(&KAT_AUTH, pin.as_bytes());
        assert!(q1 == p1 && q2 == p2, "{pin}");
        let nonces = [[0x77u8; 16], [0x88; 16], [0x99; 16], [0xaa; 16]];
        let ps = [&p1, &p2, &p1, &p2];
        for i in 0..4 {
            assert_eq!(
                e_hash(&KAT_AUTH, &nonces[i], ps[i], &KAT_PKE, &KAT_PKR),
                hashes[i],
                "{pin} {i}"
            );
        }
    }
}

const KAT_ES_PLAIN: [u8; 20] = hex!("1016001077777777777777777777777777777777");
const KAT_ES_VALUE: [u8; 64] = hex!(
    "9999999999999999999999999999999935def0ec8f1de73b9992d96de01fece7"
    "45e7513863a8c2055380e66930674d846c2903ce27356c292bd2d1d57d4c19a9"
);

#[test]
fn computed_kat_settings_and_authenticator() {
    assert_eq!(
        key_wrap_authenticator(&KAT_AUTH, &KAT_ES_PLAIN),
        hex!("2e2065acc5eb27bc")
    );
    let value = encrypt_settings(&KAT_KWK, &KAT_AUTH, &[0x99; 16], &KAT_ES_PLAIN);
    assert_eq!(value, KAT_ES_VALUE);
    let plain = decrypt_settings(&KAT_KWK, &KAT_AUTH, &KAT_ES_VALUE).unwrap();
    assert_eq!(&plain[..], &KAT_ES_PLAIN);
    let prev = hex!("104a0001101022000104");
    let cur = hex!("104a0001101022000105");
    let a = authenticator(&KAT_AUTH, &prev, &cur);
    assert_eq!(a, hex!("920629322bbc5ab8"));
    let full = [cur.as_slice(), &AUTHENTICATOR_TLV_HEADER, &a].concat();
    verify_authenticator(&KAT_AUTH, &prev, &full).unwrap();
}

// ---------------------------------------------------------------------------------------
// iwd

#[test]
fn iwd_dh_pairs() {
    let v = load("iwd/dh.json");
    for case in v["cases"].as_array().unwrap() {
        let k = DhKeyPair::from_private(&h(&case["private_key"])).unwrap();
        assert_eq!(
            k.public_key().as_slice(),
            h(&case["public_key"]),
            "{}",
            case["name"]
        );
        assert_eq!(k.exponent_bits(), 1536);
    }
}

#[test]
fn iwd_key_schedules() {
    let v = load("iwd/keys.json");
    for set in v["sessions"].as_array().unwrap() {
        let (i, d) = (&set["inputs"], &set["derived"]);
        let e = DhKeyPair::from_private(&h(&i["enrollee_private_key"])).unwrap();
        assert_eq!(e.public_key().as_slice(), h(&i["enrollee_public_key_PKE"]));
        let pkr = h(&i["registrar_public_key_PKR"]);
        assert_eq!(
            e.shared_secret(&pkr).unwrap().as_slice(),
            h(&d["shared_secret_192"])
        );
        let dh = e.dh_key(&pkr).unwrap();
        assert!(dh == arr::<32>(&d["dhkey"]));
        let k = kdk(
            &dh,
            &arr(&i["enrollee_nonce_N1"]),
            &arr(&i["enrollee_mac"]),
            &arr(&i["registrar_nonce_N2"]),
        );
        assert!(k == arr::<32>(&d["kdk"]));
        let mut out = [0u8; 80];
        kdf(&k, KDF_LABEL, &mut out);
        assert_eq!(out.as_slice(), h(&d["kdf_output_80"]));
        let s = SessionKeys::derive(&k);
        assert_eq!(s.auth_key(), &arr::<32>(&d["auth_key"]));
        assert_eq!(s.key_wrap_key(), &arr::<16>(&d["key_wrap_key"]));
        assert_eq!(s.emsk(), &arr::<32>(&d["emsk"]));
    }
}

#[test]
fn iwd_set1_m2_authenticator() {
    let keys = load("iwd/keys.json");
    let auth = arr::<32>(&keys["sessions"][0]["derived"]["auth_key"]);
    let m1 = h(&load("iwd/m1.json")["cases"][0]["wsc_message_hex"]);
    let m2 = h(&load("iwd/m2.json")["cases"][0]["wsc_message_hex"]);
    verify_authenticator(&auth, &m1, &m2).unwrap();
    assert_eq!(
        authenticator(&auth, &m1, &m2[..m2.len() - 12]),
        hex!("ecb117acd933845f")
    );
}

#[test]
fn iwd_set2_full_pbc_run() {
    let keys = load("iwd/keys.json");
    let set2 = &keys["sessions"][1];
    let auth = arr::<32>(&set2["derived"]["auth_key"]);
    let kwk = arr::<16>(&set2["derived"]["key_wrap_key"]);
    let pbc = &set2["pbc"];
    let pke = h(&set2["inputs"]["enrollee_public_key_PKE"]);
    let pkr = h(&set2["inputs"]["registrar_public_key_PKR"]);

    let (p1, p2) = psks(&auth, b"00000000");
    assert!(p1 == arr::<16>(&pbc["psk1"]) && p2 == arr::<16>(&pbc["psk2"]));
    let hashes = [
        ("e_snonce1", &p1, "e_hash1"),
        ("e_snonce2", &p2, "e_hash2"),
        ("r_snonce1", &p1, "r_hash1"),
        ("r_snonce2", &p2, "r_hash2"),
    ];
    for (n, p, hh) in hashes {
        let got = e_hash(&auth, &arr(&pbc[n]), p, &pke, &pkr);
        assert_eq!(got, arr::<32>(&pbc[hh]), "{hh}");
    }
    let m3 = load("iwd/m3.json");
    assert_eq!(h(&m3["expected"]["e_hash1"]), h(&pbc["e_hash1"]));

    // Authenticators M2..M8 over the chain m1_2, m2_2, m3, ..., m8.
    let mut chain = vec![
        h(&load("iwd/m1.json")["cases"][1]["wsc_message_hex"]),
        h(&load("iwd/m2.json")["cases"][1]["wsc_message_hex"]),
    ];
    let files: Vec<Value> = (3..=8).map(|i| load(&format!("iwd/m{i}.json"))).collect();
    chain.extend(files.iter().map(|f| h(&f["wsc_message_hex"])));
    for (i, pair) in chain.windows(2).enumerate() {
        verify_authenticator(&auth, &pair[0], &pair[1])
            .unwrap_or_else(|e| panic!("M{}: {e}", i + 2));
    }
    for f in &files[1..] {
        let expect = &f["authenticator_check"]["expected"];
        let msg = h(&f["wsc_message_hex"]);
        assert_eq!(msg[msg.len() - 8..], h(expect));
    }

    // Encrypted Settings of M4..M8: decrypt (real plaintexts), re-encrypt byte for byte.
    for f in &files[1..] {
        let value = h(&f["expected"]["encrypted_settings"]);
        let dec = &f["decryption"];
        let logged = h(&dec["plaintext"]);
        let attrs = &logged[..logged.len() - 12];
        let got = decrypt_settings(&kwk, &auth, &value).unwrap();
        assert_eq!(&got[..], attrs);
        let iv = arr::<16>(&dec["iv"]);
        assert_eq!(encrypt_settings(&kwk, &auth, &iv, attrs), value);
    }
    // M8: iwd's builder plaintext carries a KWA copied from the real message; it must
    // not authenticate (see iwd/README.md).
    let m8 = &files[5];
    let builder = h(&m8["encrypted_settings_test"]["plaintext_hex"]);
    assert_eq!(
        verify_key_wrap_authenticator(&auth, &builder),
        Err(VerifyError::Mismatch)
    );
}

// ---------------------------------------------------------------------------------------
// Negative cases

#[test]
fn peer_key_rejections() {
    let k = DhKeyPair::from_private(&KAT_A).unwrap();
    let p = p_big();
    let one = BigUint::from(1u8);
    let out_of_range = [
        BigUint::from(0u8),
        one.clone(),
        &p - &one,
        p.clone(),
        &p + &one,
    ];
    for y in &out_of_range {
        assert_eq!(
            k.dh_key(&to192(y)).unwrap_err(),
            DhError::PeerKeyOutOfRange,
            "{y:x}"
        );
    }
    assert_eq!(
        k.dh_key(&[0xff; 192]).unwrap_err(),
        DhError::PeerKeyOutOfRange
    );
    assert_eq!(
        k.dh_key(&[1; 193]).unwrap_err(),
        DhError::PeerKeyTooLong { len: 193 }
    );
    assert_eq!(
        k.dh_key(&[1; 189]).unwrap_err(),
        DhError::PeerKeyTooShort { len: 189 }
    );
    assert_eq!(
        k.dh_key(&[]).unwrap_err(),
        DhError::PeerKeyTooShort { len: 0 }
    );
    // p - 2 is accepted only if it is a residue: p ≡ 7 (mod 8) so -1 is a non-residue and
    // (-2/p) = (-1/p)(2/p) = -1: rejected as not in the subgroup.
    assert_eq!(
        k.dh_key(&to192(&(&p - 2u8))).unwrap_err(),
        DhError::PeerKeyNotInSubgroup
    );
    // Small values are residues here (2..=29 all are); -4 = p - 4 is not, as -1 is not.
    for y in [2u8, 3, 4, 29] {
        assert!(k.dh_key(&to192(&BigUint::from(y))).is_ok(), "{y}");
    }
    assert_eq!(
        k.dh_key(&to192(&(&p - 4u8))).unwrap_err(),
        DhError::PeerKeyNotInSubgroup
    );
    // A valid key with leading zero bytes stripped (190 and 191 bytes) is accepted.
    let small = to192(&BigUint::from(4u8));
    assert!(k.dh_key(&small[1..]).is_ok());
    assert!(k.dh_key(&small[2..]).is_ok());
    assert!(k.dh_key(&small[2..]).unwrap() == k.dh_key(&small).unwrap());
}

#[test]
fn private_key_rejections() {
    assert_eq!(
        DhKeyPair::from_private(&[]).unwrap_err(),
        DhError::PrivateKeyEmpty
    );
    assert_eq!(
        DhKeyPair::from_private(&[1; 193]).unwrap_err(),
        DhError::PrivateKeyTooLong { len: 193 }
    );
    assert_eq!(
        DhKeyPair::from_private(&[0; 25]).unwrap_err(),
        DhError::PrivateKeyZero
    );
    assert!(DhKeyPair::from_private(&[0xff; 192]).is_ok());
}

/// Encrypts arbitrary padded bytes (already a multiple of 16) with no checks.
fn raw_cbc(kwk: &[u8; 16], iv: &[u8; 16], padded: &[u8]) -> Vec<u8> {
    let mut buf = padded.to_vec();
    let (blocks, rest) = Array::slice_as_chunks_mut(&mut buf);
    assert!(rest.is_empty());
    cbc::Encryptor::<Aes128>::new(kwk.into(), iv.into()).encrypt_blocks(blocks);
    [iv.as_slice(), &buf].concat()
}

fn with_kwa(plain: &[u8]) -> Vec<u8> {
    let kwa = key_wrap_authenticator(&KAT_AUTH, plain);
    [plain, &KWA_TLV_HEADER, &kwa].concat()
}

#[test]
fn settings_rejections() {
    let (kwk, auth) = (&KAT_KWK, &KAT_AUTH);
    let dec = |v: &[u8]| decrypt_settings(kwk, auth, v).map(|p| p.to_vec());
    assert_eq!(
        dec(&KAT_ES_VALUE[..16]),
        Err(SettingsError::TooShort { len: 16 })
    );
    assert_eq!(dec(&[]), Err(SettingsError::TooShort { len: 0 }));
    assert_eq!(
        dec(&KAT_ES_VALUE[..40]),
        Err(SettingsError::NotBlockAligned { len: 40 })
    );

    // Corrupt the last ciphertext block: the padding block decrypts to garbage.
    let mut v = KAT_ES_VALUE;
    v[63] ^= 0x01;
    assert_eq!(dec(&v), Err(SettingsError::BadPadding));
    // Corrupt the IV: first plaintext block changes, padding stays valid -> KWA fails.
    let mut v = KAT_ES_VALUE;
    v[3] ^= 0x01;
    assert_eq!(dec(&v), Err(SettingsError::WrongKwa));
    // Corrupt the KWA bytes inside the plaintext.
    let mut p = with_kwa(&KAT_ES_PLAIN);
    p[31] ^= 0x80;
    p.extend([16u8; 16]);
    assert_eq!(
        dec(&raw_cbc(kwk, &[5; 16], &p)),
        Err(SettingsError::WrongKwa)
    );
    // No KWA TLV at len - 12.
    let mut p = KAT_ES_PLAIN.to_vec();
    p.extend([0x10, 0x4a, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8]);
    p.extend([16u8; 16]);
    assert_eq!(
        dec(&raw_cbc(kwk, &[5; 16], &p)),
        Err(SettingsError::MissingKwa)
    );
    // KWA not last (something follows it).
    let mut p = with_kwa(&KAT_ES_PLAIN);
    p.extend([0x10, 0x4a, 0, 0]);
    p.extend([12u8; 12]);
    assert_eq!(
        dec(&raw_cbc(kwk, &[5; 16], &p)),
        Err(SettingsError::MissingKwa)
    );
    // Too little plaintext for a KWA at all.
    assert_eq!(
        dec(&raw_cbc(kwk, &[5; 16], &[8u8; 16])),
        Err(SettingsError::MissingKwa)
    );

    // Inconsistent padding bytes.
    let mut p = with_kwa(&KAT_ES_PLAIN);
    p.extend([16u8; 15]);
    p.push(16);
    p[40] = 15;
    assert_eq!(
        dec(&raw_cbc(kwk, &[5; 16], &p)),
        Err(SettingsError::BadPadding)
    );
    // Pad larger than the decrypted data.
    let mut p = with_kwa(&KAT_ES_PLAIN);
    p.extend([0x40u8; 16]);
    assert_eq!(
        dec(&raw_cbc(kwk, &[5; 16], &p)),
        Err(SettingsError::BadPadding)
    );

    // As hostapd: pad 17 with 17 matching bytes is accepted...
    let mut p = with_kwa(&KAT_ES_PLAIN[..15]); // 27 bytes
    p.extend([17u8; 17]); // 44: not block-aligned, so use 31 + 17 = 48 below
    assert_eq!(p.len() % 16, 12);
    let mut p2 = with_kwa(&KAT_ES_PLAIN[..19]); // 31 bytes
    p2.extend([17u8; 17]); // 48
    assert_eq!(
        dec(&raw_cbc(kwk, &[5; 16], &p2)).unwrap(),
        KAT_ES_PLAIN[..19]
    );
    // ...and so is pad 0 (nothing removed): find a plaintext whose KWA ends in 0x00.
    let zero_pad = (0u8..=255)
        .flat_map(|a| {
            (0u8..=255).map(move |b| {
                [
                    0x10, 0x16, 0, 16, a, b, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                ]
            })
        })
        .find(|p| key_wrap_authenticator(auth, p)[7] == 0)
        .unwrap();
    let p = with_kwa(&zero_pad);
    assert_eq!(p.len(), 32);
    assert_eq!(dec(&raw_cbc(kwk, &[5; 16], &p)).unwrap(), zero_pad);

    // In-place variant: same errors, and the buffer is wiped on failure.
    let mut v = KAT_ES_VALUE;
    v[63] ^= 0x01;
    assert_eq!(
        decrypt_settings_in_place(kwk, auth, &mut v),
        Err(SettingsError::BadPadding)
    );
    assert!(v[16..].iter().all(|&b| b == 0));
    // No-alloc builder reports a small buffer.
    let mut small = [0u8; 63];
    assert_eq!(
        encrypt_settings_into(kwk, auth, &[0; 16], &KAT_ES_PLAIN, &mut small),
        Err(SettingsError::Write(wps::tlv::WriteError::BufferFull {
            needed: 64,
            available: 63
        }))
    );
}

#[test]
fn authenticator_rejections() {
    let prev = hex!("104a0001101022000104");
    let cur = hex!("104a0001101022000105");
    let a = authenticator(&KAT_AUTH, &prev, &cur);
    let good = [cur.as_slice(), &AUTHENTICATOR_TLV_HEADER, &a].concat();
    let mut bad = good.clone();
    *bad.last_mut().unwrap() ^= 1;
    assert_eq!(
        verify_authenticator(&KAT_AUTH, &prev, &bad),
        Err(VerifyError::Mismatch)
    );
    assert_eq!(
        verify_authenticator(&KAT_AUTH, &prev, &good[..11]),
        Err(VerifyError::MissingAuthenticator)
    );
    // Authenticator not last: hostapd reads the last 12 bytes and fails.
    let trailing = [good.as_slice(), &hex!("10490000")].concat();
    assert_eq!(
        verify_authenticator(&KAT_AUTH, &prev, &trailing),
        Err(VerifyError::MissingAuthenticator)
    );
    assert_eq!(
        verify_authenticator(&KAT_AUTH, &cur, &good),
        Err(VerifyError::Mismatch)
    );
}

#[test]
fn secrets_do_not_print() {
    let k = DhKeyPair::from_private(&KAT_A).unwrap();
    let dh = k.dh_key(&KAT_PKR).unwrap();
    let s = SessionKeys::derive(&dh);
    let (p1, _) = psks(s.auth_key(), b"12345670");
    let out = format!("{k:?} {dh:?} {s:?} {p1:?}");
    assert!(!out.contains("5fa0") && !out.contains("e1ff"), "{out}");
    for b in dh.iter().chain(s.auth_key().iter()) {
        assert!(!out.contains(&format!("{b}, ")), "{out}");
    }
}

// ---------------------------------------------------------------------------------------
// Properties

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn settings_round_trip(
        plain in proptest::collection::vec(any::<u8>(), 0..200),
        kwk in any::<[u8; 16]>(),
        auth in any::<[u8; 32]>(),
        iv in any::<[u8; 16]>(),
    ) {
        let v = encrypt_settings(&kwk, &auth, &iv, &plain);
        prop_assert_eq!(v.len(), encrypted_settings_len(plain.len()));
        prop_assert_eq!(v.len() % 16, 0);
        prop_assert_eq!(&v[..16], &iv);
        prop_assert_eq!(&decrypt_settings(&kwk, &auth, &v).unwrap()[..], plain.as_slice());
        let mut w = v.clone();
        prop_assert_eq!(decrypt_settings_in_place(&kwk, &auth, &mut w).unwrap(), plain.as_slice());
    }

    #[test]
    fn decrypt_never_panics(value in proptest::collection::vec(any::<u8>(), 0..120)) {
        let _ = decrypt_settings(&KAT_KWK, &KAT_AUTH, &value);
    }

    #[test]
    fn peer_check_never_panics(value in proptest::collection::vec(any::<u8>(), 185..196)) {
        let _ = check_peer_public_key(&value);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(8))]

    /// Two short-exponent keys, and a full-width key with a short one, agree on the
    /// shared secret.
    #[test]
    fn dh_agreement_short_full_and_mixed(seed in any::<u64>()) {
        use rand::SeedableRng;
        let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
        let full = DhKeyPair::generate_full(&mut rng);
        let (a, b) = (DhKeyPair::generate(&mut rng), DhKeyPair::generate(&mut rng));
        prop_assert_eq!((a.exponent_bits(), full.exponent_bits()), (256, 1536));
        for (x, y) in [(&a, &b), (&full, &b)] {
            prop_assert!(x.dh_key(&y.public_key()).unwrap() == y.dh_key(&x.public_key()).unwrap());
        }
    }

    /// Public keys and shared secrets equal num-bigint's modpow (the oracle).
    #[test]
    fn modexp_matches_num_bigint(priv_bytes in proptest::collection::vec(any::<u8>(), 1..=192), base_seed in any::<[u8; 192]>()) {
        prop_assume!(priv_bytes.iter().any(|&b| b != 0));
        let p = p_big();
        let k = DhKeyPair::from_private(&priv_bytes).unwrap();
        let x = BigUint::from_bytes_be(&priv_bytes);
        prop_assert_eq!(k.public_key(), to192(&BigUint::from(2u8).modpow(&x, &p)));
        // A random subgroup element: square of a random base.
        let y = BigUint::from_bytes_be(&base_seed).modpow(&BigUint::from(2u8), &p);
        prop_assume!(y > BigUint::from(1u8));
        let z = k.shared_secret(&to192(&y)).unwrap();
        let expect = to192(&y.modpow(&x, &p));
        prop_assert_eq!(z.as_slice(), expect.as_slice());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// The Jacobi-based subgroup check agrees with y^q mod p = 1 (num-bigint oracle) on
    /// random values, squares (always members), and negated squares (never members).
    #[test]
    fn subgroup_check_matches_euler(seed in any::<[u8; 192]>(), kind in 0u8..3) {
        let p = p_big();
        let q = (&p - 1u8) >> 1;
        let r = BigUint::from_bytes_be(&seed) % &p;
        let y = match kind {
            0 => r,
            1 => r.modpow(&BigUint::from(2u8), &p),
            _ => (&p - r.modpow(&BigUint::from(2u8), &p)) % &p,
        };
        let verdict = check_peer_public_key(&to192(&y));
        if y < BigUint::from(2u8) || y > &p - 2u8 {
            prop_assert_eq!(verdict.unwrap_err(), DhError::PeerKeyOutOfRange);
        } else if y.modpow(&q, &p) == BigUint::from(1u8) {
            prop_assert!(verdict.is_ok());
            if kind == 2 { prop_assert!(false, "-r^2 cannot be a residue"); }
        } else {
            prop_assert_eq!(verdict.unwrap_err(), DhError::PeerKeyNotInSubgroup);
            if kind == 1 { prop_assert!(false, "r^2 must be a residue"); }
        }
    }
}
