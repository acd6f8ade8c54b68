//! Listening TCP sockets as the facts script reports them, and whether one serves an
//! address the inventory records: what the drift rules compare.
use serde::{Deserialize, Serialize};
use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// One listening socket: `addr` None is `*` (every address of both families).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Listener {
    pub addr: Option<IpAddr>,
    pub port: u16,
}

impl Listener {
    /// Reads `ss -ltnH`'s local address (`127.0.0.1:3000`, `[::]:22`, `*:22`,
    /// `127.0.0.53%lo:53`, `[fe80::1%eth0]:123`) or /proc/net/tcp's (`0100007F:0BB8`:
    /// hex, the address as the kernel's native words, little-endian on every platform
    /// Owlery's hosts run on).
    pub fn parse(s: &str) -> Option<Listener> {
        let (addr, port) = s.trim().rsplit_once(':')?;
        if let Some(listener) = proc_net(addr, port) {
            return Some(listener);
        }
        let port = port.parse().ok()?;
        if addr == "*" {
            return Some(Listener { addr: None, port });
        }
        let bare = addr.trim_start_matches('[').trim_end_matches(']');
        let bare = bare.split('%').next().unwrap_or_default().trim_end_matches(']');
        let ip: IpAddr = bare.parse().ok()?;
        Some(Listener {
            addr: Some(ip.to_canonical()),
            port,
        })
    }

    /// Whether a client connecting to `addr` (any address when None) on this port
    /// reaches this socket. `::` takes IPv4 too, as Linux does unless bindv6only is set.
    pub fn serves(&self, addr: Option<IpAddr>) -> bool {
        match (self.addr, addr) {
            (None, _) => true,
            (Some(IpAddr::V6(a)), _) if a.is_unspecified() => true,
            (Some(IpAddr::V4(a)), Some(IpAddr::V4(_))) if a.is_unspecified() => true,
            (Some(mine), Some(wanted)) => mine == wanted.to_canonical(),
            (Some(_), None) => true,
        }
    }
}

fn hex_words(hex: &str) -> Option<Vec<[u8; 4]>> {
    if hex.is_empty() || !hex.len().is_multiple_of(8) || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    hex.as_bytes()
        .chunks(8)
        .map(|word| {
            let word = std::str::from_utf8(word).ok()?;
            u32::from_str_radix(word, 16).ok().map(u32::to_le_bytes)
        })
        .collect()
}

fn proc_net(addr: &str, port: &str) -> Option<Listener> {
    if port.len() != 4 {
        return None;
    }
    let port = u16::from_str_radix(port, 16).ok()?;
    let words = hex_words(addr)?;
    let ip = match words.as_slice() {
        [a] => IpAddr::V4(Ipv4Addr::from(*a)),
        [a, b, c, d] => {
            let mut bytes = [0u8; 16];
            for (i, word) in [a, b, c, d].into_iter().enumerate() {
                bytes[i * 4..i * 4 + 4].copy_from_slice(word);
            }
            IpAddr::V6(Ipv6Addr::from(bytes))
        }
        _ => return None,
    };
    Some(Listener {
        addr: Some(ip.to_canonical()),
        port,
    })
}

impl fmt::Display for Listener {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.addr {
            None => write!(f, "*:{}", self.port),
            Some(IpAddr::V4(a)) => write!(f, "{a}:{}", self.port),
            Some(IpAddr::V6(a)) => write!(f, "[{a}]:{}", self.port),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(s: &str) -> String {
        Listener::parse(s)
            .map(|l| l.to_string())
            .unwrap_or_else(|| "refused".into())
    }

    #[test]
    fn what_ss_prints_is_read_with_its_address_and_port() {
        assert_eq!(shown("127.0.0.1:3000"), "127.0.0.1:3000");
        assert_eq!(shown("0.0.0.0:22"), "0.0.0.0:22");
        assert_eq!(shown("[::]:22"), "[::]:22");
        assert_eq!(shown("*:80"), "*:80");
        assert_eq!(shown("127.0.0.53%lo:53"), "127.0.0.53:53");
        assert_eq!(shown("[fe80::1%eth0]:123"), "[fe80::1]:123");
        assert_eq!(shown("[fd00:6f77::1]:3000"), "[fd00:6f77::1]:3000");
        assert_eq!(shown("[::ffff:127.0.0.1]:8080"), "127.0.0.1:8080");
    }

    #[test]
    fn what_proc_net_tcp_holds_is_decoded_from_hex() {
        assert_eq!(shown("0100007F:0BB8"), "127.0.0.1:3000");
        assert_eq!(shown("00000000:0016"), "0.0.0.0:22");
        assert_eq!(shown("00000000000000000000000000000000:0016"), "[::]:22");
        assert_eq!(shown("00000000000000000000000001000000:1F90"), "[::1]:8080");
        assert_eq!(
            shown("776F00FD000000000000000001000000:0BB8"),
            "[fd00:6f77::1]:3000"
        );
    }

    #[test]
    fn garbage_is_refused() {
        for bad in [
            "",
            "3000",
            "localhost:3000",
            "127.0.0.1:http",
            "0100007F:BB8",
            "12345:0BB8",
            "[::1]:70000",
        ] {
            assert_eq!(shown(bad), "refused", "{bad:?}");
        }
    }

    #[test]
    fn wildcards_serve_their_family_and_a_specific_socket_only_its_address() {
        let l = |s| Listener::parse(s).expect("valid");
        let v4: IpAddr = "192.0.2.20".parse().expect("ip");
        let v6: IpAddr = "fd00:6f77::1".parse().expect("ip");
        assert!(l("*:80").serves(Some(v6)));
        assert!(l("[::]:80").serves(Some(v4)));
        assert!(l("0.0.0.0:80").serves(Some(v4)));
        assert!(!l("0.0.0.0:80").serves(Some(v6)));
        assert!(l("[fd00:6f77::1]:80").serves(Some(v6)));
        assert!(!l("127.0.0.1:80").serves(Some(v4)));
        assert!(l("127.0.0.1:80").serves(None));
    }
}
