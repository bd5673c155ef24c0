//! Render tests of the dashboard: every part in both locales, the notices' links, the
//! prompt box's plain form, and an empty dashboard.

use super::Dashboard;
use super::notices::notice_text;
use crate::components::forms::test_support::{check, ctx, render, viewer};
use crate::i18n::Locale;
use crate::model::{BalanceView, DashboardView, NoticeView, OutputView, TaskView};
use leptos::prelude::*;

/// 2030-01-15 12:00 UTC.
const JAN_15: i64 = 1_894_708_800_000;

fn task(id: &str, status: &str, progress: Option<u8>, outputs: bool) -> TaskView {
    TaskView {
        id: id.into(),
        batch_id: "b-1".into(),
        status: status.into(),
        progress,
        model_id: "offline".into(),
        model_label: "Offline".into(),
        prompt: format!("A banana {id}"),
        cost: 1,
        error_code: None,
        created_at: JAN_15,
        outputs: outputs
            .then(|| OutputView {
                id: format!("{id}-out"),
                url: format!("/files/results/{id}.png?sig=1&exp=2"),
                thumb_url: format!("/files/thumbs/{id}.webp?sig=1&exp=2"),
                width: 1024,
                height: 576,
                content_type: "image/png".into(),
            })
            .into_iter()
            .collect(),
    }
}

fn every_notice() -> Vec<NoticeView> {
    vec![
        NoticeView::PolicyChanged {
            doc: "terms".into(),
            effective_at: JAN_15,
        },
        NoticeView::PaymentFailed {
            number: "BN-20300115-7KQ2MX".into(),
            ordered_at: JAN_15,
        },
        NoticeView::ExportReady {
            expires_at: JAN_15 + 7 * 24 * 3600 * 1000,
        },
        NoticeView::RequestAnswered {
            id: "req-1".into(),
            kind: "delete".into(),
            status: "refused".into(),
        },
    ]
}

fn full() -> DashboardView {
    DashboardView {
        balance: BalanceView {
            available: 42,
            held: 2,
            frozen: 0,
            debt: 0,
            total: 42,
        },
        expiring_soon: 12,
        next_expiry: Some(JAN_15),
        running: vec![
            task("run", "running", Some(40), false),
            task("wait", "queued", None, false),
        ],
        latest: vec![task("done", "succeeded", Some(100), true)],
        notices: every_notice(),
    }
}

fn page(locale: Locale, data: Option<DashboardView>) -> String {
    render(locale, move || {
        view! { <Dashboard ctx=ctx(Some(viewer()), None) viewer=viewer() data /> }
    })
}

/// The prompt box is the one form that reads (`GET`) instead of posting: left out of the
/// check that every form posts with its token, after checking it on its own.
fn without_prompt_form(locale: Locale, html: &str) -> String {
    let opening = format!(
        r#"<form method="get" action="{}" class="dashboard-prompt-form">"#,
        locale.path("/workbench")
    );
    let start = html.find(&opening).expect("the prompt box's form");
    let end = start + html[start..].find("</form>").unwrap() + "</form>".len();
    let form = &html[start..end];
    assert!(form.contains(r#"name="prompt""#) && form.contains("required"));
    assert!(form.contains(r#"maxlength="5000""#));
    assert!(!form.contains("csrf_token"), "a GET form carries no token");
    format!("{}{}", &html[..start], &html[end..])
}

#[test]
fn every_part_shows_in_both_locales() {
    for locale in Locale::ALL {
        let html = page(locale, Some(full()));
        check(
            &format!("dashboard-{}", locale.tag()),
            &without_prompt_form(locale, &html),
        );
        let greeting = locale.t_args("dashboard-heading", &[("name", "Ada Lovelace".into())]);
        assert!(html.contains(&format!("<h1>{greeting}</h1>")), "{html}");
        // The way to the settings and out of the account.
        assert!(html.contains(&format!(r#"href="{}""#, locale.path("/settings/profile"))));
        assert!(html.contains(r#"<form method="post" action="/sign-out" class="sign-out">"#));
        // The balance, what expires soon and when, what is held.
        assert!(html.contains(r#"data-testid="dashboard-balance">42<"#));
        let expiring = locale.t_args("dashboard-expiring-soon", &[("credits", 12i64.into())]);
        assert!(html.contains(&expiring));
        assert!(html.contains("2030-01-15"));
        let held = locale.t_args("dashboard-balance-held", &[("credits", 2i64.into())]);
        assert!(html.contains(&held));
        assert!(html.contains(&format!(r#"href="{}""#, locale.path("/pricing"))));
        // Under way: the running task with its progress, the queued one waiting.
        assert!(html.contains(r#"data-task-id="run" data-status="running""#));
        assert!(html.contains(r#"<progress max="100" value="40""#));
        assert!(html.contains(r#"data-task-id="wait" data-status="queued""#));
        assert!(html.contains(&locale.t("dashboard-task-waiting")));
        // The result's thumbnail leads to its task on the workbench.
        assert!(html.contains(&format!(
            r##"href="{}#task-done""##,
            locale.path("/workbench")
        )));
        assert!(html.contains(r#"src="/files/thumbs/done.webp?sig=1&amp;exp=2""#));
        assert!(html.contains(r#"alt="A banana done""#));
        // Every notice, in order.
        let kinds: Vec<_> = html
            .split("data-notice=\"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .collect();
        assert_eq!(kinds, ["policy", "payment", "export", "request"]);
        assert!(html.contains(r#"data-notice="payment" class="alert error""#));
    }
}

#[test]
fn notices_link_where_the_person_acts_on_them() {
    let [policy, payment, export, request] = every_notice().try_into().unwrap();
    let en = |notice| notice_text(Locale::En, &notice);
    let policy = en(policy);
    assert_eq!(policy.href, "/terms");
    assert!(policy.text.contains("terms of service") && policy.text.contains("2030-01-15"));
    let payment = en(payment);
    assert_eq!((payment.href.as_str(), payment.tone), ("/pricing", "error"));
    assert!(payment.text.contains("BN-20300115-7KQ2MX"));
    let export = en(export);
    assert_eq!(export.href, "/settings/privacy#privacy-export-heading");
    assert!(export.text.contains("2030-01-22"), "{}", export.text);
    let request = en(request);
    assert_eq!(request.href, "/privacy/requests/req-1");
    assert!(request.text.contains("could not do what it asks"));
    assert!(
        request
            .text
            .contains(&Locale::En.t("privacy-request-kind-delete"))
    );

    let zh = |notice| notice_text(Locale::ZhCn, &notice);
    let subprocessors = zh(NoticeView::PolicyChanged {
        doc: "subprocessors".into(),
        effective_at: JAN_15,
    });
    assert_eq!(subprocessors.href, "/zh-CN/legal/subprocessors");
    assert!(subprocessors.text.contains("子处理方列表"));
    let done = zh(NoticeView::RequestAnswered {
        id: "req-2".into(),
        kind: "access".into(),
        status: "completed".into(),
    });
    assert_eq!(done.href, "/zh-CN/privacy/requests/req-2");
    assert!(done.text.contains("已办理完成") && done.text.contains("访问"));
}

#[test]
fn an_empty_dashboard_says_so() {
    for locale in Locale::ALL {
        let data = DashboardView {
            balance: BalanceView::default(),
            expiring_soon: 0,
            next_expiry: None,
            running: Vec::new(),
            latest: Vec::new(),
            notices: Vec::new(),
        };
        let html = page(locale, Some(data));
        check(
            &format!("dashboard-empty-{}", locale.tag()),
            &without_prompt_form(locale, &html),
        );
        assert!(html.contains(&locale.t("dashboard-running-empty")));
        assert!(html.contains(&locale.t("dashboard-latest-empty")));
        assert!(!html.contains("data-notice="));
        assert!(!html.contains("dashboard-notices"));
        assert!(!html.contains(r#"data-testid="dashboard-expiring""#));
    }
}

#[test]
fn a_negative_balance_and_a_failed_load_are_explained() {
    let mut data = full();
    data.balance.total = -5;
    data.balance.debt = 47;
    let html = page(Locale::En, Some(data));
    assert!(html.contains(r#"class="balance-total negative""#));
    assert!(html.contains(&Locale::En.t("dashboard-balance-negative")));
    let html = page(Locale::En, None);
    assert!(html.contains(&Locale::En.t("error-internal")));
    assert!(!html.contains("dashboard-grid"));
}
