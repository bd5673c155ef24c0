//! ARCHITECTURE.md stays true: every file, folder, module and function it names exists.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn architecture() -> String {
    std::fs::read_to_string(root().join("ARCHITECTURE.md")).expect("ARCHITECTURE.md at the root")
}

/// The spans between backticks on one line.
fn code_spans(line: &str) -> Vec<&str> {
    line.split('`').skip(1).step_by(2).collect()
}

/// A repository path as written (`app/src/pages/`, `server/src/http/error.rs`), without a
/// trailing ellipsis; `None` for URLs, commands and patterns.
fn as_path(span: &str) -> Option<&str> {
    let span = span.trim_end_matches('…');
    let pathlike = span.contains('/')
        && !span.starts_with('/')
        && !span.starts_with("../")
        && !span.contains(['<', '*', ' ', '{']);
    pathlike.then_some(span)
}

/// `domain::a::b::item`: the longest prefix that is a module file, with at most one name
/// after it that the file defines.
fn domain_item_exists(path: &str) -> bool {
    let segments: Vec<&str> = path.split("::").skip(1).collect();
    let src = root().join("server/domain/src");
    for take in (0..=segments.len()).rev() {
        let module = segments[..take].join("/");
        let files = if module.is_empty() {
            vec![src.join("lib.rs")]
        } else {
            vec![
                src.join(format!("{module}.rs")),
                src.join(&module).join("mod.rs"),
            ]
        };
        if let Some(file) = files.iter().find(|f| f.is_file()) {
            let rest = &segments[take..];
            return match rest {
                [] => true,
                [name] => std::fs::read_to_string(file).unwrap().contains(name),
                _ => false,
            };
        }
    }
    false
}

fn defines_fn(file: &Path, name: &str) -> bool {
    std::fs::read_to_string(file)
        .map(|text| text.contains(&format!("fn {name}(")) || text.contains(&format!("fn {name}<")))
        .unwrap_or(false)
}

#[test]
fn every_path_it_names_exists() {
    let text = architecture();
    let mut missing = Vec::new();
    let mut checked = 0;
    let mut in_url_table = false;
    for line in text.lines() {
        if line.starts_with("| URL |") {
            in_url_table = true;
            continue;
        }
        if !line.starts_with('|') {
            in_url_table = false;
        }
        if in_url_table && !line.starts_with("|---") {
            // Page, server function and handler columns are relative to their floors.
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            let bases = [
                (2, "app/src/pages/"),
                (3, "app/src/api/"),
                (4, "server/src/routes/"),
            ];
            for (column, base) in bases {
                for span in code_spans(cells[column]) {
                    if let Some(path) = as_path(span).or(span.ends_with(".rs").then_some(span)) {
                        checked += 1;
                        let full = if path.starts_with("app/") || path.starts_with("server/") {
                            root().join(path)
                        } else {
                            root().join(base).join(path)
                        };
                        if !full.exists() {
                            missing.push(format!("{base}{path}"));
                        }
                    }
                }
            }
            for span in code_spans(cells[5]) {
                if span.starts_with("domain::") {
                    checked += 1;
                    if !domain_item_exists(span) {
                        missing.push(span.to_string());
                    }
                }
            }
            continue;
        }
        for span in code_spans(line) {
            if let Some(path) = as_path(span) {
                checked += 1;
                if !root().join(path).exists() {
                    missing.push(path.to_string());
                }
            } else if span.starts_with("domain::") && !span.contains([' ', '<']) {
                checked += 1;
                if !domain_item_exists(span) {
                    missing.push(span.to_string());
                }
            }
        }
    }
    assert!(
        checked > 50,
        "only {checked} paths found: is the table still parsed?"
    );
    assert!(
        missing.is_empty(),
        "ARCHITECTURE.md names what does not exist: {missing:?}"
    );
}

#[test]
fn each_long_function_it_keeps_exists_where_it_says() {
    let text = architecture();
    let section = text
        .split("## Long functions kept whole")
        .nth(1)
        .expect("the long functions section");
    let rows: Vec<&str> = section.lines().filter(|l| l.starts_with("| `")).collect();
    assert!(
        !rows.is_empty() && rows.len() <= 10,
        "1 to 10 functions, found {}",
        rows.len()
    );
    for row in rows {
        let spans = code_spans(row);
        let name = spans[0].rsplit("::").next().unwrap();
        let file = root().join(spans[1]);
        assert!(
            defines_fn(&file, name),
            "{} does not define `{name}`",
            spans[1]
        );
    }
}

#[test]
fn a_wrong_path_is_caught() {
    assert!(!domain_item_exists(
        "domain::billing::no_such_module::thing"
    ));
    assert!(domain_item_exists("domain::billing::overview::overview"));
    assert_eq!(as_path("app/src/pages/"), Some("app/src/pages/"));
    assert_eq!(as_path("/settings/billing"), None);
    assert_eq!(as_path("app/locales/<locale>/*.ftl"), None);
}
