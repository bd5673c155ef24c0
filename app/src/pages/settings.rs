//! Account settings: the profile (name, picture, language, theme, contact details) and
//! security (email, password, signed-in devices, linked providers). The server only renders
//! these for someone signed in; every change is a plain form post.

use crate::api::{load_page_context, load_security_overview};
use crate::components::forms::{
    AccountHead, Avatar, CsrfField, Field, FlashMessages, FormAlert, FormFeedback, LoadFailed,
    Loading, WithPageContext, provider_name,
};
use crate::i18n::{Locale, t, use_locale};
use crate::model::{DeviceView, IdentityView, PageContext, SecurityOverview, Viewer};
use leptos::prelude::*;

/// Which page of the settings area is showing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SettingsSection {
    Profile,
    Security,
    /// Credits, orders, subscriptions.
    Billing,
    /// Consent, export, processing choices, rights requests, deletion.
    Privacy,
    /// One order's receipt, under the billing entry.
    Receipt,
    Admin,
    /// Two-factor enrolment, under the admin entry.
    AdminTwoFactor,
    /// Payment disputes, under the admin entry.
    AdminDisputes,
}

/// The frame of every settings and admin page: who is signed in, the section navigation
/// with the sign-out button, and the page beside (or, on phones, below) it.
#[component]
pub fn SettingsShell(
    viewer: Viewer,
    csrf: String,
    section: SettingsSection,
    heading: String,
    children: Children,
) -> impl IntoView {
    let locale = use_locale();
    let link = move |page: &'static str, key: &'static str, here: bool, within: bool| {
        view! {
            <li>
                <a
                    href=locale.path(page)
                    class=within.then_some("active")
                    aria-current=here.then_some("page")
                >
                    {t(key)}
                </a>
            </li>
        }
    };
    let is_admin = viewer.role == "admin";
    view! {
        <div class="settings container">
            <aside class="settings-side">
                <div class="settings-who">
                    <Avatar url=viewer.avatar_url.clone() name=viewer.display_name.clone() />
                    <div>
                        <p class="settings-name">{viewer.display_name.clone()}</p>
                        <p class="settings-email muted">{viewer.email.clone()}</p>
                    </div>
                </div>
                <nav class="settings-nav" aria-label=t("settings-nav")>
                    <ul>
                        {link(
                            "/settings/profile",
                            "settings-nav-profile",
                            section == SettingsSection::Profile,
                            section == SettingsSection::Profile,
                        )}
                        {link(
                            "/settings/security",
                            "settings-nav-security",
                            section == SettingsSection::Security,
                            section == SettingsSection::Security,
                        )}
                        {link(
                            "/settings/billing",
                            "settings-nav-billing",
                            section == SettingsSection::Billing,
                            matches!(section, SettingsSection::Billing | SettingsSection::Receipt),
                        )}
                        {link(
                            "/settings/privacy",
                            "settings-nav-privacy",
                            section == SettingsSection::Privacy,
                            section == SettingsSection::Privacy,
                        )}
                        {is_admin
                            .then(|| {
                                link(
                                    "/admin",
                                    "settings-nav-admin",
                                    section == SettingsSection::Admin,
                                    matches!(
                                        section,
                                        SettingsSection::Admin
                                            | SettingsSection::AdminTwoFactor
                                            | SettingsSection::AdminDisputes
                                    ),
                                )
                            })}
                    </ul>
                    <form class="sign-out" method="post" action="/sign-out">
                        <CsrfField token=csrf />
                        <button type="submit" class="button small">
                            {t("settings-sign-out")}
                        </button>
                    </form>
                </nav>
            </aside>
            <div class="settings-main">
                <h1>{heading}</h1>
                {children()}
            </div>
        </div>
    }
    .into_any()
}

/// A page for signed-in people: the page context and the page's own `data` load together,
/// then `render` shows them; visitors get the sign-in prompt, and a page context that
/// failed to load a notice.
#[component]
pub fn SignedInPage<T, F, V>(
    title: String,
    data: Resource<Result<T, ServerFnError>>,
    render: F,
) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    F: Fn(PageContext, Viewer, Option<T>) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let ctx = Resource::new(|| (), |_| load_page_context());
    view! {
        <AccountHead title />
        <Suspense fallback=|| view! { <Loading /> }>
            {move || {
                let render = render.clone();
                Suspend::new(async move {
                    match (ctx.await, data.await) {
                        (Ok(ctx), data) => match ctx.viewer.clone() {
                            Some(viewer) => render(ctx, viewer, data.ok()).into_any(),
                            None => view! { <SignInPrompt /> }.into_any(),
                        },
                        (Err(_), _) => view! { <LoadFailed /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
    .into_any()
}

/// Shown in place of a settings page when nobody is signed in (the server normally
/// redirects before this can happen).
#[component]
pub fn SignInPrompt() -> impl IntoView {
    let locale = use_locale();
    view! {
        <div class="auth-page">
            <section class="auth-card" aria-labelledby="sign-in-prompt">
                <h1 id="sign-in-prompt">{t("settings-signed-out-heading")}</h1>
                <p class="lead">{t("settings-signed-out-body")}</p>
                <a class="button primary block" href=locale.path("/sign-in")>
                    {t("nav-sign-in")}
                </a>
            </section>
        </div>
    }
    .into_any()
}

/// A unix time in milliseconds as `YYYY-MM-DD HH:MM UTC`, and as the `datetime` of a
/// `<time>` element (`YYYY-MM-DDTHH:MMZ`). Pure arithmetic (days to civil date, after
/// Howard Hinnant), so server and browser print the same thing.
pub fn utc_parts(ms: i64) -> (i64, i64, i64, i64, i64) {
    let secs = ms.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let of_day = secs.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day, of_day / 3600, of_day % 3600 / 60)
}

/// `YYYY-MM-DD HH:MM UTC`.
pub fn format_utc(ms: i64) -> String {
    let (y, mo, d, h, mi) = utc_parts(ms);
    format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02} UTC")
}

/// A `<time>` showing [`format_utc`].
#[component]
pub fn UtcTime(ms: i64) -> impl IntoView {
    let (y, mo, d, h, mi) = utc_parts(ms);
    view! { <time datetime=format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}Z")>{format_utc(ms)}</time> }
    .into_any()
}

const PROFILE_FORMS: &[&str] = &["profile", "avatar"];

#[component]
pub fn ProfilePage() -> impl IntoView {
    view! {
        <AccountHead title=t("profile-title") />
        <WithPageContext render=|ctx| view! { <Profile ctx /> } />
    }
    .into_any()
}

#[component]
fn Profile(ctx: PageContext) -> impl IntoView {
    let Some(viewer) = ctx.viewer.clone() else {
        return view! { <SignInPrompt /> }.into_any();
    };
    view! {
        <SettingsShell
            viewer=viewer.clone()
            csrf=ctx.csrf.clone()
            section=SettingsSection::Profile
            heading=t("profile-heading")
        >
            <FlashMessages flash=ctx.flash.clone() forms=PROFILE_FORMS />
            <AvatarPanel ctx=ctx.clone() viewer=viewer.clone() />
            <ProfileForm ctx=ctx.clone() viewer=viewer.clone() />
        </SettingsShell>
    }
    .into_any()
}

#[component]
fn AvatarPanel(ctx: PageContext, viewer: Viewer) -> impl IntoView {
    let locale = use_locale();
    let action = locale.path("/settings/profile/avatar");
    let feedback = FormFeedback::new(&ctx, "avatar");
    let remove = viewer.avatar_url.is_some().then(|| {
        view! {
            <form method="post" action=action.clone() enctype="multipart/form-data">
                <CsrfField token=ctx.csrf.clone() />
                <input type="hidden" name="remove" value="1" />
                <button type="submit" class="button small">
                    {t("avatar-remove")}
                </button>
            </form>
        }
    });
    view! {
        <section class="panel" aria-labelledby="avatar-heading">
            <h2 id="avatar-heading">{t("avatar-heading")}</h2>
            <FormAlert feedback=feedback.clone() />
            <div class="avatar-row">
                <Avatar
                    url=viewer.avatar_url.clone()
                    name=viewer.display_name.clone()
                    size=96
                    alt=t("avatar-alt")
                />
                <div class="avatar-forms">
                    <form
                        class="stack"
                        method="post"
                        action=action.clone()
                        enctype="multipart/form-data"
                    >
                        <CsrfField token=ctx.csrf.clone() />
                        <Field
                            feedback=feedback.clone()
                            name="avatar"
                            label=t("avatar-choose")
                            kind="file"
                            accept="image/png,image/jpeg,image/webp"
                            required=true
                            hint=t("avatar-hint")
                        />
                        <div class="form-actions">
                            <button type="submit" class="button primary small">
                                {t("avatar-upload")}
                            </button>
                        </div>
                    </form>
                    {remove}
                </div>
            </div>
        </section>
    }
    .into_any()
}

/// A labelled `<select>`; `options` are (value, label, language of the label).
#[component]
fn SelectField(
    feedback: FormFeedback,
    name: &'static str,
    label: String,
    selected: String,
    options: Vec<(&'static str, String, Option<&'static str>)>,
    #[prop(optional)] autocomplete: Option<&'static str>,
) -> impl IntoView {
    let id = feedback.input_id(name);
    let invalid = feedback.invalid(name);
    let options = options
        .into_iter()
        .map(|(value, label, lang)| {
            view! {
                <option value=value lang=lang selected=value == selected>
                    {label}
                </option>
            }
        })
        .collect_view();
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <select
                id=id
                name=name
                autocomplete=autocomplete
                aria-invalid=invalid.then_some("true")
                aria-describedby=invalid.then(|| feedback.error_id())
            >
                {options}
            </select>
        </div>
    }
    .into_any()
}

#[component]
fn ProfileForm(ctx: PageContext, viewer: Viewer) -> impl IntoView {
    let locale = use_locale();
    let feedback = FormFeedback::new(&ctx, "profile");
    let language = feedback.value_or("locale", &viewer.locale);
    let languages = Locale::ALL
        .into_iter()
        .map(|l| (l.tag(), l.native_name().to_string(), Some(l.tag())))
        .collect();
    let theme = feedback.value_or("theme", &viewer.theme);
    let themes = vec![
        ("", t("profile-theme-system"), None),
        ("light", t("profile-theme-light"), None),
        ("dark", t("profile-theme-dark"), None),
    ];
    let bio = feedback.value_or("bio", &viewer.bio);
    let bio_invalid = feedback.invalid("bio");
    let bio_described = if bio_invalid {
        format!("{} profile-bio-hint", feedback.error_id())
    } else {
        "profile-bio-hint".to_string()
    };
    view! {
        <section class="panel" aria-labelledby="profile-details-heading">
            <h2 id="profile-details-heading">{t("profile-details-heading")}</h2>
            <form class="stack" method="post" action=locale.path("/settings/profile")>
                <CsrfField token=ctx.csrf.clone() />
                <FormAlert feedback=feedback.clone() />
                <Field
                    feedback=feedback.clone()
                    name="display_name"
                    label=t("form-display-name")
                    autocomplete="name"
                    required=true
                    maxlength=50
                    value=feedback.value_or("display_name", &viewer.display_name)
                    hint=t("form-display-name-hint")
                />
                <div class="field-row">
                    <SelectField
                        feedback=feedback.clone()
                        name="locale"
                        label=t("profile-language")
                        selected=language
                        options=languages
                        autocomplete="language"
                    />
                    <SelectField
                        feedback=feedback.clone()
                        name="theme"
                        label=t("profile-theme")
                        selected=theme
                        options=themes
                    />
                </div>
                <Field
                    feedback=feedback.clone()
                    name="company_name"
                    label=t("profile-company")
                    autocomplete="organization"
                    maxlength=100
                    optional=true
                    value=feedback.value_or("company_name", &viewer.company_name)
                />
                <Field
                    feedback=feedback.clone()
                    name="region"
                    label=t("profile-region")
                    autocomplete="country-name"
                    maxlength=100
                    optional=true
                    value=feedback.value_or("region", &viewer.region)
                />
                <Field
                    feedback=feedback.clone()
                    name="phone"
                    label=t("profile-phone")
                    kind="tel"
                    autocomplete="tel"
                    optional=true
                    value=feedback.value_or("phone", &viewer.phone)
                    hint=t("profile-phone-hint")
                />
                <div class="field">
                    <label for="profile-bio">
                        {t("profile-bio")} <span class="optional">{t("form-optional")}</span>
                    </label>
                    <textarea
                        id="profile-bio"
                        name="bio"
                        rows="4"
                        maxlength="500"
                        aria-invalid=bio_invalid.then_some("true")
                        aria-describedby=bio_described
                    >
                        {bio}
                    </textarea>
                    <p class="hint" id="profile-bio-hint">
                        {t("profile-bio-hint")}
                    </p>
                </div>
                <div class="form-actions">
                    <button type="submit" class="button primary">
                        {t("profile-submit")}
                    </button>
                </div>
            </form>
        </section>
    }
    .into_any()
}

/// Revoking a device and signing out everywhere both report as `devices`; unlinking as
/// `identities`.
const SECURITY_FORMS: &[&str] = &["email", "password", "devices", "identities"];

#[component]
pub fn SecurityPage() -> impl IntoView {
    let overview = Resource::new(|| (), |_| load_security_overview());
    view! {
        <SignedInPage
            title=t("security-title")
            data=overview
            render=|ctx, viewer, overview| view! { <Security ctx viewer overview=overview /> }
        />
    }
    .into_any()
}

#[component]
fn Security(ctx: PageContext, viewer: Viewer, overview: Option<SecurityOverview>) -> impl IntoView {
    let lists = match overview {
        Some(overview) => view! {
            <DevicesPanel ctx=ctx.clone() devices=overview.devices />
            <ProvidersPanel ctx=ctx.clone() identities=overview.identities />
        }
        .into_any(),
        None => view! { <LoadFailed /> }.into_any(),
    };
    view! {
        <SettingsShell
            viewer=viewer.clone()
            csrf=ctx.csrf.clone()
            section=SettingsSection::Security
            heading=t("security-heading")
        >
            <FlashMessages flash=ctx.flash.clone() forms=SECURITY_FORMS />
            <EmailPanel ctx=ctx.clone() viewer=viewer.clone() />
            <PasswordPanel ctx=ctx.clone() viewer=viewer.clone() />
            {(viewer.role == "admin").then(|| view! { <TwoFactorPanel viewer=viewer.clone() /> })}
            {lists}
        </SettingsShell>
    }
    .into_any()
}

#[component]
fn EmailPanel(ctx: PageContext, viewer: Viewer) -> impl IntoView {
    let locale = use_locale();
    let feedback = FormFeedback::new(&ctx, "email");
    let status = if viewer.email_verified {
        view! { <span class="badge ok">{t("security-email-verified")}</span> }.into_any()
    } else {
        view! {
            <span class="badge warn">{t("security-email-unverified")}</span>
            " "
            <a href=locale.path("/verify-email")>{t("security-email-verify-link")}</a>
        }
        .into_any()
    };
    view! {
        <section class="panel" aria-labelledby="email-heading">
            <h2 id="email-heading">{t("security-email-heading")}</h2>
            <p>
                {t("security-email-current")} " " <strong>{viewer.email.clone()}</strong> " "
                {status}
            </p>
            <form class="stack" method="post" action=locale.path("/settings/security/email")>
                <CsrfField token=ctx.csrf.clone() />
                <FormAlert feedback=feedback.clone() />
                <Field
                    feedback=feedback.clone()
                    name="new_email"
                    label=t("security-new-email")
                    kind="email"
                    autocomplete="email"
                    required=true
                    value=feedback.value_or("new_email", "")
                    hint=t("security-new-email-hint")
                />
                {viewer
                    .has_password
                    .then(|| {
                        view! {
                            <Field
                                feedback=feedback.clone()
                                name="current_password"
                                label=t("form-current-password")
                                kind="password"
                                autocomplete="current-password"
                                required=true
                            />
                        }
                    })}
                <div class="form-actions">
                    <button type="submit" class="button primary">
                        {t("security-email-submit")}
                    </button>
                </div>
            </form>
        </section>
    }
    .into_any()
}

#[component]
fn PasswordPanel(ctx: PageContext, viewer: Viewer) -> impl IntoView {
    let locale = use_locale();
    let feedback = FormFeedback::new(&ctx, "password");
    let (heading, lead, submit) = if viewer.has_password {
        (
            "security-password-heading",
            "security-password-lead",
            "security-password-submit",
        )
    } else {
        (
            "security-password-add-heading",
            "security-password-add-lead",
            "security-password-add-submit",
        )
    };
    view! {
        <section class="panel" aria-labelledby="password-heading">
            <h2 id="password-heading">{t(heading)}</h2>
            <p class="muted">{t(lead)}</p>
            <form class="stack" method="post" action=locale.path("/settings/security/password")>
                <CsrfField token=ctx.csrf.clone() />
                // Lets password managers file the new password under the right account.
                // No name: it is not sent.
                <input
                    type="text"
                    hidden
                    autocomplete="username"
                    value=viewer.email.clone()
                    readonly
                />
                <FormAlert feedback=feedback.clone() />
                {viewer
                    .has_password
                    .then(|| {
                        view! {
                            <Field
                                feedback=feedback.clone()
                                name="current_password"
                                label=t("form-current-password")
                                kind="password"
                                autocomplete="current-password"
                                required=true
                            />
                        }
                    })}
                <Field
                    feedback=feedback.clone()
                    name="new_password"
                    label=t("form-new-password")
                    kind="password"
                    autocomplete="new-password"
                    required=true
                    minlength=8
                    hint=t("form-password-hint")
                />
                <div class="form-actions">
                    <button type="submit" class="button primary">
                        {t(submit)}
                    </button>
                </div>
            </form>
        </section>
    }
    .into_any()
}

#[component]
fn TwoFactorPanel(viewer: Viewer) -> impl IntoView {
    let locale = use_locale();
    let (status, class) = if viewer.two_factor_enabled {
        ("security-two-factor-on", "badge ok")
    } else {
        ("security-two-factor-off", "badge warn")
    };
    view! {
        <section class="panel" aria-labelledby="two-factor-heading">
            <h2 id="two-factor-heading">{t("security-two-factor-heading")}</h2>
            <p>
                <span class=class>{t(status)}</span> " " {t("security-two-factor-body")}
            </p>
            <p>
                <a class="button small" href=locale.path("/admin/two-factor")>
                    {t("security-two-factor-link")}
                </a>
            </p>
        </section>
    }
    .into_any()
}

#[component]
fn DevicesPanel(ctx: PageContext, devices: Vec<DeviceView>) -> impl IntoView {
    let locale = use_locale();
    let feedback = FormFeedback::new(&ctx, "devices");
    let revoke_action = locale.path("/settings/security/devices/revoke");
    let rows = devices
        .into_iter()
        .map(|device| {
            let what = locale.t_args(
                "security-device-name",
                &[
                    ("browser", device.browser.clone().into()),
                    ("os", device.os.clone().into()),
                ],
            );
            let location = if device.location.is_empty() {
                t("security-location-unknown")
            } else {
                device.location.clone()
            };
            let action = if device.current {
                view! { <span class="badge ok">{t("security-this-device")}</span> }.into_any()
            } else {
                view! {
                    <form method="post" action=revoke_action.clone()>
                        <CsrfField token=ctx.csrf.clone() />
                        <input type="hidden" name="handle" value=device.handle.clone() />
                        <button type="submit" class="button small">
                            {t("security-revoke")}
                            <span class="visually-hidden">" " {what}</span>
                        </button>
                    </form>
                }
                .into_any()
            };
            view! {
                <tr class=device.current.then_some("current")>
                    <td>{device.browser}</td>
                    <td>{device.os}</td>
                    <td>{location}</td>
                    <td>
                        <UtcTime ms=device.signed_in_at />
                    </td>
                    <td>
                        <UtcTime ms=device.last_seen_at />
                    </td>
                    <td class="actions">{action}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="panel" aria-labelledby="devices-heading">
            <h2 id="devices-heading">{t("security-devices-heading")}</h2>
            <p class="muted">{t("security-devices-lead")}</p>
            <FormAlert feedback=feedback />
            <div class="table-scroll" tabindex="0" role="region" aria-label=t("security-devices-table")>
                <table class="data-table">
                    <thead>
                        <tr>
                            <th scope="col">{t("security-device-browser")}</th>
                            <th scope="col">{t("security-device-os")}</th>
                            <th scope="col">{t("security-device-location")}</th>
                            <th scope="col">{t("security-device-signed-in")}</th>
                            <th scope="col">{t("security-device-last-active")}</th>
                            <th scope="col">
                                <span class="visually-hidden">{t("security-device-status")}</span>
                            </th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <form
                class="stack inline-form"
                method="post"
                action=locale.path("/settings/security/sign-out-everywhere")
            >
                <CsrfField token=ctx.csrf.clone() />
                <p class="hint" id="sign-out-everywhere-hint">
                    {t("security-sign-out-everywhere-hint")}
                </p>
                <div class="form-actions">
                    <button
                        type="submit"
                        class="button danger"
                        aria-describedby="sign-out-everywhere-hint"
                    >
                        {t("security-sign-out-everywhere")}
                    </button>
                </div>
            </form>
        </section>
    }
    .into_any()
}

#[component]
fn ProvidersPanel(ctx: PageContext, identities: Vec<IdentityView>) -> impl IntoView {
    let locale = use_locale();
    let feedback = FormFeedback::new(&ctx, "identities");
    let unlink_action = locale.path("/settings/security/unlink");
    let linked = identities
        .iter()
        .map(|identity| {
            let name = provider_name(&identity.provider)
                .map(str::to_string)
                .unwrap_or_else(|| identity.provider.clone());
            view! {
                <li>
                    <div>
                        <p class="identity-name">{name.clone()}</p>
                        {identity
                            .email
                            .clone()
                            .map(|email| view! { <p class="muted small">{email}</p> })}
                    </div>
                    <form method="post" action=unlink_action.clone()>
                        <CsrfField token=ctx.csrf.clone() />
                        <input type="hidden" name="provider" value=identity.provider.clone() />
                        <button type="submit" class="button small">
                            {t("security-unlink")}
                            <span class="visually-hidden">" " {name}</span>
                        </button>
                    </form>
                </li>
            }
        })
        .collect_view();
    let available = ctx
        .providers
        .iter()
        .filter(|id| !identities.iter().any(|i| &i.provider == *id))
        .filter_map(|id| provider_name(id).map(|name| (id.clone(), name)))
        .map(|(id, name)| {
            view! {
                <li>
                    <a class="button small" href=format!("/auth/{id}/start?link=1") rel="external">
                        {locale.t_args("security-link-provider", &[("provider", name.into())])}
                    </a>
                </li>
            }
        })
        .collect::<Vec<_>>();
    let password = if ctx.viewer.as_ref().is_some_and(|v| v.has_password) {
        "security-method-password-on"
    } else {
        "security-method-password-off"
    };
    view! {
        <section class="panel" aria-labelledby="providers-heading">
            <h2 id="providers-heading">{t("security-providers-heading")}</h2>
            <p class="muted">{t("security-providers-lead")}</p>
            <FormAlert feedback />
            <ul class="identity-list">
                <li>
                    <div>
                        <p class="identity-name">{t("security-method-password")}</p>
                        <p class="muted small">{t(password)}</p>
                    </div>
                </li>
                {linked}
            </ul>
            {(!available.is_empty()).then(|| view! { <ul class="link-providers">{available}</ul> })}
        </section>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_milliseconds_print_as_utc() {
        assert_eq!(format_utc(0), "1970-01-01 00:00 UTC");
        assert_eq!(format_utc(951_782_400_000), "2000-02-29 00:00 UTC");
        assert_eq!(format_utc(1_700_000_000_000), "2023-11-14 22:13 UTC");
        assert_eq!(format_utc(1_735_689_599_999), "2024-12-31 23:59 UTC");
        assert_eq!(format_utc(-60_000), "1969-12-31 23:59 UTC");
        assert_eq!(utc_parts(4_107_542_400_000), (2100, 3, 1, 0, 0));
    }
}

#[cfg(all(test, feature = "ssr"))]
mod render_tests {
    use super::*;
    use crate::components::forms::test_support::{check, ctx, error, render, viewer};
    use crate::model::Flash;

    #[test]
    fn profile_forms_follow_the_contract() {
        for locale in Locale::ALL {
            let flash = error(
                "profile",
                "profile-error-phone",
                &[
                    ("display_name", "Ada L."),
                    ("phone", "12345"),
                    ("locale", "zh-CN"),
                    ("theme", "dark"),
                ],
            );
            let context = ctx(Some(viewer()), flash);
            let html = render(locale, || view! { <Profile ctx=context.clone() /> });
            check(&format!("profile-{}", locale.tag()), &html);
            assert!(html.contains(&format!(r#"action="{}""#, locale.path("/settings/profile"))));
            assert!(html.contains(&format!(
                r#"action="{}""#,
                locale.path("/settings/profile/avatar")
            )));
            assert!(html.contains(r#"enctype="multipart/form-data""#));
            assert!(html.contains(r#"value="Ada L.""#) && html.contains(r#"value="12345""#));
            assert!(html.contains(r#"<option value="zh-CN" lang="zh-CN" selected"#));
            assert!(html.contains(r#"<option value="dark" selected"#));
            assert!(html.contains(r#"action="/sign-out""#));
            for name in [
                "company_name",
                "region",
                "phone",
                "bio",
                "avatar",
                "theme",
                "locale",
            ] {
                assert!(html.contains(&format!(r#"name="{name}""#)), "{name}");
            }
            // No picture yet: initials, and nothing to remove.
            assert!(!html.contains(r#"name="remove""#));
        }
    }

    #[test]
    fn security_page_lists_devices_and_providers() {
        let overview = SecurityOverview {
            devices: vec![
                DeviceView {
                    handle: "h-current".into(),
                    browser: "Firefox".into(),
                    os: "Linux".into(),
                    location: "London, GB".into(),
                    signed_in_at: 1_700_000_000_000,
                    last_seen_at: 1_700_000_600_000,
                    current: true,
                },
                DeviceView {
                    handle: "h-phone".into(),
                    browser: "Safari".into(),
                    os: "iOS".into(),
                    location: String::new(),
                    signed_in_at: 1_690_000_000_000,
                    last_seen_at: 1_695_000_000_000,
                    current: false,
                },
            ],
            identities: vec![IdentityView {
                provider: "github".into(),
                email: Some("ada@users.noreply.github.com".into()),
            }],
        };
        for locale in Locale::ALL {
            let mut admin = viewer();
            admin.role = "admin".into();
            let flash: Option<Flash> = error("identities", "auth-error-last-method", &[]);
            let context = ctx(Some(admin.clone()), flash);
            let html = render(locale, || {
                view! { <Security ctx=context.clone() viewer=admin.clone() overview=Some(overview.clone()) /> }
            });
            check(&format!("security-{}", locale.tag()), &html);
            for page in [
                "/settings/security/email",
                "/settings/security/password",
                "/settings/security/devices/revoke",
                "/settings/security/sign-out-everywhere",
                "/settings/security/unlink",
            ] {
                assert!(
                    html.contains(&format!(r#"action="{}""#, locale.path(page))),
                    "{page}"
                );
            }
            assert_eq!(
                html.matches(r#"name="handle""#).count(),
                1,
                "only other devices"
            );
            assert!(html.contains(r#"value="h-phone""#));
            assert!(html.contains("<tbody>") && html.contains("<thead>"));
            assert!(html.contains("2023-11-14 22:13 UTC"));
            assert!(html.contains(r#"name="provider" value="github""#));
            assert!(html.contains(r#"href="/auth/google/start?link=1""#));
            assert!(!html.contains(r#"href="/auth/github/start?link=1""#));
            assert!(html.contains(&format!(r#"href="{}""#, locale.path("/admin/two-factor"))));
            assert_eq!(html.matches(r#"name="current_password""#).count(), 2);

            let mut social = viewer();
            social.has_password = false;
            let html = render(locale, || {
                view! { <Security ctx=ctx(Some(social.clone()), None) viewer=social.clone() overview=None /> }
            });
            check(&format!("security-no-password-{}", locale.tag()), &html);
            assert!(!html.contains(r#"name="current_password""#));
            assert!(!html.contains("/admin/two-factor"));
        }
    }
}
