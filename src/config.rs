//! Configuration: read once from the environment, validated at start. Every error names the
//! variable; every secret may also come from a file named by `<VAR>_FILE` (for Docker secrets).

use std::net::SocketAddr;
use std::path::PathBuf;

use ipnet::IpNet;

/// Log output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line.
    Json,
}

/// The validated configuration. Its `Debug` output redacts the master key and any password in
/// the database URL, so it is safe to log.
#[derive(Clone)]
pub struct Config {
    /// Address to listen on (`AUTHNODE_LISTEN`).
    pub listen: SocketAddr,
    /// Data directory for the embedded store and its generated key (`AUTHNODE_DATA_DIR`).
    pub data_dir: PathBuf,
    /// Database URL (`DATABASE_URL`).
    pub database_url: String,
    /// Maximum pool size (`AUTHNODE_DB_MAX_CONNECTIONS`).
    pub db_max_connections: u32,
    /// Master key text, if configured (`AUTHNODE_MASTER_KEY[_FILE]`); otherwise embedded mode
    /// uses `<data dir>/master.key`.
    pub master_key: Option<zeroize::Zeroizing<String>>,
    /// Public origin (`AUTHNODE_PUBLIC_URL`).
    pub public_url: url::Url,
    /// Proxies whose `X-Forwarded-For` is believed (`AUTHNODE_TRUSTED_PROXIES`).
    pub trusted_proxies: Vec<IpNet>,
    /// Log format (`AUTHNODE_LOG_FORMAT`).
    pub log_format: LogFormat,
    /// Whether the auth endpoints are rate limited (`AUTHNODE_RATE_LIMITS`, default on; off only
    /// for benchmarks behind a trusted load generator).
    pub rate_limits: bool,
    /// When set, `/metrics` answers only requests bearing this token (`AUTHNODE_METRICS_TOKEN[_FILE]`).
    pub metrics_token: Option<zeroize::Zeroizing<String>>,
    /// When set, `/metrics` is served on this address only, not beside the API (`AUTHNODE_METRICS_LISTEN`).
    pub metrics_listen: Option<SocketAddr>,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let database_url = match url::Url::parse(&self.database_url) {
            Ok(mut u) => {
                if u.password().is_some() {
                    let _ = u.set_password(Some("redacted"));
                }
                if u.query().is_some_and(|q| q.to_ascii_lowercase().contains("pass")) {
                    u.set_query(Some("redacted"));
                }
                u.to_string()
            }
            Err(_) => "(unparsable)".to_owned(),
        };
        f.debug_struct("Config")
            .field("listen", &self.listen)
            .field("data_dir", &self.data_dir)
            .field("database_url", &database_url)
            .field("db_max_connections", &self.db_max_connections)
            .field("master_key", &self.master_key.as_ref().map(|_| "redacted"))
            .field("public_url", &self.public_url.as_str())
            .field("trusted_proxies", &self.trusted_proxies)
            .field("log_format", &self.log_format)
            .field("metrics_token", &self.metrics_token.as_ref().map(|_| "redacted"))
            .field("metrics_listen", &self.metrics_listen)
            .field("rate_limits", &self.rate_limits)
            .finish()
    }
}

/// A configuration problem, naming the variable.
#[derive(Debug, thiserror::Error)]
#[error("{var}: {message}")]
pub struct ConfigError {
    /// The environment variable.
    pub var: &'static str,
    /// What is wrong.
    pub message: String,
}

fn err(var: &'static str, message: impl Into<String>) -> ConfigError {
    ConfigError { var, message: message.into() }
}

/// Reads `var`, or the file named by `var_FILE` (trailing newline trimmed). Setting both is an error.
fn secret(get: &impl Fn(&str) -> Option<String>, var: &'static str, file_var: &'static str) -> Result<Option<String>, ConfigError> {
    match (get(var).filter(|v| !v.is_empty()), get(file_var).filter(|v| !v.is_empty())) {
        (Some(_), Some(_)) => Err(err(var, format!("set either {var} or {file_var}, not both"))),
        (Some(v), None) => Ok(Some(v)),
        (None, Some(path)) => std::fs::read_to_string(&path)
            .map(|s| Some(s.trim_end_matches(['\n', '\r']).to_owned()))
            .map_err(|e| err(file_var, format!("cannot read {path}: {e}"))),
        (None, None) => Ok(None),
    }
}

impl Config {
    /// Loads from the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|k| std::env::var(k).ok())
    }

    /// Loads from any variable lookup (tests pass a map).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let listen_text = get("AUTHNODE_LISTEN").unwrap_or_else(|| "127.0.0.1:8080".into());
        let listen = listen_text.parse().map_err(|_| err("AUTHNODE_LISTEN", format!("{listen_text:?} is not an address like 127.0.0.1:8080")))?;
        let data_dir = PathBuf::from(get("AUTHNODE_DATA_DIR").unwrap_or_else(|| "./data".into()));
        let database_url = match secret(&get, "DATABASE_URL", "DATABASE_URL_FILE")? {
            Some(u) => u,
            None => format!("sqlite://{}", data_dir.join("authnode.db").display()),
        };
        if !(database_url.starts_with("sqlite:") || database_url.starts_with("postgres://") || database_url.starts_with("postgresql://")) {
            return Err(err("DATABASE_URL", "must start with sqlite:, postgres:// or postgresql://"));
        }
        let db_max_connections = match get("AUTHNODE_DB_MAX_CONNECTIONS") {
            None => 16,
            Some(v) => {
                v.parse().ok().filter(|n| (1..=1000).contains(n)).ok_or_else(|| err("AUTHNODE_DB_MAX_CONNECTIONS", "must be a number 1–1000"))?
            }
        };
        let master_key = secret(&get, "AUTHNODE_MASTER_KEY", "AUTHNODE_MASTER_KEY_FILE")?.map(zeroize::Zeroizing::new);
        if let Some(k) = &master_key {
            crate::crypto::MasterKey::from_base64(k).map_err(|e| err("AUTHNODE_MASTER_KEY", e.to_string()))?;
        }
        // On a loopback address the default origin names `localhost`: browsers refuse IP
        // addresses as passkey relying parties, and treat localhost as a secure context.
        let public_text = get("AUTHNODE_PUBLIC_URL").unwrap_or_else(|| match listen {
            SocketAddr::V4(a) if a.ip().is_loopback() => format!("http://localhost:{}", a.port()),
            SocketAddr::V6(a) if a.ip().is_loopback() => format!("http://localhost:{}", a.port()),
            other => format!("http://{other}"),
        });
        let public_url = url::Url::parse(&public_text)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
            .ok_or_else(|| err("AUTHNODE_PUBLIC_URL", format!("{public_text:?} is not an http(s) origin like https://vault.example.com")))?;
        let trusted_proxies = get("AUTHNODE_TRUSTED_PROXIES")
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                s.parse::<IpNet>()
                    .or_else(|_| s.parse::<std::net::IpAddr>().map(IpNet::from))
                    .map_err(|_| err("AUTHNODE_TRUSTED_PROXIES", format!("{s:?} is not an IP address or CIDR range")))
            })
            .collect::<Result<_, _>>()?;
        let log_format = match get("AUTHNODE_LOG_FORMAT").as_deref() {
            None | Some("text") => LogFormat::Text,
            Some("json") => LogFormat::Json,
            Some(other) => return Err(err("AUTHNODE_LOG_FORMAT", format!("{other:?} must be text or json"))),
        };
        let rate_limits = match get("AUTHNODE_RATE_LIMITS").as_deref() {
            None | Some("on") => true,
            Some("off") => false,
            Some(other) => return Err(err("AUTHNODE_RATE_LIMITS", format!("{other:?} must be on or off"))),
        };
        let metrics_token = secret(&get, "AUTHNODE_METRICS_TOKEN", "AUTHNODE_METRICS_TOKEN_FILE")?.map(zeroize::Zeroizing::new);
        if metrics_token.as_ref().is_some_and(|t| t.len() < 16 || !t.bytes().all(|b| b.is_ascii_graphic())) {
            return Err(err("AUTHNODE_METRICS_TOKEN", "must be at least 16 printable characters without spaces"));
        }
        let metrics_listen = match get("AUTHNODE_METRICS_LISTEN").filter(|v| !v.is_empty()) {
            None => None,
            Some(text) => {
                let addr: SocketAddr =
                    text.parse().map_err(|_| err("AUTHNODE_METRICS_LISTEN", format!("{text:?} is not an address like 127.0.0.1:9090")))?;
                if addr == listen {
                    return Err(err("AUTHNODE_METRICS_LISTEN", "must differ from AUTHNODE_LISTEN"));
                }
                Some(addr)
            }
        };
        Ok(Self {
            listen,
            data_dir,
            database_url,
            db_max_connections,
            master_key,
            public_url,
            trusted_proxies,
            log_format,
            rate_limits,
            metrics_token,
            metrics_listen,
        })
    }

    /// Whether the store is the embedded SQLite file.
    pub fn is_embedded(&self) -> bool {
        self.database_url.starts_with("sqlite:")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn load(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let m: HashMap<String, String> = pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        Config::from_lookup(|k| m.get(k).cloned())
    }

    #[test]
    fn defaults_are_embedded() {
        let c = load(&[]).unwrap();
        assert_eq!(c.listen.to_string(), "127.0.0.1:8080");
        assert!(c.is_embedded());
        assert_eq!(c.database_url, "sqlite://./data/authnode.db");
        assert_eq!(c.public_url.as_str(), "http://localhost:8080/", "passkeys need a host name");
    }

    #[test]
    fn errors_name_the_variable() {
        assert_eq!(load(&[("AUTHNODE_LISTEN", "nope")]).unwrap_err().var, "AUTHNODE_LISTEN");
        assert_eq!(load(&[("DATABASE_URL", "mysql://x")]).unwrap_err().var, "DATABASE_URL");
        assert_eq!(load(&[("AUTHNODE_MASTER_KEY", "short")]).unwrap_err().var, "AUTHNODE_MASTER_KEY");
        assert_eq!(load(&[("AUTHNODE_LOG_FORMAT", "xml")]).unwrap_err().var, "AUTHNODE_LOG_FORMAT");
        assert_eq!(load(&[("AUTHNODE_TRUSTED_PROXIES", "10.0.0.0/8, bogus")]).unwrap_err().var, "AUTHNODE_TRUSTED_PROXIES");
        assert_eq!(load(&[("AUTHNODE_PUBLIC_URL", "ftp://x")]).unwrap_err().var, "AUTHNODE_PUBLIC_URL");
        assert_eq!(load(&[("AUTHNODE_MASTER_KEY", "a"), ("AUTHNODE_MASTER_KEY_FILE", "/x")]).unwrap_err().var, "AUTHNODE_MASTER_KEY");
        assert_eq!(load(&[("AUTHNODE_METRICS_TOKEN", "too short")]).unwrap_err().var, "AUTHNODE_METRICS_TOKEN");
        assert_eq!(load(&[("AUTHNODE_METRICS_LISTEN", "nope")]).unwrap_err().var, "AUTHNODE_METRICS_LISTEN");
        assert_eq!(load(&[("AUTHNODE_METRICS_LISTEN", "127.0.0.1:8080")]).unwrap_err().var, "AUTHNODE_METRICS_LISTEN", "not the API's own address");
    }

    #[test]
    fn metrics_exposure_is_configurable_and_the_token_is_never_printed() {
        let c = load(&[("AUTHNODE_METRICS_TOKEN", "0123456789abcdef-token"), ("AUTHNODE_METRICS_LISTEN", "127.0.0.1:9090")]).unwrap();
        assert_eq!(c.metrics_listen.map(|a| a.to_string()).as_deref(), Some("127.0.0.1:9090"));
        assert_eq!(c.metrics_token.as_deref().map(String::as_str), Some("0123456789abcdef-token"));
        assert!(!format!("{c:?}").contains("0123456789abcdef-token"));
    }

    #[test]
    fn debug_output_hides_secrets() {
        let key = "c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0MTI=";
        let c = load(&[("AUTHNODE_MASTER_KEY", key), ("DATABASE_URL", "postgres://u:hunter2@db/x")]).unwrap();
        let shown = format!("{c:?}");
        assert!(!shown.contains(key) && !shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("redacted") && shown.contains("postgres://u:redacted@db/x"), "{shown}");
        let c = load(&[("DATABASE_URL", "postgres://db/x?user=u&password=hunter2")]).unwrap();
        assert!(!format!("{c:?}").contains("hunter2"));
    }

    #[test]
    fn secrets_come_from_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("key");
        std::fs::write(&path, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n").unwrap();
        let c = load(&[("AUTHNODE_MASTER_KEY_FILE", path.to_str().unwrap())]).unwrap();
        assert_eq!(c.master_key.as_deref().map(String::as_str), Some("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="));
        let c = load(&[("AUTHNODE_TRUSTED_PROXIES", "10.0.0.0/8, ::1")]).unwrap();
        assert_eq!(c.trusted_proxies.len(), 2);
    }
}
