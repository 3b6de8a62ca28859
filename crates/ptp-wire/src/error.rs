//! Typed parse and emit errors.
//!
//! Every way a received message can be rejected has its own [`ParseError`] variant, so that a
//! port can count dropped packets per reason (DESIGN.md, "Errors and robustness").

use crate::management::ManagementId;
use crate::tlv::TlvType;

/// Why a received message was rejected. One variant per drop reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ParseError {
    /// The buffer ends before the common header or the fixed body of the message type.
    #[error("message too short: need {needed} bytes, have {available}")]
    TooShort { needed: usize, available: usize },
    /// The header's messageLength is larger than the buffer, or smaller than header plus the
    /// fixed body of the message type.
    #[error("bad messageLength {message_length}: buffer has {available} bytes, fixed part needs {minimum}")]
    BadMessageLength { message_length: u16, available: usize, minimum: usize },
    /// messageType (low nibble of byte 0) is not one of the ten defined types.
    #[error("unknown messageType 0x{0:x}")]
    UnknownMessageType(u8),
    /// versionPTP (low nibble of byte 1) is not 2.
    #[error("unsupported versionPTP {0}")]
    UnsupportedVersion(u8),
    /// A TLV's lengthField runs past messageLength, or fewer than four bytes are left where a
    /// TLV header should start.
    #[error("TLV {tlv_type} at offset {offset}: lengthField {length} runs past the end of the message")]
    BadTlvLength { tlv_type: TlvType, offset: usize, length: u16 },
    /// A TLV of known type whose value does not match the layout of that type.
    #[error("malformed {tlv_type} TLV body")]
    BadTlvBody { tlv_type: TlvType },
    /// A MANAGEMENT TLV whose dataField does not match the layout of its managementId.
    #[error("malformed dataField for management ID {id}")]
    BadManagementBody { id: ManagementId },
}

/// Why a message could not be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EmitError {
    /// The caller's buffer is smaller than [`crate::Message::buffer_len`].
    #[error("buffer too small: need {needed} bytes, have {available}")]
    BufferTooSmall { needed: usize, available: usize },
    /// The message (or one TLV) is longer than a 16-bit length field can express.
    #[error("message too long for a 16-bit length field: {0} bytes")]
    TooLong(usize),
}
