//! ptp4l's management sockets: AF_UNIX datagram sockets at `uds_address` (read-write) and
//! `uds_ro_address` (read-only: GET only). Each datagram is one management message; the
//! responses go back to the sender's address.
//!
//! Plain libc calls through [`crate::sys`] (no std `UnixDatagram`, DESIGN.md simulator rules);
//! no socket options are set on these sockets.

use std::io;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use crate::sys;

/// One bound management socket.
#[derive(Debug)]
pub struct UdsSocket {
    fd: OwnedFd,
    path: PathBuf,
    /// The read-write socket (SET and COMMAND allowed) or the read-only one.
    pub read_write: bool,
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
    /// Bind a datagram socket at `path` (a stale socket file is removed first) and set the
    /// file's mode.
    pub fn bind(path: &Path, mode: u32, read_write: bool) -> io::Result<UdsSocket> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty() && !d.exists()) {
            std::fs::create_dir_all(dir)?;
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755))?;
        }
        match std::fs::remove_file(path) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
        // Plain socket type, no SOCK_CLOEXEC: the form linuxptp uses and a libc-interposing
        // simulator recognises (DESIGN.md); non-blocking is set with fcntl below.
        let fd = sys::socket(libc::AF_UNIX, libc::SOCK_DGRAM, 0)?;
        sys::bind_unix(fd.as_fd(), path.as_os_str().as_bytes())?;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode & 0o777))?;
        sys::set_nonblocking(fd.as_fd())?;
        Ok(UdsSocket { fd, path: path.to_path_buf(), read_write })
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
}

impl Drop for UdsSocket {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// The read-write and read-only sockets of a ptp4l configuration, bound in that order.
pub fn open(cfg: &ptp_config::Config) -> io::Result<Vec<UdsSocket>> {
    let rw = cfg.global_str("uds_address").unwrap_or("/var/run/ptp/ptp4l").to_string();
    let ro = cfg.global_str("uds_ro_address").unwrap_or("/var/run/ptp/ptp4lro").to_string();
    let mode = |k: &str, d: u32| u32::try_from(cfg.global_int(k)).unwrap_or(d);
    let rw = UdsSocket::bind(Path::new(&rw), mode("uds_file_mode", 0o660), true)?;
    let ro = UdsSocket::bind(Path::new(&ro), mode("uds_ro_file_mode", 0o666), false)?;
    Ok(vec![rw, ro])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bind_receive_reply() {
        let dir = std::env::temp_dir().join(format!("ptp-rs-uds-{}", std::process::id()));
        let server = UdsSocket::bind(&dir.join("srv"), 0o660, true).unwrap();
        let client = UdsSocket::bind(&dir.join("cli"), 0o600, true).unwrap();
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
        let _ = std::fs::remove_dir(&dir);
    }
}
