//! The ten PTP messages (IEEE 1588-2019 clause 13): owned form with `parse` and `emit`.
//!
//! [`Message::parse`] validates the header, the fixed body and every TLV; it returns a typed
//! [`ParseError`] for any malformed input and never panics. Bytes after `messageLength`
//! (Ethernet padding, for one) are ignored. [`Message::emit`] writes exactly
//! [`Message::buffer_len`] bytes and sets messageLength itself.
//!
//! Reserved fields inside message bodies are not kept: they are sent as zero.

mod bodies;

pub use bodies::*;

use crate::codec::{Reader, WireFormat, Writer};
use crate::error::{EmitError, ParseError};
use crate::header::{Header, MessageType, HEADER_LEN};
use crate::management::ManagementTlv;
use crate::tlv::{Tlv, TlvIter};
use crate::view::MessageView;

/// The fixed body of a message, one variant per messageType.
#[derive(Clone, PartialEq, Eq, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(untagged))]
pub enum MessageBody {
    Sync(Sync),
    DelayReq(DelayReq),
    PdelayReq(PdelayReq),
    PdelayResp(PdelayResp),
    FollowUp(FollowUp),
    DelayResp(DelayResp),
    PdelayRespFollowUp(PdelayRespFollowUp),
    Announce(Announce),
    Signaling(Signaling),
    Management(Management),
}

impl MessageBody {
    pub fn message_type(&self) -> MessageType {
        match self {
            MessageBody::Sync(_) => MessageType::Sync,
            MessageBody::DelayReq(_) => MessageType::DelayReq,
            MessageBody::PdelayReq(_) => MessageType::PdelayReq,
            MessageBody::PdelayResp(_) => MessageType::PdelayResp,
            MessageBody::FollowUp(_) => MessageType::FollowUp,
            MessageBody::DelayResp(_) => MessageType::DelayResp,
            MessageBody::PdelayRespFollowUp(_) => MessageType::PdelayRespFollowUp,
            MessageBody::Announce(_) => MessageType::Announce,
            MessageBody::Signaling(_) => MessageType::Signaling,
            MessageBody::Management(_) => MessageType::Management,
        }
    }

    fn parse(t: MessageType, r: &mut Reader<'_>) -> Option<Self> {
        Some(match t {
            MessageType::Sync => MessageBody::Sync(Sync::parse(r)?),
            MessageType::DelayReq => MessageBody::DelayReq(DelayReq::parse(r)?),
            MessageType::PdelayReq => MessageBody::PdelayReq(PdelayReq::parse(r)?),
            MessageType::PdelayResp => MessageBody::PdelayResp(PdelayResp::parse(r)?),
            MessageType::FollowUp => MessageBody::FollowUp(FollowUp::parse(r)?),
            MessageType::DelayResp => MessageBody::DelayResp(DelayResp::parse(r)?),
            MessageType::PdelayRespFollowUp => MessageBody::PdelayRespFollowUp(PdelayRespFollowUp::parse(r)?),
            MessageType::Announce => MessageBody::Announce(Announce::parse(r)?),
            MessageType::Signaling => MessageBody::Signaling(Signaling::parse(r)?),
            MessageType::Management => MessageBody::Management(Management::parse(r)?),
        })
    }

    fn emit(&self, w: &mut Writer<'_>) {
        match self {
            MessageBody::Sync(b) => b.emit(w),
            MessageBody::DelayReq(b) => b.emit(w),
            MessageBody::PdelayReq(b) => b.emit(w),
            MessageBody::PdelayResp(b) => b.emit(w),
            MessageBody::FollowUp(b) => b.emit(w),
            MessageBody::DelayResp(b) => b.emit(w),
            MessageBody::PdelayRespFollowUp(b) => b.emit(w),
            MessageBody::Announce(b) => b.emit(w),
            MessageBody::Signaling(b) => b.emit(w),
            MessageBody::Management(b) => b.emit(w),
        }
    }
}

/// A whole PTP message: header, fixed body and the TLVs that follow it (IEEE 1588-2019 13.4,
/// 14.1). For Management messages the MANAGEMENT (or MANAGEMENT_ERROR_STATUS) TLV is the first
/// entry of `tlvs`; for Signaling messages `tlvs` holds the signaling TLVs.
#[derive(Clone, PartialEq, Eq, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Message {
    pub header: Header,
    pub body: MessageBody,
    pub tlvs: Vec<Tlv>,
}

impl Message {
    /// A message with `body`, a default header of the body's type and no TLVs.
    pub fn new(body: MessageBody) -> Self {
        Message { header: Header::new(body.message_type()), body, tlvs: Vec::new() }
    }

    /// Parse one message from `bytes`; bytes after messageLength are ignored.
    pub fn parse(bytes: &[u8]) -> Result<Message, ParseError> {
        let view = MessageView::new(bytes)?;
        let bytes = view.as_bytes();
        let t = view.message_type();
        let mut r = Reader::new(bytes);
        let header = Header::parse(&mut r)?;
        let short = ParseError::TooShort { needed: t.fixed_len(), available: bytes.len() };
        let body = MessageBody::parse(t, &mut r).ok_or(short)?;
        let mut tlvs = Vec::new();
        for raw in TlvIter::new(bytes, t.fixed_len()) {
            let raw = raw?;
            tlvs.push(Tlv::parse(raw.tlv_type, raw.value)?);
        }
        Ok(Message { header, body, tlvs })
    }

    pub fn message_type(&self) -> MessageType {
        self.body.message_type()
    }

    /// The number of bytes [`Message::emit`] writes (the messageLength it sends).
    pub fn buffer_len(&self) -> usize {
        self.message_type().fixed_len() + self.tlvs.iter().map(Tlv::buffer_len).sum::<usize>()
    }

    /// Write the message into the front of `buf`; returns the number of bytes written.
    ///
    /// The header's messageType is taken from the body, and messageLength is computed.
    pub fn emit(&self, buf: &mut [u8]) -> Result<usize, EmitError> {
        let len = self.buffer_len();
        let message_length = u16::try_from(len).map_err(|_| EmitError::TooLong(len))?;
        if buf.len() < len {
            return Err(EmitError::BufferTooSmall { needed: len, available: buf.len() });
        }
        let mut header = self.header;
        header.message_type = self.message_type();
        let mut w = Writer::new(buf);
        header.emit(&mut w, message_length);
        self.body.emit(&mut w);
        for tlv in &self.tlvs {
            tlv.emit(&mut w)?;
        }
        debug_assert_eq!(w.position(), len);
        if w.overflowed() {
            return Err(EmitError::BufferTooSmall { needed: len, available: buf.len() });
        }
        Ok(w.position())
    }

    /// Emit into a new vector.
    pub fn to_bytes(&self) -> Result<Vec<u8>, EmitError> {
        let mut v = vec![0u8; self.buffer_len()];
        let n = self.emit(&mut v)?;
        v.truncate(n);
        Ok(v)
    }

    /// The MANAGEMENT TLV of a Management message, if it has one.
    pub fn management_tlv(&self) -> Option<&ManagementTlv> {
        self.tlvs.iter().find_map(|t| match t {
            Tlv::Management(m) => Some(m),
            _ => None,
        })
    }
}

impl core::fmt::Display for Message {
    /// One line: type, sequenceId, domain, source port, correction.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let h = &self.header;
        write!(
            f,
            "{} seq {} domain {} from {} correction {}",
            self.message_type(),
            h.sequence_id,
            h.domain_number,
            h.source_port_identity,
            h.correction_field
        )
    }
}

const _: () = assert!(HEADER_LEN == 34);
