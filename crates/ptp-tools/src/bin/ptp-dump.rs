//! ptp-dump: print the PTP messages of a pcap or pcapng capture, one line per packet, or
//! (`-i IFACE`) of live traffic on an interface, until SIGINT/SIGTERM or `-c COUNT` packets.
//!
//! The work is done in [`ptp_tools::dump`]; this file parses the command line, reads the file
//! and turns the outcome into an exit code: 0 when the file was read to its end (undecodable
//! packets are reported, not fatal), 1 when it cannot be read, is not a capture or is
//! truncated or damaged (after printing what came before), 2 for bad usage.

use std::io::{self, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use ptp_tools::dump::{self, DumpError, Format};

/// Decode the PTP messages of a capture file: Ethernet (with 802.1Q VLAN tags), IPv4, IPv6,
/// UDP ports 319/320, ethertype 0x88F7, Linux cooked captures and raw PTP (USER0) records,
/// pcap or pcapng.
///
/// Prints one line per PTP packet (time, addresses, message type, sequenceId, domain,
/// sourcePortIdentity, correctionField, the message's timestamp and its TLVs), reports
/// undecodable packets with the reason, and ends with a count per message type.
///
/// With `-i IFACE` it decodes live traffic on that interface the same way, until SIGINT or
/// SIGTERM or `-c COUNT` PTP packets.
#[derive(Debug, Parser)]
#[command(name = "ptp-dump", version, about, long_about)]
struct Args {
    /// Capture file (pcap or pcapng); `-` reads standard input.
    #[arg(required_unless_present = "interface", conflicts_with = "interface")]
    file: Option<PathBuf>,
    /// Decode live traffic on this interface instead of a file (needs CAP_NET_RAW).
    #[arg(short = 'i', long = "interface", value_name = "IFACE")]
    interface: Option<String>,
    /// With -i: stop after this many PTP packets.
    #[arg(short = 'c', long = "count", value_name = "COUNT")]
    count: Option<usize>,
    /// One JSON object per line with every decoded field, and a final {"summary": ...}.
    #[arg(long)]
    json: bool,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let format = if args.json { Format::Json } else { Format::Text };
    if let Some(iface) = &args.interface {
        return live(iface, format, args.count);
    }
    if args.count.is_some() {
        eprintln!("ptp-dump: -c/--count needs -i/--interface");
        return ExitCode::from(2);
    }
    let Some(file) = args.file else { return ExitCode::from(2) };
    let name = file.display().to_string();
    let bytes = match read_input(&file) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("ptp-dump: {name}: {}", describe_io(&e));
            return ExitCode::FAILURE;
        }
    };
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let result = dump::dump(&bytes, format, &mut out);
    // dump() flushes on success; flush here too for the error paths, ignoring a closed pipe.
    let flushed = out.flush();
    match result {
        Ok(outcome) => match outcome.error {
            Some(e) => {
                eprintln!("ptp-dump: {name}: {e}");
                ExitCode::FAILURE
            }
            None => match flushed {
                Err(e) => output_error(&e),
                Ok(()) => ExitCode::SUCCESS,
            },
        },
        Err(DumpError::Capture(e)) => {
            eprintln!("ptp-dump: {name}: {e}");
            ExitCode::FAILURE
        }
        Err(DumpError::Output(e)) => output_error(&e),
    }
}

/// Live decoding until SIGINT/SIGTERM or `count` PTP packets.
fn live(iface: &str, format: Format, count: Option<usize>) -> ExitCode {
    if let Err(e) = ptp_linux::sys::catch_termination_signals() {
        eprintln!("ptp-dump: sigaction: {}", describe_io(&e));
        return ExitCode::FAILURE;
    }
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    match ptp_tools::live::run(iface, format, count, &ptp_linux::sys::termination_requested, &mut out) {
        Ok(_) => ExitCode::SUCCESS,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ptp-dump: {iface}: {}", describe_io(&e));
            ExitCode::FAILURE
        }
    }
}

fn read_input(path: &PathBuf) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    if path.as_os_str() == "-" {
        io::stdin().lock().read_to_end(&mut bytes)?;
    } else {
        bytes = std::fs::read(path)?;
    }
    Ok(bytes)
}

/// An I/O error as C tools print it: "No such file or directory", without Rust's
/// " (os error 2)".
fn describe_io(e: &io::Error) -> String {
    let text = e.to_string();
    match text.find(" (os error ") {
        Some(i) => text[..i].to_owned(),
        None => text,
    }
}

/// A reader that went away (`ptp-dump x.pcap | head`) ends the run quietly; any other
/// output error is reported.
fn output_error(e: &io::Error) -> ExitCode {
    if e.kind() == io::ErrorKind::BrokenPipe {
        return ExitCode::SUCCESS;
    }
    eprintln!("ptp-dump: writing output: {}", describe_io(e));
    ExitCode::FAILURE
}
