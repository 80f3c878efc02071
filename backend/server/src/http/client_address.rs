//! The address a request comes from. Behind a load balancer every connection comes from the
//! balancer, so when the peer is a proxy the operator trusts (`--trusted-proxy`), the client is
//! the nearest address in `X-Forwarded-For` that is not itself a trusted proxy. A header from
//! anyone else is ignored, so a client cannot choose its own address. Rate limits and the
//! audit log use this address.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::str::FromStr;

use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::Response;

use super::AppState;

/// An address range: `10.0.0.0/8`, `::1/128`, or a single address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Network(ipnet::IpNet);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{0:?} is not an address or address range (like 10.0.0.0/8 or 127.0.0.1)")]
pub struct BadNetwork(String);

impl FromStr for Network {
    type Err = BadNetwork;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let text = s.trim();
        text.parse::<ipnet::IpNet>()
            .or_else(|_| text.parse::<IpAddr>().map(ipnet::IpNet::from))
            .map(Self)
            .map_err(|_| BadNetwork(s.to_owned()))
    }
}

impl Network {
    pub fn contains(&self, ip: IpAddr) -> bool {
        self.0.contains(&canonical(ip))
    }
}

/// An IPv4 peer seen through a dual-stack socket is compared as IPv4.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 @ IpAddr::V4(_) => v4,
    }
}

/// The proxies whose `X-Forwarded-For` is believed; none by default.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(pub Vec<Network>);

impl TrustedProxies {
    fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|n| n.contains(ip))
    }

    /// The client behind `peer`, given the request's `X-Forwarded-For` values in order.
    pub fn client(&self, peer: IpAddr, forwarded_for: &[&str]) -> IpAddr {
        let mut client = canonical(peer);
        if !self.trusts(client) {
            return client;
        }
        // Each proxy appends the address it saw; walk back from the nearest.
        let hops = forwarded_for
            .iter()
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .rev();
        for hop in hops {
            let Ok(ip) = hop.parse::<IpAddr>() else {
                // A malformed entry ends what can be believed.
                break;
            };
            client = canonical(ip);
            if !self.trusts(client) {
                break;
            }
        }
        client
    }
}

/// The request's client address, for the middleware after this one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddress(pub IpAddr);

impl ClientAddress {
    pub fn of(request: &Request) -> IpAddr {
        request
            .extensions()
            .get::<ClientAddress>()
            .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0)
    }
}

pub async fn resolve(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip());
    let forwarded: Vec<&str> = request
        .headers()
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    let client = state.proxies.client(peer, &forwarded);
    request.extensions_mut().insert(ClientAddress(client));
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn ranges_parse_and_contain() {
        let net: Network = "10.1.0.0/16".parse().unwrap();
        assert!(net.contains(ip("10.1.200.3")));
        assert!(!net.contains(ip("10.2.0.1")));
        assert!(net.contains(ip("::ffff:10.1.0.9")));
        let one: Network = "127.0.0.1".parse().unwrap();
        assert!(one.contains(ip("127.0.0.1")) && !one.contains(ip("127.0.0.2")));
        let v6: Network = "fd00::/8".parse().unwrap();
        assert!(v6.contains(ip("fd12::1")) && !v6.contains(ip("fe80::1")));
        let all: Network = "0.0.0.0/0".parse().unwrap();
        assert!(all.contains(ip("203.0.113.7")));
        for bad in ["10.0.0.0/33", "proxy", "10.0.0/8", "::/129", ""] {
            assert!(bad.parse::<Network>().is_err(), "{bad}");
        }
    }

    #[test]
    fn only_a_trusted_peer_is_believed() {
        let proxies = TrustedProxies(vec!["10.0.0.0/8".parse().unwrap()]);
        // A balancer in 10/8 forwarding a client.
        assert_eq!(
            proxies.client(ip("10.0.0.2"), &["203.0.113.7"]),
            ip("203.0.113.7")
        );
        // Through two proxies, the client is the nearest untrusted hop; what the client wrote
        // itself before that is not believed.
        assert_eq!(
            proxies.client(ip("10.0.0.2"), &["6.6.6.6, 203.0.113.7", "10.0.0.9"]),
            ip("203.0.113.7")
        );
        // Anyone else cannot choose an address.
        assert_eq!(
            proxies.client(ip("198.51.100.1"), &["203.0.113.7"]),
            ip("198.51.100.1")
        );
        // Nothing trusted: the header is ignored.
        assert_eq!(
            TrustedProxies::default().client(ip("10.0.0.2"), &["203.0.113.7"]),
            ip("10.0.0.2")
        );
        // A malformed hop stops the walk at the last good address.
        assert_eq!(
            proxies.client(ip("10.0.0.2"), &["203.0.113.7, junk"]),
            ip("10.0.0.2")
        );
    }
}
