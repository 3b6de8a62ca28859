//! Bounds-checked big-endian reader and writer used by every parser and emitter.
//!
//! A [`Reader`] never reads past its slice: every getter returns `None` at the end, and
//! [`Reader::sub`] hands out a reader that cannot run past a length prefix. A [`Writer`] is only
//! given buffers whose size was computed beforehand; it still checks every write and records
//! an overflow instead of panicking.

/// A cursor over received bytes.
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub fn new(buf: &'a [u8]) -> Self {
        Reader { buf, pos: 0 }
    }

    /// Bytes not yet read.
    pub fn rest(&self) -> &'a [u8] {
        self.buf.get(self.pos..).unwrap_or(&[])
    }

    pub fn remaining(&self) -> usize {
        self.buf.len().saturating_sub(self.pos)
    }

    pub fn is_empty(&self) -> bool {
        self.remaining() == 0
    }

    pub fn position(&self) -> usize {
        self.pos
    }

    pub fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.pos.checked_add(n)?;
        let s = self.buf.get(self.pos..end)?;
        self.pos = end;
        Some(s)
    }

    /// A reader over the next `n` bytes; this reader moves past them.
    pub fn sub(&mut self, n: usize) -> Option<Reader<'a>> {
        self.take(n).map(Reader::new)
    }

    pub fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
        self.take(N)?.try_into().ok()
    }

    pub fn u8(&mut self) -> Option<u8> {
        self.array::<1>().map(|b| b[0])
    }
    pub fn i8(&mut self) -> Option<i8> {
        self.u8().map(|b| b as i8)
    }
    pub fn u16(&mut self) -> Option<u16> {
        self.array().map(u16::from_be_bytes)
    }
    pub fn i16(&mut self) -> Option<i16> {
        self.array().map(i16::from_be_bytes)
    }
    pub fn u32(&mut self) -> Option<u32> {
        self.array().map(u32::from_be_bytes)
    }
    pub fn i32(&mut self) -> Option<i32> {
        self.array().map(i32::from_be_bytes)
    }
    pub fn u64(&mut self) -> Option<u64> {
        self.array().map(u64::from_be_bytes)
    }
    pub fn i64(&mut self) -> Option<i64> {
        self.array().map(i64::from_be_bytes)
    }
    /// A 48-bit unsigned integer (UInteger48).
    pub fn u48(&mut self) -> Option<u64> {
        let b: [u8; 6] = self.array()?;
        Some(u64::from_be_bytes([0, 0, b[0], b[1], b[2], b[3], b[4], b[5]]))
    }
    /// Little-endian u64, for linuxptp's PORT_STATS_NP quirk.
    pub fn u64_le(&mut self) -> Option<u64> {
        self.array().map(u64::from_le_bytes)
    }
    /// Little-endian i64, for linuxptp's PORT_CORRECTIONS_NP quirk.
    pub fn i64_le(&mut self) -> Option<i64> {
        self.array().map(i64::from_le_bytes)
    }
}

/// A cursor that writes into a caller's buffer.
#[derive(Debug)]
pub struct Writer<'a> {
    buf: &'a mut [u8],
    pos: usize,
    overflow: bool,
}

impl<'a> Writer<'a> {
    pub fn new(buf: &'a mut [u8]) -> Self {
        Writer { buf, pos: 0, overflow: false }
    }

    pub fn position(&self) -> usize {
        self.pos
    }

    /// True if any write did not fit; the emitters size buffers beforehand, so this is a bug
    /// indicator that the caller turns into an error.
    pub fn overflowed(&self) -> bool {
        self.overflow
    }

    pub fn bytes(&mut self, b: &[u8]) {
        let end = self.pos.saturating_add(b.len());
        match self.buf.get_mut(self.pos..end) {
            Some(dst) => {
                dst.copy_from_slice(b);
                self.pos = end;
            }
            None => self.overflow = true,
        }
    }

    pub fn zeros(&mut self, n: usize) {
        let end = self.pos.saturating_add(n);
        match self.buf.get_mut(self.pos..end) {
            Some(dst) => {
                dst.fill(0);
                self.pos = end;
            }
            None => self.overflow = true,
        }
    }

    pub fn u8(&mut self, v: u8) {
        self.bytes(&[v]);
    }
    pub fn i8(&mut self, v: i8) {
        self.bytes(&[v as u8]);
    }
    pub fn u16(&mut self, v: u16) {
        self.bytes(&v.to_be_bytes());
    }
    pub fn i16(&mut self, v: i16) {
        self.bytes(&v.to_be_bytes());
    }
    pub fn u32(&mut self, v: u32) {
        self.bytes(&v.to_be_bytes());
    }
    pub fn i32(&mut self, v: i32) {
        self.bytes(&v.to_be_bytes());
    }
    pub fn u64(&mut self, v: u64) {
        self.bytes(&v.to_be_bytes());
    }
    pub fn i64(&mut self, v: i64) {
        self.bytes(&v.to_be_bytes());
    }
    /// The low 48 bits of `v`, big-endian.
    pub fn u48(&mut self, v: u64) {
        let b = v.to_be_bytes();
        self.bytes(b.get(2..).unwrap_or(&[]));
    }
    pub fn u64_le(&mut self, v: u64) {
        self.bytes(&v.to_le_bytes());
    }
    pub fn i64_le(&mut self, v: i64) {
        self.bytes(&v.to_le_bytes());
    }

    /// Overwrite two bytes at `at` (used to patch a length field written earlier).
    pub fn patch_u16(&mut self, at: usize, v: u16) {
        match self.buf.get_mut(at..at.saturating_add(2)) {
            Some(dst) => dst.copy_from_slice(&v.to_be_bytes()),
            None => self.overflow = true,
        }
    }
}

/// A value with a fixed wire layout: read from a [`Reader`], written to a [`Writer`].
///
/// `parse` reads exactly the value's own bytes and returns `None` if they are not all there or
/// do not form a valid value; the caller turns that into the right [`crate::ParseError`]
/// variant for its context. `emit` writes exactly `wire_len()` bytes.
pub trait WireFormat: Sized {
    fn parse(r: &mut Reader<'_>) -> Option<Self>;
    fn emit(&self, w: &mut Writer<'_>);
    fn wire_len(&self) -> usize;

    /// Parse from a whole slice, requiring that every byte is used.
    fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let mut r = Reader::new(bytes);
        let v = Self::parse(&mut r)?;
        r.is_empty().then_some(v)
    }

    /// Emit into a new vector of exactly `wire_len()` bytes.
    fn to_vec(&self) -> Vec<u8> {
        let mut v = vec![0u8; self.wire_len()];
        let mut w = Writer::new(&mut v);
        self.emit(&mut w);
        v
    }
}

impl<T: WireFormat> WireFormat for Box<T> {
    fn parse(r: &mut Reader<'_>) -> Option<Self> {
        T::parse(r).map(Box::new)
    }
    fn emit(&self, w: &mut Writer<'_>) {
        (**self).emit(w);
    }
    fn wire_len(&self) -> usize {
        (**self).wire_len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reader_stops_at_end_without_panicking() {
        let mut r = Reader::new(&[1, 2, 3]);
        assert_eq!(r.u16(), Some(0x0102));
        assert_eq!(r.u16(), None);
        assert_eq!(r.u8(), Some(3));
        assert_eq!(r.u8(), None);
        assert_eq!(r.take(usize::MAX), None);
    }

    #[test]
    fn sub_reader_cannot_run_past_its_length() {
        let mut r = Reader::new(&[0, 1, 2, 3, 4]);
        let mut s = r.sub(2).unwrap();
        assert_eq!(s.u8(), Some(0));
        assert_eq!(s.u8(), Some(1));
        assert_eq!(s.u8(), None);
        assert_eq!(r.u8(), Some(2));
    }

    #[test]
    fn u48_round_trips() {
        let mut buf = [0u8; 6];
        let mut w = Writer::new(&mut buf);
        w.u48(0x0000_1234_5678_9abc);
        assert!(!w.overflowed());
        assert_eq!(buf, [0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc]);
        assert_eq!(Reader::new(&buf).u48(), Some(0x1234_5678_9abc));
    }

    #[test]
    fn writer_records_overflow() {
        let mut buf = [0u8; 3];
        let mut w = Writer::new(&mut buf);
        w.u16(1);
        w.u16(2);
        assert!(w.overflowed());
        assert_eq!(w.position(), 2);
    }
}
