//! `[unicast_master_table]` sections (config-format.md §5).

use std::net::{Ipv4Addr, Ipv6Addr};

use crate::cparse::{inet_aton, parse_mac, scan_keyword_int, scan_keyword_token, scan_two_tokens};
use crate::enums::NetworkTransport;
use crate::error::{AddressError, ParseError};
use crate::Config;

/// Longest address linuxptp reads from a table line (`%64s`).
pub const MAX_ADDRESS_LEN: usize = 64;
/// Longest transport word linuxptp reads (`%16s`).
const MAX_TRANSPORT_LEN: usize = 16;

/// One unicast master table: the candidate masters a port with `unicast_master_table N`
/// negotiates unicast service with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnicastMasterTable {
    /// `table_id` (>= 1, unique in the file).
    pub table_id: i32,
    /// `logQueryInterval`: log2 seconds between negotiation attempts (default 0).
    pub log_query_interval: i8,
    /// `peer_address`: the P2P peer's address, converted later with the port's transport
    /// (at most 64 characters, as linuxptp reads it). The last such line wins.
    pub peer_address: Option<String>,
    /// The entries, in file order.
    pub entries: Vec<UnicastAddress>,
}

/// A table entry: `L2 xx:xx:xx:xx:xx:xx`, `UDPv4 a.b.c.d` or `UDPv6 addr`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UnicastAddress {
    /// IEEE 802.3 MAC address.
    L2([u8; 6]),
    /// IPv4 address (any `inet_aton` form).
    UdpV4(Ipv4Addr),
    /// IPv6 address (`inet_pton` text form).
    UdpV6(Ipv6Addr),
}

impl UnicastAddress {
    /// The transport of this entry.
    pub fn transport(&self) -> NetworkTransport {
        match self {
            UnicastAddress::L2(_) => NetworkTransport::L2,
            UnicastAddress::UdpV4(_) => NetworkTransport::UdpV4,
            UnicastAddress::UdpV6(_) => NetworkTransport::UdpV6,
        }
    }
}

/// linuxptp's `str2addr` for the three transports a table names; `None` (an unknown word,
/// which linuxptp treats as UDS) cannot be converted.
pub(crate) fn str2addr(transport: Option<NetworkTransport>, text: &[u8]) -> Result<UnicastAddress, AddressError> {
    match transport {
        None => Err(AddressError::UnsupportedTransport),
        Some(NetworkTransport::UdpV4) => inet_aton(text).map(UnicastAddress::UdpV4).ok_or(AddressError::BadIpv4),
        Some(NetworkTransport::UdpV6) => std::str::from_utf8(text)
            .ok()
            .and_then(|s| s.parse::<Ipv6Addr>().ok())
            .map(UnicastAddress::UdpV6)
            .ok_or(AddressError::BadIpv6),
        Some(NetworkTransport::L2) => parse_mac(text).map(UnicastAddress::L2).ok_or(AddressError::BadL2),
    }
}

fn transport_word(word: &[u8]) -> Option<NetworkTransport> {
    [("L2", NetworkTransport::L2), ("UDPv4", NetworkTransport::UdpV4), ("UDPv6", NetworkTransport::UdpV6)]
        .into_iter()
        .find(|(w, _)| w.as_bytes().eq_ignore_ascii_case(word))
        .map(|(_, t)| t)
}

/// One trimmed, non-comment line inside a `[unicast_master_table]` section. `current` is the
/// table the section's last `table_id` created (none right after the header).
///
/// The line forms are tried in linuxptp's order with its `sscanf` patterns: `table_id %d`,
/// `logQueryInterval %d`, `peer_address %64s`, then `%16s %64s` (transport, address). Keywords
/// are case-sensitive prefixes (`table_id5` is table 5), text after the number is ignored.
pub(crate) fn parse_line(
    cfg: &mut Config,
    current: &mut Option<usize>,
    line: &[u8],
    line_no: u32,
) -> Result<(), ParseError> {
    if let Some(table_id) = scan_keyword_int(line, b"table_id") {
        if table_id < 1 {
            return Err(ParseError::TableIdOutOfRange { line: line_no, table_id });
        }
        if cfg.unicast_tables.iter().any(|t| t.table_id == table_id) {
            return Err(ParseError::TableIdTaken { line: line_no, table_id });
        }
        cfg.unicast_tables.push(UnicastMasterTable {
            table_id,
            log_query_interval: 0,
            peer_address: None,
            entries: Vec::new(),
        });
        *current = Some(cfg.unicast_tables.len() - 1);
        return Ok(());
    }
    let missing = ParseError::MissingTableId { line: line_no };
    if let Some(lqi) = scan_keyword_int(line, b"logQueryInterval") {
        let table = current.and_then(|t| cfg.unicast_tables.get_mut(t)).ok_or(missing)?;
        table.log_query_interval =
            i8::try_from(lqi).map_err(|_| ParseError::LogQueryIntervalOutOfRange { line: line_no, value: lqi })?;
        return Ok(());
    }
    if let Some(addr) = scan_keyword_token(line, b"peer_address", MAX_ADDRESS_LEN) {
        let table = current.and_then(|t| cfg.unicast_tables.get_mut(t)).ok_or(missing)?;
        table.peer_address = Some(String::from_utf8_lossy(addr).into_owned());
        return Ok(());
    }
    let (transport, address) = scan_two_tokens(line, MAX_TRANSPORT_LEN, MAX_ADDRESS_LEN)
        .ok_or(ParseError::BadMasterTable { line: line_no })?;
    let transport = transport_word(transport);
    let table = current.and_then(|t| cfg.unicast_tables.get_mut(t)).ok_or(missing)?;
    let entry = str2addr(transport, address).map_err(|reason| ParseError::BadAddress { line: line_no, reason })?;
    table.entries.push(entry);
    Ok(())
}
