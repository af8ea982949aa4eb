//! The WPS IEs of (Re)Association Requests and Responses.

use crate::attr::{RequestType, ResponseType, WfaExtension};
use crate::message::Extra;

wsc_family! {
    each [#[derive(Debug)]]
    first {
        /// Version (always 0x10).
        version: u8 = Version,
    }
    last {
        /// The WFA vendor extension (Version2).
        wfa: Option<WfaExtension<'a>>,
        /// Other vendors' extensions (written here) and a parsed IE's input.
        extra: Extra<'a>,
    }

    /// The WPS IE of a (Re)Association Request: Version, Request Type, WFA extension.
    /// Version and Request Type are required.
    ///
    /// ```
    /// use wps::attr::RequestType;
    /// use wps::message::ie::AssocRequest;
    /// let req = AssocRequest::new(RequestType::EnrolleeOpen8021x);
    /// let bytes = req.to_bytes();
    /// assert_eq!(bytes, [0x10, 0x4a, 0, 1, 0x10,  0x10, 0x3a, 0, 1, 1,
    ///                    0x10, 0x49, 0, 6, 0x00, 0x37, 0x2a, 0x00, 0x01, 0x20]);
    /// assert_eq!(AssocRequest::parse(&bytes)?.request_type, RequestType::EnrolleeOpen8021x);
    /// # Ok::<(), wps::message::MessageError>(())
    /// ```
    pub struct AssocRequest {
        /// Request Type (the AP records it for the EAP-WSC exchange that follows).
        request_type: RequestType = RequestType,
    }

    /// The WPS IE of a (Re)Association Response: Version, Response Type, WFA extension.
    /// Version and Response Type are required.
    pub struct AssocResponse {
        /// Response Type (hostapd: AP).
        response_type: ResponseType = ResponseType,
    }
}

/// `new(kind)`: Version 0x10, the Request or Response Type, and Version2 = 0x20.
macro_rules! assoc_new {
    ($($t:ident, $f:ident: $ft:ident, $who:literal;)*) => {$(
        impl $t<'_> {
            #[doc = concat!("What ", $who, " sends: Version 0x10, `", stringify!($f), "`, Version2 = 0x20.")]
            pub fn new($f: $ft) -> Self {
                $t {
                    version: 0x10,
                    $f,
                    wfa: Some(WfaExtension::version2_only()),
                    extra: Extra::NONE,
                }
            }
        }
    )*};
}

assoc_new! {
    AssocRequest, request_type: RequestType, "wpa_supplicant";
    AssocResponse, response_type: ResponseType, "hostapd";
}
