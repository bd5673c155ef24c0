//! Render tests of the rights request pages.

use super::form::RequestForm;
use super::status::RequestStatus;
use super::verify::VerifyRequest;
use super::{FORM, KINDS, MAX_DETAILS};
use crate::api::{PrivacyRequestView, RequestLinkView};
use crate::components::forms::test_support::{check, ctx, error, render, viewer};
use crate::i18n::Locale;
use leptos::prelude::*;

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
