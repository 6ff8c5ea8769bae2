//! The local inbox: what the embedded server "sent" into its outbox folder, read the way a
//! mail program shows it, so a person can verify, reset and accept invitations with no mail
//! server at all. Emails are `.eml` files; SMS texts are `sms-*.txt`.

use std::path::Path;
use std::time::SystemTime;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    Email,
    Sms,
}

/// One message of the outbox.
#[derive(Debug, Clone)]
pub struct Message {
    /// The file name: stable, to open the message again.
    pub id: String,
    pub kind: Kind,
    pub to: String,
    pub subject: String,
    pub text: String,
    /// The links in the text, in order (verification, reset, invitation…).
    pub links: Vec<String>,
    pub received: SystemTime,
}

/// The outbox's messages, newest first. Files that are not (yet) complete messages are
/// skipped; a missing folder is an empty inbox.
pub fn list(outbox: &Path) -> std::io::Result<Vec<Message>> {
    let entries = match std::fs::read_dir(outbox) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut messages: Vec<Message> = entries
        .flatten()
        .filter_map(|entry| {
            let id = entry.file_name().to_string_lossy().into_owned();
            let received = entry.metadata().and_then(|m| m.modified()).ok()?;
            let bytes = std::fs::read(entry.path()).ok()?;
            if id.ends_with(".eml") {
                email(id, &bytes, received)
            } else if id.starts_with("sms-") && id.ends_with(".txt") {
                sms(id, &bytes, received)
            } else {
                None
            }
        })
        .collect();
    messages.sort_by(|a, b| b.received.cmp(&a.received).then_with(|| b.id.cmp(&a.id)));
    Ok(messages)
}

fn email(id: String, bytes: &[u8], received: SystemTime) -> Option<Message> {
    let parsed = mail_parser::MessageParser::default().parse(bytes)?;
    let text = parsed.body_text(0)?.into_owned();
    Some(Message {
        id,
        kind: Kind::Email,
        to: parsed.to()?.first()?.address()?.to_owned(),
        subject: parsed.subject().unwrap_or_default().to_owned(),
        links: links(&text),
        text,
        received,
    })
}

fn sms(id: String, bytes: &[u8], received: SystemTime) -> Option<Message> {
    let content = std::str::from_utf8(bytes).ok()?;
    let (head, text) = content.split_once("\n\n")?;
    Some(Message {
        id,
        kind: Kind::Sms,
        to: head.strip_prefix("To: ")?.trim().to_owned(),
        subject: "SMS".to_owned(),
        links: links(text),
        text: text.trim_end().to_owned(),
        received,
    })
}

fn links(text: &str) -> Vec<String> {
    text.split_whitespace()
        .filter(|word| word.starts_with("http://") || word.starts_with("https://"))
        .map(str::to_owned)
        .collect()
}
