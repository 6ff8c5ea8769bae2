//! The outbox folder: every email becomes an `.eml` file (lettre's file transport), every SMS
//! an `sms-<id>.txt`. Watchers (the desktop's local inbox, tests) learn of each delivery
//! through `subscribe` instead of polling the folder.

use super::mime;
use lanyard_core::mail::{BoxFuture, MailError, Mailer, Message};
use lettre::message::Mailbox;
use lettre::{AsyncFileTransport, AsyncTransport, Tokio1Executor};
use std::path::PathBuf;
use tokio::sync::watch;

pub struct Outbox {
    dir: PathBuf,
    from: Mailbox,
    files: AsyncFileTransport<Tokio1Executor>,
    delivered: watch::Sender<u64>,
}

impl Outbox {
    pub fn new(dir: PathBuf, from: Mailbox) -> std::io::Result<Outbox> {
        std::fs::create_dir_all(&dir)?;
        Ok(Outbox {
            files: AsyncFileTransport::new(&dir),
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
        match message {
            Message::Email(email) => {
                let mime = mime(&self.from, &email)?;
                self.files
                    .send(mime)
                    .await
                    .map_err(|e| MailError::new("writing a mail to the outbox", e))?;
            }
            Message::Sms(sms) => {
                let id = uuid::Uuid::new_v4();
                let text = format!("To: {}\n\n{}\n", sms.to, sms.text);
                // Written aside and renamed, so a reader never sees half a message.
                let partial = self.dir.join(format!(".sms-{id}.partial"));
                tokio::fs::write(&partial, text)
                    .await
                    .map_err(|e| MailError::new("writing an SMS to the outbox", e))?;
                tokio::fs::rename(&partial, self.dir.join(format!("sms-{id}.txt")))
                    .await
                    .map_err(|e| MailError::new("writing an SMS to the outbox", e))?;
            }
        }
        self.delivered.send_modify(|count| *count += 1);
        Ok(())
    }
}

impl Mailer for Outbox {
    fn send(&self, message: Message) -> BoxFuture<'_, Result<(), MailError>> {
        Box::pin(self.deliver(message))
    }
}
