//! Test harness: a fresh store on either backend (a temporary SQLite file, or a new database on
//! the PostgreSQL server at AUTHNODE_TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres).
#![allow(dead_code)]

pub mod http;

use std::sync::Arc;

use aggregates::RequestMetadata;
use aggregates::user::{RegistrationMethod, Role};
use authnode::app::{App, NewUser};
use authnode::crypto::MasterKey;
use authnode::db::{Backend, Db};
use sqlx::Connection;
use uuid::Uuid;

/// A throwaway store.
pub struct TestStore {
    pub backend: Backend,
    pub url: String,
    pub dir: tempfile::TempDir,
    pg_name: Option<String>,
}

pub fn admin_url() -> String {
    std::env::var("AUTHNODE_TEST_DATABASE_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

impl TestStore {
    pub async fn new(backend: Backend) -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        match backend {
            Backend::Sqlite => {
                let url = format!("sqlite://{}", dir.path().join("authnode.db").display());
                Self { backend, url, dir, pg_name: None }
            }
            Backend::Postgres => {
                let admin = admin_url();
                let name = format!("authnode_test_{}", Uuid::new_v4().simple());
                let mut conn = sqlx::PgConnection::connect(&admin).await.expect("PostgreSQL must be running for the store tests (see .ci/run)");
                sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut conn).await.expect("create test database");
                let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b).to_owned();
                Self { backend, url: format!("{base}/{name}"), dir, pg_name: Some(name) }
            }
        }
    }

    pub async fn db(&self) -> Db {
        let db = Db::connect(&self.url, 20).await.expect("connect");
        db.migrate().await.expect("migrate");
        db
    }

    pub async fn app(&self, key: &MasterKey) -> Arc<App> {
        App::with_db(self.db().await, key.clone()).await.expect("open app")
    }

    /// Drops the PostgreSQL database (the SQLite file goes with the temp dir).
    pub async fn cleanup(self) {
        if let Some(name) = &self.pg_name
            && let Ok(mut conn) = sqlx::PgConnection::connect(&admin_url()).await
        {
            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut conn).await;
        }
    }
}

pub fn meta(actor: Option<Uuid>) -> RequestMetadata {
    RequestMetadata {
        actor_id: actor.map(|a| a.to_string()),
        actor_kind: if actor.is_some() { "user".into() } else { "anonymous".into() },
        ip: Some("127.0.0.1".into()),
        user_agent: Some("store-tests/1.0".into()),
        request_id: Some(Uuid::new_v4().to_string()),
        session_id: None,
    }
}

/// A fixed argon2 PHC string: hashing is not what these tests are about.
pub const PHC: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQ$Y2hhbmdlbWVjaGFuZ2VtZWNoYW5nZW1lY2hhbmdlbWU";

/// A new password of 12 characters, hashed (the register path seals it).
pub fn hashed() -> authnode::app::credentials::Hashed {
    authnode::app::credentials::Hashed { phc: zeroize::Zeroizing::new(PHC.into()), length: 12 }
}

pub async fn register(app: &App, name: &str) -> Uuid {
    app.register_user(
        NewUser {
            email: &format!("{name}@example.com"),
            username: name,
            display_name: None,
            password: hashed(),
            role: Role::User,
            method: RegistrationMethod::AdminCreated,
        },
        &meta(None),
    )
    .await
    .expect("register")
}

/// Runs a suite function on both backends, one test per backend.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    let store = $crate::common::TestStore::new(authnode::db::Backend::Sqlite).await;
                    super::$name(&store).await;
                    store.cleanup().await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    let store = $crate::common::TestStore::new(authnode::db::Backend::Postgres).await;
                    super::$name(&store).await;
                    store.cleanup().await;
                }
            )*
        }
    };
}
