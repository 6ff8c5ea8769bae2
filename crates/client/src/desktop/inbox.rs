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

/// `text` with the value of every `token=` query parameter blanked, so what the web view
/// shows of a message opens nothing by itself: the shell follows the link (SPEC "Desktop
/// app" 4: no secret in the web view).
pub fn without_tokens(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("token=") {
        let (before, after) = rest.split_at(at + "token=".len());
        out.push_str(before);
        out.push('…');
        let end = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '%'))
            .unwrap_or(after.len());
        rest = &after[end..];
    }
    out.push_str(rest);
    out
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_blanked_and_the_rest_is_kept() {
        let text =
            "Confirm:\nhttp://127.0.0.1:9/verify-email?token=Ab-c_9%3D x\nAgain: /r?a=1&token=zz.";
        assert_eq!(
            without_tokens(text),
            "Confirm:\nhttp://127.0.0.1:9/verify-email?token=… x\nAgain: /r?a=1&token=…."
        );
        assert_eq!(without_tokens("no secrets here"), "no secrets here");
    }

    #[test]
    fn an_sms_file_is_its_recipient_then_a_blank_line_then_the_text() {
        let file = b"To: +447700900123\n\nYour Lanyard code is 123456.\nOr open http://127.0.0.1:8080/v?t=abc\n";
        let message = sms("sms-1.txt".into(), file, SystemTime::UNIX_EPOCH).unwrap();
        assert_eq!(message.kind, Kind::Sms);
        assert_eq!(message.to, "+447700900123");
        assert_eq!(
            message.text,
            "Your Lanyard code is 123456.\nOr open http://127.0.0.1:8080/v?t=abc"
        );
        assert_eq!(message.links, vec!["http://127.0.0.1:8080/v?t=abc"]);
    }

    #[test]
    fn a_file_without_a_recipient_is_not_yet_a_message() {
        assert!(
            sms(
                "sms-2.txt".into(),
                b"To: +447700900123\n",
                SystemTime::UNIX_EPOCH
            )
            .is_none()
        );
        assert!(sms("sms-3.txt".into(), b"Hello\n\ntext", SystemTime::UNIX_EPOCH).is_none());
    }

    #[test]
    fn links_are_the_http_words_in_order() {
        let text = "Verify: https://a.example/v?t=1 then\nhttp://b.example/x ftp://c.example";
        assert_eq!(
            links(text),
            vec!["https://a.example/v?t=1", "http://b.example/x"]
        );
    }
}
