//! What Lanyard sends, and the port that sends it. The texts live here, once; the server's
//! adapters (SMTP, the outbox folder) only deliver.

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
    pub fn verify_email(to: Email, link: &str) -> Message {
        email(
            to,
            "Confirm your email for Lanyard",
            "Someone registered a Lanyard profile with this address. If it was you, open the link \
             and confirm to finish setting it up.",
            "Confirm my email",
            link,
            "If it was not you, do not confirm: open the link and choose \"No, it was not me\", \
             or ignore this message.",
        )
    }

    pub fn verify_phone(to: Phone, code: &str) -> Message {
        Message::Sms(SmsMessage {
            to,
            text: format!("Your Lanyard code is {code}. It expires in 15 minutes."),
        })
    }

    pub fn password_reset(to: Email, link: &str) -> Message {
        email(
            to,
            "Reset your Lanyard password",
            "Someone asked to reset the password of the Lanyard profile that signs in with this address. The link works once, for one hour.",
            "Choose a new password",
            link,
            "If it was not you, ignore this message: your password stays as it is.",
        )
    }

    pub fn confirm_new_email(to: Email, link: &str) -> Message {
        email(
            to,
            "Confirm your new Lanyard login",
            "Follow the link to make this address the login of your Lanyard profile. The link works once, for one day.",
            "Use this address to sign in",
            link,
            "If you did not ask for this, ignore this message: nothing changes.",
        )
    }

    pub fn invitation(to: Email, account_name: &str, address: &str, link: &str) -> Message {
        email(
            to,
            &format!("You are invited to {account_name} on Lanyard"),
            &format!(
                "You are invited to join {account_name} ({address}) on Lanyard. Accept with any Lanyard profile: \
                 sign in or register, then follow the link. The link works for 30 days."
            ),
            "Accept the invitation",
            link,
            "If you do not know this company, ignore this message.",
        )
    }

    pub fn login_changed(to: Email, new_email: &Email) -> Message {
        let text = format!(
            "The login of your Lanyard profile is now {new_email}. This address no longer signs in.\n\nIf you did not do this, reset your password from the sign-in page at once."
        );
        Message::Email(EmailMessage {
            to,
            subject: "Your Lanyard login has changed".into(),
            html: format!("<p>{}</p>", html_escape(&text).replace("\n\n", "</p><p>")),
            text,
        })
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
    pub fn security_notice(to: Email, event: &SecurityEvent, when: &str, device: &str) -> Message {
        let (subject, what, undo) = match event {
            SecurityEvent::IdentityLinked { provider } => (
                "A new way to sign in to your Lanyard profile",
                format!("Your {provider} identity was connected to your Lanyard profile; it signs in to it from now on."),
                "If this was not you, disconnect it on your profile page and reset your password from the sign-in page: the reset signs out every session and ends every pending change.",
            ),
            SecurityEvent::PasswordReset => (
                "Your Lanyard password was reset",
                "The password of your Lanyard profile was reset with a link mailed to you. Every session was signed out.".to_owned(),
                "If this was not you, reset it again from the sign-in page at once: that signs out every session again.",
            ),
            SecurityEvent::PasswordChanged => (
                "Your Lanyard password was changed",
                "The password of your Lanyard profile was changed. Every other session was signed out.".to_owned(),
                "If this was not you, reset your password from the sign-in page at once: that signs out every session and ends every pending change.",
            ),
        };
        let text = format!("{what}\n\nWhen: {when}\nDevice: {device}\n\n{undo}\n");
        Message::Email(EmailMessage {
            to,
            subject: subject.into(),
            html: format!(
                "<p>{}</p>",
                html_escape(&text)
                    .replace("\n\n", "</p><p>")
                    .replace('\n', "<br>")
            ),
            text,
        })
    }
}

/// A message with one call to action. Links are ASCII (the token is base64url), so the text
/// part stays 7-bit and the link is never broken by line folding.
fn email(to: Email, subject: &str, lead: &str, action: &str, link: &str, footer: &str) -> Message {
    let text = format!("{lead}\n\n{action}:\n{link}\n\n{footer}\n");
    let html = format!(
        "<!doctype html><html><body style=\"font-family:sans-serif\"><p>{}</p><p><a href=\"{}\">{}</a></p><p style=\"color:#666\">{}</p></body></html>",
        html_escape(lead),
        html_escape(link),
        html_escape(action),
        html_escape(footer)
    );
    Message::Email(EmailMessage {
        to,
        subject: subject.into(),
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
