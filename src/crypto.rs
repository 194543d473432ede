//! Sealed secrets (SPEC §4): XChaCha20-Poly1305 under per-owner data keys (DEKs), each DEK
//! wrapped by the master key and kept in `data_keys`, outside the event stream. Deleting an
//! owner's DEK crypto-shreds everything sealed for them while the events stay verifiable
//! (they only ever held ciphertext). Rotating the master key re-wraps DEKs; no event changes.

use aggregates::Sealed;
use aggregates::common::SEALED_PREFIX;
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use chacha20poly1305::aead::{Aead, Generate, KeyInit, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use sqlx::Row;
use zeroize::Zeroizing;

use crate::db::{Backend, Db};

/// The owner id under which instance-wide secrets (SMTP password, OIDC client secret) are sealed.
pub const SYSTEM_OWNER: &str = "system";

/// The places a sealed value can belong to, named in one place. A context is part of the
/// associated data, so a ciphertext copied to another place fails to open; these strings are in
/// stored data and must never change.
pub mod context {
    /// An application's OTP secret.
    pub fn application_secret(application_id: &str) -> String {
        format!("application:{application_id}:secret")
    }

    /// An application's notes.
    pub fn application_notes(application_id: &str) -> String {
        format!("application:{application_id}:notes")
    }

    /// A user's authenticator-app secret (their own second factor).
    pub fn totp_secret(user_id: &str) -> String {
        format!("user:{user_id}:totp")
    }

    /// The server-side state of a WebAuthn ceremony in progress (sealed for the system).
    pub fn webauthn_ceremony(ceremony_id: &str) -> String {
        format!("webauthn:{ceremony_id}")
    }

    /// A user's password hash (argon2id PHC string).
    pub fn password_hash(user_id: &str) -> String {
        format!("user:{user_id}:password")
    }

    /// A user's recovery-code hashes.
    pub fn recovery_codes(user_id: &str) -> String {
        format!("user:{user_id}:recovery-codes")
    }
}

const NONCE_LEN: usize = 24;
const KCV_AAD: &[u8] = b"authnode:kcv:v1";
const KCV_PLAINTEXT: &[u8] = b"authnode key check value";

/// Errors of the crypto layer. Messages never contain key material or plaintext.
#[derive(Debug, thiserror::Error)]
pub enum CryptoError {
    /// The master key is not 32 bytes of base64.
    #[error("the master key must be 32 bytes encoded as base64 (e.g. `openssl rand -base64 32`)")]
    BadMasterKey,
    /// The master key does not match the data.
    #[error("the master key does not match this database (key check value mismatch); refusing to start")]
    WrongMasterKey,
    /// The owner's data key was destroyed (or never existed).
    #[error("the data key for this owner does not exist (deleted user: data is crypto-shredded)")]
    KeyDestroyed,
    /// Authentication of a ciphertext failed (tampered, wrong context or wrong key).
    #[error("sealed value could not be opened")]
    OpenFailed,
    /// A stored envelope is malformed.
    #[error("sealed value is malformed")]
    Malformed,
    /// The database failed.
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
}

/// The 256-bit master key (zeroed on drop).
#[derive(Clone)]
pub struct MasterKey(Zeroizing<[u8; 32]>);

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MasterKey(..)")
    }
}

impl MasterKey {
    /// Parses base64 (standard alphabet, padding optional, surrounding whitespace ignored).
    pub fn from_base64(text: &str) -> Result<Self, CryptoError> {
        let text = text.trim().trim_end_matches('=');
        let bytes = Zeroizing::new(base64::engine::general_purpose::STANDARD_NO_PAD.decode(text).map_err(|_| CryptoError::BadMasterKey)?);
        let arr: [u8; 32] = bytes.as_slice().try_into().map_err(|_| CryptoError::BadMasterKey)?;
        Ok(Self(Zeroizing::new(arr)))
    }

    /// A fresh random key.
    pub fn generate() -> Self {
        let key = Key::generate();
        Self(Zeroizing::new(key.into()))
    }

    /// Base64 text, for writing the generated key file.
    pub fn to_base64(&self) -> Zeroizing<String> {
        Zeroizing::new(B64.encode(self.0.as_slice()))
    }

    /// A 256-bit key for another purpose (e.g. token signing), derived with HMAC-SHA256 under a
    /// distinct label, so it changes with the master key and never exposes it.
    pub fn derive(&self, label: &str) -> Zeroizing<[u8; 32]> {
        use hmac::Mac;
        let mut mac = <hmac::Hmac<sha2::Sha256> as Mac>::new_from_slice(self.0.as_slice()).expect("HMAC accepts any key length");
        mac.update(b"authnode:derive:v1|");
        mac.update(label.as_bytes());
        Zeroizing::new(mac.finalize().into_bytes().into())
    }

    fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new(&Key::from(*self.0))
    }
}

/// Seals `msg` with a fresh random nonce; returns `v1:` + base64(nonce ‖ ciphertext ‖ tag).
fn seal_raw(cipher: &XChaCha20Poly1305, aad: &[u8], msg: &[u8]) -> String {
    let nonce = XNonce::generate();
    let ct = cipher.encrypt(&nonce, Payload { msg, aad }).expect("XChaCha20-Poly1305 encryption of an in-memory buffer cannot fail");
    let mut out = Vec::with_capacity(NONCE_LEN + ct.len());
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&ct);
    format!("{SEALED_PREFIX}{}", B64.encode(out))
}

fn open_raw(cipher: &XChaCha20Poly1305, aad: &[u8], envelope: &str) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
    let body = envelope.strip_prefix(SEALED_PREFIX).ok_or(CryptoError::Malformed)?;
    let raw = B64.decode(body).map_err(|_| CryptoError::Malformed)?;
    if raw.len() < NONCE_LEN + 16 {
        return Err(CryptoError::Malformed);
    }
    let (nonce, ct) = raw.split_at(NONCE_LEN);
    let nonce = XNonce::try_from(nonce).map_err(|_| CryptoError::Malformed)?;
    cipher.decrypt(&nonce, Payload { msg: ct, aad }).map(Zeroizing::new).map_err(|_| CryptoError::OpenFailed)
}

fn dek_aad(owner: &str) -> Vec<u8> {
    format!("authnode:dek:v1|{owner}").into_bytes()
}

/// Associated data binding a sealed value to its owner and place (e.g. `application:<id>:secret`),
/// so a ciphertext copied to another application, user or field fails to open.
fn value_aad(owner: &str, context: &str) -> Vec<u8> {
    format!("authnode:value:v1|{owner}|{context}").into_bytes()
}

/// Opens values sealed for one owner with their data key, looked up once.
pub struct Opener {
    owner: String,
    cipher: XChaCha20Poly1305,
}

impl Opener {
    /// Opens a value sealed at `context`.
    pub fn open(&self, context: &str, sealed: &Sealed) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
        open_raw(&self.cipher, &value_aad(&self.owner, context), sealed.as_str())
    }
}

/// Seals and opens values for owners, backed by the `data_keys` table.
#[derive(Clone, Debug)]
pub struct Keyring {
    db: Db,
    master: MasterKey,
    /// Unwrapped data keys for one second (shredding is seen here at once, elsewhere within 1 s).
    deks: std::sync::Arc<crate::cache::TtlCache<String, XChaCha20Poly1305>>,
}

impl Keyring {
    /// A derived key (see [`MasterKey::derive`]).
    pub fn derive(&self, label: &str) -> Zeroizing<[u8; 32]> {
        self.master.derive(label)
    }

    /// A keyring using `master` over `db`. Call [`Keyring::check_or_init`] before use.
    pub fn new(db: Db, master: MasterKey) -> Self {
        Self { db, master, deks: std::sync::Arc::new(crate::cache::TtlCache::new(std::time::Duration::from_secs(1))) }
    }

    /// Whether the database already holds a key check value (data was sealed under some key).
    pub async fn has_key_check(db: &Db) -> Result<bool, CryptoError> {
        Ok(sqlx::query("SELECT 1 FROM key_check WHERE id = 1").fetch_optional(&db.pool).await?.is_some())
    }

    /// Whether `key` opens the stored key check value (`false` on a fresh database too).
    pub async fn key_matches(db: &Db, key: &MasterKey) -> Result<bool, CryptoError> {
        let row = sqlx::query("SELECT kcv FROM key_check WHERE id = 1").fetch_optional(&db.pool).await?;
        Ok(match row {
            Some(row) => open_raw(&key.cipher(), KCV_AAD, &row.try_get::<String, _>(0)?).is_ok(),
            None => false,
        })
    }

    /// Verifies the master key against the stored key check value, or stores one on a fresh
    /// database (and creates the system data key).
    pub async fn check_or_init(&self) -> Result<(), CryptoError> {
        let row = sqlx::query("SELECT kcv FROM key_check WHERE id = 1").fetch_optional(&self.db.pool).await?;
        if let Some(row) = row {
            let kcv: String = row.try_get(0)?;
            open_raw(&self.master.cipher(), KCV_AAD, &kcv).map_err(|_| CryptoError::WrongMasterKey)?;
        } else {
            let kcv = seal_raw(&self.master.cipher(), KCV_AAD, KCV_PLAINTEXT);
            sqlx::query("INSERT INTO key_check (id, kcv, created_at) VALUES (1, $1, $2) ON CONFLICT (id) DO NOTHING")
                .bind(kcv)
                .bind(crate::store::events::now_text())
                .execute(&self.db.pool)
                .await?;
            // A concurrent first start may have won: verify whichever value is stored.
            return Box::pin(self.check_or_init_verify_only()).await;
        }
        self.create_data_key(SYSTEM_OWNER).await
    }

    async fn check_or_init_verify_only(&self) -> Result<(), CryptoError> {
        let kcv: String = sqlx::query("SELECT kcv FROM key_check WHERE id = 1").fetch_one(&self.db.pool).await?.try_get(0)?;
        open_raw(&self.master.cipher(), KCV_AAD, &kcv).map_err(|_| CryptoError::WrongMasterKey)?;
        self.create_data_key(SYSTEM_OWNER).await
    }

    /// Creates the owner's data key if it has none (idempotent, race-safe). The master key is
    /// checked against the key check value in the same transaction (which a rotation locks), so a
    /// process still holding a rotated-out key can never wrap a new data key with it.
    pub async fn create_data_key(&self, owner: &str) -> Result<(), CryptoError> {
        let dek = Zeroizing::new(<[u8; 32]>::from(Key::generate()));
        let wrapped = seal_raw(&self.master.cipher(), &dek_aad(owner), dek.as_slice());
        let mut tx = self.db.begin_write().await?;
        let lock = match self.db.backend {
            Backend::Postgres => "SELECT kcv FROM key_check WHERE id = 1 FOR SHARE",
            Backend::Sqlite => "SELECT kcv FROM key_check WHERE id = 1",
        };
        let kcv: String = sqlx::query(lock).fetch_one(&mut *tx).await?.try_get(0)?;
        open_raw(&self.master.cipher(), KCV_AAD, &kcv).map_err(|_| CryptoError::WrongMasterKey)?;
        sqlx::query("INSERT INTO data_keys (owner_id, wrapped, created_at) VALUES ($1, $2, $3) ON CONFLICT (owner_id) DO NOTHING")
            .bind(owner.to_owned())
            .bind(wrapped)
            .bind(crate::store::events::now_text())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn data_cipher(&self, owner: &str) -> Result<XChaCha20Poly1305, CryptoError> {
        if let Some(cipher) = self.deks.get(&owner.to_owned()) {
            return Ok(cipher);
        }
        let row = sqlx::query("SELECT wrapped FROM data_keys WHERE owner_id = $1").bind(owner.to_owned()).fetch_optional(&self.db.pool).await?;
        let wrapped: String = row.ok_or(CryptoError::KeyDestroyed)?.try_get(0)?;
        let dek = open_raw(&self.master.cipher(), &dek_aad(owner), &wrapped)?;
        let dek: [u8; 32] = dek.as_slice().try_into().map_err(|_| CryptoError::Malformed)?;
        let dek = Zeroizing::new(dek);
        let cipher = XChaCha20Poly1305::new(&Key::from(*dek));
        self.deks.put(owner.to_owned(), cipher.clone());
        Ok(cipher)
    }

    /// Drops a cached data key (after the owner was deleted).
    pub fn forget(&self, owner: &str) {
        self.deks.forget(|k, _| k == owner);
    }

    /// Seals `plaintext` for `owner` at `context`. Fails if the owner has no data key.
    pub async fn seal(&self, owner: &str, context: &str, plaintext: &[u8]) -> Result<Sealed, CryptoError> {
        let cipher = self.data_cipher(owner).await?;
        let envelope = seal_raw(&cipher, &value_aad(owner, context), plaintext);
        Sealed::new(envelope).ok_or(CryptoError::Malformed)
    }

    /// An opener for many values of one owner (one key lookup for a whole vault).
    pub async fn opener(&self, owner: &str) -> Result<Opener, CryptoError> {
        Ok(Opener { owner: owner.to_owned(), cipher: self.data_cipher(owner).await? })
    }

    /// Opens a value sealed for `owner` at `context`.
    pub async fn open(&self, owner: &str, context: &str, sealed: &Sealed) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
        let cipher = self.data_cipher(owner).await?;
        open_raw(&cipher, &value_aad(owner, context), sealed.as_str())
    }

    /// Destroys the owner's data key: everything sealed for them becomes unreadable for good.
    /// (Deleting a user does this inside the `UserDeleted` append; this is for cleaning up a key
    /// whose registration failed.)
    pub async fn shred(&self, owner: &str) -> Result<bool, CryptoError> {
        self.forget(owner);
        let r = sqlx::query("DELETE FROM data_keys WHERE owner_id = $1").bind(owner.to_owned()).execute(&self.db.pool).await?;
        Ok(r.rows_affected() > 0)
    }

    /// Re-wraps every data key and the key check value from `old` to `new` in one transaction.
    /// Returns how many data keys were re-wrapped. No event is touched.
    pub async fn rotate(db: &Db, old: &MasterKey, new: &MasterKey) -> Result<usize, CryptoError> {
        let mut tx = db.begin_write().await?;
        // Locking the key check row waits for data keys being created and holds off new ones
        // until the re-wrapped keys are committed.
        let lock = match db.backend {
            Backend::Postgres => "SELECT kcv FROM key_check WHERE id = 1 FOR UPDATE",
            Backend::Sqlite => "SELECT kcv FROM key_check WHERE id = 1",
        };
        let kcv: String = sqlx::query(lock).fetch_one(&mut *tx).await?.try_get(0)?;
        open_raw(&old.cipher(), KCV_AAD, &kcv).map_err(|_| CryptoError::WrongMasterKey)?;
        let rows = sqlx::query("SELECT owner_id, wrapped FROM data_keys ORDER BY owner_id").fetch_all(&mut *tx).await?;
        let (old_c, new_c) = (old.cipher(), new.cipher());
        for row in &rows {
            let owner: String = row.try_get(0)?;
            let wrapped: String = row.try_get(1)?;
            let dek = open_raw(&old_c, &dek_aad(&owner), &wrapped)?;
            let rewrapped = seal_raw(&new_c, &dek_aad(&owner), &dek);
            sqlx::query("UPDATE data_keys SET wrapped = $1 WHERE owner_id = $2").bind(rewrapped).bind(owner).execute(&mut *tx).await?;
        }
        let new_kcv = seal_raw(&new_c, KCV_AAD, KCV_PLAINTEXT);
        sqlx::query("UPDATE key_check SET kcv = $1 WHERE id = 1").bind(new_kcv).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(rows.len())
    }
}
