//! PATH_TRACE TLV (IEEE 1588-2019 16.2.5, Table 115).

use crate::codec::{Reader, WireFormat, Writer};
use crate::datatypes::ClockIdentity;

/// pathSequence: the ClockIdentity of every clock the Announce passed through.
#[derive(Clone, PartialEq, Eq, Hash, Default, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct PathTrace {
    pub path_sequence: Vec<ClockIdentity>,
}

impl WireFormat for PathTrace {
    /// Reads to the end of the reader; a length that is not a multiple of 8 fails.
    fn parse(r: &mut Reader<'_>) -> Option<Self> {
        if r.remaining() % 8 != 0 {
            return None;
        }
        let mut path_sequence = Vec::with_capacity(r.remaining() / 8);
        while !r.is_empty() {
            path_sequence.push(ClockIdentity::parse(r)?);
        }
        Some(PathTrace { path_sequence })
    }
    fn emit(&self, w: &mut Writer<'_>) {
        for c in &self.path_sequence {
            c.emit(w);
        }
    }
    fn wire_len(&self) -> usize {
        8 * self.path_sequence.len()
    }
}
