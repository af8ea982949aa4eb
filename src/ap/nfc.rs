//! The access point's NFC commands beyond reading a tag: connection handover
//! (`nfc_get_handover_sel`, `nfc_report_handover`) and its own password token
//! (`wps_nfc_token`), as hostapd's `wps_hostapd.c` has them.

use alloc::vec::Vec;

use rand_core::CryptoRng;

use super::{AccessPoint, CommandError};
use crate::attr::AttrType;
use crate::nfc::handover::{Carrier, emit_carrier_payload};
use crate::nfc::{
    Contents, HandoverSelect, NfcError, OwnPasswordToken, emit_wsc_record, read_ndef,
};
use crate::time::Instant;

/// How an NFC message the access point writes is framed: hostapd's `WPS` and `NDEF`
/// arguments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NfcFormat {
    /// The WSC data alone (a carrier record's payload, or a token's attributes).
    Wps,
    /// One NDEF record of type `application/vnd.wfa.wsc` around it.
    Ndef,
}

/// The access point's own password token (`wps_nfc_token NDEF`), and whether it stands
/// in for the AP PIN (`wps_nfc_token enable`).
#[derive(Debug)]
pub(super) struct OwnToken {
    pub(super) token: OwnPasswordToken,
    pub(super) enabled: bool,
}

impl<R: CryptoRng> AccessPoint<R> {
    /// `nfc_get_handover_sel NDEF|WPS WPS-CR`: the handover select to answer a station's
    /// request with: the hash of the access point's handover key (made now if there is
    /// none, then kept for every select until [`cancel`](Self::cancel)), Device Password
    /// ID 7, the first network's SSID and the BSSID (no RF Bands or channel: a wired
    /// link has no frequency).
    ///
    /// # Errors
    /// [`CommandError::NoNetwork`] without a network.
    pub fn nfc_handover_select(&mut self, format: NfcFormat) -> Result<Vec<u8>, CommandError> {
        let ssid = self
            .config
            .networks
            .first()
            .ok_or(CommandError::NoNetwork)?
            .ssid();
        let select = HandoverSelect {
            public_key_hash: self.registrar.nfc_handover.select_key(&mut self.rng),
            ssid,
            rf_bands: None,
            ap_channel: None,
            bssid: Some(self.config.device.mac),
        };
        let mut out = Vec::new();
        // A select is some 60 bytes into a Vec: nothing near a record's or a length's
        // limit, so writing cannot fail.
        let _ = match format {
            NfcFormat::Ndef => emit_wsc_record(&mut out, &Carrier(&select)),
            NfcFormat::Wps => emit_carrier_payload(&mut out, &select),
        };
        Ok(out)
    }

    /// `nfc_report_handover RESP WPS REQ SEL`: the station's handover request `request`
    /// (NDEF: a carrier record or a whole `Hr` message) was answered with `select`. The
    /// next M1 with Device Password ID 7 whose public key has the request's hash runs the
    /// abbreviated handshake (M2 with the credential, WSC_Done); another key gets M2D
    /// with Configuration Error 20. A registration that hands out the credential forgets
    /// the request. Sets Selected Registrar with ID 7 and stops push-button mode, as
    /// hostapd's `wps_registrar_add_nfc_pw_token`. The select is not read (hostapd does
    /// not read it either): it is the one [`nfc_handover_select`](Self::nfc_handover_select)
    /// gave.
    ///
    /// # Errors
    /// [`CommandError::Nfc`] for a malformed request or one without UUID-E (hostapd
    /// requires it), [`CommandError::NotHandoverRequest`] for another kind of NFC
    /// message, [`CommandError::NoHandoverSelect`] when no select was made (hostapd
    /// would take the request and fail at M2).
    pub fn nfc_report_handover(
        &mut self,
        request: &[u8],
        select: &[u8],
        now: Instant,
    ) -> Result<(), CommandError> {
        let _ = (select, now);
        let Contents::HandoverRequest(request) = read_ndef(request)?.contents()? else {
            return Err(CommandError::NotHandoverRequest);
        };
        if request.uuid_e.is_none() {
            return Err(NfcError::Missing(AttrType::UuidE).into());
        }
        if self.registrar.nfc_handover.key().is_none() {
            return Err(CommandError::NoHandoverSelect);
        }
        self.registrar.nfc_handover.report(&request);
        self.stop_pbc();
        Ok(())
    }

    /// `wps_nfc_token WPS|NDEF`: a fresh password token of the access point's own (DH
    /// key pair, Device Password ID ≥ 0x10, 32-byte password), replacing the one before,
    /// as hostapd's `wps_nfc_token_gen`. An external registrar that reads it proves it
    /// instead of the AP PIN once [`enable_nfc_token`](Self::enable_nfc_token) says so.
    /// Holds the password: zeroized on drop.
    pub fn nfc_token(&mut self, format: NfcFormat) -> zeroize::Zeroizing<Vec<u8>> {
        let token = OwnPasswordToken::generate(&mut self.rng);
        let written = match format {
            NfcFormat::Ndef => token.to_ndef(),
            NfcFormat::Wps => {
                let mut out = zeroize::Zeroizing::new(Vec::new());
                // Writing into a Vec cannot fail.
                let _ = crate::nfc::WscPayload::emit_payload(&token.token(), &mut *out);
                out
            }
        };
        self.own_nfc_token = Some(alloc::boxed::Box::new(OwnToken {
            token,
            enabled: false,
        }));
        written
    }

    /// `wps_nfc_token enable`: external registrars (the station that read the token)
    /// meet an access point whose M1 carries the token's Device Password ID and public
    /// key, and whose password is the token's; the AP PIN is not used meanwhile.
    ///
    /// # Errors
    /// [`CommandError::NoNfcToken`] before `wps_nfc_token NDEF` made one.
    pub fn enable_nfc_token(&mut self) -> Result<(), CommandError> {
        let own = self
            .own_nfc_token
            .as_mut()
            .ok_or(CommandError::NoNfcToken)?;
        own.enabled = true;
        Ok(())
    }

    /// `wps_nfc_token disable`: back to the AP PIN; the token is kept for `enable`.
    pub fn disable_nfc_token(&mut self) {
        if let Some(own) = &mut self.own_nfc_token {
            own.enabled = false;
        }
    }
}
