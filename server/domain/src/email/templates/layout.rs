//! The frame of every email: one small inline-styled HTML layout (mail clients ignore
//! stylesheets) and its plain-text twin, and how names and the site are shown in them.

use super::Lang;
use std::fmt::Write;

/// Every text of one rendered message, ready for the HTML and plain-text layouts.
pub(super) struct Words<'a> {
    pub(super) lang: Lang,
    pub(super) subject: String,
    pub(super) heading: String,
    pub(super) greeting: String,
    pub(super) intro: Vec<String>,
    /// The button's label and where it leads.
    pub(super) action: Option<(String, &'a str)>,
    pub(super) link_fallback: String,
    pub(super) outro: Vec<String>,
    pub(super) signoff: String,
    pub(super) footer_reason: String,
    /// Small links under the reason (unsubscribe, preferences): label and where it leads.
    pub(super) footer_links: Vec<(String, &'a str)>,
    pub(super) public_url: &'a str,
    pub(super) site: &'a str,
}

// The palette of style/main.css: banana yellow on warm white, dark ink. The button's ink on
// yellow and the body text both pass WCAG AA contrast.
const FONT: &str = "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,'Helvetica Neue',Arial,\
                    'PingFang SC','Hiragino Sans GB','Microsoft YaHei',sans-serif";
const PAGE_BG: &str = "#fffcf3";
const CARD_BG: &str = "#ffffff";
const BORDER: &str = "#f1e6c4";
const INK: &str = "#1d1a12";
const MUTED: &str = "#5b5546";
const ACCENT: &str = "#f5c518";
const ACCENT_INK: &str = "#7a5600";

impl Words<'_> {
    pub(super) fn html(&self) -> String {
        let e = escape;
        let paragraph = |text: &str| format!("<p style=\"margin:0 0 16px;\">{}</p>\n", e(text));
        let mut html = String::with_capacity(4096);
        let _ = write!(
            html,
            r#"<!DOCTYPE html>
<html lang="{lang}" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<meta name="supported-color-schemes" content="light">
<title>{subject}</title>
</head>
<body style="margin:0;padding:0;background-color:{PAGE_BG};">
<div role="article" aria-roledescription="email" aria-label="{subject}" lang="{lang}" style="background-color:{PAGE_BG};padding:32px 16px;font-family:{FONT};">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:560px;margin:0 auto;background-color:{CARD_BG};border:1px solid {BORDER};border-radius:12px;">
<tr><td style="padding:32px 32px 16px;color:{INK};font-size:16px;line-height:1.6;font-family:{FONT};">
<p style="margin:0 0 24px;font-size:15px;font-weight:700;letter-spacing:0.02em;color:{ACCENT_INK};">banana nano</p>
<h1 style="margin:0 0 16px;font-size:24px;line-height:1.3;font-weight:700;color:{INK};">{heading}</h1>
"#,
            lang = self.lang.tag(),
            subject = e(&self.subject),
            heading = e(&self.heading),
        );
        html.push_str(&paragraph(&self.greeting));
        for text in &self.intro {
            html.push_str(&paragraph(text));
        }
        if let Some((label, url)) = &self.action {
            // A table cell behind the link keeps the button's colour in Outlook; the raw link
            // below serves clients that strip buttons and people who copy it.
            let _ = write!(
                html,
                r#"<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:8px 0 24px;">
<tr><td style="border-radius:8px;background-color:{ACCENT};">
<a href="{url}" style="display:inline-block;padding:12px 24px;border-radius:8px;background-color:{ACCENT};color:{INK};font-size:16px;font-weight:700;line-height:1.25;text-decoration:none;">{label}</a>
</td></tr>
</table>
<p style="margin:0 0 16px;font-size:14px;color:{MUTED};">{fallback}<br><a href="{url}" style="color:{ACCENT_INK};word-break:break-all;">{url}</a></p>
"#,
                url = e(url),
                label = e(label),
                fallback = e(&self.link_fallback),
            );
        }
        for text in &self.outro {
            html.push_str(&paragraph(text));
        }
        let _ = write!(
            html,
            r#"<p style="margin:24px 0 16px;">{signoff}</p>
</td></tr>
</table>
<p style="max-width:560px;margin:16px auto 0;font-size:12px;line-height:1.5;color:{MUTED};text-align:center;">{reason}<br>{links}<a href="{public_url}" style="color:{ACCENT_INK};">{site}</a></p>
</div>
</body>
</html>
"#,
            signoff = e(&self.signoff),
            reason = e(&self.footer_reason),
            links = self
                .footer_links
                .iter()
                .map(|(label, url)| format!(
                    r#"<a href="{}" style="color:{ACCENT_INK};">{}</a><br>"#,
                    e(url),
                    e(label)
                ))
                .collect::<String>(),
            public_url = e(self.public_url),
            site = e(self.site),
        );
        html
    }

    pub(super) fn text(&self) -> String {
        let mut blocks = vec![self.heading.clone(), self.greeting.clone()];
        blocks.extend(self.intro.iter().cloned());
        if let Some((label, url)) = &self.action {
            blocks.push(format!("{label}{}\n{url}", self.lang.colon()));
        }
        blocks.extend(self.outro.iter().cloned());
        blocks.push(self.signoff.clone());
        // "-- " is the conventional signature separator; clients dim what follows.
        let links: String = self
            .footer_links
            .iter()
            .map(|(label, url)| format!("{label}{}\n{url}\n", self.lang.colon()))
            .collect();
        blocks.push(format!(
            "-- \n{}\n{links}banana nano · {}",
            self.footer_reason, self.public_url
        ));
        let mut text = blocks.join("\n\n");
        text.push('\n');
        text
    }
}

use crate::escape_html as escape;

/// A name as a greeting shows it: on one line, without control characters, and short
/// enough that a name cannot pass for a paragraph of our own.
pub(super) fn display_name(name: &str) -> String {
    const LIMIT: usize = 64;
    let one_line = name
        .split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    match one_line.char_indices().nth(LIMIT) {
        Some((cut, _)) => format!("{}…", &one_line[..cut]),
        None => one_line,
    }
}

/// Text an operator typed for a one-line place (a subject): whitespace and control
/// characters collapse to single spaces, so it cannot break a header or a heading.
pub(super) fn one_line(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The public URL as people say it: host and port, without the scheme.
pub(super) fn site_name(public_url: &str) -> String {
    public_url
        .trim_start_matches("https://")
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string()
}
