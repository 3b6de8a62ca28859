//! A zero-copy view over a received message's bytes (in the style of smoltcp's `Packet`).
//!
//! [`MessageView::new`] checks once that the buffer holds the whole header, a supported
//! version, a known messageType and a messageLength that covers the fixed body of that type.
//! After that every accessor of the header and the fixed body reads without allocating and
//! without any possibility of a panic. TLVs are walked lazily with [`MessageView::tlvs`].

use crate::codec::{Reader, WireFormat};
use crate::datatypes::{ClockIdentity, ClockQuality, PortIdentity, TimeInterval, TimeSource, Timestamp};
use crate::error::ParseError;
use crate::header::{field, FlagField, MessageType, HEADER_LEN};
use crate::tlv::TlvIter;

/// The version of PTP this codec speaks (versionPTP, IEEE 1588-2019 13.3.2.4).
pub const PTP_VERSION: u8 = 2;

/// A checked view over one message: `as_bytes()` ends at messageLength.
#[derive(Clone, Copy, Debug)]
pub struct MessageView<'a> {
    buf: &'a [u8],
    message_type: MessageType,
}

impl<'a> MessageView<'a> {
    /// Check the header and the fixed-part length; bytes after messageLength are cut off.
    pub fn new(bytes: &'a [u8]) -> Result<Self, ParseError> {
        let header: &[u8; HEADER_LEN] = bytes
            .get(..HEADER_LEN)
            .and_then(|h| h.try_into().ok())
            .ok_or(ParseError::TooShort { needed: HEADER_LEN, available: bytes.len() })?;
        let version = header[field::VERSION] & 0x0f;
        if version != PTP_VERSION {
            return Err(ParseError::UnsupportedVersion(version));
        }
        let nibble = header[field::SDO_TYPE] & 0x0f;
        let message_type = MessageType::from_nibble(nibble).ok_or(ParseError::UnknownMessageType(nibble))?;
        let message_length = u16::from_be_bytes([header[2], header[3]]);
        let minimum = message_type.fixed_len();
        if usize::from(message_length) > bytes.len() || usize::from(message_length) < minimum {
            return Err(ParseError::BadMessageLength { message_length, available: bytes.len(), minimum });
        }
        let buf = bytes.get(..usize::from(message_length)).unwrap_or(bytes);
        Ok(MessageView { buf, message_type })
    }

    /// The message's bytes, up to messageLength.
    pub fn as_bytes(&self) -> &'a [u8] {
        self.buf
    }

    fn header(&self) -> &'a [u8; HEADER_LEN] {
        // Checked in `new`: the buffer is at least the fixed length, which exceeds the header.
        static ZERO: [u8; HEADER_LEN] = [0; HEADER_LEN];
        self.buf.get(..HEADER_LEN).and_then(|h| h.try_into().ok()).unwrap_or(&ZERO)
    }

    fn reader_at(&self, offset: usize) -> Reader<'a> {
        Reader::new(self.buf.get(offset..).unwrap_or(&[]))
    }

    pub fn message_type(&self) -> MessageType {
        self.message_type
    }
    pub fn major_sdo_id(&self) -> u8 {
        self.header()[field::SDO_TYPE] >> 4
    }
    pub fn version_ptp(&self) -> u8 {
        self.header()[field::VERSION] & 0x0f
    }
    pub fn minor_version_ptp(&self) -> u8 {
        self.header()[field::VERSION] >> 4
    }
    pub fn message_length(&self) -> u16 {
        self.buf.len() as u16
    }
    pub fn domain_number(&self) -> u8 {
        self.header()[field::DOMAIN_NUMBER]
    }
    pub fn minor_sdo_id(&self) -> u8 {
        self.header()[field::MINOR_SDO_ID]
    }
    pub fn flag_field(&self) -> FlagField {
        let h = self.header();
        FlagField(u16::from_be_bytes([h[6], h[7]]))
    }
    pub fn correction_field(&self) -> TimeInterval {
        let h = self.header();
        TimeInterval(i64::from_be_bytes([h[8], h[9], h[10], h[11], h[12], h[13], h[14], h[15]]))
    }
    pub fn source_port_identity(&self) -> PortIdentity {
        let h = self.header();
        PortIdentity {
            clock_identity: ClockIdentity([h[20], h[21], h[22], h[23], h[24], h[25], h[26], h[27]]),
            port_number: u16::from_be_bytes([h[28], h[29]]),
        }
    }
    pub fn sequence_id(&self) -> u16 {
        let h = self.header();
        u16::from_be_bytes([h[30], h[31]])
    }
    pub fn control_field(&self) -> u8 {
        self.header()[field::CONTROL_FIELD]
    }
    pub fn log_message_interval(&self) -> i8 {
        self.header()[field::LOG_MESSAGE_INTERVAL] as i8
    }

    /// The first timestamp of the body: originTimestamp (Sync, Delay_Req, Pdelay_Req,
    /// Announce), preciseOriginTimestamp (Follow_Up), receiveTimestamp (Delay_Resp),
    /// requestReceiptTimestamp (Pdelay_Resp) or responseOriginTimestamp
    /// (Pdelay_Resp_Follow_Up). `None` for Signaling and Management.
    pub fn timestamp(&self) -> Option<Timestamp> {
        match self.message_type {
            MessageType::Signaling | MessageType::Management => None,
            _ => Timestamp::parse(&mut self.reader_at(HEADER_LEN)),
        }
    }

    /// requestingPortIdentity of Delay_Resp, Pdelay_Resp and Pdelay_Resp_Follow_Up;
    /// targetPortIdentity of Signaling and Management.
    pub fn port_identity_field(&self) -> Option<PortIdentity> {
        let off = match self.message_type {
            MessageType::DelayResp | MessageType::PdelayResp | MessageType::PdelayRespFollowUp => HEADER_LEN + 10,
            MessageType::Signaling | MessageType::Management => HEADER_LEN,
            _ => return None,
        };
        PortIdentity::parse(&mut self.reader_at(off))
    }

    /// The Announce-specific fields, if this is an Announce.
    pub fn announce(&self) -> Option<AnnounceView<'a>> {
        (self.message_type == MessageType::Announce).then_some(AnnounceView { buf: self.buf })
    }

    /// The TLVs after the fixed body, as (type, value) slices; each item is checked as it is
    /// reached.
    pub fn tlvs(&self) -> TlvIter<'a> {
        TlvIter::new(self.buf, self.message_type.fixed_len())
    }
}

/// Announce fields read in place (IEEE 1588-2019 Table 43).
#[derive(Clone, Copy, Debug)]
pub struct AnnounceView<'a> {
    buf: &'a [u8],
}

impl AnnounceView<'_> {
    fn at(&self, off: usize) -> u8 {
        self.buf.get(HEADER_LEN + off).copied().unwrap_or(0)
    }
    pub fn current_utc_offset(&self) -> i16 {
        i16::from_be_bytes([self.at(10), self.at(11)])
    }
    pub fn grandmaster_priority1(&self) -> u8 {
        self.at(13)
    }
    pub fn grandmaster_clock_quality(&self) -> ClockQuality {
        ClockQuality {
            clock_class: self.at(14),
            clock_accuracy: self.at(15).into(),
            offset_scaled_log_variance: u16::from_be_bytes([self.at(16), self.at(17)]),
        }
    }
    pub fn grandmaster_priority2(&self) -> u8 {
        self.at(18)
    }
    pub fn grandmaster_identity(&self) -> ClockIdentity {
        let mut id = [0u8; 8];
        for (i, b) in id.iter_mut().enumerate() {
            *b = self.at(19 + i);
        }
        ClockIdentity(id)
    }
    pub fn steps_removed(&self) -> u16 {
        u16::from_be_bytes([self.at(27), self.at(28)])
    }
    pub fn time_source(&self) -> TimeSource {
        TimeSource(self.at(29))
    }
}
