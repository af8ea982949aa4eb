//! Encrypted Settings: decrypting arbitrary bytes under fixed keys, and
//! encrypt → decrypt round trips of arbitrary plaintext.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wps::crypto::{
    SettingsError, decrypt_settings, decrypt_settings_in_place, encrypt_settings,
    encrypt_settings_into, encrypted_settings_len,
};

// KeyWrapKey and AuthKey of tests/vectors/hostapd-run-1, so its Encrypted Settings
// seeds decrypt and the fuzzer starts past the KWA check.
const KWK: [u8; 16] = hex::<16>("667ec611dd1a91c9002b4bb26ef074ef");
const AUTH: [u8; 32] =
    hex::<32>("aa6f3788e7c963efe4fd414e8e6aa20401677723c4ab90f6055c152fd95917c8");

fuzz_target!(|data: &[u8]| {
    // Decrypting: allocating and in-place agree; never more plaintext than input.
    let owned = decrypt_settings(&KWK, &AUTH, data);
    let mut buf = data.to_vec();
    let in_place = decrypt_settings_in_place(&KWK, &AUTH, &mut buf);
    match (&owned, &in_place) {
        (Ok(a), Ok(b)) => {
            assert_eq!(&a[..], *b);
            assert!(a.len() + 16 + 12 < data.len() + 1);
        }
        (Err(a), Err(b)) => assert_eq!(a, b),
        _ => panic!("decrypt_settings and decrypt_settings_in_place disagree"),
    }
    if let Err(e) = owned {
        let _ = format!("{e} {e:?}");
        if data.len() < 32 {
            assert!(matches!(e, SettingsError::TooShort { .. }));
        }
    }

    // Sealing: the input as plaintext, an IV from its first bytes.
    let mut iv = [0u8; 16];
    for (d, s) in iv.iter_mut().zip(data) {
        *d = *s;
    }
    let sealed = encrypt_settings(&KWK, &AUTH, &iv, data);
    assert_eq!(sealed.len(), encrypted_settings_len(data.len()));
    assert_eq!(sealed[..16], iv);
    let mut fixed = vec![0u8; sealed.len()];
    assert_eq!(
        encrypt_settings_into(&KWK, &AUTH, &iv, data, &mut fixed),
        Ok(sealed.len())
    );
    assert_eq!(fixed, sealed);
    assert!(encrypt_settings_into(&KWK, &AUTH, &iv, data, &mut fixed[..sealed.len() - 1]).is_err());
    let opened = decrypt_settings(&KWK, &AUTH, &sealed).expect("own output decrypts");
    assert_eq!(&opened[..], data);
    // Any flipped bit is caught (padding or KWA).
    if let Some(i) = data.first().map(|b| usize::from(*b) % sealed.len()) {
        let mut bad = sealed.clone();
        bad[i] ^= 0x01;
        let r = decrypt_settings(&KWK, &AUTH, &bad);
        if i >= 16 {
            assert!(r.is_err(), "flipped ciphertext bit {i} accepted");
        }
    }
});

const fn nibble(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        _ => panic!("not hex"),
    }
}

/// The `N` bytes of a lower-case hex string, at compile time.
const fn hex<const N: usize>(s: &str) -> [u8; N] {
    let b = s.as_bytes();
    let mut out = [0u8; N];
    let mut i = 0;
    while i < N {
        out[i] = nibble(b[2 * i]) << 4 | nibble(b[2 * i + 1]);
        i += 1;
    }
    out
}
