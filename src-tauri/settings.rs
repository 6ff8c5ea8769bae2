//! The shell's own settings, in `settings.json` in the data folder (plain data, no secret):
//! whether closing the window leaves Lanyard running in the tray (on by default, as in the
//! apps people compare it with). Starting with the session is the system's own list.

use lanyard_client::desktop::app_file::{self, FileError};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError};

#[derive(Clone, Copy, Serialize, Deserialize)]
struct Saved {
    #[serde(default = "on")]
    keep_running: bool,
}

fn on() -> bool {
    true
}

impl Default for Saved {
    fn default() -> Saved {
        Saved { keep_running: on() }
    }
}

pub struct Settings {
    path: PathBuf,
    saved: Mutex<Saved>,
    /// Whether the tray icon exists: without one a hidden window could not come back.
    tray: AtomicBool,
}

impl Settings {
    /// The settings kept in `data_dir`; an unreadable file gives the defaults (and says so).
    pub fn open(data_dir: &Path) -> Settings {
        let path = data_dir.join("settings.json");
        let saved = app_file::read(&path).unwrap_or_else(|error| {
            tracing::warn!(%error, "the settings could not be read; the defaults apply");
            Saved::default()
        });
        Settings {
            path,
            saved: Mutex::new(saved),
            tray: AtomicBool::new(false),
        }
    }

    pub fn tray_made(&self) {
        self.tray.store(true, Ordering::Relaxed);
    }

    /// The person's choice, or None where there is no tray (the switch is not offered).
    pub fn keep_running(&self) -> Option<bool> {
        let saved = self.saved.lock().unwrap_or_else(PoisonError::into_inner);
        self.tray
            .load(Ordering::Relaxed)
            .then_some(saved.keep_running)
    }

    /// Whether closing the window hides it instead of quitting.
    pub fn keeps_running(&self) -> bool {
        self.keep_running() == Some(true)
    }

    /// Keeps the choice (written before it is taken: a failed write changes nothing).
    pub fn set_keep_running(&self, keep_running: bool) -> Result<(), FileError> {
        let mut saved = self.saved.lock().unwrap_or_else(PoisonError::into_inner);
        let next = Saved { keep_running };
        app_file::write(&self.path, &next)?;
        *saved = next;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keep_running_is_on_by_default_offered_only_with_a_tray_and_remembered() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let settings = Settings::open(dir.path());
        assert_eq!(settings.keep_running(), None, "no tray, no switch");
        assert!(!settings.keeps_running(), "without a tray, closing quits");
        settings.tray_made();
        assert_eq!(settings.keep_running(), Some(true));
        settings
            .set_keep_running(false)
            .unwrap_or_else(|e| panic!("{e}"));
        let again = Settings::open(dir.path());
        again.tray_made();
        assert_eq!(again.keep_running(), Some(false), "kept across a restart");
    }
}
