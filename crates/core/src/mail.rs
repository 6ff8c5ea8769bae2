//! What Lanyard sends, and the port that sends it. The messages are put together here, once,
//! from the texts of `locales/*.ftl` in the reader's language; the server's adapters (SMTP,
//! the outbox folder) only deliver.

use crate::i18n::{self, Arg, Language, Text};
use crate::values::{Email, Phone};
use std::future::Future;
use std::pin::Pin;

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Delivers messages. Implementations: SMTP and the outbox folder, in the server.
pub trait Mailer: Send + Sync + 'static {
    fn send(&self, message: Message) -> BoxFuture<'_, Result<(), MailError>>;
}

/// A message that could not be delivered: what was being done, and the cause.
#[derive(Debug, thiserror::Error)]
#[error("mail delivery failed: {context}")]
pub struct MailError {
    pub context: &'static str,
    #[source]
    pub source: Box<dyn std::error::Error + Send + Sync>,
}

impl MailError {
    pub fn new(
        context: &'static str,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> MailError {
        MailError {
            context,
            source: source.into(),
        }
    }
}

#[derive(Debug, Clone)]
pub enum Message {
    Email(EmailMessage),
    Sms(SmsMessage),
}

#[derive(Debug, Clone)]
pub struct EmailMessage {
    pub to: Email,
    pub subject: String,
    pub text: String,
    pub html: String,
}

#[derive(Debug, Clone)]
pub struct SmsMessage {
    pub to: Phone,
    pub text: String,
}

impl Message {
    pub fn verify_email(to: Email, link: &str, language: Language) -> Message {
        email(to, "mail-verify", &[], link, language)
    }

    pub fn verify_phone(to: Phone, code: &str, language: Language) -> Message {
        Message::Sms(SmsMessage {
            to,
            text: Text::new("sms-code").with("code", code).render(language),
        })
    }

    pub fn password_reset(to: Email, link: &str, language: Language) -> Message {
        email(to, "mail-reset", &[], link, language)
    }

    pub fn confirm_new_email(to: Email, link: &str, language: Language) -> Message {
        email(to, "mail-confirm-email", &[], link, language)
    }

    pub fn invitation(
        to: Email,
        account_name: &str,
        address: &str,
        link: &str,
        language: Language,
    ) -> Message {
        let args = [
            ("account", Arg::from(account_name)),
            ("address", Arg::from(address)),
        ];
        email(to, "mail-invitation", &args, link, language)
    }

    pub fn login_changed(to: Email, new_email: &Email, language: Language) -> Message {
        let args = [("email", Arg::from(new_email.as_str()))];
        let part =
            |name: &str| i18n::message(language, &format!("mail-login-changed-{name}"), &args);
        notice(to, part("subject"), &[part("lead"), part("footer")])
    }
}

/// Something that happened to a profile's ways in, told to its login (SPEC "Sessions and
/// trust" 4) with a way to undo it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecurityEvent {
    /// An identity at a provider can now sign in to the profile.
    IdentityLinked {
        provider: String,
    },
    PasswordReset,
    PasswordChanged,
}

impl Message {
    /// Tells the profile's login what happened, when and from where, and how to undo it.
    pub fn security_notice(
        to: Email,
        event: &SecurityEvent,
        when: &str,
        device: &str,
        language: Language,
    ) -> Message {
        let (kind, args) = match event {
            SecurityEvent::IdentityLinked { provider } => (
                "mail-identity-linked",
                vec![("provider", Arg::from(provider.as_str()))],
            ),
            SecurityEvent::PasswordReset => ("mail-password-reset", vec![]),
            SecurityEvent::PasswordChanged => ("mail-password-changed", vec![]),
        };
        let part = |name: &str| i18n::message(language, &format!("{kind}-{name}"), &args);
        let when = Text::new("mail-notice-when").with("when", when);
        let device = Text::new("mail-notice-device").with("device", device);
        let context = format!("{}\n{}", when.render(language), device.render(language));
        notice(to, part("subject"), &[part("lead"), context, part("undo")])
    }
}

/// A message with one call to action: the `KIND-subject`, `-lead`, `-action` and `-footer`
/// messages. Links are ASCII (the token is base64url), so the link is never broken by line
/// folding.
fn email(
    to: Email,
    kind: &str,
    args: &[(&'static str, Arg)],
    link: &str,
    language: Language,
) -> Message {
    let part = |name: &str| i18n::message(language, &format!("{kind}-{name}"), args);
    let (lead, action, footer) = (part("lead"), part("action"), part("footer"));
    let text = format!("{lead}\n\n{action}:\n{link}\n\n{footer}\n");
    let html = format!(
        "<!doctype html><html lang=\"{language}\"><body style=\"font-family:sans-serif\"><p>{}</p><p><a href=\"{}\">{}</a></p><p style=\"color:#666\">{}</p></body></html>",
        html_escape(&lead),
        html_escape(link),
        html_escape(&action),
        html_escape(&footer)
    );
    Message::Email(EmailMessage {
        to,
        subject: part("subject"),
        text,
        html,
    })
}

/// A message that tells rather than asks: paragraphs, the lines of each kept.
fn notice(to: Email, subject: String, paragraphs: &[String]) -> Message {
    let text = paragraphs.join("\n\n") + "\n";
    let html = paragraphs
        .iter()
        .map(|paragraph| format!("<p>{}</p>", html_escape(paragraph).replace('\n', "<br>")))
        .collect::<String>();
    Message::Email(EmailMessage {
        to,
        subject,
        text,
        html,
    })
}

pub fn html_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}
