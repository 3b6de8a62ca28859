//! ALTERNATE_TIME_OFFSET_INDICATOR TLV (IEEE 1588-2019 16.3.3, Table 116).

use crate::codec::{Reader, WireFormat, Writer};
use crate::datatypes::PtpText;

/// An alternate timescale's offset from PTP time; fields are unaligned, and the TLV is padded
/// to an even length after displayName.
#[derive(Clone, PartialEq, Eq, Hash, Default, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct AlternateTimeOffsetIndicator {
    pub key_field: u8,
    /// currentOffset, seconds.
    pub current_offset: i32,
    /// jumpSeconds.
    pub jump_seconds: i32,
    /// timeOfNextJump, UInteger48 seconds.
    pub time_of_next_jump: u64,
    pub display_name: PtpText,
}

impl AlternateTimeOffsetIndicator {
    /// One pad octet when the 15 fixed octets plus displayName are odd.
    fn pad_len(&self) -> usize {
        (15 + self.display_name.wire_len()) % 2
    }
}

impl WireFormat for AlternateTimeOffsetIndicator {
    fn parse(r: &mut Reader<'_>) -> Option<Self> {
        let v = AlternateTimeOffsetIndicator {
            key_field: r.u8()?,
            current_offset: r.i32()?,
            jump_seconds: r.i32()?,
            time_of_next_jump: r.u48()?,
            display_name: PtpText::parse(r)?,
        };
        r.take(v.pad_len())?;
        Some(v)
    }
    fn emit(&self, w: &mut Writer<'_>) {
        w.u8(self.key_field);
        w.i32(self.current_offset);
        w.i32(self.jump_seconds);
        w.u48(self.time_of_next_jump);
        self.display_name.emit(w);
        w.zeros(self.pad_len());
    }
    fn wire_len(&self) -> usize {
        15 + self.display_name.wire_len() + self.pad_len()
    }
}
