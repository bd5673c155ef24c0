//! The signed-in person's own settings: profile and avatar, email, password, devices,
//! linked providers, and an admin's two-factor enrolment. Each handler acts only on the
//! account of the session it comes with.

use super::{FormContext, Refusal};
use axum::{
    Form,
    extract::Multipart,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use domain::{
    accounts::{
        self, ProfileChange,
        oauth::Provider,
        sessions::{self, flow},
        two_factor,
    },
    images::{self, ImageError, UploadLimits},
    storage::StorageKey,
};
use secrecy::SecretString;
use serde::Deserialize;

/// Avatars: small files, modest dimensions.
const AVATAR_LIMITS: UploadLimits = UploadLimits {
    max_bytes: 5 * 1024 * 1024,
    max_pixels: 25_000_000,
    max_side: 8192,
};

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

pub async fn profile(ctx: FormContext, Form(form): Form<ProfileForm>) -> Response {
    let user = match ctx.require_user().await {
        Ok(user) => user,
        Err(response) => return response,
    };
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
        Err(e) => ctx.refuse("profile", e.into(), &fields).await,
    }
}

fn image_refusal(e: ImageError) -> Refusal {
    let (key, args) = match e {
        ImageError::TooLarge { max_bytes } => (
            "avatar-error-too-large",
            vec![(
                "max_mb".to_string(),
                (max_bytes / (1024 * 1024)).to_string(),
            )],
        ),
        ImageError::TooManyPixels { .. } | ImageError::SideTooLong { .. } => {
            ("avatar-error-pixels", vec![])
        }
        ImageError::UnsupportedFormat => ("avatar-error-format", vec![]),
        ImageError::Corrupt => ("avatar-error-corrupt", vec![]),
    };
    let status = if matches!(key, "avatar-error-too-large") {
        StatusCode::PAYLOAD_TOO_LARGE
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Refusal {
        key,
        args,
        status,
        retry_after: None,
    }
}

/// Reads the avatar form: the file, or `remove=1`. Stops reading past the size limit.
async fn read_avatar_form(mut multipart: Multipart) -> Result<Option<Vec<u8>>, Refusal> {
    let mut file = None;
    let mut remove = false;
    let bad = || Refusal::new("avatar-error-corrupt", StatusCode::UNPROCESSABLE_ENTITY);
    while let Some(mut field) = multipart.next_field().await.map_err(|_| bad())? {
        match field.name() {
            Some("avatar") => {
                let mut bytes = Vec::new();
                while let Some(chunk) = field.chunk().await.map_err(|_| bad())? {
                    if bytes.len() + chunk.len() > AVATAR_LIMITS.max_bytes {
                        return Err(image_refusal(ImageError::TooLarge {
                            max_bytes: AVATAR_LIMITS.max_bytes,
                        }));
                    }
                    bytes.extend_from_slice(&chunk);
                }
                if !bytes.is_empty() {
                    file = Some(bytes);
                }
            }
            Some("remove") => remove = field.text().await.map_err(|_| bad())? == "1",
            _ => {}
        }
    }
    match (file, remove) {
        (_, true) => Ok(None),
        (Some(bytes), false) => Ok(Some(bytes)),
        (None, false) => Err(image_refusal(ImageError::UnsupportedFormat)),
    }
}

pub async fn avatar(ctx: FormContext, multipart: Multipart) -> Response {
    let user = match ctx.require_user().await {
        Ok(user) => user,
        Err(response) => return response,
    };
    let result: Result<&'static str, Refusal> = async {
        let upload = read_avatar_form(multipart).await?;
        let new_key = match upload {
            Some(bytes) => {
                let clean = images::avatar_blocking(bytes, AVATAR_LIMITS)
                    .await
                    .map_err(image_refusal)?;
                let key = StorageKey::parse(format!(
                    "avatars/{}/{}.{}",
                    user.id,
                    domain::new_id(),
                    clean.kind.extension()
                ))
                .map_err(internal)?;
                ctx.state
                    .storage
                    .put(&key, clean.bytes, clean.kind.content_type())
                    .await
                    .map_err(internal)?;
                Some(key)
            }
            None => None,
        };
        let previous = accounts::set_avatar(
            &ctx.state,
            &user.id,
            new_key.as_ref().map(|k| k.as_ref()),
            Some(&ctx.client.ip),
        )
        .await?;
        if let Some(previous) = previous.and_then(|p| StorageKey::parse(p).ok())
            && let Err(e) = ctx.state.storage.delete(&previous).await
        {
            tracing::warn!(error = %e, "could not delete the previous avatar");
        }
        Ok(if new_key.is_some() {
            "auth-notice-avatar-saved"
        } else {
            "auth-notice-avatar-removed"
        })
    }
    .await;
    match result {
        Ok(notice) => ctx.done(&ctx.path("/settings/profile"), notice).await,
        Err(refusal) => ctx.refuse("avatar", refusal, &[]).await,
    }
}

fn internal(e: impl std::fmt::Display) -> Refusal {
    tracing::error!(error = %e, "storage failed");
    Refusal::new("error-internal", StatusCode::INTERNAL_SERVER_ERROR)
}

#[derive(Deserialize)]
pub struct EmailChangeForm {
    #[serde(default)]
    new_email: String,
    current_password: Option<String>,
}

pub async fn change_email(ctx: FormContext, Form(form): Form<EmailChangeForm>) -> Response {
    let user = match ctx.require_user().await {
        Ok(user) => user,
        Err(response) => return response,
    };
    let fields = [("new_email", form.new_email.as_str())];
    let result = accounts::request_email_change(
        &ctx.state,
        &user.id,
        &form.new_email,
        form.current_password.map(SecretString::from),
    )
    .await;
    match result {
        Ok(()) => {
            ctx.done(
                &ctx.path("/settings/security"),
                "auth-notice-email-change-sent",
            )
            .await
        }
        Err(e) => ctx.refuse("email", e.into(), &fields).await,
    }
}

#[derive(Deserialize)]
pub struct PasswordChangeForm {
    current_password: Option<String>,
    #[serde(default)]
    new_password: String,
}

pub async fn change_password(ctx: FormContext, Form(form): Form<PasswordChangeForm>) -> Response {
    let user = match ctx.require_user().await {
        Ok(user) => user,
        Err(response) => return response,
    };
    let result: Result<(), Refusal> = async {
        // A privilege change: this browser gets a new session id, every other one ends.
        ctx.session.cycle_id().await?;
        let current = ctx.session.id().map(|id| id.to_string());
        accounts::change_password(
            &ctx.state,
            &user.id,
            form.current_password.clone().map(SecretString::from),
            SecretString::from(form.new_password.clone()),
            current.as_deref(),
        )
        .await?;
        Ok(())
    }
    .await;
    match result {
        Ok(()) => {
            ctx.done(
                &ctx.path("/settings/security"),
                "auth-notice-password-changed",
            )
            .await
        }
        Err(refusal) => ctx.refuse("password", refusal, &[]).await,
    }
}

#[derive(Deserialize)]
pub struct RevokeForm {
    #[serde(default)]
    handle: String,
}

pub async fn revoke_device(ctx: FormContext, Form(form): Form<RevokeForm>) -> Response {
    let user = match ctx.require_user().await {
        Ok(user) => user,
        Err(response) => return response,
    };
    match sessions::revoke_device(&ctx.state.db, &user.id, &form.handle).await {
        Ok(_) => {
            ctx.done(
                &ctx.path("/settings/security"),
                "auth-notice-device-revoked",
            )
            .await
        }
        Err(e) => {
            ctx.refuse("devices", accounts::AccountError::from(e).into(), &[])
                .await
        }
    }
}

pub async fn sign_out_everywhere(ctx: FormContext) -> Response {
    let user = match ctx.require_user().await {
        Ok(user) => user,
        Err(response) => return response,
    };
    if let Err(e) = sessions::revoke_all(&ctx.state.db, &user.id).await {
        return ctx
            .refuse("devices", accounts::AccountError::from(e).into(), &[])
            .await;
    }
    let _ = ctx.session.flush().await;
    ctx.done(&ctx.path("/sign-in"), "auth-notice-signed-out-everywhere")
        .await
}

#[derive(Deserialize)]
pub struct UnlinkForm {
    #[serde(default)]
    provider: String,
}

pub async fn unlink(ctx: FormContext, Form(form): Form<UnlinkForm>) -> Response {
    let user = match ctx.require_user().await {
        Ok(user) => user,
        Err(response) => return response,
    };
    let Some(provider) = Provider::parse(&form.provider) else {
        return ctx
            .refuse(
                "identities",
                Refusal::new(
                    "auth-error-provider-disabled",
                    StatusCode::UNPROCESSABLE_ENTITY,
                ),
                &[],
            )
            .await;
    };
    match accounts::oauth::unlink(&ctx.state, &user.id, provider).await {
        Ok(()) => {
            ctx.done(
                &ctx.path("/settings/security"),
                "auth-notice-identity-unlinked",
            )
            .await
        }
        Err(e) => ctx.refuse("identities", e.into(), &[]).await,
    }
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
}

pub async fn enrol_two_factor(ctx: FormContext, Form(form): Form<CodeForm>) -> Response {
    let user = match ctx.require_user().await {
        Ok(user) => user,
        Err(response) => return response,
    };
    if user.role != accounts::Role::Admin {
        return crate::AppError::Forbidden.into_response();
    }
    let result: Result<Vec<String>, Refusal> = async {
        ctx.limit(&[(
            format!("two-factor:{}", user.id),
            domain::ratelimit::limits::TOTP_ACCOUNT,
        )])
        .await?;
        let codes = two_factor::confirm_enrolment(&ctx.state, &user.id, &form.code).await?;
        // A privilege change: new session id, and this session has given its code.
        ctx.session.cycle_id().await?;
        ctx.session.insert(flow::TWO_FACTOR_OK, true).await?;
        Ok(codes)
    }
    .await;
    match result {
        Ok(codes) => {
            let flash = app::model::Flash {
                notice: Some("auth-notice-two-factor-enabled".into()),
                fields: vec![("recovery_codes".into(), codes.join(" "))],
                ..Default::default()
            };
            if let Err(e) = ctx.session.insert(flow::FLASH, flash).await {
                tracing::error!(error = %e, "could not store the recovery codes for display");
            }
            super::see_other(&ctx.path("/admin/two-factor"))
        }
        Err(refusal) => ctx.refuse("two-factor-setup", refusal, &[]).await,
    }
}
