//! Where a request comes from: the client address (X-Forwarded-For only from trusted proxies),
//! user agent and request id, which every event it causes records.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use super::error::ApiError;
use super::state::ApiState;
use crate::app::caller::Origin;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use ipnet::IpNet;

/// The request id, set by the request-id middleware (from a sane `X-Request-Id` or a new UUID).
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// The client address: the peer, unless the peer is a trusted proxy, in which case the
/// right-most `X-Forwarded-For` entry that is not itself a trusted proxy (RFC 7239 §7.4 warns
/// that left-most entries are client-controlled).
pub fn client_ip(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|n| n.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let forwarded: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    forwarded.into_iter().rev().find(|ip| !is_trusted(ip)).unwrap_or(peer)
}

impl FromRequestParts<Arc<ApiState>> for Origin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &Arc<ApiState>) -> Result<Self, Self::Rejection> {
        let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map_or(IpAddr::from([127, 0, 0, 1]), |c| c.0.ip());
        let ip = client_ip(peer, &parts.headers, &state.config.trusted_proxies);
        let user_agent = parts.headers.get("user-agent").and_then(|v| v.to_str().ok()).map(|s| s.chars().take(512).collect());
        let request_id = parts.extensions.get::<RequestId>().map_or_else(|| uuid::Uuid::new_v4().to_string(), |r| r.0.clone());
        Ok(Self { ip, user_agent, request_id })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwarded_for_is_only_believed_from_trusted_proxies() {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", "6.6.6.6, 203.0.113.7, 10.0.0.2".parse().unwrap());
        let trusted: Vec<IpNet> = vec!["10.0.0.0/8".parse().unwrap()];
        let proxy: IpAddr = "10.0.0.1".parse().unwrap();
        let stranger: IpAddr = "198.51.100.1".parse().unwrap();
        assert_eq!(client_ip(proxy, &h, &trusted), "203.0.113.7".parse::<IpAddr>().unwrap());
        assert_eq!(client_ip(stranger, &h, &trusted), stranger);
        assert_eq!(client_ip(proxy, &HeaderMap::new(), &trusted), proxy);
        assert_eq!(client_ip(proxy, &h, &[]), proxy);
    }
}
