//! The EAP-WSC Op-Code.

use crate::attr::MessageType;

/// The EAP-WSC Op-Code a WSC message travels under (one type for the EAP layer and
/// the registration machines). Unknown values are kept.
///
/// Converts both ways with `u8`: Start 1, ACK 2, NACK 3, MSG 4, Done 5, FRAG_ACK 6.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OpCode {
    /// 1: the server (as Registrar) invites the Enrollee to send M1.
    Start,
    /// 2: carries a WSC_ACK message.
    Ack,
    /// 3: carries a WSC_NACK message.
    Nack,
    /// 4: carries M1..M8 or M2D.
    Msg,
    /// 5: carries a WSC_Done message.
    Done,
    /// 6: acknowledges a non-final fragment.
    FragAck,
    /// Any other value.
    Unknown(u8),
}

impl From<u8> for OpCode {
    fn from(v: u8) -> Self {
        match v {
            1 => OpCode::Start,
            2 => OpCode::Ack,
            3 => OpCode::Nack,
            4 => OpCode::Msg,
            5 => OpCode::Done,
            6 => OpCode::FragAck,
            other => OpCode::Unknown(other),
        }
    }
}

impl From<OpCode> for u8 {
    fn from(c: OpCode) -> u8 {
        match c {
            OpCode::Start => 1,
            OpCode::Ack => 2,
            OpCode::Nack => 3,
            OpCode::Msg => 4,
            OpCode::Done => 5,
            OpCode::FragAck => 6,
            OpCode::Unknown(v) => v,
        }
    }
}

impl OpCode {
    /// The op-code that carries a message of this type: WSC_ACK, WSC_NACK and
    /// WSC_Done have their own, everything else (M1..M8, M2D) is WSC_MSG.
    pub fn for_message(t: MessageType) -> OpCode {
        match t {
            MessageType::WscAck => OpCode::Ack,
            MessageType::WscNack => OpCode::Nack,
            MessageType::WscDone => OpCode::Done,
            _ => OpCode::Msg,
        }
    }
}
