//! ptp4l's management sockets: AF_UNIX datagram sockets at `uds_address` (read-write) and
//! `uds_ro_address` (read-only: GET only). Each datagram is one management message; the
//! responses go back to the sender's address.
//!
//! Start-up, as linuxptp's `clock_create` and `uds_open` do it (master, after 4.4):
//! 1. When `uds_address` is exactly the default `/var/run/ptp/ptp4l`, a compatibility symlink
//!    `/var/run/ptp4l -> ptp/ptp4l` (relative target) is made for clients of linuxptp 3.x,
//!    whose default server path that is; the same for `uds_ro_address` with
//!    `/var/run/ptp4lro -> ptp/ptp4lro`. A symlink already there is left as it is, whatever it
//!    points to; anything else there (say a 3.1.1 ptp4l's socket) is not removed: the link is
//!    not made and `failed to create symlink %s->%s: %m` is logged at WARNING. Nothing removes
//!    the links on exit.
//! 2. The directory of each socket path is created with `mkdir(dir, 0755)` (one level, not
//!    recursive; the umask applies). A failure is logged (`failed to create %s: %m`) and the
//!    start-up goes on, so that the bind then fails.
//! 3. Each socket: a file left at the path is unlinked (`uds: removed existing %s`), the socket
//!    bound, and the file's mode set with `chmod` to `uds_file_mode` (0660) or
//!    `uds_ro_file_mode` (0666); a chmod failure is ignored. A socket file is unlinked when its
//!    socket is closed (on exit).
//!
//! Plain libc calls through [`crate::sys`] (no std `UnixDatagram`, DESIGN.md simulator rules);
//! no socket options are set on these sockets.

use std::io;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::{Path, PathBuf};

use ptp_config::error::strerror;
use ptp_engine::log::Level;

use crate::sys;

/// The default `uds_address`.
pub const DEFAULT_ADDRESS: &str = "/var/run/ptp/ptp4l";
/// The default `uds_ro_address`.
pub const DEFAULT_RO_ADDRESS: &str = "/var/run/ptp/ptp4lro";
/// Room in `sockaddr_un.sun_path`, the terminating NUL included.
const SUN_PATH_LEN: usize = 108;

/// The compatibility link made for a socket at `address`: `(link, target)`, the target
/// relative to the link's directory. Only the two default addresses get one, compared as
/// strings (as linuxptp does: `/run/ptp/ptp4l` gets none).
pub fn compat_link(address: &str) -> Option<(&'static str, &'static str)> {
    match address {
        DEFAULT_ADDRESS => Some(("/var/run/ptp4l", "ptp/ptp4l")),
        DEFAULT_RO_ADDRESS => Some(("/var/run/ptp4lro", "ptp/ptp4lro")),
        _ => None,
    }
}

/// Make the symlink `link -> target` unless a symlink is already at `link` (that one is kept,
/// whatever its target). Anything else at `link` is an error (EEXIST), not removed.
pub fn create_compat_link(link: &Path, target: &Path) -> io::Result<()> {
    match std::fs::symlink_metadata(link) {
        Ok(m) if m.file_type().is_symlink() => Ok(()),
        _ => std::os::unix::fs::symlink(target, link),
    }
}

/// The directory a socket at `path` lives in, as `dirname(3)` gives it (`.` for a bare name).
pub fn socket_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        Some(_) => PathBuf::from("."),
        None => path.to_path_buf(),
    }
}

/// `mkdir(dir, 0755)`; an existing directory (EEXIST) is fine.
pub fn create_socket_dir(dir: &Path) -> io::Result<()> {
    match std::fs::DirBuilder::new().mode(0o755).create(dir) {
        Err(e) if e.kind() != io::ErrorKind::AlreadyExists => Err(e),
        _ => Ok(()),
    }
}

/// One bound management socket.
#[derive(Debug)]
pub struct UdsSocket {
    fd: OwnedFd,
    path: PathBuf,
    /// The read-write socket (SET and COMMAND allowed) or the read-only one.
    pub read_write: bool,
    removed_stale: bool,
}

impl AsFd for UdsSocket {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }
}

impl std::os::fd::AsRawFd for UdsSocket {
    fn as_raw_fd(&self) -> std::os::fd::RawFd {
        self.fd.as_raw_fd()
    }
}

impl UdsSocket {
    /// Bind a datagram socket at `path` (a file left there is removed first) and `chmod` the
    /// file to `mode` (a failure of that is ignored, as in linuxptp). The directory must exist.
    pub fn bind(path: &Path, mode: u32, read_write: bool) -> io::Result<UdsSocket> {
        let removed_stale = std::fs::remove_file(path).is_ok();
        // Plain socket type, no SOCK_CLOEXEC: the form linuxptp uses and a libc-interposing
        // simulator recognises (DESIGN.md); non-blocking is set with fcntl below.
        let fd = sys::socket(libc::AF_UNIX, libc::SOCK_DGRAM, 0)?;
        sys::bind_unix(fd.as_fd(), path.as_os_str().as_bytes())?;
        let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode & 0o777));
        sys::set_nonblocking(fd.as_fd())?;
        Ok(UdsSocket { fd, path: path.to_path_buf(), read_write, removed_stale })
    }

    /// One datagram and the sender's path.
    pub fn recv(&self, buf: &mut [u8]) -> io::Result<(usize, Vec<u8>)> {
        sys::recvfrom_unix(self.fd.as_fd(), buf)
    }

    /// Send `bytes` to the client at `to`.
    pub fn send_to(&self, bytes: &[u8], to: &[u8]) -> io::Result<usize> {
        sys::sendto_unix(self.fd.as_fd(), bytes, to)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether [`UdsSocket::bind`] removed a file left at the path.
    pub fn removed_stale(&self) -> bool {
        self.removed_stale
    }
}

impl Drop for UdsSocket {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// The read-write and read-only sockets of a ptp4l configuration, bound in that order, after
/// the compatibility links and the directories (see the module doc). `log` receives linuxptp's
/// messages on the way; an error means a socket could not be bound (its message logged).
pub fn open(cfg: &ptp_config::Config, mut log: impl FnMut(Level, String)) -> io::Result<Vec<UdsSocket>> {
    let rw = cfg.global_str("uds_address").unwrap_or(DEFAULT_ADDRESS).to_string();
    let ro = cfg.global_str("uds_ro_address").unwrap_or(DEFAULT_RO_ADDRESS).to_string();
    for address in [&rw, &ro] {
        if let Some((link, target)) = compat_link(address) {
            if let Err(e) = create_compat_link(Path::new(link), Path::new(target)) {
                log(Level::Warning, format!("failed to create symlink {link}->{target}: {}", strerror(&e)));
            }
        }
    }
    for address in [&rw, &ro] {
        if address.len() >= SUN_PATH_LEN {
            log(Level::Err, "path too long for UDS".into());
            continue;
        }
        let dir = socket_dir(Path::new(address));
        if let Err(e) = create_socket_dir(&dir) {
            log(Level::Err, format!("failed to create {}: {}", dir.display(), strerror(&e)));
        }
    }
    let mode = |k: &str, d: u32| u32::try_from(cfg.global_int(k)).unwrap_or(d);
    let mut sockets = Vec::new();
    for (address, key, default, read_write, name) in
        [(&rw, "uds_file_mode", 0o660, true, "RW"), (&ro, "uds_ro_file_mode", 0o666, false, "RO")]
    {
        match UdsSocket::bind(Path::new(address), mode(key, default), read_write) {
            Ok(s) => {
                if s.removed_stale() {
                    log(Level::Err, format!("uds: removed existing {address}"));
                }
                sockets.push(s);
            }
            Err(e) => {
                log(Level::Err, format!("uds: bind failed: {}", strerror(&e)));
                log(Level::Err, format!("failed to open the UDS-{name} port"));
                return Err(e);
            }
        }
    }
    Ok(sockets)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(tag: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("ptp-rs-uds-{}-{tag}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn bind_receive_reply() {
        let dir = temp_dir("bind");
        let server = UdsSocket::bind(&dir.join("srv"), 0o660, true).unwrap();
        let client = UdsSocket::bind(&dir.join("cli"), 0o600, true).unwrap();
        assert!(!server.removed_stale());
        let mode = std::fs::metadata(server.path()).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o660);
        client.send_to(b"hello", dir.join("srv").as_os_str().as_bytes()).unwrap();
        let mut buf = [0u8; 64];
        let (n, from) = server.recv(&mut buf).unwrap();
        assert_eq!(&buf[..n], b"hello");
        assert_eq!(from, dir.join("cli").as_os_str().as_bytes());
        server.send_to(b"back", &from).unwrap();
        let (n, _) = client.recv(&mut buf).unwrap();
        assert_eq!(&buf[..n], b"back");
        drop((server, client));
        assert!(!dir.join("srv").exists(), "the socket file goes with the socket");
        let _ = std::fs::remove_dir(&dir);
    }

    #[test]
    fn a_file_left_at_the_path_is_replaced() {
        let dir = temp_dir("stale");
        let path = dir.join("srv");
        std::fs::write(&path, b"left over").unwrap();
        let s = UdsSocket::bind(&path, 0o666, false).unwrap();
        assert!(s.removed_stale());
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o666);
        drop(s);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn only_the_default_addresses_get_links() {
        assert_eq!(compat_link("/var/run/ptp/ptp4l"), Some(("/var/run/ptp4l", "ptp/ptp4l")));
        assert_eq!(compat_link("/var/run/ptp/ptp4lro"), Some(("/var/run/ptp4lro", "ptp/ptp4lro")));
        for other in ["/run/ptp/ptp4l", "/var/run/ptp4l", "/var/run/ptp/ptp4l/", "/tmp/ptp4l", ""] {
            assert_eq!(compat_link(other), None, "{other}");
        }
        // The relative target resolves beside the link to the socket.
        let (link, target) = compat_link(DEFAULT_ADDRESS).unwrap();
        assert_eq!(Path::new(link).parent().unwrap().join(target), Path::new(DEFAULT_ADDRESS));
        let (link, target) = compat_link(DEFAULT_RO_ADDRESS).unwrap();
        assert_eq!(Path::new(link).parent().unwrap().join(target), Path::new(DEFAULT_RO_ADDRESS));
    }

    #[test]
    fn socket_dir_is_dirname() {
        assert_eq!(socket_dir(Path::new("/var/run/ptp/ptp4l")), Path::new("/var/run/ptp"));
        assert_eq!(socket_dir(Path::new("/ptp4l")), Path::new("/"));
        assert_eq!(socket_dir(Path::new("ptp4l")), Path::new("."));
        assert_eq!(socket_dir(Path::new("a/b")), Path::new("a"));
    }

    #[test]
    fn links_are_made_kept_or_refused() {
        let dir = temp_dir("links");
        let link = dir.join("ptp4l");
        // Made, dangling until the socket exists.
        create_compat_link(&link, Path::new("ptp/ptp4l")).unwrap();
        assert_eq!(std::fs::read_link(&link).unwrap(), Path::new("ptp/ptp4l"));
        // A link already there is kept, whatever it points to.
        std::fs::remove_file(&link).unwrap();
        std::os::unix::fs::symlink("elsewhere", &link).unwrap();
        create_compat_link(&link, Path::new("ptp/ptp4l")).unwrap();
        assert_eq!(std::fs::read_link(&link).unwrap(), Path::new("elsewhere"));
        // Anything else is left alone and the link is not made.
        std::fs::remove_file(&link).unwrap();
        std::fs::write(&link, b"old socket").unwrap();
        let e = create_compat_link(&link, Path::new("ptp/ptp4l")).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(strerror(&e), "File exists");
        assert_eq!(std::fs::read(&link).unwrap(), b"old socket");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn socket_dir_is_made_one_level_deep() {
        let dir = temp_dir("mkdir");
        let sub = dir.join("ptp");
        create_socket_dir(&sub).unwrap();
        create_socket_dir(&sub).unwrap();
        assert!(sub.is_dir());
        assert!(create_socket_dir(&dir.join("a/b")).is_err(), "not recursive");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn open_logs_and_binds_in_order() {
        let dir = temp_dir("open");
        let mut cfg = ptp_config::Config::new();
        let rw = dir.join("run/ptp4l");
        let ro = dir.join("run/ptp4lro");
        let text =
            format!("[global]\nuds_address {}\nuds_ro_address {}\nuds_ro_file_mode 0640\n", rw.display(), ro.display());
        cfg.read_str(&text, "t.cfg").unwrap();
        std::fs::create_dir_all(dir.join("run")).unwrap();
        std::fs::write(&ro, b"stale").unwrap();
        let mut lines = Vec::new();
        let socks = open(&cfg, |level, text| lines.push((level, text))).unwrap();
        assert_eq!(lines, vec![(Level::Err, format!("uds: removed existing {}", ro.display()))]);
        assert_eq!(socks.len(), 2);
        assert!(socks[0].read_write && !socks[1].read_write);
        assert_eq!(socks[0].path(), rw);
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&rw), 0o660);
        assert_eq!(mode(&ro), 0o640);
        drop(socks);
        assert!(!rw.exists() && !ro.exists());

        // A directory that cannot be made: logged, then the bind fails.
        let mut cfg = ptp_config::Config::new();
        let deep = dir.join("no/such/ptp4l");
        let text = format!("[global]\nuds_address {}\nuds_ro_address {}\n", deep.display(), ro.display());
        cfg.read_str(&text, "t.cfg").unwrap();
        let mut lines = Vec::new();
        assert!(open(&cfg, |level, text| lines.push((level, text))).is_err());
        let texts: Vec<&str> = lines.iter().map(|(_, t)| t.as_str()).collect();
        assert_eq!(
            texts,
            vec![
                format!("failed to create {}: No such file or directory", dir.join("no/such").display()).as_str(),
                "uds: bind failed: No such file or directory",
                "failed to open the UDS-RW port",
            ]
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
