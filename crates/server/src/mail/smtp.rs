//! Email over SMTP (`--smtp-url smtp://user:pass@host:port`, or `smtps://` for TLS), through
//! lettre's pooled async transport. There is no SMS gateway behind it: an SMS cannot be
//! sent and says so.

use super::mime;
use lanyard_core::mail::{BoxFuture, MailError, Mailer, Message};
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

pub struct Smtp {
    from: Mailbox,
    transport: AsyncSmtpTransport<Tokio1Executor>,
}

impl Smtp {
    pub fn new(url: &str, from: Mailbox) -> Result<Smtp, MailError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| MailError::new("reading --smtp-url", e))?
            .build();
        Ok(Smtp { from, transport })
    }

    async fn deliver(&self, message: Message) -> Result<(), MailError> {
        match message {
            Message::Email(email) => {
                let mime = mime(&self.from, &email)?;
                self.transport
                    .send(mime)
                    .await
                    .map(|_| ())
                    .map_err(|e| MailError::new("sending through SMTP", e))
            }
            Message::Sms(_) => Err(MailError::new(
                "sending an SMS",
                "no SMS gateway is configured; use --mail-outbox to collect SMS texts",
            )),
        }
    }
}

impl Mailer for Smtp {
    fn send(&self, message: Message) -> BoxFuture<'_, Result<(), MailError>> {
        Box::pin(self.deliver(message))
    }
}
