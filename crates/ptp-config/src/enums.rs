//! Rust types for the enum keys, with linuxptp's numbers (config-keys.tsv `enum_values`).
//!
//! Each type belongs to one key ([`ConfigEnum::KEY`]); read it with
//! [`Config::global_enum`](crate::Config::global_enum) or
//! [`Config::port_enum`](crate::Config::port_enum).

use crate::table::option;

/// An enum key's values as a Rust type.
pub trait ConfigEnum: Copy + Eq + Sized + 'static {
    /// The key whose values these are.
    const KEY: &'static str;
    /// The key's default.
    const DEFAULT: Self;
    /// Every variant.
    const ALL: &'static [Self];
    /// The variant of linuxptp's number, if it is one.
    fn from_value(value: i32) -> Option<Self>;
    /// linuxptp's number (what [`Value::Enum`](crate::Value::Enum) holds).
    fn value(self) -> i32;
    /// The config-file word, as linuxptp spells it.
    fn word(self) -> &'static str {
        option(Self::KEY).and_then(|d| d.enum_word(self.value())).unwrap_or("")
    }
}

macro_rules! config_enum {
    (
        $(#[$meta:meta])*
        $name:ident, $key:literal, default $default:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $value:expr, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl ConfigEnum for $name {
            const KEY: &'static str = $key;
            const DEFAULT: Self = $name::$default;
            const ALL: &'static [Self] = &[$($name::$variant),+];
            fn from_value(value: i32) -> Option<Self> {
                match value {
                    $( v if v == $value => Some($name::$variant), )+
                    _ => None,
                }
            }
            fn value(self) -> i32 {
                match self {
                    $( $name::$variant => $value, )+
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.word())
            }
        }
    };
}

config_enum! {
    /// `delay_mechanism` (port): how the port measures the path delay.
    DelayMechanism, "delay_mechanism", default E2E {
        /// `Auto`: start with E2E, switch to P2P when a peer delay request arrives (`-A`).
        Auto = 0,
        /// `E2E`: delay request-response (`-E`, default).
        E2E = 1,
        /// `P2P`: peer delay (`-P`).
        P2P = 2,
        /// `COMMON_P2P`: peer delay from the local CMLDS (IEEE 802.1AS-2020 common mean link
        /// delay service).
        CommonP2P = 3,
        /// `NONE`: no delay measurement.
        NoMechanism = 254,
    }
}

config_enum! {
    /// `time_stamping` (global).
    TimeStamping, "time_stamping", default Hardware {
        /// `software` (`-S`).
        Software = 0,
        /// `hardware` (`-H`, default).
        Hardware = 1,
        /// `legacy` (`-L`): legacy hardware time stamping.
        Legacy = 2,
        /// `onestep`: one-step Sync (hardware inserts the timestamp).
        OneStep = 3,
        /// `p2p1step`: one-step Sync and one-step Pdelay_Resp.
        P2p1Step = 4,
    }
}

config_enum! {
    /// `network_transport` (port).
    NetworkTransport, "network_transport", default UdpV4 {
        /// `UDPv4` (`-4`, default).
        UdpV4 = 1,
        /// `UDPv6` (`-6`).
        UdpV6 = 2,
        /// `L2`: IEEE 802.3 raw Ethernet (`-2`).
        L2 = 3,
    }
}

config_enum! {
    /// `clock_servo` (global).
    ClockServo, "clock_servo", default Pi {
        /// `pi`: PI controller.
        Pi = 0,
        /// `linreg`: linear regression.
        Linreg = 1,
        /// `ntpshm`: feed an NTP daemon through shared memory.
        Ntpshm = 2,
        /// `nullf`: never adjusts the clock.
        Nullf = 3,
        /// `refclock_sock`: feed chronyd through its SOCK refclock.
        RefclockSock = 4,
    }
}

config_enum! {
    /// `clock_type` (global); the numbers are the IEEE 1588 clockType bits.
    ClockType, "clock_type", default OrdinaryClock {
        /// `OC`: ordinary clock (promoted to BC with more than one interface).
        OrdinaryClock = 0x8000,
        /// `BC`: boundary clock.
        BoundaryClock = 0x4000,
        /// `P2P_TC`: peer-to-peer transparent clock.
        P2pTransparentClock = 0x2000,
        /// `E2E_TC`: end-to-end transparent clock.
        E2eTransparentClock = 0x1000,
    }
}

config_enum! {
    /// `tsproc_mode` (port): how offset and delay are computed from timestamps.
    TsprocMode, "tsproc_mode", default Filter {
        /// `filter`
        Filter = 0,
        /// `raw`
        Raw = 1,
        /// `filter_weight`
        FilterWeight = 2,
        /// `raw_weight`
        RawWeight = 3,
    }
}

config_enum! {
    /// `delay_filter` (port).
    DelayFilter, "delay_filter", default MovingMedian {
        /// `moving_average`
        MovingAverage = 0,
        /// `moving_median`
        MovingMedian = 1,
    }
}

config_enum! {
    /// `BMCA` (port).
    Bmca, "BMCA", default Ptp {
        /// `ptp`: the IEEE 1588 state machines.
        Ptp = 0,
        /// `noop`: static roles from `serverOnly`/`clientOnly`.
        Noop = 1,
    }
}

config_enum! {
    /// `dataset_comparison` (global).
    DatasetComparison, "dataset_comparison", default Ieee1588 {
        /// `ieee1588`
        Ieee1588 = 0,
        /// `G.8275.x`: the telecom profiles' alternate BMCA.
        G8275x = 1,
    }
}

config_enum! {
    /// `asCapable` (port).
    AsCapable, "asCapable", default Auto {
        /// `true`: always capable, skip the 802.1AS checks.
        True = 0,
        /// `auto`: capable once the checks pass.
        Auto = 1,
    }
}

config_enum! {
    /// `hwts_filter` (global).
    HwtsFilter, "hwts_filter", default Normal {
        /// `normal`
        Normal = 0,
        /// `check`
        Check = 1,
        /// `full`
        Full = 2,
    }
}

config_enum! {
    /// `power_profile.version` (port).
    PowerProfileVersion, "power_profile.version", default NoProfile {
        /// `none`
        NoProfile = 0,
        /// `2011`: IEEE C37.238-2011.
        V2011 = 1,
        /// `2017`: IEEE C37.238-2017.
        V2017 = 2,
    }
}

config_enum! {
    /// `ts2phc.extts_polarity` (port); the numbers are the kernel's PTP_*_EDGE flags.
    ExttsPolarity, "ts2phc.extts_polarity", default Rising {
        /// `rising`
        Rising = 2,
        /// `falling`
        Falling = 4,
        /// `both`
        Both = 6,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::{option, Kind};

    fn check<T: ConfigEnum + std::fmt::Debug>() {
        let def = option(T::KEY).unwrap();
        let Kind::Enum { default, words } = def.kind else { panic!("{} is not an enum", T::KEY) };
        assert_eq!(T::DEFAULT.value(), default, "{}", T::KEY);
        assert_eq!(T::ALL.len(), words.len(), "{}", T::KEY);
        for (word, value) in words {
            let v = T::from_value(*value).unwrap();
            assert_eq!(v.word(), *word);
            assert_eq!(v.value(), *value);
        }
    }

    #[test]
    fn every_enum_key_has_a_type_matching_the_table() {
        check::<DelayMechanism>();
        check::<TimeStamping>();
        check::<NetworkTransport>();
        check::<ClockServo>();
        check::<ClockType>();
        check::<TsprocMode>();
        check::<DelayFilter>();
        check::<Bmca>();
        check::<DatasetComparison>();
        check::<AsCapable>();
        check::<HwtsFilter>();
        check::<PowerProfileVersion>();
        check::<ExttsPolarity>();
        let typed = [
            DelayMechanism::KEY,
            TimeStamping::KEY,
            NetworkTransport::KEY,
            ClockServo::KEY,
            ClockType::KEY,
            TsprocMode::KEY,
            DelayFilter::KEY,
            Bmca::KEY,
            DatasetComparison::KEY,
            AsCapable::KEY,
            HwtsFilter::KEY,
            PowerProfileVersion::KEY,
            ExttsPolarity::KEY,
        ];
        for def in crate::table::OPTIONS.iter().filter(|d| matches!(d.kind, Kind::Enum { .. })) {
            assert!(typed.contains(&def.name), "no Rust type for enum key {}", def.name);
        }
        assert_eq!(DelayMechanism::CommonP2P.to_string(), "COMMON_P2P");
    }
}
