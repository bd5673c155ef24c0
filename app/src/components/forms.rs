//! Pieces of the account pages' forms: the form token, labelled fields that say when they
//! are invalid, the messages a redirect brings back (post/redirect/get), the Turnstile
//! widget, sign-in provider links and the avatar. Every form here is plain HTML that posts
//! to the server, so it works the same with or without JavaScript.

use crate::api::load_page_context;
use crate::i18n::{Locale, t, use_locale};
use crate::model::{Flash, PageContext};
use fluent_templates::fluent_bundle::FluentValue;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

/// What a redirect brought back for one form: the error to show at its top (a Fluent id and
/// its arguments) and what the person had typed, to fill the fields again.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FormFeedback {
    /// The form's name, as the server puts it in `Flash::form`; also prefixes the ids.
    pub form: &'static str,
    error: Option<String>,
    args: Vec<(String, String)>,
    fields: Vec<(String, String)>,
}

impl FormFeedback {
    /// The part of the page's flash message meant for `form`, if any.
    pub fn new(ctx: &PageContext, form: &'static str) -> Self {
        match ctx.flash.as_ref().filter(|flash| flash.form == form) {
            Some(flash) => FormFeedback {
                form,
                error: flash.error.clone(),
                args: flash.args.clone(),
                fields: flash.fields.clone(),
            },
            None => FormFeedback::empty(form),
        }
    }

    /// A form with nothing to report (ids only).
    pub fn empty(form: &'static str) -> Self {
        FormFeedback {
            form,
            ..Default::default()
        }
    }

    /// The id of the form's error message, which invalid fields point to.
    pub fn error_id(&self) -> String {
        format!("{}-error", self.form)
    }

    /// The id of the field `name` in this form (unique on the page, even when two forms
    /// both have a `current_password`).
    pub fn input_id(&self, name: &str) -> String {
        format!("{}-{}", self.form, name.replace('_', "-"))
    }

    /// The error, localized.
    pub fn message(&self, locale: Locale) -> Option<String> {
        self.error
            .as_deref()
            .map(|key| localize_with_args(locale, key, &self.args))
    }

    /// What the person typed into `name` before the form came back.
    pub fn value(&self, name: &str) -> Option<String> {
        self.fields
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
    }

    /// The typed value of `name`, or `fallback` when the form did not come back.
    pub fn value_or(&self, name: &str, fallback: &str) -> String {
        self.value(name).unwrap_or_else(|| fallback.to_string())
    }

    /// Whether the checkbox `name` was ticked before the form came back.
    pub fn checked(&self, name: &str) -> bool {
        self.value(name).is_some_and(|v| v == "on")
    }

    /// Whether the form's error is about the field `name`.
    pub fn invalid(&self, name: &str) -> bool {
        self.error
            .as_deref()
            .is_some_and(|key| fields_of_error(key).contains(&name))
    }

    /// `aria-describedby` for the field `name`: its hint, and the error when it is about it.
    fn described_by(&self, name: &str, hint: bool) -> Option<String> {
        let mut ids = Vec::new();
        if self.invalid(name) {
            ids.push(self.error_id());
        }
        if hint {
            ids.push(format!("{}-hint", self.input_id(name)));
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    }
}

/// The fields an error message is about, so they can be marked invalid. A form has at most
/// one of the names listed for a key (`password` on sign-up, `new_password` in settings).
fn fields_of_error(key: &str) -> &'static [&'static str] {
    match key {
        "auth-error-email" | "auth-error-email-in-use" => &["email", "new_email"],
        "auth-error-credentials" => &["email", "password"],
        "auth-error-current-password" => &["current_password"],
        "auth-error-password-short" | "auth-error-password-long" | "auth-error-password-common" => {
            &["password", "new_password"]
        }
        "auth-error-display-name" => &["display_name"],
        "auth-error-age" => &["age_confirmed"],
        "auth-error-terms" => &["terms_accepted"],
        "auth-error-totp" | "privacy-delete-error-code" => &["code"],
        "privacy-delete-error-password" => &["password"],
        "privacy-delete-error-email" => &["confirm_email"],
        "profile-error-phone" => &["phone"],
        "profile-error-company" => &["company_name"],
        "profile-error-region" => &["region"],
        "profile-error-bio" => &["bio"],
        "profile-error-theme" => &["theme"],
        "avatar-error-too-large"
        | "avatar-error-pixels"
        | "avatar-error-format"
        | "avatar-error-corrupt" => &["avatar"],
        "support-error-topic" => &["topic"],
        "support-error-message-missing" | "support-error-message-long" => &["message"],
        "support-error-screenshot-too-large"
        | "support-error-screenshot-pixels"
        | "support-error-screenshot-format"
        | "support-error-screenshot-corrupt" => &["screenshot"],
        _ => &[],
    }
}

/// The argument names our messages use. Fluent lookups take `'static` names, and the
/// names in a flash message come from the server as strings.
const ARG_NAMES: &[&str] = &[
    "seconds",
    "minutes",
    "max_mb",
    "count",
    "provider",
    "email",
    "field",
    "max",
    "required",
    "available",
];

/// Looks `key` up with the string arguments of a flash message. Numbers are passed as
/// numbers, so plural rules apply ("1 second", "30 seconds").
pub fn localize_with_args(locale: Locale, key: &str, args: &[(String, String)]) -> String {
    let args: Vec<(&'static str, FluentValue<'static>)> = args
        .iter()
        .filter_map(|(name, value)| {
            let name = ARG_NAMES.iter().copied().find(|known| *known == name)?;
            let value = match value.parse::<i64>() {
                Ok(number) => FluentValue::from(number),
                Err(_) => FluentValue::from(value.clone()),
            };
            Some((name, value))
        })
        .collect();
    locale.t_args(key, &args)
}

/// The head of an account page: its title, and no indexing (account pages are not public).
#[component]
pub fn AccountHead(title: String) -> impl IntoView {
    view! {
        <Title text=format!("{title} · banana nano") />
        <Meta name="robots" content="noindex" />
    }
    .into_any()
}

/// Loads the [`PageContext`] and renders `render` with it. The account routes render in
/// `Async` mode, so the server resolves it before sending any HTML and the browser hydrates
/// from the same data.
#[component]
pub fn WithPageContext<F, V>(render: F) -> impl IntoView
where
    F: Fn(PageContext) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let ctx = Resource::new(|| (), |_| load_page_context());
    view! {
        <Suspense fallback=|| view! { <Loading /> }>
            {move || {
                let render = render.clone();
                Suspend::new(async move {
                    match ctx.await {
                        Ok(ctx) => render(ctx).into_any(),
                        Err(_) => view! { <LoadFailed /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
    .into_any()
}

/// The form token every form posts back as `csrf_token`.
#[component]
pub fn CsrfField(token: String) -> impl IntoView {
    view! { <input type="hidden" name="csrf_token" value=token /> }.into_any()
}

/// The form's error, announced as soon as the page shows it.
#[component]
pub fn FormAlert(feedback: FormFeedback) -> impl IntoView {
    let locale = use_locale();
    feedback.message(locale).map(|text| {
        view! {
            <div class="alert error" role="alert" id=feedback.error_id()>
                {text}
            </div>
        }
    })
}

/// A labelled input. Marks itself invalid (and points at the form's error) when the error
/// is about it.
#[component]
pub fn Field(
    feedback: FormFeedback,
    name: &'static str,
    label: String,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional, into)] value: String,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(optional)] required: bool,
    /// Labels the field "(optional)".
    #[prop(optional)]
    optional: bool,
    #[prop(optional)] minlength: Option<u32>,
    #[prop(optional)] maxlength: Option<u32>,
    /// For file inputs: the types to offer.
    #[prop(optional)]
    accept: Option<&'static str>,
    #[prop(optional, into)] hint: Option<String>,
) -> impl IntoView {
    let id = feedback.input_id(name);
    // No `value` attribute at all when empty: passwords and files never carry one.
    let value = (!value.is_empty()).then_some(value);
    let hint_id = format!("{id}-hint");
    let described_by = feedback.described_by(name, hint.is_some());
    let invalid = feedback.invalid(name);
    view! {
        <div class="field">
            <label for=id.clone()>
                {label} {optional.then(|| view! { <span class="optional">{t("form-optional")}</span> })}
            </label>
            <input
                id=id
                name=name
                type=kind
                value=value
                autocomplete=autocomplete
                inputmode=inputmode
                required=required
                minlength=minlength
                maxlength=maxlength
                accept=accept
                aria-invalid=invalid.then_some("true")
                aria-describedby=described_by
            />
            {hint.map(|hint| view! { <p class="hint" id=hint_id>{hint}</p> })}
        </div>
    }
    .into_any()
}

/// A checkbox with its label beside it; the label may hold links.
#[component]
pub fn Checkbox(
    feedback: FormFeedback,
    name: &'static str,
    #[prop(optional)] required: bool,
    #[prop(optional)] checked: bool,
    children: Children,
) -> impl IntoView {
    let id = feedback.input_id(name);
    let described_by = feedback.described_by(name, false);
    let invalid = feedback.invalid(name);
    view! {
        <div class="field check">
            <input
                type="checkbox"
                id=id.clone()
                name=name
                value="on"
                required=required
                checked=checked
                aria-invalid=invalid.then_some("true")
                aria-describedby=described_by
            />
            <label for=id>{children()}</label>
        </div>
    }
    .into_any()
}

/// The "I am 16 or older" and "I accept the terms" boxes of both sign-up forms.
#[component]
pub fn ConsentChecks(feedback: FormFeedback) -> impl IntoView {
    let locale = use_locale();
    let age = feedback.checked("age_confirmed");
    let terms = feedback.checked("terms_accepted");
    view! {
        <Checkbox feedback=feedback.clone() name="age_confirmed" required=true checked=age>
            {t("auth-age-label")}
        </Checkbox>
        <Checkbox feedback name="terms_accepted" required=true checked=terms>
            {t("auth-terms-before")}
            <a href=locale.path("/terms") target="_blank" rel="noopener">
                {t("auth-terms-link")}
            </a>
            {t("auth-terms-between")}
            <a href=locale.path("/privacy") target="_blank" rel="noopener">
                {t("auth-privacy-link")}
            </a>
            {t("auth-terms-after")}
        </Checkbox>
    }
    .into_any()
}

/// Cloudflare Turnstile, when this instance uses it: the widget adds its token to the form
/// it sits in. Without JavaScript there is no token and the server says so.
#[component]
pub fn Turnstile(site_key: Option<String>, action: &'static str) -> impl IntoView {
    let language = match use_locale() {
        Locale::En => "en",
        Locale::ZhCn => "zh-cn",
    };
    site_key.map(|key| {
        view! {
            <div
                class="cf-turnstile"
                data-sitekey=key
                data-action=action
                data-language=language
            ></div>
            <script
                src="https://challenges.cloudflare.com/turnstile/v0/api.js"
                async
                defer
                nonce=leptos::nonce::use_nonce()
            ></script>
        }
    })
}

/// The product's name for a sign-in provider id.
pub fn provider_name(id: &str) -> Option<&'static str> {
    match id {
        "google" => Some("Google"),
        "github" => Some("GitHub"),
        _ => None,
    }
}

/// "Continue with Google/GitHub": plain links that start the provider's sign-in on the
/// server (outside the app's router, hence `rel="external"`).
#[component]
pub fn ProviderLinks(providers: Vec<String>) -> impl IntoView {
    let locale = use_locale();
    let links = providers
        .iter()
        .filter_map(|id| provider_name(id).map(|name| (id.clone(), name)))
        .map(|(id, name)| {
            let label = locale.t_args("auth-continue-with", &[("provider", name.into())]);
            view! {
                <li>
                    <a class=format!("button provider {id}") href=format!("/auth/{id}/start") rel="external">
                        {label}
                    </a>
                </li>
            }
        })
        .collect::<Vec<_>>();
    (!links.is_empty()).then(|| {
        view! {
            <ul class="provider-links">{links}</ul>
            <p class="divider">
                <span>{t("auth-or-email")}</span>
            </p>
        }
    })
}

/// The page-wide messages of a flash: its notice, and an error that belongs to none of the
/// page's forms (`forms`), such as a failed provider sign-in.
#[component]
pub fn FlashMessages(flash: Option<Flash>, forms: &'static [&'static str]) -> impl IntoView {
    let locale = use_locale();
    let flash = flash.unwrap_or_default();
    let notice = flash.notice.as_deref().map(|key| {
        let text = localize_with_args(locale, key, &flash.args);
        view! {
            <div class="alert success" role="status">
                {text}
            </div>
        }
    });
    let stray_error = flash
        .error
        .as_deref()
        .filter(|_| !forms.contains(&flash.form.as_str()))
        .map(|key| {
            let text = localize_with_args(locale, key, &flash.args);
            view! {
                <div class="alert error" role="alert">
                    {text}
                </div>
            }
        });
    view! {
        {notice}
        {stray_error}
    }
    .into_any()
}

/// In development, where mail is not sent, where to read it.
#[component]
pub fn DevMailHint(show: bool) -> impl IntoView {
    show.then(|| {
        view! {
            <p class="dev-hint">
                {t("dev-mail-hint")} " "
                <a href="/dev/mail" rel="external">
                    {t("dev-mail-link")}
                </a>
            </p>
        }
    })
}

/// Shown when a page's data could not be loaded.
#[component]
pub fn LoadFailed() -> impl IntoView {
    view! {
        <div class="alert error" role="alert">
            {t("error-internal")}
        </div>
    }
    .into_any()
}

/// Shown while a page's data loads (client-side navigation only: the server waits).
#[component]
pub fn Loading() -> impl IntoView {
    view! {
        <p class="loading muted" role="status">
            {t("form-loading")}
        </p>
    }
    .into_any()
}

/// Up to two initials of a name, for an avatar without a picture.
pub fn initials(name: &str) -> String {
    let words: Vec<&str> = name.split_whitespace().collect();
    let mut out: String = match words.as_slice() {
        [] => String::new(),
        [one] => one.chars().take(1).collect(),
        [first, .., last] => first.chars().take(1).chain(last.chars().take(1)).collect(),
    };
    out = out.to_uppercase();
    if out.is_empty() { "?".to_string() } else { out }
}

/// The person's picture, or their initials on a coloured disc. Decorative when `alt` is
/// empty (the name is beside it).
#[component]
pub fn Avatar(
    url: Option<String>,
    name: String,
    #[prop(default = 40)] size: u32,
    #[prop(optional, into)] alt: String,
) -> impl IntoView {
    let class = if size > 48 { "avatar large" } else { "avatar" };
    match url {
        Some(url) => view! {
            <img class=class src=url width=size height=size alt=alt decoding="async" />
        }
        .into_any(),
        None => view! {
            <span class=format!("{class} initials") aria-hidden="true">
                {initials(&name)}
            </span>
        }
        .into_any(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx_with(flash: Flash) -> PageContext {
        PageContext {
            flash: Some(flash),
            ..Default::default()
        }
    }

    #[test]
    fn feedback_belongs_to_its_form_only() {
        let ctx = ctx_with(Flash {
            form: "sign-in".into(),
            error: Some("auth-error-credentials".into()),
            fields: vec![("email".into(), "ada@example.com".into())],
            ..Default::default()
        });
        let mine = FormFeedback::new(&ctx, "sign-in");
        assert_eq!(mine.value("email").as_deref(), Some("ada@example.com"));
        assert!(mine.invalid("password"));
        assert!(!mine.invalid("display_name"));
        assert_eq!(
            mine.described_by("email", true).as_deref(),
            Some("sign-in-error sign-in-email-hint")
        );
        let other = FormFeedback::new(&ctx, "sign-up");
        assert_eq!(other.value("email"), None);
        assert_eq!(other.message(Locale::En), None);
        assert!(!other.invalid("password"));
        assert_eq!(other.described_by("password", false), None);
    }

    #[test]
    fn error_arguments_fill_the_message() {
        let text = localize_with_args(
            Locale::En,
            "auth-error-rate-limited",
            &[("seconds".into(), "30".into())],
        );
        assert_eq!(text, "Too many attempts. Try again in 30 seconds.");
        let text = localize_with_args(
            Locale::ZhCn,
            "auth-error-cooldown",
            &[("seconds".into(), "45".into())],
        );
        assert!(text.contains("45"), "{text}");
    }

    #[test]
    fn every_flash_key_the_server_sends_is_translated() {
        // Every argument any of them takes; a message missing one would not resolve.
        let args = [
            ("seconds".to_string(), "5".to_string()),
            ("max_mb".into(), "5".into()),
        ];
        for key in SERVER_KEYS {
            for locale in Locale::ALL {
                let text = localize_with_args(locale, key, &args);
                assert_ne!(text, *key, "{} lacks {key}", locale.tag());
            }
        }
    }

    /// The error and notice keys the server's handlers put into flash messages.
    const SERVER_KEYS: &[&str] = &[
        "auth-error-age",
        "auth-error-terms",
        "auth-error-credentials",
        "auth-error-current-password",
        "auth-error-link-invalid",
        "auth-error-link-expired",
        "auth-error-link-used",
        "auth-error-cooldown",
        "auth-error-last-method",
        "auth-error-email-in-use",
        "auth-error-provider-email",
        "auth-error-totp",
        "auth-error-password-short",
        "auth-error-password-long",
        "auth-error-password-common",
        "auth-error-email",
        "auth-error-display-name",
        "profile-error-phone",
        "profile-error-company",
        "profile-error-region",
        "profile-error-bio",
        "profile-error-theme",
        "auth-error-provider-disabled",
        "auth-error-provider-denied",
        "auth-error-provider-state",
        "auth-error-provider-failed",
        "auth-error-captcha",
        "auth-error-captcha-unavailable",
        "auth-error-rate-limited",
        "error-internal",
        "avatar-error-too-large",
        "avatar-error-pixels",
        "avatar-error-format",
        "avatar-error-corrupt",
        "auth-notice-check-inbox",
        "auth-notice-reset-sent",
        "auth-notice-password-reset",
        "auth-notice-email-verified",
        "auth-notice-email-change-sent",
        "auth-notice-email-changed",
        "auth-notice-password-changed",
        "auth-notice-profile-saved",
        "auth-notice-avatar-saved",
        "auth-notice-avatar-removed",
        "auth-notice-device-revoked",
        "auth-notice-signed-out-everywhere",
        "auth-notice-identity-linked",
        "auth-notice-identity-unlinked",
        "auth-notice-verification-resent",
        "auth-notice-two-factor-enabled",
        "auth-notice-signed-out",
    ];

    #[test]
    fn initials_take_the_first_and_last_word() {
        assert_eq!(initials("Ada Lovelace"), "AL");
        assert_eq!(initials("ada king lovelace"), "AL");
        assert_eq!(initials("Grace"), "G");
        assert_eq!(initials("李雷"), "李");
        assert_eq!(initials("   "), "?");
    }
}

/// Rendering account views to HTML in tests, with sample data, and checking the result.
#[cfg(all(test, feature = "ssr"))]
pub(crate) mod test_support {
    use crate::i18n::Locale;
    use crate::model::{Flash, PageContext, Viewer};
    use leptos::prelude::*;
    use leptos::tachys::view::RenderHtml;
    use std::{collections::BTreeSet, path::Path};

    /// Renders `view` in `locale` as the server would.
    pub fn render<V: IntoView + 'static>(locale: Locale, view: impl FnOnce() -> V) -> String {
        let owner = Owner::new();
        owner.with(|| {
            provide_context(locale);
            view().into_view().to_html()
        })
    }

    pub fn viewer() -> Viewer {
        Viewer {
            id: "01936a3e-7c2b-7def-8a12-3456789abcde".into(),
            email: "ada@example.com".into(),
            email_verified: true,
            display_name: "Ada Lovelace".into(),
            avatar_url: None,
            locale: "en".into(),
            theme: String::new(),
            company_name: "Analytical Engines".into(),
            region: "United Kingdom".into(),
            phone: "+44 20 7946 0958".into(),
            bio: "Poetical science.".into(),
            role: "user".into(),
            has_password: true,
            two_factor_enabled: false,
        }
    }

    pub fn ctx(viewer: Option<Viewer>, flash: Option<Flash>) -> PageContext {
        PageContext {
            viewer,
            csrf: "csrf-token-123".into(),
            flash,
            providers: vec!["google".into(), "github".into()],
            turnstile_site_key: None,
            dev_mail: true,
        }
    }

    pub fn error(form: &str, key: &str, fields: &[(&str, &str)]) -> Option<Flash> {
        Some(Flash {
            form: form.into(),
            error: Some(key.into()),
            args: vec![
                ("seconds".into(), "30".into()),
                ("max_mb".into(), "5".into()),
            ],
            notice: None,
            fields: fields
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        })
    }

    /// Every message id of the English locale files.
    fn message_ids() -> BTreeSet<String> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("locales/en");
        std::fs::read_dir(dir)
            .unwrap()
            .flat_map(|entry| {
                let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
                text.lines()
                    .filter(|l| !l.starts_with([' ', '#', '.', '[', '*', '}']) && !l.is_empty())
                    .filter_map(|l| l.split_once('=').map(|(id, _)| id.trim().to_string()))
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    /// Fails when a message id shows instead of its text (a missing key or argument), or
    /// when the page's forms break the contract every form shares. With `APP_HTML_DUMP`
    /// set, writes the HTML there for a validator.
    pub fn check(name: &str, html: &str) {
        for id in message_ids() {
            for leak in [
                format!(">{id}<"),
                format!("aria-label=\"{id}\""),
                format!("alt=\"{id}\""),
                format!("title=\"{id}\""),
            ] {
                assert!(!html.contains(&leak), "{name}: untranslated {id}");
            }
        }
        let forms = html.matches("<form").count();
        assert_eq!(
            forms,
            html.matches(r#"method="post""#).count(),
            "{name}: every form posts"
        );
        assert_eq!(
            forms,
            html.matches(r#"name="csrf_token" value="csrf-token-123""#)
                .count(),
            "{name}: every form carries the token"
        );
        if let Some(dir) = std::env::var_os("APP_HTML_DUMP") {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(Path::new(&dir).join(format!("{name}.html")), html).unwrap();
        }
    }
}
