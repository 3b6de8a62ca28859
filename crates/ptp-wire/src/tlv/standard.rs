//! TLVs that IEEE 1588-2019 defines and linuxptp does not send: L1_SYNC, ENHANCED_ACCURACY_METRICS,
//! PORT_COMMUNICATION_AVAILABILITY and CUMULATIVE_RATE_RATIO. Decoded so that traffic from
//! other implementations can be read.

use crate::codec::{Reader, WireFormat, Writer};
use crate::datatypes::{TimeInterval, Timestamp};

/// CUMULATIVE_RATE_RATIO (IEEE 1588-2019 16.10, Table 130).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct CumulativeRateRatio {
    /// (cumulativeRateRatio - 1) * 2^41.
    pub scaled_cumulative_rate_ratio: i32,
}

impl WireFormat for CumulativeRateRatio {
    fn parse(r: &mut Reader<'_>) -> Option<Self> {
        Some(CumulativeRateRatio { scaled_cumulative_rate_ratio: r.i32()? })
    }
    fn emit(&self, w: &mut Writer<'_>) {
        w.i32(self.scaled_cumulative_rate_ratio);
    }
    fn wire_len(&self) -> usize {
        4
    }
}

/// PORT_COMMUNICATION_AVAILABILITY (IEEE 1588-2019 16.13.3, Table 131).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct PortCommunicationAvailability {
    /// Bit 0 multicast, bit 1 unicast, bit 2 unicast negotiation enabled, bit 3 unicast
    /// negotiation capable.
    pub sync_message_availability: u8,
    /// Same bits for Delay_Resp.
    pub delay_resp_message_availability: u8,
}

impl WireFormat for PortCommunicationAvailability {
    fn parse(r: &mut Reader<'_>) -> Option<Self> {
        Some(PortCommunicationAvailability {
            sync_message_availability: r.u8()?,
            delay_resp_message_availability: r.u8()?,
        })
    }
    fn emit(&self, w: &mut Writer<'_>) {
        w.u8(self.sync_message_availability);
        w.u8(self.delay_resp_message_availability);
    }
    fn wire_len(&self) -> usize {
        2
    }
}

/// L1_SYNC (IEEE 1588-2019 O.6.2): the basic format (two flag octets) or, when the OPE flag is
/// set, the extended format of 40 octets.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct L1Sync {
    /// Bit 0 TCR, bit 1 RCR, bit 2 CR, bit 3 OPE.
    pub flags1: u8,
    /// Bit 0 ITC, bit 1 IRC, bit 2 IC.
    pub flags2: u8,
    /// Present in the extended format.
    pub extended: Option<L1SyncExtended>,
}

/// The extended-format part of L1_SYNC (IEEE 1588-2019 Table O.4).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct L1SyncExtended {
    /// Bit 0 TCT, bit 1 POV, bit 2 FOV.
    pub flags3: u8,
    pub phase_offset_tx: TimeInterval,
    pub phase_offset_tx_timestamp: Timestamp,
    pub freq_offset_tx: TimeInterval,
    pub freq_offset_tx_timestamp: Timestamp,
}

impl L1Sync {
    /// flags1 bit 3: optional parameters enabled (extended format).
    pub const OPE: u8 = 1 << 3;
}

impl WireFormat for L1Sync {
    /// Reads to the end of the reader: 2 octets, or 40 with OPE set.
    fn parse(r: &mut Reader<'_>) -> Option<Self> {
        let flags1 = r.u8()?;
        let flags2 = r.u8()?;
        let extended = if r.is_empty() {
            None
        } else {
            let flags3 = r.u8()?;
            let _reserved = r.u8()?;
            Some(L1SyncExtended {
                flags3,
                phase_offset_tx: TimeInterval::parse(r)?,
                phase_offset_tx_timestamp: Timestamp::parse(r)?,
                freq_offset_tx: TimeInterval::parse(r)?,
                freq_offset_tx_timestamp: Timestamp::parse(r)?,
            })
        };
        Some(L1Sync { flags1, flags2, extended })
    }
    fn emit(&self, w: &mut Writer<'_>) {
        w.u8(self.flags1);
        w.u8(self.flags2);
        if let Some(x) = &self.extended {
            w.u8(x.flags3);
            w.u8(0);
            x.phase_offset_tx.emit(w);
            x.phase_offset_tx_timestamp.emit(w);
            x.freq_offset_tx.emit(w);
            x.freq_offset_tx_timestamp.emit(w);
        }
    }
    fn wire_len(&self) -> usize {
        if self.extended.is_some() {
            40
        } else {
            2
        }
    }
}

/// ENHANCED_ACCURACY_METRICS (IEEE 1588-2019 16.12, Table 129). The variances are IEEE 754
/// binary64 values, kept as their bit patterns so that every value round-trips; use the `f64`
/// accessors to read them.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct EnhancedAccuracyMetrics {
    pub bc_hop_count: u8,
    pub tc_hop_count: u8,
    pub max_gm_inaccuracy: TimeInterval,
    pub var_gm_inaccuracy_bits: u64,
    pub max_transient_inaccuracy: TimeInterval,
    pub var_transient_inaccuracy_bits: u64,
    pub max_dynamic_inaccuracy: TimeInterval,
    pub var_dynamic_inaccuracy_bits: u64,
    pub max_static_instance_inaccuracy: TimeInterval,
    pub var_static_instance_inaccuracy_bits: u64,
    pub max_static_medium_inaccuracy: TimeInterval,
    pub var_static_medium_inaccuracy_bits: u64,
}

impl EnhancedAccuracyMetrics {
    /// varGmInaccuracy, s^2.
    pub fn var_gm_inaccuracy(&self) -> f64 {
        f64::from_bits(self.var_gm_inaccuracy_bits)
    }
}

impl WireFormat for EnhancedAccuracyMetrics {
    fn parse(r: &mut Reader<'_>) -> Option<Self> {
        let bc_hop_count = r.u8()?;
        let tc_hop_count = r.u8()?;
        r.take(2)?;
        Some(EnhancedAccuracyMetrics {
            bc_hop_count,
            tc_hop_count,
            max_gm_inaccuracy: TimeInterval::parse(r)?,
            var_gm_inaccuracy_bits: r.u64()?,
            max_transient_inaccuracy: TimeInterval::parse(r)?,
            var_transient_inaccuracy_bits: r.u64()?,
            max_dynamic_inaccuracy: TimeInterval::parse(r)?,
            var_dynamic_inaccuracy_bits: r.u64()?,
            max_static_instance_inaccuracy: TimeInterval::parse(r)?,
            var_static_instance_inaccuracy_bits: r.u64()?,
            max_static_medium_inaccuracy: TimeInterval::parse(r)?,
            var_static_medium_inaccuracy_bits: r.u64()?,
        })
    }
    fn emit(&self, w: &mut Writer<'_>) {
        w.u8(self.bc_hop_count);
        w.u8(self.tc_hop_count);
        w.zeros(2);
        self.max_gm_inaccuracy.emit(w);
        w.u64(self.var_gm_inaccuracy_bits);
        self.max_transient_inaccuracy.emit(w);
        w.u64(self.var_transient_inaccuracy_bits);
        self.max_dynamic_inaccuracy.emit(w);
        w.u64(self.var_dynamic_inaccuracy_bits);
        self.max_static_instance_inaccuracy.emit(w);
        w.u64(self.var_static_instance_inaccuracy_bits);
        self.max_static_medium_inaccuracy.emit(w);
        w.u64(self.var_static_medium_inaccuracy_bits);
    }
    fn wire_len(&self) -> usize {
        84
    }
}
