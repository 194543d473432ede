//! A real `authnode` HTTP server on a test store, and a small client for it.

use std::sync::Arc;

use authnode::app::App;
use authnode::crypto::MasterKey;
use reqwest::StatusCode;
use serde_json::{Value, json};

use super::TestStore;

/// A server on 127.0.0.1 (a free port) and a client for it.
pub struct Server {
    pub base: String,
    pub http: reqwest::Client,
    pub app: Arc<App>,
}

impl Server {
    pub async fn start(store: &TestStore) -> Self {
        Self::start_with_clock(store, std::sync::Arc::new(chrono::Utc::now)).await
    }

    /// A server whose OTP codes are computed at `clock`'s time.
    pub async fn start_with_clock(store: &TestStore, clock: authnode::app::env::Clock) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        // Passkeys need a host name as relying party: the server is `localhost` to them.
        let public_url = url::Url::parse(&format!("http://localhost:{}", addr.port())).unwrap();
        let options = authnode::app::Options { env: authnode::app::env::Env { clock, ..Default::default() }, public_url, ..Default::default() };
        let app = App::build(store.db().await, MasterKey::generate(), options).await.unwrap();
        Self::serve(app, listener)
    }

    /// Serves `app` (built by the test, e.g. with a master key it keeps) on `listener`.
    pub fn serve(app: Arc<App>, listener: tokio::net::TcpListener) -> Self {
        let addr = listener.local_addr().unwrap();
        let base = format!("http://{addr}");
        let url = base.clone();
        let config = authnode::config::Config::from_lookup(|k| match k {
            "AUTHNODE_PUBLIC_URL" => Some(url.clone()),
            _ => None,
        })
        .unwrap();
        let router = authnode::http::router::router(authnode::http::state::ApiState::new(app.clone(), config));
        tokio::spawn(async move {
            axum::serve(listener, router.into_make_service_with_connect_info::<std::net::SocketAddr>()).await.unwrap();
        });
        Self { base, http: reqwest::Client::new(), app }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}/api/v1{path}", self.base)
    }

    pub async fn call(&self, method: reqwest::Method, path: &str, token: Option<&str>, body: Option<Value>) -> (StatusCode, Value) {
        let mut req = self.http.request(method, self.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let res = req.send().await.unwrap();
        let status = res.status();
        let text = res.text().await.unwrap();
        (status, if text.is_empty() { Value::Null } else { serde_json::from_str(&text).unwrap_or(Value::String(text)) })
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> (StatusCode, Value) {
        self.call(reqwest::Method::POST, path, token, Some(body)).await
    }

    /// Where browsers reach this server: its passkeys' relying party and only origin.
    pub fn public_url(&self) -> url::Url {
        self.app.options.public_url.clone()
    }

    pub async fn get(&self, path: &str, token: &str) -> (StatusCode, Value) {
        self.call(reqwest::Method::GET, path, Some(token), None).await
    }

    pub async fn register(&self, name: &str) -> (StatusCode, Value) {
        self.post("/auth/register", None, json!({ "email": format!("{name}@example.com"), "username": name, "password": "correct horse battery" }))
            .await
    }

    /// Logs in; returns (access token, refresh token, session id).
    pub async fn login(&self, name: &str) -> (String, String, String) {
        let (s, b) = self.post("/auth/login", None, json!({ "login": name, "password": "correct horse battery" })).await;
        assert_eq!(s, StatusCode::OK, "{b}");
        (b["access_token"].as_str().unwrap().into(), b["refresh_token"].as_str().unwrap().into(), b["session_id"].as_str().unwrap().into())
    }

    pub async fn open_signup(&self) {
        let policy = aggregates::settings::SignupPolicy { mode: aggregates::settings::SignupMode::Open, allowed_domains: vec![] };
        let cmd = aggregates::SettingsCommand::ChangeSignupPolicy(policy);
        self.app.execute(&self.app.settings, aggregates::settings::SETTINGS_ID, cmd, &aggregates::RequestMetadata::cli()).await.unwrap();
    }
}

pub fn code(body: &Value) -> &str {
    body["error"]["code"].as_str().unwrap_or("<no error code>")
}
