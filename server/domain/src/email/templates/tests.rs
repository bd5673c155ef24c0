use super::*;
use crate::escape_html as escape;

const PUBLIC_URL: &str = "https://studio.banana.test";

fn every_message(name: &str) -> Vec<Message> {
    let link = |path: &str| format!("{PUBLIC_URL}/{path}?token=t0k3n");
    vec![
        Message::VerifyEmail {
            name: name.into(),
            link: link("verify-email"),
        },
        Message::ResetPassword {
            name: name.into(),
            link: link("reset-password"),
        },
        Message::ConfirmNewEmail {
            name: name.into(),
            link: link("confirm-email"),
        },
        Message::EmailChanged {
            name: name.into(),
            new_email: "new@example.com".into(),
        },
        Message::PasswordChanged { name: name.into() },
        Message::AdminInvite {
            link: link("admin/invite"),
        },
        Message::AccountExists {
            name: name.into(),
            link: format!("{PUBLIC_URL}/sign-in"),
        },
        Message::Marketing {
            name: name.into(),
            subject: "Spring styles are here".into(),
            body: "Twelve new styles.\n\nTry them in the workbench.".into(),
            unsubscribe: link("unsubscribe"),
            preferences: format!("{PUBLIC_URL}/settings/notifications"),
        },
        Message::BreachNotice {
            name: name.into(),
            summary: "A backup copy was readable by an outside party.".into(),
            categories: vec![
                crate::registry::DataCategory::Account,
                crate::registry::DataCategory::UploadsPrompts,
            ],
            detected_on: "2027-03-01".into(),
            contact: "privacy@banana.test".into(),
        },
        Message::PolicyUpdated {
            name: name.into(),
            doc: "terms".into(),
            version: "2027-01-10".into(),
            link: format!("{PUBLIC_URL}/terms"),
        },
        Message::PrivacyRequestVerify {
            kind: "delete".into(),
            link: link("privacy/requests/verify"),
        },
        Message::PrivacyRequestReceived {
            kind: "access".into(),
            due: "2027-02-01".into(),
            link: link("privacy/requests/0193"),
        },
        Message::PrivacyRequestExtended {
            kind: "port".into(),
            due: "2027-03-03".into(),
            reason: "Your archive spans many years.".into(),
        },
        Message::PrivacyRequestClosed {
            kind: "correct".into(),
            outcome: "refused".into(),
            resolution: "The invoice address must stay as billed.".into(),
        },
        Message::DataExportReady {
            name: name.into(),
            link: link("settings/privacy/exports/0193"),
            expires: "2027-02-08 10:30 UTC".into(),
        },
        Message::AccountDeleted { name: name.into() },
        Message::SupportTicketConfirm {
            topic: "billing".into(),
            link: link("support/confirm"),
        },
        Message::SupportReply {
            topic: "generation".into(),
            body: "Your credits are back.\n\nSorry for the wait.".into(),
            link: link("support/tickets/0193"),
        },
    ]
}

#[test]
fn every_message_renders_in_every_locale_with_no_missing_text() {
    for lang in Lang::ALL {
        for message in every_message("Ada") {
            // Strict: a key missing in this locale fails here instead of quietly
            // falling back to English.
            let rendered = message
                .try_render(lang, PUBLIC_URL)
                .unwrap_or_else(|m| panic!("{} lacks `{}` for {:?}", m.locale, m.key, message));
            assert!(!rendered.subject.trim().is_empty());
            assert!(!rendered.subject.contains('\n'), "{}", rendered.subject);
            assert!(
                rendered
                    .html
                    .contains(&format!(r#"<html lang="{}""#, lang.tag())),
                "{:?}",
                message
            );
            assert!(rendered.html.contains("<h1 "));
            for part in [&rendered.html, &rendered.text] {
                assert!(part.contains(PUBLIC_URL), "footer links the site");
                assert!(
                    !part.contains("email-"),
                    "an untranslated key slipped through"
                );
                assert!(!part.contains('{'), "an unfilled placeable: {part}");
            }
            let expected_link = match &message {
                Message::VerifyEmail { link, .. }
                | Message::ResetPassword { link, .. }
                | Message::ConfirmNewEmail { link, .. }
                | Message::AdminInvite { link }
                | Message::AccountExists { link, .. }
                | Message::PolicyUpdated { link, .. }
                | Message::PrivacyRequestVerify { link, .. }
                | Message::PrivacyRequestReceived { link, .. }
                | Message::DataExportReady { link, .. }
                | Message::SupportTicketConfirm { link, .. }
                | Message::SupportReply { link, .. } => Some(link.clone()),
                Message::PasswordChanged { .. } => Some(format!(
                    "{PUBLIC_URL}{}/forgot-password",
                    lang.path_prefix()
                )),
                Message::BreachNotice { .. } => Some(format!(
                    "{PUBLIC_URL}{}/settings/security",
                    lang.path_prefix()
                )),
                Message::EmailChanged { .. }
                | Message::Marketing { .. }
                | Message::PrivacyRequestExtended { .. }
                | Message::PrivacyRequestClosed { .. }
                | Message::AccountDeleted { .. } => None,
            };
            if let Some(link) = expected_link {
                // The button and the copyable raw link, in both parts.
                assert_eq!(rendered.html.matches(&escape(&link)).count(), 3, "{link}");
                assert!(rendered.text.contains(&link));
            }
            if let Message::EmailChanged { new_email, .. } = &message {
                assert!(rendered.html.contains(new_email.as_str()));
                assert!(rendered.text.contains(new_email.as_str()));
            }
            if !matches!(message, Message::AdminInvite { .. }) && !message.is_privacy_request() {
                assert!(rendered.text.contains("Ada"), "greets by name");
            }
        }
    }
}

#[test]
fn marketing_email_shows_the_operators_words_escaped_and_how_to_stop_it() {
    let unsubscribe = format!("{PUBLIC_URL}/unsubscribe?token=u1.abc");
    let message = Message::Marketing {
        name: "Ada".into(),
        subject: "News\r\nBcc: x@example.com".into(),
        body: "<b>Bold</b> & new\r\n\r\nSecond paragraph".into(),
        unsubscribe: unsubscribe.clone(),
        preferences: format!("{PUBLIC_URL}/settings/notifications"),
    };
    for lang in Lang::ALL {
        let rendered = message.try_render(lang, PUBLIC_URL).unwrap();
        assert_eq!(rendered.subject, "News Bcc: x@example.com");
        assert!(!rendered.html.contains("<b>"));
        assert!(
            rendered
                .html
                .contains("&lt;b&gt;Bold&lt;/b&gt; &amp; new</p>")
        );
        assert!(rendered.html.contains(">Second paragraph</p>"));
        assert!(rendered.html.contains(&format!(r#"href="{unsubscribe}""#)));
        assert!(
            rendered
                .html
                .contains(&format!(r#"href="{PUBLIC_URL}/settings/notifications""#))
        );
        assert!(rendered.text.contains(&unsubscribe));
        assert!(rendered.text.contains("/settings/notifications"));
    }
    assert_eq!(
        message.headers(),
        vec![
            ("List-Unsubscribe".to_string(), format!("<{unsubscribe}>")),
            (
                "List-Unsubscribe-Post".to_string(),
                "List-Unsubscribe=One-Click".to_string()
            ),
        ]
    );
    assert!(
        Message::PasswordChanged { name: "Ada".into() }
            .headers()
            .is_empty(),
        "service email has no unsubscribe"
    );
}

#[test]
fn breach_notices_name_what_happened_and_the_data_in_each_language() {
    let message = Message::BreachNotice {
        name: "Ada".into(),
        summary: "A <backup> leaked.".into(),
        categories: vec![
            crate::registry::DataCategory::Account,
            crate::registry::DataCategory::OrdersPayments,
        ],
        detected_on: "2027-03-01".into(),
        contact: "privacy@banana.test".into(),
    };
    let en = message.try_render(Lang::En, PUBLIC_URL).unwrap();
    let zh = message.try_render(Lang::ZhCn, PUBLIC_URL).unwrap();
    for rendered in [&en, &zh] {
        assert!(rendered.text.contains("A <backup> leaked."));
        assert!(rendered.html.contains("A &lt;backup&gt; leaked."));
        assert!(rendered.text.contains("2027-03-01"));
        assert!(rendered.text.contains("privacy@banana.test"));
    }
    let names = |lang: Lang| {
        ["email-category-account", "email-category-orders-payments"].map(|key| {
            LOCALES
                .lookup_single_language(lang.langid(), key, NO_ARGS)
                .unwrap()
        })
    };
    let [account, payments] = names(Lang::En);
    assert!(
        en.text.contains(&format!("{account}, {payments}")),
        "{}",
        en.text
    );
    let [account, payments] = names(Lang::ZhCn);
    assert!(
        zh.text.contains(&format!("{account}、{payments}")),
        "{}",
        zh.text
    );
    assert!(message.headers().is_empty());
}

#[test]
fn every_data_category_has_a_name_in_email() {
    for lang in Lang::ALL {
        for category in crate::registry::DataCategory::ALL {
            let key = format!("email-category-{}", category.id());
            assert!(
                LOCALES
                    .lookup_single_language(lang.langid(), &key, NO_ARGS)
                    .is_ok(),
                "{} lacks {key}",
                lang.tag()
            );
        }
    }
}

#[test]
fn both_locales_define_the_same_texts() {
    let keys = |file: &str| {
        let mut keys: Vec<String> = file
            .lines()
            .filter(|l| !l.starts_with('#') && !l.starts_with(' '))
            .filter_map(|l| l.split_once(" = ").map(|(k, _)| k.trim().to_string()))
            .collect();
        keys.sort();
        keys
    };
    let en = keys(include_str!("../../../locales/en/email.ftl"));
    let zh = keys(include_str!("../../../locales/zh-CN/email.ftl"));
    assert!(!en.is_empty());
    assert_eq!(en, zh);
}

#[test]
fn names_are_escaped_in_html_and_kept_on_one_line() {
    let name = "<script>alert('hi')</script>\r\nBCC: x@example.com & \"friends\"";
    for lang in Lang::ALL {
        for message in every_message(name) {
            let rendered = message.try_render(lang, PUBLIC_URL).unwrap();
            assert!(!rendered.html.contains("<script>"), "{message:?}");
            assert!(!rendered.html.contains("alert('hi')"), "{message:?}");
            if !matches!(message, Message::AdminInvite { .. }) && !message.is_privacy_request() {
                assert!(
                    rendered
                        .html
                        .contains("&lt;script&gt;alert(&#39;hi&#39;)&lt;/script&gt;"),
                    "{message:?}"
                );
                assert!(rendered.html.contains("&amp; &quot;friends&quot;"));
            }
            assert!(!rendered.text.contains("\r\nBCC"), "{message:?}");
        }
    }
    let hostile_link = Message::VerifyEmail {
        name: "Ada".into(),
        link: r#"https://studio.banana.test/v?a=1&b="><img src=x onerror=alert(1)>"#.into(),
    }
    .render("en", PUBLIC_URL);
    assert!(!hostile_link.html.contains("<img"));
    assert!(hostile_link.html.contains("a=1&amp;b=&quot;&gt;&lt;img"));
}

impl Message {
    /// Rights-request and support emails go to addresses that may have no account: no name.
    fn is_privacy_request(&self) -> bool {
        matches!(
            self,
            Message::PrivacyRequestVerify { .. }
                | Message::PrivacyRequestReceived { .. }
                | Message::PrivacyRequestExtended { .. }
                | Message::PrivacyRequestClosed { .. }
                | Message::SupportTicketConfirm { .. }
                | Message::SupportReply { .. }
        )
    }
}

#[test]
fn privacy_request_emails_state_dates_and_the_operators_words() {
    for lang in Lang::ALL {
        let received = Message::PrivacyRequestReceived {
            kind: "delete".into(),
            due: "2027-02-01".into(),
            link: format!("{PUBLIC_URL}/privacy/requests/r1?token=t0k3n"),
        }
        .try_render(lang, PUBLIC_URL)
        .unwrap();
        assert!(received.text.contains("2027-02-01"), "{}", received.text);
        let extended = Message::PrivacyRequestExtended {
            kind: "access".into(),
            due: "2027-03-03".into(),
            reason: "<b>Many</b> years & files.\r\n\r\nSecond part.".into(),
        }
        .try_render(lang, PUBLIC_URL)
        .unwrap();
        assert!(extended.text.contains("2027-03-03"));
        assert!(
            extended
                .html
                .contains("&lt;b&gt;Many&lt;/b&gt; years &amp; files.</p>")
        );
        assert!(extended.html.contains(">Second part.</p>"));
        let refused = Message::PrivacyRequestClosed {
            kind: "correct".into(),
            outcome: "refused".into(),
            resolution: "Invoices stay as issued.".into(),
        }
        .try_render(lang, PUBLIC_URL)
        .unwrap();
        let completed = Message::PrivacyRequestClosed {
            kind: "correct".into(),
            outcome: "completed".into(),
            resolution: "Your name is corrected.".into(),
        }
        .try_render(lang, PUBLIC_URL)
        .unwrap();
        assert!(refused.text.contains("Invoices stay as issued."));
        assert!(completed.text.contains("Your name is corrected."));
        assert_ne!(refused.subject, completed.subject);
    }
    let refused = Message::PrivacyRequestClosed {
        kind: "delete".into(),
        outcome: "refused".into(),
        resolution: "Kept for tax law.".into(),
    }
    .render("en", PUBLIC_URL);
    assert!(
        refused.text.contains("supervisory authority"),
        "{}",
        refused.text
    );
}

#[test]
fn unknown_locales_fall_back_to_english_and_chinese_tags_are_recognised() {
    let message = Message::PasswordChanged { name: "Ada".into() };
    let en = message.render("en", PUBLIC_URL);
    assert_eq!(message.render("fr", PUBLIC_URL), en);
    assert_eq!(message.render("", PUBLIC_URL), en);
    assert_eq!(message.render("zh-TW", PUBLIC_URL), en);
    let zh = message.render("zh-CN", PUBLIC_URL);
    assert_ne!(zh, en);
    assert!(zh.html.contains(r#"lang="zh-CN""#));
    assert!(zh.text.contains("/zh-CN/forgot-password"));
    assert_eq!(message.render("zh_cn", PUBLIC_URL), zh);
    assert_eq!(resolve_locale("ZH-cn"), "zh-CN");
    assert_eq!(resolve_locale("de"), "en");
}

#[test]
fn blank_names_get_a_friendly_greeting_and_long_names_are_cut() {
    let blank = Message::VerifyEmail {
        name: "  \n ".into(),
        link: format!("{PUBLIC_URL}/v"),
    }
    .render("en", PUBLIC_URL);
    assert!(blank.text.contains("Hi there,"), "{}", blank.text);
    let long = display_name(&"a".repeat(500));
    assert_eq!(long.chars().count(), 65);
    assert!(long.ends_with('…'));
    assert_eq!(display_name(" Ada \t Lovelace\n"), "Ada Lovelace");
}

#[test]
fn debug_output_leaves_out_names_and_links() {
    let message = Message::ResetPassword {
        name: "Ada".into(),
        link: format!("{PUBLIC_URL}/reset?token=s3cr3t"),
    };
    let rendered = message.render("en", PUBLIC_URL);
    for debug in [format!("{message:?}"), format!("{rendered:?}")] {
        assert!(
            !debug.contains("s3cr3t") && !debug.contains("Ada"),
            "{debug}"
        );
    }
}
