//! `/settings/profile`: the signed-in person's name, language, theme and contact details.

use crate::http::{CurrentUser, FormContext, HttpError};
use axum::{Form, response::Response};
use domain::accounts::{self, ProfileChange};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct ProfileForm {
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    locale: String,
    #[serde(default)]
    theme: String,
    #[serde(default)]
    company_name: String,
    #[serde(default)]
    region: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    bio: String,
}

pub async fn profile(
    ctx: FormContext,
    CurrentUser(user): CurrentUser,
    Form(form): Form<ProfileForm>,
) -> Response {
    let fields = [
        ("display_name", form.display_name.as_str()),
        ("locale", form.locale.as_str()),
        ("theme", form.theme.as_str()),
        ("company_name", form.company_name.as_str()),
        ("region", form.region.as_str()),
        ("phone", form.phone.as_str()),
        ("bio", form.bio.as_str()),
    ];
    let change = ProfileChange {
        display_name: form.display_name.clone(),
        locale: form.locale.clone(),
        theme: form.theme.clone(),
        company_name: form.company_name.clone(),
        region: form.region.clone(),
        phone: form.phone.clone(),
        bio: form.bio.clone(),
    };
    match accounts::update_profile(&ctx.state, &user.id, change, Some(&ctx.client.ip)).await {
        Ok(updated) => {
            // Show the profile in the language just chosen.
            let locale = app::i18n::Locale::from_tag(&updated.locale).unwrap_or_default();
            ctx.done(
                &locale.path("/settings/profile"),
                "auth-notice-profile-saved",
            )
            .await
        }
        Err(e) => ctx.refuse("profile", HttpError::domain(e), &fields).await,
    }
}
