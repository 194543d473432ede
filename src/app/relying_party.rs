//! The WebAuthn relying party AuthNode is: built once at start from `AUTHNODE_PUBLIC_URL`.

use webauthn_rs::prelude::{Url, Webauthn, WebauthnBuilder};

/// The relying party at `public_url`, or why there can be none: browsers accept no IP address
/// as a relying-party id, so passkeys need a host name (`localhost` will do locally).
pub fn at(public_url: &Url) -> Result<Webauthn, String> {
    let host = public_url.host_str().ok_or("AUTHNODE_PUBLIC_URL has no host")?;
    if host.trim_matches(['[', ']']).parse::<std::net::IpAddr>().is_ok() {
        return Err(format!(
            "passkeys need AUTHNODE_PUBLIC_URL with a host name, not the address {host} (e.g. http://localhost:8080): browsers refuse IP addresses as relying parties"
        ));
    }
    WebauthnBuilder::new(host, public_url)
        .and_then(|b| b.rp_name("AuthNode").build())
        .map_err(|e| format!("passkeys cannot be offered at {public_url}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_host_name_is_a_relying_party_and_an_address_is_not() {
        for ok in ["http://localhost:8080", "https://auth.example.com", "https://auth.example.com:8443/"] {
            assert!(at(&Url::parse(ok).unwrap()).is_ok(), "{ok}");
        }
        for refused in ["http://127.0.0.1:8080", "http://[::1]:8080", "https://10.0.0.5"] {
            let why = at(&Url::parse(refused).unwrap()).unwrap_err();
            assert!(why.contains("host name"), "{refused}: {why}");
        }
    }
}
