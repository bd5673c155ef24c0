//! Support over HTTP: the support form (it works without JavaScript, screenshot included),
//! the confirmation of a visitor's ticket through its emailed link, and replies in a
//! thread — signed in from the settings, or through the thread's signed link. The pages
//! are the app's; these handlers take their posts and answer with a redirect
//! (post/redirect/get) or the page again with its error. The rules live in
//! `domain::support`.

mod open;
mod reply;

use crate::http::{HttpError, HttpState, LocalizedRoutes};
use axum::{Router, extract::DefaultBodyLimit, extract::Multipart, routing::post};
use domain::{
    images::ImageError,
    support::{SCREENSHOT_LIMITS, SupportError},
};

/// A form with a screenshot at its largest, and room for the text fields.
const MAX_FORM_BODY: usize = SCREENSHOT_LIMITS.max_bytes + 256 * 1024;

/// The forms' names in flash messages, as the pages show their errors.
const FORM: &str = "support";
const CONFIRM_FORM: &str = "support-confirm";
const REPLY_FORM: &str = "support-reply";

pub fn router(state: HttpState) -> Router {
    Router::new()
        .localized(
            "/support",
            post(open::submit).layer(DefaultBodyLimit::max(MAX_FORM_BODY)),
        )
        .localized("/support/confirm", post(open::confirm))
        .localized(
            "/support/tickets/{id}/reply",
            post(reply::by_link).layer(DefaultBodyLimit::max(MAX_FORM_BODY)),
        )
        .localized(
            "/settings/support/{id}/reply",
            post(reply::signed_in).layer(DefaultBodyLimit::max(MAX_FORM_BODY)),
        )
        .with_state(state)
}

/// What the support forms send, as multipart (the screenshot is a file).
#[derive(Default)]
struct SupportForm {
    topic: String,
    message: String,
    email: String,
    /// A thread link's token (replies without an account).
    token: String,
    turnstile: Option<String>,
    screenshot: Option<Vec<u8>>,
}

impl SupportForm {
    /// What the person typed, to fill the form again after a refusal.
    fn fields(&self) -> Vec<(&'static str, &str)> {
        vec![
            ("topic", self.topic.as_str()),
            ("message", self.message.as_str()),
            ("email", self.email.as_str()),
        ]
    }

    /// Reads the form into `self`, field by field, so what came before a refused file is
    /// kept for the page. Stops reading a screenshot past its size limit.
    async fn read(&mut self, mut multipart: Multipart) -> Result<(), HttpError> {
        let unreadable = || HttpError::domain(SupportError::Screenshot(ImageError::Corrupt));
        while let Some(mut field) = multipart.next_field().await.map_err(|_| unreadable())? {
            let name = field.name().unwrap_or_default().to_owned();
            if name == "screenshot" {
                let mut bytes = Vec::new();
                while let Some(chunk) = field.chunk().await.map_err(|_| unreadable())? {
                    if bytes.len() + chunk.len() > SCREENSHOT_LIMITS.max_bytes {
                        return Err(HttpError::domain(SupportError::Screenshot(
                            ImageError::TooLarge {
                                max_bytes: SCREENSHOT_LIMITS.max_bytes,
                            },
                        )));
                    }
                    bytes.extend_from_slice(&chunk);
                }
                self.screenshot = (!bytes.is_empty()).then_some(bytes);
                continue;
            }
            let text = field.text().await.map_err(|_| unreadable())?;
            match name.as_str() {
                "topic" => self.topic = text,
                "message" => self.message = text,
                "email" => self.email = text,
                "token" => self.token = text,
                "cf-turnstile-response" => self.turnstile = Some(text),
                _ => {}
            }
        }
        Ok(())
    }
}
