//! WSC_ACK, WSC_NACK and WSC_Done: the short messages that carry only both nonces.

use crate::attr::ConfigError;
use crate::attr::WfaExtension;
use crate::message::Extra;

wsc_family! {
    each [#[derive(Debug)]]
    first {
        /// Enrollee Nonce.
        enrollee_nonce: &'a [u8; 16] = EnrolleeNonce,
        /// Registrar Nonce.
        registrar_nonce: &'a [u8; 16] = RegistrarNonce,
    }
    last {
        /// The WFA vendor extension.
        wfa: Option<WfaExtension<'a>>,
        /// Other vendors' extensions (written here) and a parsed struct's input.
        extra: Extra<'a>,
    }

    /// WSC_ACK (0x0D): both nonces. hostapd checks both against its own.
    ///
    /// ```
    /// use wps::message::{Ack, Extra};
    /// let ack = Ack {
    ///     version: 0x10,
    ///     enrollee_nonce: &[1; 16],
    ///     registrar_nonce: &[2; 16],
    ///     wfa: Some(wps::attr::WfaExtension::version2_only()),
    ///     extra: Extra::NONE,
    /// };
    /// let mut buf = Vec::new();
    /// ack.emit(&mut buf)?;
    /// assert_eq!(buf.len(), 5 + 5 + 20 + 20 + 10);
    /// assert_eq!(Ack::parse(&buf)?.registrar_nonce, &[2; 16]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct Ack: message WscAck in envelope {}

    /// WSC_NACK (0x0E): both nonces and the Configuration Error; without the error
    /// hostapd treats the NACK itself as invalid, so it is required.
    pub struct Nack: message WscNack in envelope {
        /// Why the run failed (18 = device password authentication failure).
        config_error: ConfigError = ConfigurationError,
    }

    /// WSC_Done (0x0F): the Enrollee processed M8.
    pub struct Done: message WscDone in envelope {}
}
