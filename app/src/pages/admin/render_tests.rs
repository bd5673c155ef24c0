//! Render tests of the admin overview and two-step enrolment.

use super::Admin;
use super::two_factor::TwoFactorSetupView;
use crate::components::forms::test_support::{check, ctx, error, render, viewer};
use crate::i18n::Locale;
use crate::model::AuditView;
use crate::model::{AdminOverview, TwoFactorSetup, Viewer};
use leptos::prelude::*;

fn admin() -> Viewer {
    let mut admin = viewer();
    admin.role = "admin".into();
    admin
}

#[test]
fn overview_shows_roles_and_audit_entries() {
    let overview = AdminOverview {
        accounts_by_role: vec![("user".into(), 41), ("admin".into(), 1)],
        recent_audit: vec![AuditView {
            action: "session.revoked_all".into(),
            actor: Some("01936a3e-7c2b-7def-8a12-3456789abcde".into()),
            subject: None,
            created_at: 1_700_000_000_000,
        }],
    };
    for locale in Locale::ALL {
        let html = render(locale, || {
            view! { <Admin ctx=ctx(Some(admin()), None) viewer=admin() overview=Some(overview.clone()) /> }
        });
        check(&format!("admin-{}", locale.tag()), &html);
        assert!(html.contains(">42<"), "total");
        assert!(html.contains("session.revoked_all"));
        assert!(html.contains("…789abcde"));
    }
}

#[test]
fn two_factor_enrolment_and_recovery_codes() {
    for locale in Locale::ALL {
        let setup = TwoFactorSetup {
            enabled: false,
            secret: "JBSWY3DPEHPK3PXP".into(),
            qr_svg: r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>"#
                .into(),
            otpauth_uri: "otpauth://totp/banana%20nano:ada?secret=JBSWY3DPEHPK3PXP".into(),
            recovery_codes_left: 0,
        };
        let context = ctx(
            Some(admin()),
            error("two-factor-setup", "auth-error-totp", &[]),
        );
        let html = render(locale, || {
            view! { <TwoFactorSetupView ctx=context.clone() viewer=admin() setup=Some(setup.clone()) /> }
        });
        check(&format!("admin-two-factor-{}", locale.tag()), &html);
        assert!(html.contains(&format!(r#"action="{}""#, locale.path("/admin/two-factor"))));
        assert!(html.contains("<svg"));
        assert!(html.contains("JBSWY3DPEHPK3PXP"));
        assert!(html.contains(r#"href="otpauth://"#));

        let mut flash = error(
            "two-factor-setup",
            "auth-error-totp",
            &[("recovery_codes", "aaaa-bbbb-cccc dddd-eeee-ffff")],
        )
        .unwrap();
        flash.error = None;
        flash.notice = Some("auth-notice-two-factor-enabled".into());
        let enabled = TwoFactorSetup {
            enabled: true,
            recovery_codes_left: 10,
            ..Default::default()
        };
        let html = render(locale, || {
            view! { <TwoFactorSetupView ctx=ctx(Some(admin()), Some(flash.clone())) viewer=admin() setup=Some(enabled.clone()) /> }
        });
        check(&format!("admin-two-factor-on-{}", locale.tag()), &html);
        assert!(html.contains("<code>aaaa-bbbb-cccc</code>"));
        assert!(html.contains("10"));
        assert!(!html.contains("<form class=\"stack\""));
    }
}
