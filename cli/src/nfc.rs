//! `wps nfc`: the NFC tags a device writes, and reading the tags `wps station` uses.
//!
//! ```text
//! wps nfc token --out FILE                     # a fresh password token: keys in FILE (0600), NDEF hex on stdout
//! wps nfc handover-req --out FILE [--uuid U]   # a handover request: key and UUID in FILE, NDEF hex on stdout
//! ```
//!
//! The token's hex goes on the tag (or to `hostapd_cli wps_nfc_tag_read HEX`); FILE
//! stays with the device for `wps station --nfc-token FILE`. The handover request's hex
//! goes to the router (`nfc_report_handover RESP WPS REQ SEL`, after its
//! `nfc_get_handover_sel NDEF WPS-CR`); FILE and the router's select go to `wps station
//! --nfc-handover-req FILE --nfc-handover-sel HEX`. A FILE holds a DH private key (and a
//! token's password): it is created readable by its owner only.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use wps::attr::Uuid;
use wps::nfc::handover::Carrier;
use wps::nfc::{Contents, OwnHandoverRequest, OwnPasswordToken, read_ndef, to_wsc_record};
use wps::registration::Credential;

use crate::args;
use crate::report::{EXIT_IO, out};

/// `wps nfc`
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: Command,
}

/// What to make.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// A fresh password token (DH key pair, Device Password ID ≥ 0x10, 32-byte password):
    /// keeps it in FILE, prints its NDEF message in hex (hostapd's `wps_nfc_token NDEF`).
    Token {
        /// Where the device keeps its token (created with mode 0600, replaced if present).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// A connection handover request (a fresh DH key, Device Password ID 7, UUID-E):
    /// keeps the key and UUID in FILE, prints the carrier record in hex
    /// (wpa_supplicant's `nfc_get_handover_req NDEF WPS-CR`).
    HandoverReq {
        /// Where the station keeps its request (created with mode 0600, replaced if
        /// present).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// The UUID-E to announce, which M1 then carries (default: a random one).
        #[arg(long, value_parser = args::uuid)]
        uuid: Option<Uuid>,
    },
}

/// Runs `wps nfc`.
pub fn run(args: Args) -> ExitCode {
    match args.command {
        Command::Token { out: path } => {
            let token = OwnPasswordToken::generate(&mut rand::rng());
            if let Err(e) = write_private(&path, token.to_file_text().as_bytes()) {
                eprintln!("wps nfc token: {}: {e}", path.display());
                return ExitCode::from(EXIT_IO);
            }
            eprintln!(
                "password token, Device Password ID {:#06x}, kept in {}",
                token.password_id(),
                path.display()
            );
            out(&hex::encode_upper(&*token.to_ndef()));
            ExitCode::SUCCESS
        }
        Command::HandoverReq { out: path, uuid } => {
            let uuid = uuid.unwrap_or_else(|| Uuid(rand::random()));
            let request = OwnHandoverRequest::generate(&mut rand::rng(), uuid);
            let ndef = match to_wsc_record(&Carrier(&request.request())) {
                Ok(ndef) => ndef,
                Err(e) => {
                    eprintln!("wps nfc handover-req: {e}");
                    return ExitCode::from(EXIT_IO);
                }
            };
            if let Err(e) = write_private(&path, request.to_file_text().as_bytes()) {
                eprintln!("wps nfc handover-req: {}: {e}", path.display());
                return ExitCode::from(EXIT_IO);
            }
            eprintln!(
                "handover request, UUID-E {uuid}, key hash {}, kept in {}",
                request.request().public_key_hash,
                path.display()
            );
            out(&hex::encode_upper(&ndef));
            ExitCode::SUCCESS
        }
    }
}

/// Writes `bytes` to `path`, readable and writable by its owner only.
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    // A file that existed keeps its mode through `open`: set it.
    file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// The token `wps nfc token --out FILE` wrote.
pub fn read_token_file(path: &Path) -> Result<OwnPasswordToken, String> {
    let text = zeroize::Zeroizing::new(
        std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?,
    );
    OwnPasswordToken::from_file_text(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// The handover request `wps nfc handover-req --out FILE` wrote.
pub fn read_handover_request_file(path: &Path) -> Result<OwnHandoverRequest, String> {
    let text = zeroize::Zeroizing::new(
        std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?,
    );
    OwnHandoverRequest::from_file_text(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// A handover select (NDEF hex: a carrier record or a whole `Hs` message) as bytes, once
/// it is known to be one.
pub fn handover_select(hex_text: &str) -> Result<Vec<u8>, String> {
    let bytes = hex::decode(hex_text.trim()).map_err(|e| format!("not hex: {e}"))?;
    let ndef = read_ndef(&bytes).map_err(|e| e.to_string())?;
    match ndef.contents().map_err(|e| e.to_string())? {
        Contents::HandoverSelect(_) => Ok(bytes),
        _ => Err("the NFC message is not a handover select".into()),
    }
}

/// The credentials of a configuration token read from a tag (NDEF hex).
pub fn configuration_token(hex_text: &str) -> Result<Vec<Credential>, String> {
    let bytes = hex::decode(hex_text.trim()).map_err(|e| format!("not hex: {e}"))?;
    let ndef = read_ndef(&bytes).map_err(|e| e.to_string())?;
    let Contents::ConfigurationToken(token) = ndef.contents().map_err(|e| e.to_string())? else {
        return Err("the NFC tag is not a configuration token".into());
    };
    token
        .credentials()
        .map(|c| Credential::try_from(c).map_err(|e| format!("its credential: {e}")))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostapds_configuration_token_gives_its_network() {
        // nfc-config from the NFC lab (captures/nfc-tokens.txt).
        let hex = "D2175C6170706C69636174696F6E2F766E642E7766612E777363100E003F102600010110450009777073752D74657374100300020020100F0002000810270013777073752D706173737068726173652D31323310200006000000000000103C00010110200006020000005A011049000600372A000120";
        let c = configuration_token(hex).unwrap();
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].ssid(), b"wpsu-test");
        assert_eq!(c[0].network_key(), b"wpsu-passphrase-123");
        // A password token is not one.
        let pw = "D217446170706C69636174696F6E2F766E642E7766612E777363102C00360A90F7E6E2C682BF149164071B1DA5C60F82746A4962A21747B59B03BF7A419967836A6460103B876D162D81CEEBB6E3882A9AD430E41049000600372A000120";
        assert!(configuration_token(pw).is_err());
        assert!(configuration_token("zz").is_err());
    }

    #[test]
    fn the_labs_handover_select_is_one() {
        // nfc-handover from the NFC lab (captures/nfc-tokens.txt).
        let sel = "D2173D6170706C69636174696F6E2F766E642E7766612E777363003B102C00165F0FCF99437C9B066C42A25B8184DDBFF044A874000710450009777073752D7465737410200006020000005A011049000600372A000120";
        assert_eq!(handover_select(sel).unwrap().len(), 87);
        let req = "D2173A6170706C69636174696F6E2F766E642E7766612E7773630038102C00169ABC0B53554878D0916F5DCE10D38BC000D07A15000710470010876543219ABCDEF0123456789ABCDEF01049000600372A000120";
        assert!(handover_select(req).is_err());
        assert!(handover_select("D2").is_err());
    }

    #[test]
    fn token_file_is_private_and_reads_back() {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("wps-nfc-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("token");
        std::fs::write(&path, b"old").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let token = OwnPasswordToken::generate(&mut rand::rng());
        write_private(&path, token.to_file_text().as_bytes()).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        let back = read_token_file(&path).unwrap();
        assert_eq!(*back.to_ndef(), *token.to_ndef());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
