//! Tests of the workbench: reading the form, the credits, the rendered page.

use super::Workbench;
use super::fields::{CAMERA_ANGLES, CAMERA_LENSES, CAMERA_LIGHTING, STYLES};
use super::input::{parse_seed, pick, union};
use super::spending::{Spending, adjust, available, merge_task};
use super::studio::{Initial, MaskPlan, Problem, Studio};
use super::task_card::{STATUSES, TASK_ERRORS};
use crate::components::forms::test_support::{check, ctx, render, viewer};
use crate::i18n::Locale;
use crate::model::{Allowance, ModelOption, PageContext, TaskView, WorkbenchData};
use crate::model::{Flash, OutputView};
use leptos::prelude::*;

fn model(id: &str, offline: bool) -> ModelOption {
    ModelOption {
        id: id.into(),
        label: format!("Model {id}"),
        offline,
        prices: if offline {
            vec![("1K".into(), 1)]
        } else {
            vec![("1K".into(), 2), ("2K".into(), 4), ("4K".into(), 8)]
        },
        aspect_ratios: if offline {
            vec!["1:1".into(), "16:9".into()]
        } else {
            vec!["1:1".into(), "16:9".into(), "21:9".into()]
        },
        formats: vec!["png".into(), "webp".into()],
        max_references: if offline { 1 } else { 3 },
        mask: !offline,
    }
}

fn task(id: &str, status: &str, created_at: i64) -> TaskView {
    TaskView {
        id: id.into(),
        batch_id: "b-1".into(),
        status: status.into(),
        progress: (status == "running").then_some(40),
        model_id: "gemini".into(),
        model_label: "Model gemini".into(),
        prompt: "A banana in a boat".into(),
        cost: 2,
        error_code: None,
        created_at,
        outputs: Vec::new(),
    }
}

fn data(allowance: Allowance, tasks: Vec<TaskView>) -> WorkbenchData {
    WorkbenchData {
        signed_in: matches!(allowance, Allowance::Account { .. }),
        allowance,
        models: vec![model("local", true), model("gemini", false)],
        styles: STYLES.iter().map(|s| s.to_string()).collect(),
        max_upload_bytes: 10 * 1024 * 1024,
        tasks,
        csrf_token: "csrf-token-123".into(),
    }
}

fn page(locale: Locale, context: PageContext, data: WorkbenchData) -> String {
    render(locale, move || view! { <Workbench ctx=context data /> })
}

#[test]
fn the_form_offers_every_field_in_both_locales() {
    for locale in Locale::ALL {
        let html = page(
            locale,
            ctx(None, None),
            data(
                Allowance::Guest {
                    remaining: 5,
                    total: 10,
                },
                Vec::new(),
            ),
        );
        check(&format!("workbench-{}", locale.tag()), &html);
        assert!(html.contains(&format!(
            r#"action="{}" enctype="multipart/form-data""#,
            locale.path("/workbench")
        )));
        for id in [
            "workbench-form",
            "prompt",
            "model-local",
            "model-gemini",
            "reference-input",
            "drop-zone",
            "mask-input",
            "submit-generation",
            "cost-line",
            "allowance",
            "style",
            "aspect-ratio",
            "resolution",
            "format",
            "quantity",
            "seed",
            "camera-angle",
            "camera-lens",
            "camera-lighting",
            "character-consistency",
        ] {
            assert!(html.contains(&format!(r#"id="{id}""#)), "{id}");
        }
        for name in [
            "model",
            "prompt",
            "negative_prompt",
            "style",
            "seed",
            "aspect_ratio",
            "resolution",
            "format",
            "quantity",
            "camera_angle",
            "camera_lens",
            "camera_lighting",
            "character_consistency",
            "reference_files",
            "mask_file",
        ] {
            assert!(html.contains(&format!(r#"name="{name}""#)), "{name}");
        }
        assert!(html.contains(&format!(r#"name="locale" value="{}""#, locale.tag())));
        // The first model is chosen; before hydration every model's values are listed.
        assert!(html.contains(r#"id="model-local" value="local" checked"#));
        assert!(html.contains(r#"<option value="21:9">21:9</option>"#));
        assert!(html.contains(r#"<option value="4K">4K</option>"#));
        assert!(html.contains(r#"<option value="1K" selected>1K</option>"#));
        assert!(html.contains(r#"<option value="png" selected>PNG</option>"#));
        for style in STYLES {
            assert!(
                html.contains(&format!(r#"<option value="{style}">"#)),
                "{style}"
            );
        }
        // The browser-only tools are not in the server's page.
        assert!(!html.contains("mask-canvas") && !html.contains(r#"id="mask-mode""#));
        assert!(!html.contains(r#"http-equiv="refresh""#));
    }
}

#[test]
fn models_show_prices_and_the_offline_engine_by_name() {
    let html = page(
        Locale::En,
        ctx(None, None),
        data(
            Allowance::Guest {
                remaining: 5,
                total: 10,
            },
            Vec::new(),
        ),
    );
    assert!(html.contains("Offline engine"));
    assert!(html.contains("Not AI"));
    assert!(
        !html.contains(">Model local<"),
        "the offline engine's label is replaced"
    );
    assert!(html.contains("Model gemini"));
    assert!(html.contains("1K: 2 credits · 2K: 4 credits · 4K: 8 credits"));
    assert!(html.contains("1K: 1 credit"));
    assert!(html.contains("Edits up to 3 reference images · Mask editing"));
    assert!(html.contains("This will use 1 credit."));
    assert!(html.contains("Trial: 5 of 10 credits left as a guest."));
    let html = page(
        Locale::ZhCn,
        ctx(Some(viewer()), None),
        data(Allowance::Account { available: 120 }, Vec::new()),
    );
    assert!(html.contains("离线引擎") && html.contains("非 AI"));
    assert!(html.contains("本次将使用 1 点数。"));
    assert!(html.contains("你有 120 点数。"));
}

#[test]
fn a_shortfall_says_what_is_needed_and_where_to_get_more() {
    for (allowance, more) in [
        (
            Allowance::Guest {
                remaining: 0,
                total: 10,
            },
            "/sign-up",
        ),
        (Allowance::Account { available: 0 }, "/pricing"),
    ] {
        for locale in Locale::ALL {
            let html = page(locale, ctx(None, None), data(allowance.clone(), Vec::new()));
            assert!(html.contains(r#"id="shortfall""#), "{allowance:?}");
            assert!(html.contains(&format!(r#"href="{}""#, locale.path(more))));
        }
    }
    let html = page(
        Locale::En,
        ctx(None, None),
        data(Allowance::Account { available: 0 }, Vec::new()),
    );
    assert!(html.contains("This needs 1 credit and you have 0."));
    let html = page(
        Locale::En,
        ctx(None, None),
        data(Allowance::Account { available: 1 }, Vec::new()),
    );
    assert!(!html.contains(r#"id="shortfall""#));
}

#[test]
fn a_refused_form_comes_back_filled_in_with_its_error() {
    let flash = Flash {
        form: "generation".into(),
        error: Some("generation-error-prompt-too-long".into()),
        args: vec![("max".into(), "5000".into())],
        notice: None,
        fields: vec![
            ("model".into(), "gemini".into()),
            ("prompt".into(), "A <b>bold</b> banana".into()),
            ("resolution".into(), "2K".into()),
            ("quantity".into(), "3".into()),
            ("seed".into(), "42".into()),
            ("camera_lens".into(), "macro".into()),
            ("character_consistency".into(), "true".into()),
        ],
    };
    for locale in Locale::ALL {
        let html = page(
            locale,
            ctx(None, Some(flash.clone())),
            data(Allowance::Account { available: 100 }, Vec::new()),
        );
        check(&format!("workbench-refused-{}", locale.tag()), &html);
        assert!(html.contains(r#"role="alert""#));
        assert!(html.contains("5000"));
        assert!(html.contains(r#"id="model-gemini" value="gemini" checked"#));
        assert!(html.contains(">A &lt;b&gt;bold&lt;/b&gt; banana</textarea>"));
        assert!(html.contains(r#"<option value="2K" selected>2K</option>"#));
        assert!(html.contains(r#"<option value="3" selected>"#));
        assert!(html.contains(r#"<option value="macro" selected>"#));
        assert!(html.contains(r#"value="42""#));
        assert!(html.contains(r#"<details open class="advanced">"#));
        assert!(html.contains(r#"value="true" checked"#));
    }
    let html = page(
        Locale::En,
        ctx(None, Some(flash)),
        data(Allowance::Account { available: 100 }, Vec::new()),
    );
    assert!(html.contains("The prompt can be up to 5000 characters."));
    // 2K × 3 on the second model.
    assert!(html.contains("This will use 12 credits."));
}

#[test]
fn a_prompt_from_the_address_fills_the_prompt_field() {
    let given = Some("A <i>pear</i> at dawn".to_string());
    let with_prompt = |flash: Option<Flash>| {
        let prompt = given.clone();
        render(Locale::En, move || {
            let data = data(Allowance::Account { available: 10 }, Vec::new());
            view! { <Workbench ctx=ctx(None, flash) data prompt /> }
        })
    };
    let html = with_prompt(None);
    assert!(
        html.contains(">A &lt;i&gt;pear&lt;/i&gt; at dawn</textarea>"),
        "{html}"
    );
    // What a refused form brings back wins over the address.
    let flash = Flash {
        form: "generation".into(),
        error: Some("generation-error-empty-prompt".into()),
        fields: vec![("prompt".into(), "typed again".into())],
        ..Flash::default()
    };
    let html = with_prompt(Some(flash));
    assert!(html.contains(">typed again</textarea>") && !html.contains("&lt;i&gt;pear"));
}

#[test]
fn tasks_show_their_status_results_and_cancel_forms() {
    let mut done = task("t-done", "succeeded", 3_000);
    done.outputs = vec![OutputView {
        id: "o-1".into(),
        url: "/files/full.webp?sig=1".into(),
        thumb_url: "/files/thumb.webp?sig=1".into(),
        width: 1024,
        height: 768,
        content_type: "image/webp".into(),
    }];
    let mut refused = task("t-refused", "refused", 2_000);
    refused.error_code = Some("refused-prompt".into());
    let mut odd = task("t-odd", "failed", 1_000);
    odd.error_code = Some("something-new".into());
    let tasks = vec![
        task("t-queued", "queued", 5_000),
        task("t-running", "running", 4_000),
        done,
        refused,
        odd,
        task("t-cancelled", "cancelled", 500),
    ];
    for locale in Locale::ALL {
        let html = page(
            locale,
            ctx(Some(viewer()), None),
            data(Allowance::Account { available: 100 }, tasks.clone()),
        );
        check(&format!("workbench-tasks-{}", locale.tag()), &html);
        for (id, status) in [
            ("t-queued", "queued"),
            ("t-running", "running"),
            ("t-done", "succeeded"),
            ("t-refused", "refused"),
            ("t-odd", "failed"),
            ("t-cancelled", "cancelled"),
        ] {
            assert!(
                html.contains(&format!(r#"data-task-id="{id}" data-status="{status}""#)),
                "{id}"
            );
        }
        // Newest first.
        assert!(html.find("t-queued").unwrap() < html.find("t-cancelled").unwrap());
        assert_eq!(html.matches("task-cancel-form").count(), 1);
        assert!(html.contains(&format!(
            r#"action="{}""#,
            locale.path("/workbench/tasks/t-queued/cancel")
        )));
        assert!(html.contains(r#"class="button small danger task-cancel">"#));
        assert!(html.contains(r#"class="result-thumb">"#));
        assert!(html.contains(r#"<progress max="100" value="40""#));
        assert!(html.contains(r#"href="/files/full.webp?sig=1" target="_blank" rel="noopener""#));
        assert!(html.contains(r#"<img src="/files/thumb.webp?sig=1""#));
        assert!(html.contains(r#"download="banana-nano-t-done-1.webp""#));
        assert!(html.contains(r#"aria-live="polite""#));
        // Still working: the page reloads itself without JavaScript.
        assert!(html.contains(r#"<noscript><meta http-equiv="refresh" content="3"></noscript>"#));
    }
    let html = page(
        Locale::En,
        ctx(Some(viewer()), None),
        data(Allowance::Account { available: 100 }, tasks.clone()),
    );
    assert!(html.contains("The prompt was refused under the content policy."));
    assert!(html.contains("This image could not be made."));
    assert!(html.contains("Running") && html.contains("40%"));
    let finished: Vec<_> = tasks.into_iter().filter(|t| t.is_done()).collect();
    let html = page(
        Locale::En,
        ctx(Some(viewer()), None),
        data(Allowance::Account { available: 100 }, finished),
    );
    assert!(!html.contains(r#"http-equiv="refresh""#));
    assert!(!html.contains("task-cancel"));
}

#[test]
fn without_models_the_page_says_so() {
    let mut empty = data(Allowance::Account { available: 1 }, Vec::new());
    empty.models.clear();
    let html = page(Locale::En, ctx(None, None), empty);
    assert!(html.contains("No image models are available right now."));
    assert!(!html.contains("workbench-form"));
}

#[test]
fn news_of_a_task_replaces_it_or_lands_in_time_order() {
    let mut tasks = vec![task("b", "queued", 200), task("a", "succeeded", 100)];
    merge_task(&mut tasks, task("c", "queued", 300));
    merge_task(&mut tasks, task("between", "queued", 150));
    let ids: Vec<_> = tasks.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, ["c", "b", "between", "a"]);
    merge_task(&mut tasks, task("b", "running", 200));
    assert_eq!(tasks[1].status, "running");
    merge_task(&mut tasks, task("b", "failed", 200));
    // A late "running" does not bring a failed task back.
    merge_task(&mut tasks, task("b", "running", 200));
    assert_eq!(tasks[1].status, "failed");
    assert_eq!(tasks.len(), 4);
}

#[test]
fn credits_follow_what_tasks_cost_and_give_back() {
    let mut spending = Spending::new(&[
        task("old-running", "running", 1),
        task("old-done", "succeeded", 1),
    ]);
    // Loaded tasks are already paid for; a held one that fails gives its credits back.
    assert_eq!(spending.observe(&task("old-done", "succeeded", 1)), 0);
    assert_eq!(spending.observe(&task("old-running", "failed", 1)), 2);
    assert_eq!(spending.observe(&task("old-running", "failed", 1)), 0);
    // A new task is paid for once, and given back once when cancelled.
    assert_eq!(spending.observe(&task("new", "queued", 2)), -2);
    assert_eq!(spending.observe(&task("new", "running", 2)), 0);
    assert_eq!(spending.observe(&task("new", "cancelled", 2)), 2);
    assert_eq!(spending.observe(&task("new", "cancelled", 2)), 0);
    // A new task that succeeded was paid for; one first heard of as refused was not.
    assert_eq!(spending.observe(&task("fast", "succeeded", 3)), -2);
    assert_eq!(spending.observe(&task("refused", "refused", 3)), 0);
    assert_eq!(spending.observe(&task("kept", "queued", 3)), -2);
    assert_eq!(spending.observe(&task("kept", "succeeded", 3)), 0);

    let mut guest = Allowance::Guest {
        remaining: 3,
        total: 10,
    };
    adjust(&mut guest, -5);
    assert_eq!(
        guest,
        Allowance::Guest {
            remaining: 0,
            total: 10
        }
    );
    adjust(&mut guest, 20);
    assert_eq!(
        guest,
        Allowance::Guest {
            remaining: 10,
            total: 10
        }
    );
    let mut account = Allowance::Account { available: 5 };
    adjust(&mut account, -2);
    assert_eq!(available(&account), 3);
}

#[test]
fn the_studio_merges_news_into_tasks_and_credits() {
    let owner = Owner::new();
    owner.with(|| {
        provide_context(Locale::En);
        let data = data(
            Allowance::Account { available: 10 },
            vec![task("old", "queued", 1)],
        );
        let initial = Initial::new(&data.models, |_| None);
        let studio = Studio::new(&data, &initial, Locale::En, Signal::derive(|| true));
        studio.receive(task("new", "queued", 5));
        assert_eq!(
            studio.allowance.get_untracked(),
            Allowance::Account { available: 8 }
        );
        studio.receive(task("old", "refused", 1));
        assert_eq!(
            studio.allowance.get_untracked(),
            Allowance::Account { available: 10 }
        );
        let ids: Vec<_> = studio
            .tasks
            .with_untracked(|ts| ts.iter().map(|t| t.id.clone()).collect());
        assert_eq!(ids, ["new", "old"]);
    });
}

#[test]
fn the_request_carries_the_form_as_the_endpoint_takes_it() {
    let owner = Owner::new();
    owner.with(|| {
        provide_context(Locale::ZhCn);
        let data = data(Allowance::Account { available: 100 }, Vec::new());
        let initial = Initial::new(&data.models, |_| None);
        let studio = Studio::new(&data, &initial, Locale::ZhCn, Signal::derive(|| true));
        let c = studio.choices;
        assert_eq!(
            studio.prepare(),
            Err(Problem::Message(
                Locale::ZhCn.t("generation-error-empty-prompt")
            ))
        );
        c.prompt.set("  a banana  ".into());
        c.model.set("gemini".into());
        c.resolution.set("4K".into());
        c.aspect_ratio.set("9:16".into()); // not offered: the model's first
        c.quantity.set(2);
        c.camera_lens.set("macro".into());
        c.negative_prompt.set("   ".into());
        c.seed.set("12".into());
        let (input, mask) = studio.prepare().unwrap();
        assert_eq!(mask, MaskPlan::None);
        let json = serde_json::to_value(&input).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "model": "gemini",
                "prompt": "a banana",
                "negative_prompt": null,
                "style": null,
                "seed": 12,
                "aspect_ratio": "1:1",
                "resolution": "4K",
                "format": "png",
                "quantity": 2,
                "camera_angle": null,
                "camera_lens": "macro",
                "camera_lighting": null,
                "character_consistency": false,
                "references": [],
                "mask": null,
                "locale": "zh-CN",
            })
        );
        c.seed.set("-1".into());
        assert_eq!(
            studio.prepare(),
            Err(Problem::Message(Locale::ZhCn.t("workbench-error-seed")))
        );
        c.seed.set(String::new());
        c.quantity.set(4);
        studio.allowance.set(Allowance::Account { available: 31 });
        assert_eq!(
            studio.prepare(),
            Err(Problem::Shortfall {
                required: 32,
                available: 31
            })
        );
    });
}

#[test]
fn every_named_value_has_a_name_in_both_locales() {
    let families: [(&str, &[&str]); 6] = [
        ("workbench-status", STATUSES),
        ("workbench-style", STYLES),
        ("workbench-task-error", TASK_ERRORS),
        ("workbench-camera-angle", CAMERA_ANGLES),
        ("workbench-camera-lens", CAMERA_LENSES),
        ("workbench-camera-lighting", CAMERA_LIGHTING),
    ];
    for locale in Locale::ALL {
        for (prefix, values) in families {
            for value in values {
                let key = format!("{prefix}-{value}");
                assert_ne!(locale.t(&key), key, "{}", locale.tag());
            }
        }
    }
}

#[test]
fn seeds_are_empty_or_whole_numbers() {
    assert_eq!(parse_seed(""), Ok(None));
    assert_eq!(parse_seed("  "), Ok(None));
    assert_eq!(parse_seed(" 42 "), Ok(Some(42)));
    assert_eq!(parse_seed("18446744073709551615"), Ok(Some(u64::MAX)));
    assert_eq!(parse_seed("4.5"), Err(()));
    assert_eq!(parse_seed("-3"), Err(()));
    assert_eq!(parse_seed("abc"), Err(()));
}

#[test]
fn choices_fall_back_to_what_the_model_offers() {
    let offered = vec!["1:1".to_string(), "16:9".to_string()];
    assert_eq!(pick(&offered, "16:9"), "16:9");
    assert_eq!(pick(&offered, "21:9"), "1:1");
    assert_eq!(pick(&[], "21:9"), "21:9");
    assert_eq!(
        union([offered.clone(), vec!["21:9".into(), "1:1".into()]]),
        ["1:1", "16:9", "21:9"]
    );
}
