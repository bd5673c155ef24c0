//! Rights requests written in: the form anyone can send one with (signed in or not), the
//! page that confirms a request from the link mailed to its address, and the page that
//! shows where a request stands. Plain HTML forms posting to the server: everything works
//! without JavaScript.

use crate::api::{
    PrivacyRequestView, RequestLinkView, load_page_context, load_privacy_request,
    load_privacy_request_link,
};
use crate::components::forms::{
    AccountHead, CsrfField, DevMailHint, Field, FlashMessages, FormAlert, FormFeedback, LoadFailed,
    Loading, Turnstile, WithPageContext,
};
use crate::i18n::{t, use_locale};
use crate::model::PageContext;
use crate::pages::settings::UtcTime;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

/// What a request can ask for, in the order the form offers them.
pub const KINDS: [&str; 6] = ["access", "correct", "delete", "restrict", "object", "port"];
/// The longest description the server accepts (the domain's `MAX_DETAILS`).
const MAX_DETAILS: u32 = 5000;
const FORM: &str = "privacy-request";
const FORMS: &[&str] = &[FORM];
const VERIFY_FORM: &str = "privacy-request-verify";
const VERIFY_FORMS: &[&str] = &[VERIFY_FORM];

/// A query parameter of the current URL, when present and not empty.
fn query_param(name: &'static str) -> Option<String> {
    use_query_map()
        .with_untracked(|query| query.get(name))
        .map(|value| value.trim().to_string())
        .filter(|value| !value.is_empty())
}

/// Gives the response the status the page stands for (a missing request is a real 404).
fn set_status(status: u16) {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(
            http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR),
        );
    }
    #[cfg(not(feature = "ssr"))]
    let _ = status;
}

/// Text as typed, one paragraph per line.
fn paragraphs(text: &str) -> impl IntoView + use<> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(|line| view! { <p>{line.to_string()}</p> })
        .collect_view()
}

/// `/privacy/requests`: the form.
#[component]
pub fn PrivacyRequestsPage() -> impl IntoView {
    // Other pages may link here with the kind chosen (`?kind=correct`).
    let kind = query_param("kind");
    view! {
        <AccountHead title=t("privacy-requests-title") />
        <div class="container narrow privacy-requests">
            <WithPageContext render=move |ctx| {
                view! { <RequestForm ctx kind=kind.clone() /> }
            } />
        </div>
    }
    .into_any()
}

#[component]
fn RequestForm(ctx: PageContext, kind: Option<String>) -> impl IntoView {
    let locale = use_locale();
    let feedback = FormFeedback::new(&ctx, FORM);
    let error = ctx
        .flash
        .as_ref()
        .and_then(|flash| flash.error_for(FORM))
        .map(str::to_owned);
    let error_about = |keys: &[&str]| error.as_deref().is_some_and(|key| keys.contains(&key));
    let kind_invalid = error_about(&["privacy-requests-error-kind"]);
    let details_invalid = error_about(&[
        "privacy-requests-error-details-missing",
        "privacy-requests-error-details-long",
    ]);
    let selected = feedback.value("kind").or(kind).unwrap_or_default();
    let options = KINDS
        .into_iter()
        .map(|kind| {
            view! {
                <option value=kind selected=kind == selected>
                    {t(&format!("privacy-requests-option-{kind}"))}
                </option>
            }
        })
        .collect_view();
    let kind_id = feedback.input_id("kind");
    let details_id = feedback.input_id("details");
    let details_hint = format!("{details_id}-hint");
    let details_described = if details_invalid {
        format!("{} {details_hint}", feedback.error_id())
    } else {
        details_hint.clone()
    };
    let details = feedback.value_or("details", "");
    // Signed in, the request is about the account: its address, confirmed by the sign-in.
    let email = match ctx.viewer.clone() {
        Some(viewer) => {
            let id = feedback.input_id("email");
            let hint = format!("{id}-hint");
            view! {
                <div class="field">
                    <label for=id.clone()>{t("form-email")}</label>
                    <input
                        id=id
                        name="email"
                        type="email"
                        value=viewer.email
                        readonly=true
                        aria-describedby=hint.clone()
                    />
                    <p class="hint" id=hint>
                        {t("privacy-requests-email-signed-in-hint")}
                    </p>
                </div>
            }
            .into_any()
        }
        None => view! {
            <Field
                feedback=feedback.clone()
                name="email"
                label=t("form-email")
                kind="email"
                autocomplete="email"
                required=true
                value=feedback.value_or("email", "")
                hint=t("privacy-requests-email-hint")
            />
        }
        .into_any(),
    };
    let signed_in = ctx.viewer.is_some();
    let self_service = signed_in.then(|| {
        view! {
            <p>
                {t("privacy-requests-self-service")} " "
                <a href=locale.path("/settings/privacy")>
                    {t("privacy-requests-self-service-link")}
                </a>
            </p>
        }
    });
    view! {
        <section class="panel" aria-labelledby="privacy-requests-heading">
            <h1 id="privacy-requests-heading">{t("privacy-requests-heading")}</h1>
            <p class="lead">{t("privacy-requests-lead")}</p>
            {self_service}
            <FlashMessages flash=ctx.flash.clone() forms=FORMS />
            <form class="stack" method="post" action=locale.path("/privacy/requests")>
                <CsrfField token=ctx.csrf.clone() />
                <FormAlert feedback=feedback.clone() />
                <div class="field">
                    <label for=kind_id.clone()>{t("privacy-requests-kind")}</label>
                    <select
                        id=kind_id
                        name="kind"
                        required=true
                        aria-invalid=kind_invalid.then_some("true")
                        aria-describedby=kind_invalid.then(|| feedback.error_id())
                    >
                        <option value="" disabled=true selected=selected.is_empty()>
                            {t("privacy-requests-kind-choose")}
                        </option>
                        {options}
                    </select>
                </div>
                {email}
                <div class="field">
                    <label for=details_id.clone()>{t("privacy-requests-details")}</label>
                    <textarea
                        id=details_id
                        name="details"
                        rows="6"
                        maxlength=MAX_DETAILS
                        aria-invalid=details_invalid.then_some("true")
                        aria-describedby=details_described
                    >
                        {details}
                    </textarea>
                    <p class="hint" id=details_hint>
                        {t("privacy-requests-details-hint")}
                    </p>
                </div>
                <Turnstile
                    site_key=ctx.turnstile_site_key.clone().filter(|_| !signed_in)
                    action="privacy-request"
                />
                <button type="submit" class="button primary">
                    {t("privacy-requests-submit")}
                </button>
            </form>
            <DevMailHint show=ctx.dev_mail && !signed_in />
        </section>
        <section class="panel" aria-labelledby="privacy-requests-steps">
            <h2 id="privacy-requests-steps">{t("privacy-requests-steps-heading")}</h2>
            <ol>
                <li>{t("privacy-requests-step-verify")}</li>
                <li>{t("privacy-requests-step-deadline")}</li>
                <li>{t("privacy-requests-step-extension")}</li>
                <li>{t("privacy-requests-step-answer")}</li>
            </ol>
        </section>
    }
    .into_any()
}

/// `/privacy/requests/verify?token=`: what the emailed link is for, and the button that
/// confirms it. Opening the link confirms nothing: mail scanners open links too, and must
/// not confirm a request in someone's name.
#[component]
pub fn VerifyPrivacyRequestPage() -> impl IntoView {
    let token = query_param("token");
    let ctx = Resource::new(|| (), |_| load_page_context());
    let link = Resource::new(
        {
            let token = token.clone();
            move || token.clone()
        },
        |token| async move {
            match token {
                Some(token) => load_privacy_request_link(token).await.map(Some),
                None => Ok(None),
            }
        },
    );
    view! {
        <AccountHead title=t("privacy-requests-verify-title") />
        <Suspense fallback=|| view! { <Loading /> }>
            {move || {
                let token = token.clone();
                Suspend::new(async move {
                    match (ctx.await, link.await) {
                        (Ok(ctx), Ok(link)) => {
                            view! { <VerifyRequest ctx link token /> }.into_any()
                        }
                        _ => view! { <LoadFailed /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
    .into_any()
}

#[component]
fn VerifyRequest(
    ctx: PageContext,
    link: Option<RequestLinkView>,
    token: Option<String>,
) -> impl IntoView {
    let locale = use_locale();
    let feedback = FormFeedback::new(&ctx, VERIFY_FORM);
    let new_request = view! {
        <p class="auth-switch">
            <a href=locale.path("/privacy/requests")>{t("privacy-requests-new")}</a>
        </p>
    };
    let body = match (link, token) {
        (
            Some(RequestLinkView::Request {
                id,
                kind,
                created_at,
                verified,
            }),
            Some(token),
        ) => {
            let status = format!(
                "{}?token={token}",
                locale.path(&format!("/privacy/requests/{id}"))
            );
            if verified {
                view! {
                    <FlashMessages flash=ctx.flash.clone() forms=&[] />
                    <p>{t("privacy-requests-verify-done")}</p>
                    <p>
                        <a class="button primary block" href=status>
                            {t("privacy-requests-verify-view")}
                        </a>
                    </p>
                }
                .into_any()
            } else {
                view! {
                    <FlashMessages flash=ctx.flash.clone() forms=VERIFY_FORMS />
                    <p class="lead">{t("privacy-requests-verify-lead")}</p>
                    <dl class="receipt-facts">
                        <div>
                            <dt>{t("privacy-request-kind")}</dt>
                            <dd>{t(&format!("privacy-request-kind-{kind}"))}</dd>
                        </div>
                        <div>
                            <dt>{t("privacy-request-sent")}</dt>
                            <dd>
                                <UtcTime ms=created_at />
                            </dd>
                        </div>
                    </dl>
                    <form
                        class="stack"
                        method="post"
                        action=locale.path("/privacy/requests/verify")
                    >
                        <CsrfField token=ctx.csrf.clone() />
                        <input type="hidden" name="token" value=token />
                        <FormAlert feedback />
                        <button type="submit" class="button primary block">
                            {t("privacy-requests-verify-submit")}
                        </button>
                    </form>
                    <p class="form-aside">{t("privacy-requests-verify-not-you")}</p>
                }
                .into_any()
            }
        }
        (Some(RequestLinkView::Refused { key }), _) => {
            set_status(410);
            view! {
                <FlashMessages flash=ctx.flash.clone() forms=VERIFY_FORMS />
                <div class="alert error" role="alert">
                    {t(&key)}
                </div>
                {new_request}
            }
            .into_any()
        }
        _ => view! {
            <FlashMessages flash=ctx.flash.clone() forms=&[] />
            <p>{t("privacy-requests-verify-no-token")}</p>
            {new_request}
        }
        .into_any(),
    };
    view! {
        <div class="auth-page">
            <section class="auth-card" aria-labelledby="verify-request-heading">
                <h1 id="verify-request-heading">{t("privacy-requests-verify-heading")}</h1>
                {body}
            </section>
        </div>
    }
    .into_any()
}

/// `/privacy/requests/<id>?token=`: where a request stands, for the holder of its status
/// link or its signed-in owner. Anyone else gets the same 404 as for no request at all.
#[component]
pub fn PrivacyRequestStatusPage() -> impl IntoView {
    let params = use_params_map();
    let token = query_param("token");
    let ctx = Resource::new(|| (), |_| load_page_context());
    let request = Resource::new(
        move || {
            (
                params.with(|p| p.get("id")).unwrap_or_default(),
                token.clone(),
            )
        },
        |(id, token)| load_privacy_request(id, token),
    );
    view! {
        <AccountHead title=t("privacy-request-title") />
        <div class="container narrow privacy-request">
            <Suspense fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    match (ctx.await, request.await) {
                        (Ok(ctx), Ok(Some(request))) => {
                            view! {
                                <FlashMessages flash=ctx.flash.clone() forms=&[] />
                                <RequestStatus request />
                            }
                                .into_any()
                        }
                        (Ok(ctx), Ok(None)) => {
                            view! {
                                <FlashMessages flash=ctx.flash.clone() forms=&[] />
                                <RequestNotFound />
                            }
                                .into_any()
                        }
                        _ => view! { <LoadFailed /> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
    .into_any()
}

#[component]
fn RequestNotFound() -> impl IntoView {
    let locale = use_locale();
    set_status(404);
    view! {
        <section class="panel" aria-labelledby="privacy-request-heading">
            <h1 id="privacy-request-heading">{t("privacy-request-heading")}</h1>
            <div class="alert error" role="alert">
                {t("privacy-request-not-found")}
            </div>
            <p>
                <a href=locale.path("/privacy/requests")>{t("privacy-requests-new")}</a>
            </p>
        </section>
    }
    .into_any()
}

#[component]
fn RequestStatus(request: PrivacyRequestView) -> impl IntoView {
    let fact = |label: &'static str, ms: Option<i64>| {
        ms.map(|ms| {
            view! {
                <div>
                    <dt>{t(label)}</dt>
                    <dd>
                        <UtcTime ms />
                    </dd>
                </div>
            }
        })
    };
    let waiting = (request.status == "unverified").then(|| {
        view! {
            <div class="alert info" role="status">
                {t("privacy-request-unverified-hint")}
            </div>
        }
    });
    let extension = request.extension_reason.as_deref().map(|reason| {
        view! {
            <section class="panel" aria-labelledby="privacy-request-extension">
                <h2 id="privacy-request-extension">{t("privacy-request-extension-heading")}</h2>
                {paragraphs(reason)}
            </section>
        }
    });
    let refused = request.status == "refused";
    let resolution = request.resolution.as_deref().map(|resolution| {
        let heading = if refused {
            "privacy-request-resolution-refused"
        } else {
            "privacy-request-resolution-completed"
        };
        view! {
            <section class="panel" aria-labelledby="privacy-request-resolution">
                <h2 id="privacy-request-resolution">{t(heading)}</h2>
                {paragraphs(resolution)}
                {refused.then(|| view! { <p class="hint">{t("privacy-request-complaint")}</p> })}
            </section>
        }
    });
    let details = (!request.details.trim().is_empty()).then(|| {
        view! {
            <section class="panel" aria-labelledby="privacy-request-details">
                <h2 id="privacy-request-details">{t("privacy-request-details")}</h2>
                {paragraphs(&request.details)}
            </section>
        }
    });
    view! {
        <section class="panel" aria-labelledby="privacy-request-heading">
            <h1 id="privacy-request-heading">{t("privacy-request-heading")}</h1>
            {waiting}
            <dl class="receipt-facts">
                <div>
                    <dt>{t("privacy-request-kind")}</dt>
                    <dd>{t(&format!("privacy-request-kind-{}", request.kind))}</dd>
                </div>
                <div>
                    <dt>{t("privacy-request-status")}</dt>
                    <dd>{t(&format!("privacy-request-status-{}", request.status))}</dd>
                </div>
                {fact("privacy-request-sent", Some(request.created_at))}
                {fact("privacy-request-confirmed", request.verified_at)}
                {fact("privacy-request-due", request.due_at.filter(|_| request.closed_at.is_none()))}
                {fact("privacy-request-extended-on", request.extended_at)}
                {fact("privacy-request-closed", request.closed_at)}
            </dl>
            <p class="hint">{t("privacy-request-keep-link")}</p>
        </section>
        {resolution}
        {extension}
        {details}
    }
    .into_any()
}

#[cfg(all(test, feature = "ssr"))]
mod render_tests {
    use super::*;
    use crate::components::forms::test_support::{check, ctx, error, render, viewer};
    use crate::i18n::Locale;

    #[test]
    fn the_limits_match_the_servers() {
        assert_eq!(MAX_DETAILS as usize, domain::privacy::requests::MAX_DETAILS);
        let kinds: Vec<&str> = domain::privacy::requests::RequestKind::ALL
            .iter()
            .map(|k| k.id())
            .collect();
        assert_eq!(kinds, KINDS);
    }

    #[test]
    fn the_form_asks_for_kind_email_and_details_and_fixes_a_signed_in_address() {
        for locale in Locale::ALL {
            let refused = error(
                FORM,
                "privacy-requests-error-details-missing",
                &[
                    ("kind", "correct"),
                    ("email", "ada@example.com"),
                    ("details", ""),
                ],
            );
            let mut context = ctx(None, refused);
            context.turnstile_site_key = Some("site-key".into());
            let html = render(
                locale,
                || view! { <RequestForm ctx=context.clone() kind=None /> },
            );
            check(&format!("privacy-request-{}", locale.tag()), &html);
            assert!(html.contains(&format!(r#"action="{}""#, locale.path("/privacy/requests"))));
            for kind in KINDS {
                assert!(html.contains(&format!(r#"value="{kind}""#)), "{kind}");
            }
            assert!(
                html.contains(r#"<option value="correct" selected"#),
                "{html}"
            );
            assert!(html.contains(r#"value="ada@example.com""#));
            assert!(html.contains(r#"name="details""#));
            assert!(html.contains(r#"aria-invalid="true""#));
            assert!(html.contains(r#"role="alert""#));
            assert!(html.contains(r#"data-action="privacy-request""#));
            assert!(!html.contains("readonly"));

            let mut context = ctx(Some(viewer()), None);
            context.turnstile_site_key = Some("site-key".into());
            let html = render(locale, || {
                view! { <RequestForm ctx=context.clone() kind=Some("delete".into()) /> }
            });
            check(
                &format!("privacy-request-signed-in-{}", locale.tag()),
                &html,
            );
            assert!(html.contains("readonly"));
            assert!(html.contains(r#"value="ada@example.com""#));
            assert!(html.contains(r#"<option value="delete" selected"#));
            assert!(
                !html.contains("data-sitekey"),
                "no challenge when signed in"
            );
            assert!(html.contains(&locale.path("/settings/privacy")));
        }
    }

    #[test]
    fn the_confirmation_page_posts_the_token_and_refuses_dead_links() {
        for locale in Locale::ALL {
            let link = Some(RequestLinkView::Request {
                id: "r1".into(),
                kind: "delete".into(),
                created_at: 1_700_000_000_000,
                verified: false,
            });
            let html = render(locale, || {
                view! { <VerifyRequest ctx=ctx(None, None) link=link.clone() token=Some("t0k".into()) /> }
            });
            check(&format!("privacy-request-verify-{}", locale.tag()), &html);
            assert!(html.contains(&format!(
                r#"action="{}""#,
                locale.path("/privacy/requests/verify")
            )));
            assert!(html.contains(r#"name="token" value="t0k""#));
            assert!(html.contains("2023-11-14 22:13 UTC"));

            let done = Some(RequestLinkView::Request {
                id: "r1".into(),
                kind: "delete".into(),
                created_at: 1_700_000_000_000,
                verified: true,
            });
            let html = render(locale, || {
                view! { <VerifyRequest ctx=ctx(None, None) link=done.clone() token=Some("t0k".into()) /> }
            });
            assert!(!html.contains("<form"));
            assert!(html.contains(&format!(
                r#"href="{}?token=t0k""#,
                locale.path("/privacy/requests/r1")
            )));

            let dead = Some(RequestLinkView::Refused {
                key: "privacy-requests-error-link-expired".into(),
            });
            let html = render(locale, || {
                view! { <VerifyRequest ctx=ctx(None, None) link=dead.clone() token=Some("t0k".into()) /> }
            });
            check(
                &format!("privacy-request-verify-dead-{}", locale.tag()),
                &html,
            );
            assert!(html.contains(r#"role="alert""#));
            assert!(!html.contains("<form"));
        }
    }

    #[test]
    fn the_status_shows_dates_extension_and_answer() {
        for locale in Locale::ALL {
            let request = PrivacyRequestView {
                id: "r1".into(),
                kind: "access".into(),
                status: "refused".into(),
                details: "Line one\nLine two".into(),
                created_at: 1_700_000_000_000,
                verified_at: Some(1_700_000_000_000),
                due_at: Some(1_705_184_000_000),
                extended_at: Some(1_701_000_000_000),
                extension_reason: Some("Six years of images.".into()),
                resolution: Some("Invoices stay as issued.".into()),
                closed_at: Some(1_702_000_000_000),
            };
            let html = render(
                locale,
                || view! { <RequestStatus request=request.clone() /> },
            );
            check(&format!("privacy-request-status-{}", locale.tag()), &html);
            assert!(html.contains("<p>Line one</p><p>Line two</p>"), "{html}");
            assert!(html.contains("Six years of images."));
            assert!(html.contains("Invoices stay as issued."));
            assert!(html.contains("2023-11-14 22:13 UTC"));
            assert!(html.contains(&locale.t("privacy-request-status-refused")));
            assert!(html.contains(&locale.t("privacy-request-complaint")));
        }
    }
}
