//! Command-line scanning as glibc's `getopt_long` does it for linuxptp's programs
//! (options.md "General conventions"), and the numeric short-option helpers of linuxptp's
//! util.c.
//!
//! Every long option is a config key with a required argument (`--KEY=VALUE` or
//! `--KEY VALUE`). A unique prefix of a key is accepted; an exact name wins over longer names
//! it prefixes; a prefix of several keys is an error (config-format.md §4). GNU permutation is
//! on: operands may come between options, and `--` ends the options.

use crate::cparse::{strtod, strtol, strtoul, whole};
use crate::error::{ArgValueError, GetoptError};

/// One element of the command line, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    /// A short option letter from the option string, with its argument if it takes one.
    Short {
        /// The letter.
        opt: char,
        /// The argument (`-fFILE` or `-f FILE`), for letters followed by `:`.
        arg: Option<String>,
    },
    /// A long option: the index of the matched name in the long-option list, and its value.
    Long {
        /// Index into the long-option names.
        index: usize,
        /// The argument.
        value: String,
    },
    /// A non-option argument.
    Operand(String),
}

/// A `getopt_long` scanner over `argv[1..]`. It yields one [`Arg`] or [`GetoptError`] per call;
/// after an error it goes on with the next element, as getopt does.
#[derive(Debug, Clone)]
pub struct Getopt<'a> {
    prog: String,
    args: Vec<String>,
    pos: usize,
    /// Inside a cluster of short options: the argument and the byte offset of the next letter.
    cluster: Option<(usize, usize)>,
    only_operands: bool,
    short: &'a str,
    long: &'a [&'a str],
}

impl<'a> Getopt<'a> {
    /// A scanner for `argv` (including `argv[0]`, used in messages) with the getopt option
    /// string `short` (e.g. `"AEP246HSLf:i:p:sl:mqvh"`) and the long option names `long`, all of
    /// which take an argument.
    pub fn new(argv: Vec<String>, short: &'a str, long: &'a [&'a str]) -> Self {
        let mut argv = argv.into_iter();
        let prog = argv.next().unwrap_or_default();
        Getopt { prog, args: argv.collect(), pos: 0, cluster: None, only_operands: false, short, long }
    }

    /// `argv[0]`.
    pub fn prog(&self) -> &str {
        &self.prog
    }

    /// Whether `opt` is in the option string, and whether it takes an argument.
    fn short_spec(&self, opt: char) -> Option<bool> {
        if opt == ':' {
            return None;
        }
        let at = self.short.find(opt)?;
        let after = self.short.get(at + opt.len_utf8()..)?;
        Some(after.starts_with(':'))
    }

    fn next_short(&mut self, arg_index: usize, offset: usize) -> Option<Result<Arg, GetoptError>> {
        let text = self.args.get(arg_index)?;
        let rest = text.get(offset..)?;
        let opt = rest.chars().next()?;
        let after = offset + opt.len_utf8();
        let remaining = text.get(after..).unwrap_or_default().to_owned();
        self.cluster = if remaining.is_empty() { None } else { Some((arg_index, after)) };
        let Some(takes_arg) = self.short_spec(opt) else {
            return Some(Err(GetoptError::InvalidOption { prog: self.prog.clone(), opt }));
        };
        if !takes_arg {
            return Some(Ok(Arg::Short { opt, arg: None }));
        }
        self.cluster = None;
        if !remaining.is_empty() {
            return Some(Ok(Arg::Short { opt, arg: Some(remaining) }));
        }
        match self.args.get(self.pos) {
            Some(next) => {
                let arg = next.clone();
                self.pos += 1;
                Some(Ok(Arg::Short { opt, arg: Some(arg) }))
            }
            None => Some(Err(GetoptError::MissingArgument { prog: self.prog.clone(), opt })),
        }
    }

    fn next_long(&mut self, body: String) -> Result<Arg, GetoptError> {
        let (name, inline) = match body.split_once('=') {
            Some((n, v)) => (n.to_owned(), Some(v.to_owned())),
            None => (body.clone(), None),
        };
        let index = match self.long.iter().position(|n| *n == name) {
            Some(i) => i,
            None => {
                let candidates: Vec<usize> =
                    (0..self.long.len()).filter(|&i| self.long.get(i).is_some_and(|n| n.starts_with(&name))).collect();
                match candidates.as_slice() {
                    [] => return Err(GetoptError::Unrecognized { prog: self.prog.clone(), text: body }),
                    [one] => *one,
                    many => {
                        let candidates =
                            many.iter().filter_map(|&i| self.long.get(i)).map(|s| (*s).to_owned()).collect();
                        return Err(GetoptError::Ambiguous { prog: self.prog.clone(), text: body, candidates });
                    }
                }
            }
        };
        let value = match inline {
            Some(v) => v,
            None => match self.args.get(self.pos) {
                Some(next) => {
                    let v = next.clone();
                    self.pos += 1;
                    v
                }
                None => {
                    let name = self.long.get(index).map(|s| (*s).to_owned()).unwrap_or_default();
                    return Err(GetoptError::LongMissingArgument { prog: self.prog.clone(), name });
                }
            },
        };
        Ok(Arg::Long { index, value })
    }
}

impl Iterator for Getopt<'_> {
    type Item = Result<Arg, GetoptError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some((arg_index, offset)) = self.cluster {
                if let Some(item) = self.next_short(arg_index, offset) {
                    return Some(item);
                }
                self.cluster = None;
            }
            let arg = self.args.get(self.pos)?.clone();
            self.pos += 1;
            if self.only_operands {
                return Some(Ok(Arg::Operand(arg)));
            }
            if arg == "--" {
                self.only_operands = true;
                continue;
            }
            if let Some(body) = arg.strip_prefix("--") {
                return Some(self.next_long(body.to_owned()));
            }
            if arg.len() > 1 && arg.starts_with('-') {
                self.cluster = Some((self.pos - 1, 1));
                continue;
            }
            return Some(Ok(Arg::Operand(arg)));
        }
    }
}

/// linuxptp's `get_arg_val_i`: `strtol(arg, &end, 0)`, whole string, within `[min, max]`.
pub fn arg_int(opt: char, arg: &str, min: i32, max: i32) -> Result<i32, ArgValueError> {
    let conv = whole(strtol(arg.as_bytes(), 0), arg.len())
        .ok_or_else(|| ArgValueError::Malformed { opt, value: arg.to_owned() })?;
    if conv.erange || conv.value < i64::from(min) || conv.value > i64::from(max) {
        return Err(ArgValueError::OutOfRangeInt { opt, value: arg.to_owned(), min, max });
    }
    i32::try_from(conv.value).map_err(|_| ArgValueError::OutOfRangeInt { opt, value: arg.to_owned(), min, max })
}

/// linuxptp's `get_arg_val_ui`: `strtoul(arg, &end, 0)`, whole string, within `[min, max]`.
pub fn arg_uint(opt: char, arg: &str, min: u32, max: u32) -> Result<u32, ArgValueError> {
    let conv = whole(strtoul(arg.as_bytes(), 0), arg.len())
        .ok_or_else(|| ArgValueError::Malformed { opt, value: arg.to_owned() })?;
    if conv.erange || conv.value < u64::from(min) || conv.value > u64::from(max) {
        return Err(ArgValueError::OutOfRangeUint { opt, value: arg.to_owned(), min, max });
    }
    u32::try_from(conv.value).map_err(|_| ArgValueError::OutOfRangeUint { opt, value: arg.to_owned(), min, max })
}

/// linuxptp's `get_arg_val_d`: `strtod`, whole string, within `[min, max]`.
pub fn arg_double(opt: char, arg: &str, min: f64, max: f64) -> Result<f64, ArgValueError> {
    let conv = whole(strtod(arg.as_bytes()), arg.len())
        .ok_or_else(|| ArgValueError::Malformed { opt, value: arg.to_owned() })?;
    if conv.erange || conv.value < min || conv.value > max {
        return Err(ArgValueError::OutOfRangeDouble { opt, value: arg.to_owned(), min, max });
    }
    Ok(conv.value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(args: &[&str]) -> Vec<Result<Arg, String>> {
        let argv = args.iter().map(|s| (*s).to_owned()).collect();
        Getopt::new(argv, "ab:c", &["alpha", "alphabet", "beta", "gamma_one", "gamma_two"])
            .map(|r| r.map_err(|e| e.to_string()))
            .collect()
    }

    fn short(opt: char, arg: Option<&str>) -> Result<Arg, String> {
        Ok(Arg::Short { opt, arg: arg.map(str::to_owned) })
    }

    fn long(index: usize, value: &str) -> Result<Arg, String> {
        Ok(Arg::Long { index, value: value.to_owned() })
    }

    #[test]
    fn short_clusters_and_arguments() {
        assert_eq!(
            scan(&["p", "-ac", "-bX", "-b", "-c"]),
            vec![short('a', None), short('c', None), short('b', Some("X")), short('b', Some("-c"))]
        );
        assert_eq!(scan(&["p", "-ab"]), vec![short('a', None), Err("p: option requires an argument -- 'b'".into())]);
        assert_eq!(scan(&["p", "-x"]), vec![Err("p: invalid option -- 'x'".into())]);
        assert_eq!(scan(&["p", "-:"]), vec![Err("p: invalid option -- ':'".into())]);
    }

    #[test]
    fn operands_and_double_dash() {
        assert_eq!(
            scan(&["p", "x", "-", "-a", "--", "-c"]),
            vec![
                Ok(Arg::Operand("x".into())),
                Ok(Arg::Operand("-".into())),
                short('a', None),
                Ok(Arg::Operand("-c".into()))
            ]
        );
    }

    #[test]
    fn long_options() {
        assert_eq!(scan(&["p", "--beta=1", "--beta", "2", "--beta="]), vec![long(2, "1"), long(2, "2"), long(2, "")]);
        assert_eq!(scan(&["p", "--alpha", "x"]), vec![long(0, "x")]);
        assert_eq!(scan(&["p", "--alphab=1"]), vec![long(1, "1")]);
        assert_eq!(scan(&["p", "--be", "-a"]), vec![long(2, "-a")]);
        assert_eq!(scan(&["p", "--beta"]), vec![Err("p: option '--beta' requires an argument".into())]);
        assert_eq!(scan(&["p", "--be"]), vec![Err("p: option '--beta' requires an argument".into())]);
        assert_eq!(scan(&["p", "--delta=1"]), vec![Err("p: unrecognized option '--delta=1'".into())]);
        assert_eq!(
            scan(&["p", "--gamma=1"]),
            vec![Err("p: option '--gamma=1' is ambiguous; possibilities: '--gamma_one' '--gamma_two'".into())]
        );
    }

    #[test]
    fn numeric_arguments() {
        assert_eq!(arg_int('l', "7", 0, 7), Ok(7));
        assert_eq!(arg_int('l', "0x7", 0, 7), Ok(7));
        assert_eq!(
            arg_int('l', "8", 0, 7).unwrap_err().to_string(),
            "-l: 8 is out of range. Must be in the range 0 to 7"
        );
        assert_eq!(arg_int('l', "7x", 0, 7).unwrap_err().to_string(), "-l: 7x is a malformed value");
        assert_eq!(arg_int('l', "", 0, 7).unwrap_err().to_string(), "-l:  is a malformed value");
        assert_eq!(
            arg_uint('u', "-1", 0, u32::MAX).unwrap_err().to_string(),
            "-u: -1 is out of range. Must be in the range 0 to 4294967295"
        );
        assert_eq!(arg_double('R', "2.5", 1e-9, f64::MAX), Ok(2.5));
    }
}
