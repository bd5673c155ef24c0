use super::*;
use std::collections::BTreeSet;
use std::path::Path;

#[test]
fn paths_split_and_join() {
    assert_eq!(Locale::split_path("/"), (Locale::En, "/"));
    assert_eq!(Locale::split_path("/pricing"), (Locale::En, "/pricing"));
    assert_eq!(Locale::split_path("/zh-CN"), (Locale::ZhCn, "/"));
    assert_eq!(Locale::split_path("/zh-CN/"), (Locale::ZhCn, "/"));
    assert_eq!(
        Locale::split_path("/zh-CN/pricing"),
        (Locale::ZhCn, "/pricing")
    );
    // A page whose name merely starts with the prefix is not in that locale.
    assert_eq!(Locale::split_path("/zh-CNx"), (Locale::En, "/zh-CNx"));
    assert_eq!(Locale::ZhCn.path("/"), "/zh-CN/");
    assert_eq!(Locale::ZhCn.path("/pricing"), "/zh-CN/pricing");
    assert_eq!(Locale::En.path("/pricing"), "/pricing");
    for locale in Locale::ALL {
        for page in ["/", "/pricing", "/legal/privacy/versions"] {
            assert_eq!(Locale::split_path(&locale.path(page)), (locale, page));
        }
    }
}

#[test]
fn accept_language_honours_quality_and_order() {
    assert_eq!(
        Locale::negotiate("zh-CN,zh;q=0.9,en;q=0.8"),
        Some(Locale::ZhCn)
    );
    assert_eq!(
        Locale::negotiate("en-US,en;q=0.9,zh;q=0.8"),
        Some(Locale::En)
    );
    assert_eq!(
        Locale::negotiate("fr-FR, zh;q=0.5, en;q=0.4"),
        Some(Locale::ZhCn)
    );
    assert_eq!(
        Locale::negotiate("en;q=0.2, zh-Hans;q=0.7"),
        Some(Locale::ZhCn)
    );
    assert_eq!(Locale::negotiate("zh-TW"), None);
    assert_eq!(Locale::negotiate("de, fr"), None);
    assert_eq!(Locale::negotiate("zh;q=0, en"), Some(Locale::En));
    assert_eq!(Locale::negotiate(""), None);
}

#[test]
fn lookups_use_the_locale_and_arguments() {
    assert_eq!(Locale::En.t("lang-name"), "English");
    assert_eq!(Locale::ZhCn.t("lang-name"), "简体中文");
    let text = Locale::ZhCn.t_args("server-error-ref", &[("id", "r-7".into())]);
    assert_eq!(text, "参考编号：r-7");
    // A key no locale has shows itself instead of breaking the page.
    assert_eq!(Locale::En.t("no-such-key"), "no-such-key");
}

/// Message ids (`key =`) and attribute-less terms (`-term =`) defined in a Fluent file.
fn message_ids(source: &str) -> BTreeSet<String> {
    source
        .lines()
        .filter(|line| !line.starts_with([' ', '\t', '#', '.', '[', '*', '}']) && !line.is_empty())
        .filter_map(|line| line.split_once('=').map(|(id, _)| id.trim().to_string()))
        .collect()
}

/// Every locale defines exactly the keys English defines, file by file; a missing or
/// stray translation fails the build's tests, naming the key.
#[test]
fn every_locale_has_every_key() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("locales");
    let english = root.join(Locale::DEFAULT.tag());
    let mut files: Vec<_> = std::fs::read_dir(&english)
        .expect("locales/en exists")
        .map(|entry| entry.unwrap().file_name())
        .collect();
    files.sort();
    assert!(!files.is_empty());
    let mut problems = Vec::new();
    for locale in Locale::ALL {
        let dir = root.join(locale.tag());
        let present: BTreeSet<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|_| panic!("locales/{} exists", locale.tag()))
            .map(|entry| entry.unwrap().file_name())
            .collect();
        for file in &present {
            if !files.contains(file) {
                problems.push(format!("{}: stray file {:?}", locale.tag(), file));
            }
        }
        for file in &files {
            let wanted = message_ids(&std::fs::read_to_string(english.join(file)).unwrap());
            let Ok(text) = std::fs::read_to_string(dir.join(file)) else {
                problems.push(format!("{}: missing file {:?}", locale.tag(), file));
                continue;
            };
            // The file must also parse: a syntax error would silently drop messages.
            if let Err((_, errors)) =
                fluent_templates::fluent_bundle::FluentResource::try_new(text.clone())
            {
                problems.push(format!("{}/{:?}: {errors:?}", locale.tag(), file));
            }
            let have = message_ids(&text);
            for key in wanted.difference(&have) {
                problems.push(format!("{}/{:?}: missing key {key}", locale.tag(), file));
            }
            for key in have.difference(&wanted) {
                problems.push(format!(
                    "{}/{:?}: key {key} not in English",
                    locale.tag(),
                    file
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "locale problems:\n{}",
        problems.join("\n")
    );
}
