//! This computer's address on its local network, for a phone there to reach the shared
//! server: read from the list of its network interfaces, so nothing is sent anywhere (no
//! connecting a UDP socket towards some public address to see which source it gets).
//!
//! The list comes from `if-addrs`: it only wraps `getifaddrs` (libc) on Unix and
//! `GetAdaptersAddresses` (windows-sys, already in the lockfile) on Windows, where
//! `local-ip-address` brings a netlink library and more besides.

use std::net::{IpAddr, Ipv4Addr};

/// An address of one of this computer's interfaces, the interface's name, and whether it is up.
#[derive(Clone, Debug)]
struct Candidate {
    name: String,
    ip: IpAddr,
    up: bool,
}

/// Interfaces of containers and virtual machines on this computer: a private address, but a
/// network no phone is on (Docker's bridge is often listed before the Wi-Fi).
const VIRTUAL: [&str; 9] = [
    "docker", "br-", "veth", "virbr", "vmnet", "vboxnet", "cni", "flannel", "podman",
];

/// The first private (RFC 1918: 10/8, 172.16/12, 192.168/16) IPv4 address of an interface
/// that is up and not a container's or virtual machine's bridge; loopback, link-local, public
/// and IPv6 addresses are never it. `None` when this computer has no such address (or its
/// interfaces cannot be listed).
pub fn lan_address() -> Option<Ipv4Addr> {
    let interfaces = match if_addrs::get_if_addrs() {
        Ok(interfaces) => interfaces,
        Err(error) => {
            tracing::warn!(%error, "cannot list the network interfaces");
            return None;
        }
    };
    choose(interfaces.iter().map(|interface| Candidate {
        name: interface.name.clone(),
        ip: interface.ip(),
        up: interface.is_oper_up(),
    }))
}

fn choose(candidates: impl IntoIterator<Item = Candidate>) -> Option<Ipv4Addr> {
    candidates
        .into_iter()
        .find_map(|candidate| match candidate.ip {
            IpAddr::V4(ip)
                if candidate.up
                    && ip.is_private()
                    && !VIRTUAL.iter().any(|kind| candidate.name.starts_with(kind)) =>
            {
                Some(ip)
            }
            _ => None,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(ip: &str, up: bool) -> Candidate {
        on("wlan0", ip, up)
    }

    fn on(name: &str, ip: &str, up: bool) -> Candidate {
        Candidate {
            name: name.to_owned(),
            ip: ip.parse().unwrap(),
            up,
        }
    }

    #[test]
    fn the_first_private_ipv4_address_of_an_interface_that_is_up_is_chosen() {
        let interfaces = [
            at("127.0.0.1", true),
            at("::1", true),
            at("fe80::1", true),
            at("169.254.10.20", true),
            at("203.0.113.7", true),
            at("192.168.1.20", false),
            at("fd00::20", true),
            at("10.0.0.5", true),
            at("172.16.0.9", true),
        ];
        assert_eq!(choose(interfaces), Some(Ipv4Addr::new(10, 0, 0, 5)));
    }

    #[test]
    fn a_container_or_virtual_machine_bridge_is_passed_over() {
        let interfaces = [
            on("docker0", "172.17.0.1", true),
            on("br-5f2a", "172.18.0.1", true),
            on("virbr0", "192.168.122.1", true),
            on("enp3s0", "192.168.1.20", true),
        ];
        assert_eq!(choose(interfaces), Some(Ipv4Addr::new(192, 168, 1, 20)));
        assert_eq!(choose([on("docker0", "172.17.0.1", true)]), None);
    }

    #[test]
    fn every_private_range_counts_and_nothing_else_does() {
        for private in ["10.1.2.3", "172.31.255.1", "192.168.0.2"] {
            assert_eq!(
                choose([at(private, true)]).map(IpAddr::V4),
                Some(private.parse().unwrap())
            );
        }
        for not in [
            "127.0.0.2",
            "172.32.0.1",
            "100.64.0.1",
            "8.8.8.8",
            "0.0.0.0",
        ] {
            assert_eq!(choose([at(not, true)]), None, "{not}");
        }
        assert_eq!(choose([]), None);
    }

    #[test]
    fn this_computer_is_listed_without_failing() {
        // Whatever the machine's network, the listing works and the answer is a private one.
        assert!(lan_address().is_none_or(|ip| ip.is_private()));
    }
}
