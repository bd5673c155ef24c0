//! Reading our pages as a script must: the hidden fields of a form, a link's target. The
//! pages are server-rendered, so plain text search over the HTML is enough.

/// The value of the first `<input>` named `name` (e.g. `csrf_token`).
pub fn field(html: &str, name: &str) -> Option<String> {
    let needle = format!("name=\"{name}\"");
    let at = html.find(&needle)?;
    let start = html[..at].rfind('<')?;
    let end = at + html[at..].find('>')?;
    attribute(&html[start..end], "value")
}

/// The value of `name="…"` inside one tag.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let needle = format!(" {name}=\"");
    let from = tag.find(&needle)? + needle.len();
    let len = tag[from..].find('"')?;
    Some(unescape(&tag[from..from + len]))
}

/// The first `href` that starts with `prefix`, after the first occurrence of `after`.
pub fn link_after(html: &str, after: &str, prefix: &str) -> Option<String> {
    let from = html.find(after)?;
    let needle = format!("href=\"{prefix}");
    let at = from + html[from..].find(&needle)? + "href=\"".len();
    let len = html[at..].find('"')?;
    Some(unescape(&html[at..at + len]))
}

/// The first `href` whose target contains `part`.
pub fn link_containing(html: &str, part: &str) -> Option<String> {
    let at = html.find(part)?;
    let needle = "href=\"";
    let from = html[..at].rfind(needle)? + needle.len();
    let len = html[from..].find('"')?;
    Some(unescape(&html[from..from + len])).filter(|link| link.contains(part))
}

/// The path and query of a URL (`http://host:port/a?b` → `/a?b`); a path stays as it is.
pub fn path_of(url: &str) -> String {
    match url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/".into(), |i| rest[i..].to_string()),
        None => url.to_string(),
    }
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_hidden_fields_and_links() {
        let html = r#"<form><input type="hidden" name="csrf_token" value="ab12"/>
            <input type="hidden" name="token" value="x&amp;y"></form>
            <tr><td>a@example.com</td><td><a href="/dev/mail/019">Verify</a></td></tr>"#;
        assert_eq!(field(html, "csrf_token").as_deref(), Some("ab12"));
        assert_eq!(field(html, "token").as_deref(), Some("x&y"));
        assert_eq!(field(html, "missing"), None);
        assert_eq!(
            link_after(html, "a@example.com", "/dev/mail/").as_deref(),
            Some("/dev/mail/019")
        );
        let mail = r#"<pre class="dev-mail-text">Hi <a href="http://h/">http://h/</a>
            <a href="http://h/verify-email?token=t1">http://h/verify-email?token=t1</a></pre>"#;
        assert_eq!(
            link_containing(mail, "/verify-email?token=").as_deref(),
            Some("http://h/verify-email?token=t1")
        );
        assert_eq!(
            path_of("http://127.0.0.1:3300/verify-email?token=t"),
            "/verify-email?token=t"
        );
        assert_eq!(path_of("/files/x"), "/files/x");
    }
}
