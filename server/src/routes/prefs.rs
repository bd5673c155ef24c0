//! `/lang/{tag}` and `/prefs/theme`: the language and theme a visitor chooses, kept in
//! cookies the privacy registry declares.

use crate::http::{HttpError, cookies::preference_cookie, local_path};
use app::{LOCALE_COOKIE, Theme, i18n::Locale};
use axum::{
    Form,
    extract::{Path, Query, State},
    http::header,
    response::{IntoResponse, Redirect, Response},
};
use domain::AppState;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct ReturnTo {
    to: Option<String>,
}

/// `/lang/<tag>?to=/page`: remembers the language and shows the same page in it.
pub async fn choose_language(
    State(state): State<AppState>,
    Path(tag): Path<String>,
    Query(query): Query<ReturnTo>,
) -> Result<Response, HttpError> {
    let locale = Locale::ALL
        .into_iter()
        .find(|l| l.tag() == tag)
        .ok_or_else(HttpError::not_found)?;
    // `to` is a path inside a locale; strip a prefix if a caller passed a full path.
    let page = Locale::split_path(local_path(query.to.as_deref()).unwrap_or("/")).1;
    let mut response = Redirect::to(&locale.path(page)).into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        preference_cookie(&state, LOCALE_COOKIE, locale.tag()),
    );
    Ok(response)
}

#[derive(Deserialize)]
pub struct ThemeForm {
    theme: String,
    to: Option<String>,
}

/// The no-JavaScript theme toggle: remembers the theme and goes back to the page.
/// (Cross-site posts never get here: the anti-forgery guard refuses them.)
pub async fn choose_theme(
    State(state): State<AppState>,
    Form(form): Form<ThemeForm>,
) -> Result<Response, HttpError> {
    let theme = Theme::parse(&form.theme).ok_or_else(HttpError::not_found)?;
    let mut response = Redirect::to(local_path(form.to.as_deref()).unwrap_or("/")).into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        preference_cookie(&state, Theme::COOKIE, theme.as_str()),
    );
    Ok(response)
}
