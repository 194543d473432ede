//! The embedded store's master-key file and its rotation. Key files are written with mode 0600,
//! never overwritten and never deleted: a rotation stages the new key beside the old one before
//! the database changes, so a crash at any point leaves a key on disk that opens the data.

use std::path::{Path, PathBuf};

use crate::crypto::{CryptoError, Keyring, MasterKey};
use crate::db::Db;

/// Why a key file could not be read, written or rotated. The message names the file, never the key.
#[derive(Debug, thiserror::Error)]
pub enum KeyFileError {
    /// A file operation failed.
    #[error("{0}")]
    File(String),
    /// The database part of a rotation failed.
    #[error(transparent)]
    Crypto(#[from] CryptoError),
}

fn err(message: String) -> KeyFileError {
    KeyFileError::File(message)
}

/// Makes renames and new files in `dir` durable.
fn sync_dir(dir: &Path) -> Result<(), KeyFileError> {
    std::fs::File::open(dir).and_then(|d| d.sync_all()).map_err(|e| err(format!("cannot sync {}: {e}", dir.display())))
}

/// Writes a key file readable only by the owner; refuses to overwrite an existing file.
pub fn write_key_file(path: &Path, key: &MasterKey) -> Result<(), KeyFileError> {
    use std::io::Write;
    #[cfg(unix)]
    use std::os::unix::fs::OpenOptionsExt;
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    crate::db::create_private_dir(dir).map_err(|e| err(format!("cannot create {}: {e}", dir.display())))?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    options.mode(0o600);
    let mut file = options.open(path).map_err(|e| err(format!("cannot create {}: {e}", path.display())))?;
    file.write_all(key.to_base64().as_bytes())
        .and_then(|()| file.write_all(b"\n"))
        .and_then(|()| file.sync_all())
        .map_err(|e| err(format!("cannot write {}: {e}", path.display())))?;
    sync_dir(dir)
}

/// Reads a key file.
pub fn read_key(path: &Path) -> Result<MasterKey, KeyFileError> {
    let text = zeroize::Zeroizing::new(std::fs::read_to_string(path).map_err(|e| err(format!("cannot read {}: {e}", path.display())))?);
    MasterKey::from_base64(&text).map_err(|_| err(format!("{} does not hold a valid master key", path.display())))
}

fn stamp() -> String {
    chrono::Utc::now().format("%Y%m%dT%H%M%S%.6fZ").to_string()
}

fn paths(data_dir: &Path) -> (PathBuf, PathBuf) {
    (data_dir.join("master.key"), data_dir.join("master.key.new"))
}

/// Installs `master.key.new` as `master.key` (keeping the old file as `master.key.old-<time>`).
fn swap_in(data_dir: &Path) -> Result<PathBuf, KeyFileError> {
    let (current, staged) = paths(data_dir);
    let old = data_dir.join(format!("master.key.old-{}", stamp()));
    if current.exists() {
        std::fs::rename(&current, &old).map_err(|e| err(format!("cannot move {} aside: {e}", current.display())))?;
    }
    std::fs::rename(&staged, &current).map_err(|e| err(format!("cannot install {}: {e}", current.display())))?;
    sync_dir(data_dir)?;
    Ok(old)
}

/// If a rotation committed to the database but crashed before installing its key file, finish
/// it: returns the key now installed. Returns `None` when there is nothing to finish.
pub async fn finish_interrupted_rotation(data_dir: &Path, db: &Db) -> Result<Option<MasterKey>, KeyFileError> {
    let (_, staged) = paths(data_dir);
    if !staged.exists() {
        return Ok(None);
    }
    let key = read_key(&staged)?;
    if !Keyring::key_matches(db, &key).await? {
        return Ok(None);
    }
    let old = swap_in(data_dir)?;
    tracing::warn!(old = %old.display(), "finished an interrupted key rotation: master.key now holds the new key");
    Ok(Some(key))
}

/// What a rotation did.
#[derive(Debug)]
pub struct Rotation {
    /// Data keys re-wrapped.
    pub rewrapped: usize,
    /// Where the previous key file was kept (embedded mode).
    pub old_key_file: Option<PathBuf>,
}

/// Rotates the embedded store's key file: stage a new key, re-wrap in the database, install.
pub async fn rotate_embedded(data_dir: &Path, db: &Db) -> Result<Rotation, KeyFileError> {
    if let Some(_key) = finish_interrupted_rotation(data_dir, db).await? {
        return Ok(Rotation { rewrapped: 0, old_key_file: None });
    }
    let (current, staged) = paths(data_dir);
    if staged.exists() {
        // A rotation that never reached the database: keep its key file, out of the way.
        let aside = data_dir.join(format!("master.key.new.unused-{}", stamp()));
        std::fs::rename(&staged, &aside).map_err(|e| err(format!("cannot move {} aside: {e}", staged.display())))?;
    }
    let old = read_key(&current)?;
    let new = MasterKey::generate();
    write_key_file(&staged, &new)?;
    let rewrapped = Keyring::rotate(db, &old, &new).await?;
    let old_key_file = swap_in(data_dir)?;
    Ok(Rotation { rewrapped, old_key_file: Some(old_key_file) })
}
