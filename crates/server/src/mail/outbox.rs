//! The outbox folder: every email becomes an `<id>.eml` file, every SMS an `sms-<id>.txt`.
//! Watchers (the desktop's local inbox, tests) learn of each delivery through `subscribe`
//! instead of polling the folder. Files are written aside and renamed into place (lettre's
//! file transport writes in place: a test reading the folder under load once met half a
//! message).

use super::mime;
use lanyard_core::mail::{BoxFuture, MailError, Mailer, Message};
use lettre::message::Mailbox;
use std::path::PathBuf;
use tokio::sync::watch;

pub struct Outbox {
    dir: PathBuf,
    from: Mailbox,
    delivered: watch::Sender<u64>,
}

impl Outbox {
    pub fn new(dir: PathBuf, from: Mailbox) -> std::io::Result<Outbox> {
        std::fs::create_dir_all(&dir)?;
        Ok(Outbox {
            dir,
            from,
            delivered: watch::channel(0).0,
        })
    }

    /// Counts deliveries; changes after each file is complete on disk.
    pub fn subscribe(&self) -> watch::Receiver<u64> {
        self.delivered.subscribe()
    }

    async fn deliver(&self, message: Message) -> Result<(), MailError> {
        let id = uuid::Uuid::new_v4();
        match message {
            Message::Email(email) => {
                let mime = mime(&self.from, &email)?;
                self.write(&format!("{id}.eml"), mime.formatted())
                    .await
                    .map_err(|e| MailError::new("writing a mail to the outbox", e))?;
            }
            Message::Sms(sms) => {
                let text = format!("To: {}\n\n{}\n", sms.to, sms.text);
                self.write(&format!("sms-{id}.txt"), text.into_bytes())
                    .await
                    .map_err(|e| MailError::new("writing an SMS to the outbox", e))?;
            }
        }
        self.delivered.send_modify(|count| *count += 1);
        Ok(())
    }

    /// Writes `name` aside and renames it into place, so a reader of the folder never sees
    /// half a message.
    async fn write(&self, name: &str, bytes: Vec<u8>) -> std::io::Result<()> {
        let partial = self.dir.join(format!(".{name}.partial"));
        tokio::fs::write(&partial, bytes).await?;
        tokio::fs::rename(&partial, self.dir.join(name)).await
    }
}

impl Mailer for Outbox {
    fn send(&self, message: Message) -> BoxFuture<'_, Result<(), MailError>> {
        Box::pin(self.deliver(message))
    }
}
