//! Signed updates (the Tauri updater plugin). The app asks a manifest (`LANYARD_UPDATE_URL`, or
//! the endpoints a release build was configured with; a self-built copy has none and never
//! asks), shows "Version X is available", downloads the package and checks its minisign
//! signature against the public key built into the app before keeping it, and installs it when
//! the person restarts. Where this copy cannot install a package of its own kind (a binary
//! that was not installed from a package), the verified download is saved to the Downloads
//! folder instead, for the person to install.

use crate::error::{AppCode, UiError};
use serde::Serialize;
use std::path::PathBuf;
use tauri::utils::config::BundleType;
use tauri::utils::platform::bundle_type;
use tauri::{AppHandle, Manager};
use tauri_plugin_updater::{Update, UpdaterExt};
use tokio::sync::Mutex;
use ts_rs::TS;
use url::Url;

/// An update the manifest announced.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct UpdateView {
    pub version: String,
    pub notes: Option<String>,
    /// Whether this copy installs it itself (else the download is saved for the person).
    pub installs: bool,
}

/// What became of a download: ready to install at the restart, or saved at `saved`.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export, rename = "Downloaded")]
pub enum Downloaded {
    Ready { version: String },
    Saved { version: String, saved: String },
}

/// The update found by the last check, and the verified package once downloaded.
#[derive(Default)]
pub struct Updates {
    found: Mutex<Option<Update>>,
    verified: Mutex<Option<(Update, Vec<u8>)>>,
}

fn failed(error: tauri_plugin_updater::Error) -> UiError {
    match error {
        tauri_plugin_updater::Error::Minisign(_)
        | tauri_plugin_updater::Error::Base64(_)
        | tauri_plugin_updater::Error::SignatureUtf8(_) => {
            UiError::new(AppCode::UpdateSignature, error.to_string())
        }
        other => UiError::new(AppCode::Update, other.to_string()),
    }
}

/// Whether this copy can install a package of its own kind: an installed .deb or .rpm, an
/// AppImage, the Windows installers, the macOS app. A binary run where it was built cannot.
fn installs_itself() -> bool {
    matches!(
        bundle_type(),
        Some(
            BundleType::Deb
                | BundleType::Rpm
                | BundleType::AppImage
                | BundleType::Msi
                | BundleType::Nsis
                | BundleType::App
        )
    )
}

/// The manifest asked, when one is configured.
fn manifest() -> Option<Url> {
    let url = std::env::var("LANYARD_UPDATE_URL").ok()?;
    Url::parse(&url)
        .inspect_err(|error| tracing::warn!(%error, "LANYARD_UPDATE_URL is not a URL"))
        .ok()
}

impl Updates {
    /// Asks the manifest; None when no update is configured or none is newer.
    pub async fn check(&self, app: &AppHandle) -> Result<Option<UpdateView>, UiError> {
        let mut builder = app.updater_builder();
        if let Some(url) = manifest() {
            builder = builder.endpoints(vec![url]).map_err(failed)?;
        }
        // Tests sign with a key of their own; only a debug build takes it from outside.
        if cfg!(debug_assertions)
            && let Ok(key) = std::env::var("LANYARD_UPDATE_PUBKEY")
        {
            builder = builder.pubkey(key);
        }
        let updater = match builder.build() {
            Ok(updater) => updater,
            Err(tauri_plugin_updater::Error::EmptyEndpoints) => return Ok(None),
            Err(error) => return Err(failed(error)),
        };
        let found = updater.check().await.map_err(failed)?;
        let view = found.as_ref().map(|update| UpdateView {
            version: update.version.clone(),
            notes: update.body.clone(),
            installs: installs_itself(),
        });
        *self.found.lock().await = found;
        Ok(view)
    }

    /// Downloads the update found and checks its signature; a package whose signature does not
    /// match is dropped (`update_signature`), nothing of it kept.
    pub async fn download(&self, app: &AppHandle) -> Result<Downloaded, UiError> {
        let update = self
            .found
            .lock()
            .await
            .clone()
            .ok_or_else(|| UiError::new(AppCode::Update, "No update was found to download."))?;
        let bytes = update.download(|_, _| {}, || {}).await.map_err(failed)?;
        let version = update.version.clone();
        if installs_itself() {
            *self.verified.lock().await = Some((update, bytes));
            return Ok(Downloaded::Ready { version });
        }
        let saved = save(app, &update, &bytes)?;
        Ok(Downloaded::Saved {
            version,
            saved: saved.display().to_string(),
        })
    }

    /// Installs the verified package and starts the new version. Where the system refuses
    /// the installation (a .deb or .rpm needs an administrator: pkexec or sudo), the package
    /// is saved for the person instead, and the error says where.
    pub async fn install_and_restart(&self, app: &AppHandle) -> Result<(), UiError> {
        let (update, bytes) = self.verified.lock().await.take().ok_or_else(|| {
            UiError::new(AppCode::Update, "No verified update waits to be installed.")
        })?;
        if let Err(error) = update.install(&bytes) {
            let saved = save(app, &update, &bytes)?;
            let why = format!("{error}; the package was saved as {}", saved.display());
            return Err(UiError::new(AppCode::Update, why));
        }
        app.restart()
    }
}

/// Saves a verified package in the Downloads folder (the system's, else `~/Downloads`) under
/// its own name.
fn save(app: &AppHandle, update: &Update, bytes: &[u8]) -> Result<PathBuf, UiError> {
    let storage = |error: &dyn std::fmt::Display| UiError::new(AppCode::Storage, error.to_string());
    let paths = app.path();
    let folder = match paths.download_dir() {
        Ok(folder) => folder,
        Err(_) => paths.home_dir().map_err(|e| storage(&e))?.join("Downloads"),
    };
    let name = update
        .download_url
        .path_segments()
        .and_then(|mut segments| segments.next_back())
        .filter(|name| !name.is_empty() && !name.starts_with('.'))
        .map_or_else(|| format!("Lanyard-{}", update.version), str::to_owned);
    std::fs::create_dir_all(&folder).map_err(|e| storage(&e))?;
    let path = folder.join(name);
    std::fs::write(&path, bytes).map_err(|e| storage(&e))?;
    Ok(path)
}
