//! The two real mail adapters behind `lanyard_core::mail::Mailer`: SMTP (lettre) for
//! production, and the outbox folder (one `.eml` per mail, `sms-*.txt` per SMS) for the
//! desktop app's local inbox, development and tests.

pub mod outbox;
pub mod smtp;

use lanyard_core::mail::{EmailMessage, MailError};
use lettre::message::{Mailbox, MultiPart};

/// The MIME message for an email: plain text and HTML alternatives.
fn mime(from: &Mailbox, email: &EmailMessage) -> Result<lettre::Message, MailError> {
    let to: Mailbox = email
        .to
        .as_str()
        .parse()
        .map_err(|e| MailError::new("reading the recipient's address", e))?;
    lettre::Message::builder()
        .from(from.clone())
        .to(to)
        .subject(&email.subject)
        .multipart(MultiPart::alternative_plain_html(
            email.text.clone(),
            email.html.clone(),
        ))
        .map_err(|e| MailError::new("building the message", e))
}
