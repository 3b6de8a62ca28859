//! Raw bytes as lowercase hex, for serialising opaque fields.

/// `[0x01, 0xab]` -> `"01ab"`.
pub fn encode(b: &[u8]) -> String {
    use core::fmt::Write;
    let mut s = String::with_capacity(2 * b.len());
    for x in b {
        let _ = write!(s, "{x:02x}");
    }
    s
}

#[cfg(feature = "serde")]
pub(crate) fn serialize<S: serde::Serializer>(b: &[u8], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&encode(b))
}
