//! The app's plain data files (never a secret): read as JSON, written whole and atomically.

use serde::Serialize;
use serde::de::DeserializeOwned;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("cannot read {path}: {message}")]
    Read { path: PathBuf, message: String },
    #[error("cannot save {path}: {message}")]
    Write { path: PathBuf, message: String },
}

/// The file's value, or the default when there is no file yet.
pub fn read<T: DeserializeOwned + Default>(path: &Path) -> Result<T, FileError> {
    let failed = |e: &dyn std::fmt::Display| FileError::Read {
        path: path.to_owned(),
        message: e.to_string(),
    };
    match std::fs::read(path) {
        Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| failed(&e)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(T::default()),
        Err(e) => Err(failed(&e)),
    }
}

/// Writes a temporary file beside `path` and renames it over: a crash leaves the old file or
/// the new one, never half of one.
pub fn write<T: Serialize + ?Sized>(path: &Path, value: &T) -> Result<(), FileError> {
    let failed = |e: &dyn std::fmt::Display| FileError::Write {
        path: path.to_owned(),
        message: e.to_string(),
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| failed(&e))?;
    let mut file = tempfile::NamedTempFile::new_in(dir).map_err(|e| failed(&e))?;
    let json = serde_json::to_vec_pretty(value).map_err(|e| failed(&e))?;
    file.write_all(&json).map_err(|e| failed(&e))?;
    file.as_file().sync_all().map_err(|e| failed(&e))?;
    file.persist(path).map_err(|e| failed(&e))?;
    Ok(())
}
