//! ptp-wire: the IEEE 1588-2019 / IEEE 802.1AS message codec of ptp-rs.
//!
//! Every PTP message (IEEE 1588-2019 clause 13), every TLV linuxptp knows (clause 14, 16 and
//! linuxptp's `tlv.h`) and every management dataset body (clause 15, with linuxptp's `_NP`
//! extensions and their byte-order quirks) can be parsed from bytes and emitted into a
//! caller's buffer. There is no I/O here.
//!
//! Two ways in:
//! - [`MessageView`]: a checked, zero-copy view over the bytes, enough to read the header and
//!   the fixed body of any message (a Sync or an Announce) without allocating;
//! - [`Message`]: the owned, fully decoded form, with `parse`, `emit` and `buffer_len`.
//!
//! ```
//! use ptp_wire::{Message, MessageBody, MessageType, Sync, Timestamp};
//!
//! let mut msg = Message::new(MessageBody::Sync(Sync { origin_timestamp: Timestamp::new(1, 2) }));
//! msg.header.sequence_id = 7;
//! let mut buf = [0u8; 64];
//! let n = msg.emit(&mut buf).unwrap();
//! assert_eq!(n, 44);
//! let back = Message::parse(&buf[..n]).unwrap();
//! assert_eq!(back, msg);
//! assert_eq!(ptp_wire::MessageView::new(&buf[..n]).unwrap().message_type(), MessageType::Sync);
//! ```
//!
//! Nothing in this crate can panic on any input: parsers read through the bounds-checked
//! [`codec::Reader`], the crate denies `unwrap`, `expect`, `panic!` and slice indexing outside
//! tests, and property tests and fuzz targets feed it arbitrary bytes. Each reason to reject a
//! message is one [`ParseError`] variant, so that a port can count drops by reason.

#![forbid(unsafe_code)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing))]

pub mod codec;
pub mod datatypes;
mod error;
pub mod header;
pub mod hex;
pub mod management;
pub mod message;
pub mod tlv;
pub mod view;
mod wire_enum;

pub use codec::WireFormat;
pub use datatypes::{
    ClockAccuracy, ClockIdentity, ClockQuality, DelayMechanism, NetworkProtocol, PortAddress, PortIdentity,
    PortStateValue, PtpText, ScaledNs, TimeInterval, TimeSource, Timestamp,
};
pub use error::{EmitError, ParseError};
pub use header::{FlagField, Header, MessageType, HEADER_LEN};
pub use management::{ManagementData, ManagementErrorId, ManagementErrorStatus, ManagementId, ManagementTlv};
pub use message::{
    Announce, DelayReq, DelayResp, FollowUp, Management, ManagementAction, Message, MessageBody, PdelayReq, PdelayResp,
    PdelayRespFollowUp, Signaling, Sync,
};
pub use tlv::{Tlv, TlvType};
pub use view::MessageView;
