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
