//! The server's outbox folder read in delivery order, waiting for a message when it has not
//! arrived yet (mail is sent after the server answers, so a test must not look only once).

use crate::mail::Mail;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;
use tokio::sync::watch;

/// How long a test waits for a message before it fails.
const PATIENCE: Duration = Duration::from_secs(10);

pub struct Outbox {
    dir: PathBuf,
    /// Counts deliveries; changes after each file is complete on disk.
    deliveries: watch::Receiver<u64>,
    read: Mutex<HashSet<PathBuf>>,
}

impl Outbox {
    pub fn new(dir: PathBuf, deliveries: watch::Receiver<u64>) -> Outbox {
        Outbox {
            dir,
            deliveries,
            read: Mutex::new(HashSet::new()),
        }
    }

    /// The outbox of servers in other processes, which cannot say when they deliver: it
    /// looks again every 50 ms. (Needs a Tokio runtime; the ticking ends with the outbox.)
    pub fn polled(dir: PathBuf) -> Outbox {
        let (tick, deliveries) = watch::channel(0u64);
        tokio::spawn(async move {
            for n in 1.. {
                tokio::time::sleep(Duration::from_millis(50)).await;
                if tick.send(n).is_err() {
                    break;
                }
            }
        });
        Outbox::new(dir, deliveries)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The next unread message to `recipient`, waiting for its delivery if need be.
    pub async fn next_to(&self, recipient: &str) -> Mail {
        let mut deliveries = self.deliveries.clone();
        let deadline = tokio::time::Instant::now() + PATIENCE;
        loop {
            deliveries.borrow_and_update();
            if let Some(mail) = self.take_unread(recipient) {
                return mail;
            }
            tokio::time::timeout_at(deadline, deliveries.changed())
                .await
                .unwrap_or_else(|_| panic!("no mail to {recipient} arrived"))
                .expect("the server is running");
        }
    }

    /// Whether an unread message to `recipient` is in the outbox now.
    pub fn has_unread_to(&self, recipient: &str) -> bool {
        let read = self.read.lock().unwrap();
        self.messages()
            .iter()
            .any(|(path, mail)| !read.contains(path) && mail.to == recipient)
    }

    fn take_unread(&self, recipient: &str) -> Option<Mail> {
        let mut read = self.read.lock().unwrap();
        let (path, mail) = self
            .messages()
            .into_iter()
            .find(|(path, mail)| !read.contains(path) && mail.to == recipient)?;
        read.insert(path);
        Some(mail)
    }

    /// Every message in the outbox, oldest first.
    fn messages(&self) -> Vec<(PathBuf, Mail)> {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return Vec::new();
        };
        let mut files: Vec<_> = entries
            .flatten()
            .filter(|entry| {
                let name = entry.file_name().to_string_lossy().into_owned();
                name.ends_with(".eml") || (name.starts_with("sms-") && name.ends_with(".txt"))
            })
            .map(|entry| {
                let modified = entry.metadata().and_then(|m| m.modified()).ok();
                (modified, entry.path())
            })
            .collect();
        files.sort();
        files
            .into_iter()
            .filter_map(|(_, path)| {
                let bytes = std::fs::read(&path).ok()?;
                let mail = if path.extension().is_some_and(|e| e == "eml") {
                    Mail::from_eml(&bytes)
                } else {
                    Mail::from_sms(&bytes)
                };
                Some((path, mail))
            })
            .collect()
    }
}
