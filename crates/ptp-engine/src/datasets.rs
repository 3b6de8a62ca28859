//! The clock's and ports' datasets (IEEE 1588-2019 clause 8.2), with linuxptp's extra fields.

use ptp_wire::{ClockIdentity, ClockQuality, DelayMechanism, PortIdentity, TimeSource};

use crate::state::PortState;
use crate::time::Nanos;

/// defaultDS (IEEE 1588-2019 8.2.1).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct DefaultDs {
    pub two_step_flag: bool,
    /// slaveOnly (clientOnly in linuxptp 4.x).
    pub slave_only: bool,
    pub number_ports: u16,
    pub priority1: u8,
    pub clock_quality: ClockQuality,
    pub priority2: u8,
    pub clock_identity: ClockIdentity,
    pub domain_number: u8,
    /// G.8275.x localPriority (linuxptp `G.8275.defaultDS.localPriority`).
    pub local_priority: u8,
}

/// currentDS (IEEE 1588-2019 8.2.2).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct CurrentDs {
    pub steps_removed: u16,
    pub offset_from_master: Nanos,
    pub mean_path_delay: Nanos,
}

/// parentDS (IEEE 1588-2019 8.2.3).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct ParentDs {
    pub parent_port_identity: PortIdentity,
    pub parent_stats: bool,
    pub observed_parent_offset_scaled_log_variance: u16,
    pub observed_parent_clock_phase_change_rate: i32,
    pub grandmaster_identity: ClockIdentity,
    pub grandmaster_clock_quality: ClockQuality,
    pub grandmaster_priority1: u8,
    pub grandmaster_priority2: u8,
}

/// timePropertiesDS (IEEE 1588-2019 8.2.4).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct TimePropertiesDs {
    pub current_utc_offset: i16,
    pub leap61: bool,
    pub leap59: bool,
    pub current_utc_offset_valid: bool,
    pub ptp_timescale: bool,
    pub time_traceable: bool,
    pub frequency_traceable: bool,
    pub time_source: TimeSource,
}

impl TimePropertiesDs {
    /// The flags octet of TIME_PROPERTIES_DATA_SET and of the header's flagField octet 1.
    pub fn flags(&self) -> u8 {
        u8::from(self.leap61)
            | u8::from(self.leap59) << 1
            | u8::from(self.current_utc_offset_valid) << 2
            | u8::from(self.ptp_timescale) << 3
            | u8::from(self.time_traceable) << 4
            | u8::from(self.frequency_traceable) << 5
    }

    pub fn set_flags(&mut self, f: u8) {
        self.leap61 = f & 1 != 0;
        self.leap59 = f & 2 != 0;
        self.current_utc_offset_valid = f & 4 != 0;
        self.ptp_timescale = f & 8 != 0;
        self.time_traceable = f & 0x10 != 0;
        self.frequency_traceable = f & 0x20 != 0;
    }
}

/// portDS (IEEE 1588-2019 8.2.15).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct PortDs {
    pub port_identity: PortIdentity,
    pub port_state: PortState,
    pub log_min_delay_req_interval: i8,
    pub peer_mean_path_delay: Nanos,
    pub log_announce_interval: i8,
    pub announce_receipt_timeout: u8,
    pub log_sync_interval: i8,
    pub delay_mechanism: DelayMechanism,
    pub log_min_pdelay_req_interval: i8,
    pub version_number: u8,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_properties_flags_round_trip() {
        let mut t = TimePropertiesDs::default();
        for f in 0..0x40u8 {
            t.set_flags(f);
            assert_eq!(t.flags(), f);
        }
    }
}
