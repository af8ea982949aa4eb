//! One error for the whole UPnP codec: which layer refused the input, in plain words.

use super::base64::Base64Error;
use super::http::HttpError;
use super::xml::XmlError;

/// Why a UPnP message was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UpnpError {
    /// The HTTP framing.
    #[error(transparent)]
    Http(#[from] HttpError),
    /// The XML body.
    #[error(transparent)]
    Xml(#[from] XmlError),
    /// A base64 value.
    #[error(transparent)]
    Base64(#[from] Base64Error),
    /// A different message than expected (method, start line, status).
    #[error("not the expected UPnP message: {0}")]
    Unexpected(&'static str),
    /// A SOAP action the service does not have (answered with fault 401).
    #[error("the SOAP action is not one this service has")]
    UnknownAction,
    /// A required header or element is absent.
    #[error("the UPnP message lacks its {0}")]
    Missing(&'static str),
    /// A header or element has a value that cannot be used.
    #[error("the UPnP message has an invalid {0}")]
    Invalid(&'static str),
}
