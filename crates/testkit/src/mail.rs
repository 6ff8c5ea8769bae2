//! Mail (and SMS) as the recipient reads it: the tests' one reader of the outbox's files.

use url::Url;

/// A mail or SMS, decoded as a mail program shows it.
#[derive(Debug, Clone)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub body: String,
    pub html: String,
}

impl Mail {
    /// An email file (`.eml`), MIME decoded.
    pub fn from_eml(bytes: &[u8]) -> Mail {
        let message = mail_parser::MessageParser::default()
            .parse(bytes)
            .expect("a MIME message");
        Mail {
            to: message
                .to()
                .and_then(|to| to.first())
                .and_then(|to| to.address())
                .unwrap_or_default()
                .to_owned(),
            subject: message.subject().unwrap_or_default().to_owned(),
            body: message.body_text(0).unwrap_or_default().into_owned(),
            html: message.body_html(0).unwrap_or_default().into_owned(),
        }
    }

    /// An SMS file: `To: <number>`, a blank line, the text.
    pub fn from_sms(bytes: &[u8]) -> Mail {
        let text = String::from_utf8_lossy(bytes);
        let (head, body) = text.split_once("\n\n").unwrap_or_default();
        Mail {
            to: head
                .strip_prefix("To: ")
                .unwrap_or_default()
                .trim()
                .to_owned(),
            subject: String::new(),
            body: body.to_owned(),
            html: String::new(),
        }
    }

    /// The first link in the mail.
    pub fn link(&self) -> Url {
        let start = self.body.find("http").expect("the mail has a link");
        let end = self.body[start..]
            .find(|c: char| c.is_whitespace() || c == '"' || c == '<')
            .map_or(self.body.len(), |n| start + n);
        Url::parse(&self.body[start..end]).expect("the link parses")
    }

    /// The `token` of the first link.
    pub fn token(&self) -> String {
        self.link()
            .query_pairs()
            .find(|(key, _)| key == "token")
            .map(|(_, value)| value.into_owned())
            .expect("the link carries a token")
    }

    /// The 6-digit code of an SMS.
    pub fn code(&self) -> String {
        self.body
            .split(|c: char| !c.is_ascii_digit())
            .find(|word| word.len() == 6)
            .expect("the SMS holds a 6-digit code")
            .to_owned()
    }
}
