//! Why a WSC message was rejected.

use crate::attr::{AttrError, AttrType, MessageType};

/// Why bytes could not be read as a WSC registration message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MessageError {
    /// The attribute stream itself was rejected (framing, a wrong fixed length, …).
    #[error(transparent)]
    Attr(#[from] AttrError),
    /// An attribute that processing needs is absent (or was ignored by a length rule).
    #[error("required attribute {0} is missing")]
    Missing(AttrType),
    /// The Message Type is not one this parser was asked for.
    #[error("unexpected message type {found}, expected {expected}")]
    WrongType {
        /// The Message Type in the input.
        found: MessageType,
        /// The type the caller asked for.
        expected: MessageType,
    },
    /// The Message Type names no registration message (a beacon, probe, or unassigned value).
    #[error("message type {0} is not a registration protocol message")]
    UnknownType(MessageType),
}
