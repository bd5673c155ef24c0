//! Render tests of the support pages and the person's tickets.

use super::confirm::ConfirmTicket;
use super::form::SupportForm;
use super::thread::Thread;
use super::{FORM, MAX_MESSAGE, REPLY_FORM, TOPICS};
use crate::components::forms::test_support::{check, ctx, error, render, viewer};
use crate::i18n::Locale;
use crate::model::{
    SupportLinkView, SupportMessageView, SupportScreenshot, SupportThreadView, SupportTicketSummary,
};
use crate::pages::settings::support::SupportTickets;
use leptos::prelude::*;

#[test]
fn the_limits_and_topics_match_the_servers() {
    assert_eq!(MAX_MESSAGE as usize, domain::support::MAX_MESSAGE);
    let topics: Vec<&str> = domain::support::Topic::ALL.iter().map(|t| t.id()).collect();
    assert_eq!(topics, TOPICS);
}

#[test]
fn the_form_takes_a_screenshot_and_asks_visitors_for_their_address() {
    for locale in Locale::ALL {
        let refused = error(
            FORM,
            "support-error-screenshot-too-large",
            &[
                ("topic", "billing"),
                ("email", "guest@example.com"),
                ("message", "Help"),
            ],
        );
        let mut context = ctx(None, refused);
        context.turnstile_site_key = Some("site-key".into());
        let html = render(
            locale,
            || view! { <SupportForm ctx=context.clone() topic=None /> },
        );
        check(&format!("support-{}", locale.tag()), &html);
        assert!(html.contains(&format!(r#"action="{}""#, locale.path("/support"))));
        assert!(html.contains(r#"enctype="multipart/form-data""#));
        assert!(html.contains(r#"type="file""#) && html.contains(r#"name="screenshot""#));
        assert!(
            html.contains(r#"<option value="billing" selected"#),
            "{html}"
        );
        assert!(html.contains(r#"value="guest@example.com""#));
        assert!(html.contains(">Help</textarea>"));
        assert!(html.contains(r#"data-action="support""#));
        assert!(html.contains(&locale.path("/privacy/requests")));
        assert!(html.contains("5 MB"), "the limit is named");

        let context = ctx(Some(viewer()), None);
        let html = render(locale, || {
            view! { <SupportForm ctx=context.clone() topic=Some("privacy".into()) /> }
        });
        check(&format!("support-signed-in-{}", locale.tag()), &html);
        assert!(html.contains("readonly"));
        assert!(
            !html.contains(r#"name="email""#),
            "the account's address is used"
        );
        assert!(
            !html.contains("data-sitekey"),
            "no challenge when signed in"
        );
        assert!(html.contains(&locale.path("/settings/support")));
    }
}

fn thread(status: &str, topic: &str) -> SupportThreadView {
    SupportThreadView {
        id: "t1".into(),
        topic: topic.into(),
        status: status.into(),
        created_at: 1_800_000_000_000,
        closed_at: None,
        messages: vec![
            SupportMessageView {
                author: "person".into(),
                body: "My credits vanished.\nTwice.".into(),
                created_at: 1_800_000_000_000,
                screenshots: vec![SupportScreenshot {
                    url: "/files/support/t1/a.png?expires=1&sig=ab".into(),
                    width: 800,
                    height: 600,
                }],
            },
            SupportMessageView {
                author: "staff".into(),
                body: "They are back.".into(),
                created_at: 1_800_000_100_000,
                screenshots: Vec::new(),
            },
        ],
    }
}

#[test]
fn a_thread_shows_both_sides_and_a_reply_form_until_closed() {
    for locale in Locale::ALL {
        let refused = error(
            REPLY_FORM,
            "support-error-message-missing",
            &[("message", "")],
        );
        let context = ctx(None, refused);
        let html = render(locale, || {
            view! {
                <Thread
                    ctx=context.clone()
                    thread=thread("answered", "privacy")
                    reply_action="/support/tickets/t1/reply".to_string()
                    token="sig".to_string()
                />
            }
        });
        check(&format!("support-thread-{}", locale.tag()), &html);
        assert!(
            html.contains("<p>My credits vanished.</p><p>Twice.</p>"),
            "{html}"
        );
        assert!(html.contains("They are back."));
        assert!(html.contains(&locale.t("support-author-staff")));
        assert!(html.contains(r#"src="/files/support/t1/a.png?expires=1&amp;sig=ab""#));
        assert!(html.contains(r#"action="/support/tickets/t1/reply""#));
        assert!(html.contains(r#"name="token" value="sig""#));
        assert!(
            html.contains(&locale.path("/privacy/requests")),
            "the rights form"
        );
        assert!(html.contains(r#"aria-invalid="true""#));

        let context = ctx(Some(viewer()), None);
        let html = render(locale, || {
            view! {
                <Thread
                    ctx=context.clone()
                    thread=thread("closed", "billing")
                    reply_action="/settings/support/t1/reply".to_string()
                />
            }
        });
        assert!(!html.contains("<form"), "a closed thread takes no reply");
        assert!(html.contains(&locale.t("support-thread-closed")));
        assert!(!html.contains(&locale.path("/privacy/requests")));
    }
}

#[test]
fn the_confirmation_page_posts_the_token_and_refuses_dead_links() {
    for locale in Locale::ALL {
        let link = Some(SupportLinkView::Ticket {
            topic: "account".into(),
            created_at: 1_800_000_000_000,
            confirmed: false,
        });
        let context = ctx(None, None);
        let html = render(locale, || {
            view! { <ConfirmTicket ctx=context.clone() link=link.clone() token=Some("tok".into()) /> }
        });
        check(&format!("support-confirm-{}", locale.tag()), &html);
        assert!(html.contains(&format!(r#"action="{}""#, locale.path("/support/confirm"))));
        assert!(html.contains(r#"name="token" value="tok""#));
        let dead = Some(SupportLinkView::Refused {
            key: "support-error-link-expired".into(),
        });
        let html = render(locale, || {
            view! { <ConfirmTicket ctx=context.clone() link=dead.clone() token=Some("tok".into()) /> }
        });
        assert!(html.contains(&locale.t("support-error-link-expired")));
        assert!(!html.contains("<form"));
    }
}

#[test]
fn the_settings_list_links_every_ticket() {
    for locale in Locale::ALL {
        let tickets = vec![SupportTicketSummary {
            id: "t1".into(),
            topic: "generation".into(),
            status: "open".into(),
            created_at: 1_800_000_000_000,
            updated_at: 1_800_000_000_000,
            preview: "The result was blank.".into(),
        }];
        let context = ctx(Some(viewer()), None);
        let html = render(locale, || {
            view! { <SupportTickets ctx=context.clone() viewer=viewer() tickets=Some(tickets.clone()) /> }
        });
        check(&format!("support-settings-{}", locale.tag()), &html);
        assert!(html.contains(&format!(
            r#"href="{}""#,
            locale.path("/settings/support/t1")
        )));
        assert!(html.contains("The result was blank."));
        assert!(html.contains(r#"aria-current="page""#));
        let html = render(locale, || {
            view! { <SupportTickets ctx=context.clone() viewer=viewer() tickets=Some(Vec::new()) /> }
        });
        assert!(html.contains(&locale.t("support-settings-empty")));
    }
}
