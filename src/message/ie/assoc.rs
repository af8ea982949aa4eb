//! The WPS IEs of (Re)Association Requests and Responses.

use super::{VendorExtensionList, emit_extensions, emit_helpers, required_u8, vendor_extensions};
use crate::attr::{AttrType, Attributes, RequestType, ResponseType, WfaExtension};
use crate::message::MessageError;
use crate::tlv::{self, Buf, WriteError};

/// The WPS IE of a (Re)Association Request: Version, Request Type, WFA extension.
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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AssocRequest<'a> {
    /// Version (always 0x10).
    pub version: u8,
    /// Request Type (the AP records it for the EAP-WSC exchange that follows).
    pub request_type: RequestType,
    /// The WFA vendor extension (Version2).
    pub wfa: Option<WfaExtension<'a>>,
    /// Vendor extensions of other vendors.
    pub vendor_extensions: VendorExtensionList<'a>,
}

impl<'a> AssocRequest<'a> {
    /// What wpa_supplicant sends: Version 0x10, `request_type`, Version2 = 0x20.
    pub fn new(request_type: RequestType) -> Self {
        AssocRequest {
            version: 0x10,
            request_type,
            wfa: Some(WfaExtension::version2_only()),
            vendor_extensions: VendorExtensionList::new(),
        }
    }

    /// Parses the attribute stream; Version and Request Type are required.
    pub fn parse(attrs: &'a [u8]) -> Result<Self, MessageError> {
        Self::from_attributes(&Attributes::parse(attrs)?)
    }

    /// Reads the fields from already-parsed attributes.
    pub fn from_attributes(a: &Attributes<'a>) -> Result<Self, MessageError> {
        Ok(AssocRequest {
            version: required_u8(a, AttrType::Version)?,
            request_type: RequestType::from(required_u8(a, AttrType::RequestType)?),
            wfa: a.wfa().copied(),
            vendor_extensions: vendor_extensions(a),
        })
    }

    /// Appends the attribute stream.
    pub fn emit<B: Buf + ?Sized>(&self, out: &mut B) -> Result<(), WriteError> {
        tlv::write_u8(out, AttrType::Version.into(), self.version)?;
        tlv::write_u8(out, AttrType::RequestType.into(), self.request_type.into())?;
        emit_extensions(out, self.wfa.as_ref(), &self.vendor_extensions, None)
    }
}

emit_helpers!(AssocRequest);

/// The WPS IE of a (Re)Association Response: Version, Response Type, WFA extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AssocResponse<'a> {
    /// Version (always 0x10).
    pub version: u8,
    /// Response Type (hostapd: AP).
    pub response_type: ResponseType,
    /// The WFA vendor extension (Version2).
    pub wfa: Option<WfaExtension<'a>>,
    /// Vendor extensions of other vendors.
    pub vendor_extensions: VendorExtensionList<'a>,
}

impl<'a> AssocResponse<'a> {
    /// What hostapd sends: Version 0x10, `response_type`, Version2 = 0x20.
    pub fn new(response_type: ResponseType) -> Self {
        AssocResponse {
            version: 0x10,
            response_type,
            wfa: Some(WfaExtension::version2_only()),
            vendor_extensions: VendorExtensionList::new(),
        }
    }

    /// Parses the attribute stream; Version and Response Type are required.
    pub fn parse(attrs: &'a [u8]) -> Result<Self, MessageError> {
        Self::from_attributes(&Attributes::parse(attrs)?)
    }

    /// Reads the fields from already-parsed attributes.
    pub fn from_attributes(a: &Attributes<'a>) -> Result<Self, MessageError> {
        Ok(AssocResponse {
            version: required_u8(a, AttrType::Version)?,
            response_type: ResponseType::from(required_u8(a, AttrType::ResponseType)?),
            wfa: a.wfa().copied(),
            vendor_extensions: vendor_extensions(a),
        })
    }

    /// Appends the attribute stream.
    pub fn emit<B: Buf + ?Sized>(&self, out: &mut B) -> Result<(), WriteError> {
        tlv::write_u8(out, AttrType::Version.into(), self.version)?;
        tlv::write_u8(
            out,
            AttrType::ResponseType.into(),
            self.response_type.into(),
        )?;
        emit_extensions(out, self.wfa.as_ref(), &self.vendor_extensions, None)
    }
}

emit_helpers!(AssocResponse);
