//! The config file reader (config-format.md §1-§3, §5): linuxptp's `config_read`.

use std::path::Path;

use crate::config::{Config, ItemError};
use crate::cparse::{is_space, scan_token, trim_end, trim_start, until_nul};
use crate::error::{ParseError, ReadError};
use crate::unicast;
use crate::value::ValueError;

/// linuxptp reads the file with `fgets` into a 1024-byte buffer.
const LINE_BUFFER: usize = 1024;
/// A port section name is read with `%128s`.
const MAX_SECTION_TOKEN: usize = 128;

/// Splits the input as successive `fgets(buf, 1024, fp)` calls would: each chunk ends after a
/// newline or after 1023 bytes, so a longer physical line continues as a new "line" (and takes
/// a new line number).
fn fgets_chunks(data: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = data;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let max = rest.len().min(LINE_BUFFER - 1);
        let window = rest.get(..max)?;
        let len = window.iter().position(|&b| b == b'\n').map_or(max, |n| n + 1);
        let (chunk, tail) = rest.split_at(len);
        rest = tail;
        Some(chunk)
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    None,
    Global,
    Port(usize),
    UnicastTable,
}

/// `KEY<whitespace>VALUE`: the key is the first run of non-space bytes, the value everything
/// after the whitespace that follows. `None` for a single word (linuxptp's
/// `parse_setting_line`).
fn split_setting(line: &[u8]) -> Option<(&[u8], &[u8])> {
    let key_len = line.iter().position(|&b| is_space(b))?;
    let (key, rest) = line.split_at(key_len);
    Some((key, trim_start(rest)))
}

impl Config {
    /// Reads a config file's contents on top of this configuration (linuxptp's `config_read`).
    /// `file_name` is used only in messages (`-` for standard input, which the program reads).
    /// Deprecated names add to [`Config::warnings`]. Parsing stops at the first error, leaving
    /// the lines before it applied, as linuxptp does.
    pub fn read_bytes(&mut self, data: &[u8], file_name: &str) -> Result<(), ReadError> {
        self.parse_lines(data).map_err(|error| ReadError::Parse { file: file_name.to_owned(), error })
    }

    /// [`Config::read_bytes`] for text.
    pub fn read_str(&mut self, text: &str, file_name: &str) -> Result<(), ReadError> {
        self.read_bytes(text.as_bytes(), file_name)
    }

    /// Reads the file at `path` (the `-f FILE` argument). The name in messages is `path` as
    /// given. For `-f -` the program reads standard input and calls [`Config::read_bytes`].
    pub fn read_file(&mut self, path: &Path) -> Result<(), ReadError> {
        let name = path.to_string_lossy();
        let data = std::fs::read(path).map_err(|e| ReadError::open(&name, &e))?;
        self.read_bytes(&data, &name)
    }

    /// A configuration with defaults plus `text` (no command line).
    pub fn parse(text: &str, file_name: &str) -> Result<Config, ReadError> {
        let mut cfg = Config::new();
        cfg.read_str(text, file_name)?;
        Ok(cfg)
    }

    fn section_name(&self, section: Section) -> String {
        match section {
            Section::Port(p) => self.interfaces.get(p).map(|i| i.name().to_owned()).unwrap_or_default(),
            _ => "global".to_owned(),
        }
    }

    fn parse_lines(&mut self, data: &[u8]) -> Result<(), ParseError> {
        let mut section = Section::None;
        let mut current_table: Option<usize> = None;
        let mut line_no: u32 = 0;

        for chunk in fgets_chunks(data) {
            line_no = line_no.saturating_add(1);
            let line = trim_end(trim_start(until_nul(chunk)));
            if line.is_empty() || line.first() == Some(&b'#') {
                continue;
            }

            // Section headers (config-format.md §2): whole-line, case-insensitive compares
            // for the two fixed names; any other `[` line names a port.
            if line.eq_ignore_ascii_case(b"[global]") {
                section = Section::Global;
                continue;
            }
            if line.eq_ignore_ascii_case(b"[unicast_master_table]") {
                section = Section::UnicastTable;
                current_table = None;
                continue;
            }
            if line.first() == Some(&b'[') {
                let spaced: Vec<u8> = line.iter().map(|&b| if b == b'[' || b == b']' { b' ' } else { b }).collect();
                let (name, _) = scan_token(&spaced, MAX_SECTION_TOKEN)
                    .ok_or(ParseError::CouldNotParsePortName { line: line_no })?;
                section = Section::Port(self.add_interface_bytes(name));
                continue;
            }

            let port = match section {
                Section::UnicastTable => {
                    unicast::parse_line(self, &mut current_table, line, line_no)?;
                    continue;
                }
                Section::None => return Err(ParseError::NotInSection { line: line_no }),
                Section::Global => None,
                Section::Port(p) => Some(p),
            };
            let (key, value) = split_setting(line)
                .ok_or_else(|| ParseError::CouldNotParseLine { line: line_no, section: self.section_name(section) })?;
            let key = self.rename_deprecated(key);
            self.parse_item(false, port, key, value).map_err(|e| {
                let key = String::from_utf8_lossy(key).into_owned();
                let value = String::from_utf8_lossy(value).into_owned();
                match e {
                    ItemError::NotParsed => {
                        ParseError::UnknownOption { key, line: line_no, section: self.section_name(section) }
                    }
                    ItemError::Value(ValueError::BadValue) => ParseError::BadValue { value, key, line: line_no },
                    ItemError::Value(ValueError::Malformed) => ParseError::MalformedValue { value, key, line: line_no },
                    ItemError::Value(ValueError::OutOfRange) => ParseError::OutOfRange { value, key, line: line_no },
                }
            })?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_like_fgets() {
        let data = b"a\nbb\n\nccc";
        let chunks: Vec<&[u8]> = fgets_chunks(data).collect();
        assert_eq!(chunks, vec![&b"a\n"[..], b"bb\n", b"\n", b"ccc"]);
        let long = vec![b'x'; 2100];
        let lens: Vec<usize> = fgets_chunks(&long).map(<[u8]>::len).collect();
        assert_eq!(lens, vec![1023, 1023, 54]);
    }

    #[test]
    fn split() {
        assert_eq!(split_setting(b"a \t b c"), Some((&b"a"[..], &b"b c"[..])));
        assert_eq!(split_setting(b"abc"), None);
    }
}
