//! The desktop's side of QR sign-in: a request shown as a crisp SVG QR code with its match
//! number, and what a wait for the phone came to. The QR code carries only `qr_url`; the
//! poll token stays here.

use crate::api::QrPolled;
use crate::api::Tokens;
use crate::{ApiError, Client};
use chrono::{DateTime, Utc};
use lanyard_core::Code;
use qrcode::QrCode;
use qrcode::render::svg;
use secrecy::SecretString;

/// A QR code on screen.
#[derive(Debug)]
pub struct Shown {
    pub id: String,
    /// The QR code of `qr_url`, as SVG.
    pub svg: String,
    /// The two-digit number the phone must pick.
    pub match_number: u8,
    /// When to show a new one.
    pub expires_at: DateTime<Utc>,
    poll_token: SecretString,
}

/// What waiting for the phone came to.
#[derive(Debug)]
pub enum Outcome {
    /// Nothing yet: wait again (or show a new code once this one expires).
    Pending,
    SignedIn(Box<Tokens>),
    /// Denied, cancelled by a wrong number, expired or used: show why, then a new code.
    Ended(String),
}

#[derive(Debug, thiserror::Error)]
pub enum QrError {
    #[error(transparent)]
    Api(#[from] ApiError),
    #[error("cannot draw the QR code: {0}")]
    Draw(String),
}

/// Draws `text` as an SVG QR code with a quiet zone, at least `size` pixels wide.
pub fn svg(text: &str, size: u32) -> Result<String, QrError> {
    let code = QrCode::new(text.as_bytes()).map_err(|e| QrError::Draw(e.to_string()))?;
    Ok(code
        .render::<svg::Color<'_>>()
        .min_dimensions(size, size)
        .quiet_zone(true)
        .build())
}

impl Client {
    /// Asks for a QR sign-in and draws it.
    pub async fn qr_show(
        &self,
        device_name: &str,
        platform: Option<&str>,
    ) -> Result<Shown, QrError> {
        let created = self.qr_create(device_name, platform).await?;
        Ok(Shown {
            svg: svg(&created.qr_url, 240)?,
            id: created.id,
            match_number: created.match_number,
            expires_at: created.expires_at,
            poll_token: created.poll_token,
        })
    }

    /// Waits up to `seconds` for the phone; a refusal the person should read is an outcome,
    /// not an error.
    pub async fn qr_wait(&self, shown: &Shown, seconds: u64) -> Result<Outcome, QrError> {
        match self.qr_poll(&shown.id, &shown.poll_token, seconds).await {
            Ok(QrPolled::Pending) => Ok(Outcome::Pending),
            Ok(QrPolled::SignedIn(tokens)) => Ok(Outcome::SignedIn(tokens)),
            Err(ApiError::Problem { problem, .. })
                if problem.known_code() == Some(Code::Expired) =>
            {
                Ok(Outcome::Ended(problem.detail))
            }
            Err(error) => Err(error.into()),
        }
    }
}
