//! The derived data types of IEEE 1588-2019 clause 5.3, with the standard's names.

use core::fmt;

use crate::codec::{Reader, WireFormat, Writer};
use crate::wire_enum::wire_enum;

/// ClockIdentity (IEEE 1588-2019 5.3.4): eight octets, printed as linuxptp does
/// (`001122.fffe.334455`).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct ClockIdentity(pub [u8; 8]);

impl ClockIdentity {
    /// All ones: "all clocks" in a targetPortIdentity (IEEE 1588-2019 7.5.2.4).
    pub const ALL: ClockIdentity = ClockIdentity([0xff; 8]);

    /// The EUI-64 built from an EUI-48 MAC by inserting `ff:fe`, as linuxptp does.
    pub fn from_mac(mac: [u8; 6]) -> Self {
        let [a, b, c, d, e, f] = mac;
        ClockIdentity([a, b, c, 0xff, 0xfe, d, e, f])
    }
}

impl fmt::Display for ClockIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let b = self.0;
        write!(f, "{:02x}{:02x}{:02x}.{:02x}{:02x}.{:02x}{:02x}{:02x}", b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7])
    }
}

impl fmt::Debug for ClockIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ClockIdentity({self})")
    }
}

impl core::str::FromStr for ClockIdentity {
    type Err = ();
    /// Parses linuxptp's `xxxxxx.xxxx.xxxxxx` form.
    fn from_str(s: &str) -> Result<Self, ()> {
        let hex: String = s.chars().filter(|c| *c != '.').collect();
        if hex.len() != 16 || s.len() != 18 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(());
        }
        let mut out = [0u8; 8];
        for (i, o) in out.iter_mut().enumerate() {
            let pair = hex.get(2 * i..2 * i + 2).ok_or(())?;
            *o = u8::from_str_radix(pair, 16).map_err(|_| ())?;
        }
        Ok(ClockIdentity(out))
    }
}

impl WireFormat for ClockIdentity {
    fn parse(r: &mut Reader<'_>) -> Option<Self> {
        r.array().map(ClockIdentity)
    }
    fn emit(&self, w: &mut Writer<'_>) {
        w.bytes(&self.0);
    }
    fn wire_len(&self) -> usize {
        8
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for ClockIdentity {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// PortIdentity (IEEE 1588-2019 5.3.5), printed as linuxptp does (`001122.fffe.334455-1`).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct PortIdentity {
    pub clock_identity: ClockIdentity,
    pub port_number: u16,
}

impl PortIdentity {
    /// All ones: every port of every clock.
    pub const ALL: PortIdentity = PortIdentity { clock_identity: ClockIdentity::ALL, port_number: 0xffff };
}

impl fmt::Display for PortIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.clock_identity, self.port_number)
    }
}

impl fmt::Debug for PortIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PortIdentity({self})")
    }
}

impl WireFormat for PortIdentity {
    fn parse(r: &mut Reader<'_>) -> Option<Self> {
        Some(PortIdentity { clock_identity: ClockIdentity::parse(r)?, port_number: r.u16()? })
    }
    fn emit(&self, w: &mut Writer<'_>) {
        self.clock_identity.emit(w);
        w.u16(self.port_number);
    }
    fn wire_len(&self) -> usize {
        10
    }
}

wire_enum! {
    /// clockAccuracy (IEEE 1588-2019 7.6.2.6, Table 5).
    pub struct ClockAccuracy(u8) {
        PS_1 = 0x17 => "1ps",
        PS_2_5 = 0x18 => "2.5ps",
        PS_10 = 0x19 => "10ps",
        PS_25 = 0x1a => "25ps",
        PS_100 = 0x1b => "100ps",
        PS_250 = 0x1c => "250ps",
        NS_1 = 0x1d => "1ns",
        NS_2_5 = 0x1e => "2.5ns",
        NS_10 = 0x1f => "10ns",
        NS_25 = 0x20 => "25ns",
        NS_100 = 0x21 => "100ns",
        NS_250 = 0x22 => "250ns",
        US_1 = 0x23 => "1us",
        US_2_5 = 0x24 => "2.5us",
        US_10 = 0x25 => "10us",
        US_25 = 0x26 => "25us",
        US_100 = 0x27 => "100us",
        US_250 = 0x28 => "250us",
        MS_1 = 0x29 => "1ms",
        MS_2_5 = 0x2a => "2.5ms",
        MS_10 = 0x2b => "10ms",
        MS_25 = 0x2c => "25ms",
        MS_100 = 0x2d => "100ms",
        MS_250 = 0x2e => "250ms",
        S_1 = 0x2f => "1s",
        S_10 = 0x30 => "10s",
        S_GT_10 = 0x31 => ">10s",
        UNKNOWN = 0xfe => "unknown",
    }
}

/// ClockQuality (IEEE 1588-2019 5.3.7).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ClockQuality {
    pub clock_class: u8,
    pub clock_accuracy: ClockAccuracy,
    pub offset_scaled_log_variance: u16,
}

impl WireFormat for ClockQuality {
    fn parse(r: &mut Reader<'_>) -> Option<Self> {
        Some(ClockQuality {
            clock_class: r.u8()?,
            clock_accuracy: ClockAccuracy(r.u8()?),
            offset_scaled_log_variance: r.u16()?,
        })
    }
    fn emit(&self, w: &mut Writer<'_>) {
        w.u8(self.clock_class);
        w.u8(self.clock_accuracy.0);
        w.u16(self.offset_scaled_log_variance);
    }
    fn wire_len(&self) -> usize {
        4
    }
}

wire_enum! {
    /// timeSource (IEEE 1588-2019 7.6.2.8, Table 6), with linuxptp's names.
    pub struct TimeSource(u8) {
        ATOMIC_CLOCK = 0x10 => "ATOMIC_CLOCK",
        GNSS = 0x20 => "GNSS",
        TERRESTRIAL_RADIO = 0x30 => "TERRESTRIAL_RADIO",
        SERIAL_TIME_CODE = 0x39 => "SERIAL_TIME_CODE",
        PTP = 0x40 => "PTP",
        NTP = 0x50 => "NTP",
        HAND_SET = 0x60 => "HAND_SET",
        OTHER = 0x90 => "OTHER",
        INTERNAL_OSCILLATOR = 0xa0 => "INTERNAL_OSCILLATOR",
    }
}

/// Timestamp (IEEE 1588-2019 5.3.3): 48-bit seconds and 32-bit nanoseconds.
///
/// Parsing keeps whatever the peer sent, also nanoseconds >= 10^9; [`Timestamp::is_valid`]
/// tells whether the value is a proper time.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Timestamp {
    /// secondsField, UInteger48 (only the low 48 bits are sent).
    pub seconds: u64,
    pub nanoseconds: u32,
}

impl Timestamp {
    pub const MAX_SECONDS: u64 = (1 << 48) - 1;

    pub const fn new(seconds: u64, nanoseconds: u32) -> Self {
        Timestamp { seconds, nanoseconds }
    }

    /// seconds fits in 48 bits and nanoseconds is below 10^9.
    pub const fn is_valid(&self) -> bool {
        self.seconds <= Self::MAX_SECONDS && self.nanoseconds < 1_000_000_000
    }

    /// The time in nanoseconds since the PTP epoch.
    pub const fn total_nanos(&self) -> i128 {
        self.seconds as i128 * 1_000_000_000 + self.nanoseconds as i128
    }

    /// From nanoseconds since the epoch; `None` if negative or beyond 48-bit seconds.
    pub fn from_total_nanos(ns: i128) -> Option<Self> {
        if ns < 0 {
            return None;
        }
        let seconds = u64::try_from(ns / 1_000_000_000).ok()?;
        let nanoseconds = u32::try_from(ns % 1_000_000_000).ok()?;
        (seconds <= Self::MAX_SECONDS).then_some(Timestamp { seconds, nanoseconds })
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:09}", self.seconds, self.nanoseconds)
    }
}

impl WireFormat for Timestamp {
    fn parse(r: &mut Reader<'_>) -> Option<Self> {
        Some(Timestamp { seconds: r.u48()?, nanoseconds: r.u32()? })
    }
    fn emit(&self, w: &mut Writer<'_>) {
        w.u48(self.seconds);
        w.u32(self.nanoseconds);
    }
    fn wire_len(&self) -> usize {
        10
    }
}

/// TimeInterval (IEEE 1588-2019 5.3.2): nanoseconds multiplied by 2^16, as in the
/// correctionField.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct TimeInterval(pub i64);

impl TimeInterval {
    /// From whole nanoseconds; saturates outside ±2^47 ns.
    pub const fn from_nanos(ns: i64) -> Self {
        TimeInterval(ns.saturating_mul(1 << 16))
    }

    /// Whole nanoseconds, rounded towards negative infinity (as linuxptp's `>> 16`).
    pub const fn nanos(self) -> i64 {
        self.0 >> 16
    }

    /// The scaled value (units of 2^-16 ns).
    pub const fn scaled(self) -> i64 {
        self.0
    }

    /// Nanoseconds with the fraction, for display only.
    pub fn nanos_f64(self) -> f64 {
        self.0 as f64 / 65536.0
    }
}

impl fmt::Display for TimeInterval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Exact: 2^-16 has 16 decimal digits; show 3, enough for a person.
        write!(f, "{:.3}", self.nanos_f64())
    }
}

impl fmt::Debug for TimeInterval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TimeInterval({} = {} ns)", self.0, self)
    }
}

impl WireFormat for TimeInterval {
    fn parse(r: &mut Reader<'_>) -> Option<Self> {
        r.i64().map(TimeInterval)
    }
    fn emit(&self, w: &mut Writer<'_>) {
        w.i64(self.0);
    }
    fn wire_len(&self) -> usize {
        8
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for TimeInterval {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("TimeInterval", 2)?;
        st.serialize_field("scaled_ns", &self.0)?;
        st.serialize_field("ns", &self.nanos_f64())?;
        st.end()
    }
}

/// PTPText (IEEE 1588-2019 5.3.9): a length octet and up to 255 octets of UTF-8 text. The
/// bytes are kept as received, valid UTF-8 or not.
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct PtpText(Vec<u8>);

impl PtpText {
    /// Text longer than 255 bytes is cut at 255 bytes.
    pub fn new(text: impl AsRef<[u8]>) -> Self {
        let b = text.as_ref();
        PtpText(b.get(..255).unwrap_or(b).to_vec())
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The text, with invalid UTF-8 replaced.
    pub fn to_string_lossy(&self) -> String {
        String::from_utf8_lossy(&self.0).into_owned()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<&str> for PtpText {
    fn from(s: &str) -> Self {
        PtpText::new(s)
    }
}

impl fmt::Display for PtpText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&String::from_utf8_lossy(&self.0))
    }
}

impl fmt::Debug for PtpText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PtpText({:?})", String::from_utf8_lossy(&self.0))
    }
}

impl WireFormat for PtpText {
    fn parse(r: &mut Reader<'_>) -> Option<Self> {
        let n = r.u8()?;
        r.take(usize::from(n)).map(|b| PtpText(b.to_vec()))
    }
    fn emit(&self, w: &mut Writer<'_>) {
        let b = self.0.get(..255).unwrap_or(&self.0);
        w.u8(b.len() as u8);
        w.bytes(b);
    }
    fn wire_len(&self) -> usize {
        1 + self.0.len().min(255)
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for PtpText {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

wire_enum! {
    /// networkProtocol (IEEE 1588-2019 7.4.1, Table 3); 0 is linuxptp's UDS transport.
    pub struct NetworkProtocol(u16) {
        UDS = 0 => "UDS",
        UDP_IPV4 = 1 => "UDPv4",
        UDP_IPV6 = 2 => "UDPv6",
        IEEE_802_3 = 3 => "IEEE_802_3",
        DEVICENET = 4 => "DeviceNet",
        CONTROLNET = 5 => "ControlNet",
        PROFINET = 6 => "PROFINET",
    }
}

/// PortAddress (IEEE 1588-2019 5.3.6): networkProtocol, addressLength and the address.
#[derive(Clone, PartialEq, Eq, Hash, Default, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct PortAddress {
    pub network_protocol: NetworkProtocol,
    #[cfg_attr(feature = "serde", serde(serialize_with = "crate::hex::serialize"))]
    pub address: Vec<u8>,
}

impl fmt::Display for PortAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.network_protocol, self.address.as_slice()) {
            (NetworkProtocol::UDP_IPV4, &[a, b, c, d]) => write!(f, "{a}.{b}.{c}.{d}"),
            (NetworkProtocol::UDP_IPV6, a) if a.len() == 16 => {
                let mut o = [0u8; 16];
                o.copy_from_slice(a);
                write!(f, "{}", std::net::Ipv6Addr::from(o))
            }
            (_, a) => {
                for (i, b) in a.iter().enumerate() {
                    if i > 0 {
                        f.write_str(":")?;
                    }
                    write!(f, "{b:02x}")?;
                }
                Ok(())
            }
        }
    }
}

impl WireFormat for PortAddress {
    fn parse(r: &mut Reader<'_>) -> Option<Self> {
        let network_protocol = NetworkProtocol(r.u16()?);
        let n = r.u16()?;
        let address = r.take(usize::from(n))?.to_vec();
        Some(PortAddress { network_protocol, address })
    }
    fn emit(&self, w: &mut Writer<'_>) {
        w.u16(self.network_protocol.0);
        w.u16(self.address.len() as u16);
        w.bytes(&self.address);
    }
    fn wire_len(&self) -> usize {
        4 + self.address.len()
    }
}

/// ScaledNs (IEEE 802.1AS-2020 6.4.3.1): a 96-bit count of 2^-16 ns, sent as a 16-bit most
/// significant part, a 64-bit middle part and a 16-bit fraction.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ScaledNs {
    pub nanoseconds_msb: u16,
    pub nanoseconds_lsb: u64,
    pub fractional_nanoseconds: u16,
}

impl WireFormat for ScaledNs {
    fn parse(r: &mut Reader<'_>) -> Option<Self> {
        Some(ScaledNs { nanoseconds_msb: r.u16()?, nanoseconds_lsb: r.u64()?, fractional_nanoseconds: r.u16()? })
    }
    fn emit(&self, w: &mut Writer<'_>) {
        w.u16(self.nanoseconds_msb);
        w.u64(self.nanoseconds_lsb);
        w.u16(self.fractional_nanoseconds);
    }
    fn wire_len(&self) -> usize {
        12
    }
}

wire_enum! {
    /// portState (IEEE 1588-2019 8.2.15.3.1, Table 20), as carried in management bodies.
    pub struct PortStateValue(u8) {
        INITIALIZING = 1 => "INITIALIZING",
        FAULTY = 2 => "FAULTY",
        DISABLED = 3 => "DISABLED",
        LISTENING = 4 => "LISTENING",
        PRE_MASTER = 5 => "PRE_MASTER",
        MASTER = 6 => "MASTER",
        PASSIVE = 7 => "PASSIVE",
        UNCALIBRATED = 8 => "UNCALIBRATED",
        SLAVE = 9 => "SLAVE",
    }
}

wire_enum! {
    /// delayMechanism (IEEE 1588-2019 8.2.15.4.4, Table 21).
    pub struct DelayMechanism(u8) {
        E2E = 0x01 => "E2E",
        P2P = 0x02 => "P2P",
        COMMON_P2P = 0x03 => "COMMON_P2P",
        SPECIAL = 0x04 => "SPECIAL",
        NO_MECHANISM = 0xfe => "NO_MECHANISM",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_identity_prints_like_linuxptp_and_parses_back() {
        let id = ClockIdentity::from_mac([0x02, 0, 0, 0, 1, 1]);
        assert_eq!(id.to_string(), "020000.fffe.000101");
        assert_eq!("020000.fffe.000101".parse::<ClockIdentity>(), Ok(id));
        assert!("020000fffe000101".parse::<ClockIdentity>().is_err());
        let p = PortIdentity { clock_identity: id, port_number: 1 };
        assert_eq!(p.to_string(), "020000.fffe.000101-1");
    }

    #[test]
    fn time_interval_scaling() {
        assert_eq!(TimeInterval::from_nanos(3).0, 3 << 16);
        assert_eq!(TimeInterval(-1).nanos(), -1);
        assert_eq!(TimeInterval((5 << 16) + 0x8000).to_string(), "5.500");
    }

    #[test]
    fn timestamp_nanos() {
        let t = Timestamp::new(2, 5);
        assert_eq!(t.total_nanos(), 2_000_000_005);
        assert_eq!(Timestamp::from_total_nanos(2_000_000_005), Some(t));
        assert_eq!(Timestamp::from_total_nanos(-1), None);
        assert!(!Timestamp::new(0, 1_000_000_000).is_valid());
    }

    #[test]
    fn wire_enum_keeps_unknown_values() {
        assert_eq!(TimeSource::GNSS.to_string(), "GNSS");
        assert_eq!(TimeSource(0x77).to_string(), "0x77");
        assert_eq!(TimeSource::from_name("PTP"), Some(TimeSource::PTP));
    }

    #[test]
    fn port_address_display() {
        let a = PortAddress { network_protocol: NetworkProtocol::UDP_IPV4, address: vec![192, 0, 2, 1] };
        assert_eq!(a.to_string(), "192.0.2.1");
        assert_eq!(PortAddress::from_bytes(&a.to_vec()), Some(a));
    }
}
