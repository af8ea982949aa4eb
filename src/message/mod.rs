//! The registration protocol messages: M1..M8, M2D, WSC_ACK, WSC_NACK and WSC_Done.

mod device;
mod error;
pub mod ie;

pub use device::DeviceAttrs;
pub use error::MessageError;
