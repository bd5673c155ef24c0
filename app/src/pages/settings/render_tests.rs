//! Render tests of the profile and security settings.

use super::profile::Profile;
use super::security::Security;
use crate::components::forms::test_support::{check, ctx, error, render, viewer};
use crate::i18n::Locale;
use crate::model::Flash;
use crate::model::{DeviceView, IdentityView, SecurityOverview};
use leptos::prelude::*;

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
