//! The emails banana nano sends, in the recipient's language. The words live in
//! `server/domain/locales/<locale>/email.ftl`; the frame is one small inline-styled layout,
//! since mail clients ignore stylesheets, with a plain-text twin for clients that show no HTML.

use fluent_templates::{LanguageIdentifier, fluent_bundle::FluentValue, langid};
use std::{collections::HashMap, fmt, fmt::Write};

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // Unicode isolation marks around placeables would show up in plain-text mail and
        // subject lines; our arguments are names and addresses.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static EN: LanguageIdentifier = langid!("en");
static ZH_CN: LanguageIdentifier = langid!("zh-CN");

/// A language emails are written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Lang {
    En,
    ZhCn,
}

impl Lang {
    #[cfg(test)]
    const ALL: [Lang; 2] = [Lang::En, Lang::ZhCn];

    /// `zh-CN` in any case or separator, and `zh`/`zh-Hans` (the only Chinese we write), are
    /// Simplified Chinese; everything else is English.
    fn from_tag(tag: &str) -> Lang {
        let tag = tag.trim().replace('_', "-").to_ascii_lowercase();
        match tag.as_str() {
            "zh-cn" | "zh" | "zh-hans" | "zh-hans-cn" => Lang::ZhCn,
            _ => Lang::En,
        }
    }

    fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::ZhCn => "zh-CN",
        }
    }

    fn langid(self) -> &'static LanguageIdentifier {
        match self {
            Lang::En => &EN,
            Lang::ZhCn => &ZH_CN,
        }
    }

    /// The colon that introduces the link in plain text: Chinese uses the full-width one.
    fn colon(self) -> &'static str {
        match self {
            Lang::En => ":",
            Lang::ZhCn => "：",
        }
    }

    /// What joins the items of a list in running text.
    fn list_separator(self) -> &'static str {
        match self {
            Lang::En => ", ",
            Lang::ZhCn => "、",
        }
    }

    /// The path prefix of this language's pages: English is served at `/`.
    fn path_prefix(self) -> &'static str {
        match self {
            Lang::En => "",
            Lang::ZhCn => "/zh-CN",
        }
    }
}

/// A lookup of a text that takes no arguments.
const NO_ARGS: Option<&HashMap<&str, FluentValue<'static>>> = None;

/// The locale an email for `tag` is written in: `en` or `zh-CN`.
pub(super) fn resolve_locale(tag: &str) -> &'static str {
    Lang::from_tag(tag).tag()
}

/// An email accounts send. Links are absolute and carry their token; names are whatever
/// people typed, so every rendering escapes them.
#[derive(Clone, PartialEq, Eq)]
pub enum Message {
    /// Confirms a new account's address. The link works for 24 hours.
    VerifyEmail { name: String, link: String },
    /// Lets someone choose a new password. The link works for 1 hour.
    ResetPassword { name: String, link: String },
    /// Sent to a new address to confirm an address change. The link works for 24 hours.
    ConfirmNewEmail { name: String, link: String },
    /// Tells the old address that the account now uses `new_email`.
    EmailChanged { name: String, new_email: String },
    /// Tells the owner the password changed, with a way to reset it if they did not.
    PasswordChanged { name: String },
    /// Asks a newly created administrator to set a password. The link works for 24 hours.
    AdminInvite { link: String },
    /// Tells the owner of an address that someone tried to sign up with it; `link` leads to
    /// the sign-in page.
    AccountExists { name: String, link: String },
    /// News or an offer, sent only to people who opted in to marketing email. `subject` and
    /// `body` are the operator's plain text (a blank line starts a new paragraph), shown as
    /// written and escaped; `unsubscribe` stops this mail with one click and `preferences`
    /// leads to the person's email settings.
    Marketing {
        name: String,
        subject: String,
        body: String,
        unsubscribe: String,
        preferences: String,
    },
    /// A service notice that a personal-data breach involved the person's data (GDPR
    /// Art. 34): what happened (`summary`, the operator's words), which kinds of data, since
    /// when we know (`detected_on`, a date), what we do, what they can do, and whom to ask.
    /// Sent whatever the person's marketing choice.
    BreachNotice {
        name: String,
        summary: String,
        categories: Vec<crate::privacy::DataCategory>,
        detected_on: String,
        contact: String,
    },
    /// A service notice: a material change to a legal document (`doc` is its id, e.g.
    /// `privacy`), sent whatever the person's marketing choice. `link` leads to it.
    PolicyUpdated {
        name: String,
        doc: String,
        version: String,
        link: String,
    },
    /// Asks whoever holds this address to confirm a rights request sent in its name
    /// (`kind` is the request's kind id). The link works for 7 days; the request's deadline
    /// starts when it is followed.
    PrivacyRequestVerify { kind: String, link: String },
    /// Confirms that a verified rights request was received, when it is due (`due`, a date
    /// in UTC), and `link`s to its status.
    PrivacyRequestReceived {
        kind: String,
        due: String,
        link: String,
    },
    /// Tells the sender that a rights request got its one extension: the new due date and
    /// the operator's reason.
    PrivacyRequestExtended {
        kind: String,
        due: String,
        reason: String,
    },
    /// Answers a rights request: `outcome` is `completed` or `refused`, `resolution` the
    /// operator's words (what was done, or why it cannot be).
    PrivacyRequestClosed {
        kind: String,
        outcome: String,
        resolution: String,
    },
    /// Tells the person their data export is ready: `link` downloads it (signed in, with
    /// its token) until `expires` (a date and time in UTC).
    DataExportReady {
        name: String,
        link: String,
        expires: String,
    },
    /// Confirms to the person that their account was deleted, and what is kept for how long.
    AccountDeleted { name: String },
}

/// Names and links are personal or secret; `{:?}` shows only which message it is.
impl fmt::Debug for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Message").field(&self.kind()).finish()
    }
}

/// A message in one language: what the email needs besides addresses.
#[derive(Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub html: String,
    pub text: String,
}

impl fmt::Debug for Rendered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Rendered")
            .field("subject", &self.subject)
            .finish_non_exhaustive()
    }
}

/// A locale file lacks a text, or the text needs an argument we did not pass.
#[derive(Debug)]
struct MissingText {
    key: String,
    locale: &'static str,
}

/// How one message is laid out: which texts, in which order, around which button.
struct Shape<'a> {
    /// Every text of the message is `email-<id>-<part>`.
    id: &'static str,
    name: Option<&'a str>,
    new_email: Option<&'a str>,
    /// Paragraphs before the button.
    intro: &'static [&'static str],
    /// Where the button leads; its label is `email-<id>-button`.
    action: Option<String>,
    /// Paragraphs after the button.
    outro: &'static [&'static str],
    /// More values the texts use (`{ $due }`, `{ $summary }`…), as plain text.
    args: Vec<(&'static str, String)>,
}

impl<'a> Shape<'a> {
    /// The common shape: what happened, the button, how long it works, what to do if it
    /// was not you.
    fn linked(id: &'static str, name: Option<&'a str>, link: &str) -> Shape<'a> {
        Shape {
            id,
            name,
            new_email: None,
            intro: &["body"],
            action: Some(link.to_string()),
            outro: &["expiry", "ignore"],
            args: Vec::new(),
        }
    }
}

impl Message {
    /// A stable name for this kind of email (outbox, logs, metrics).
    pub fn kind(&self) -> &'static str {
        match self {
            Message::VerifyEmail { .. } => "verify_email",
            Message::ResetPassword { .. } => "reset_password",
            Message::ConfirmNewEmail { .. } => "confirm_new_email",
            Message::EmailChanged { .. } => "email_changed",
            Message::PasswordChanged { .. } => "password_changed",
            Message::AdminInvite { .. } => "admin_invite",
            Message::AccountExists { .. } => "account_exists",
            Message::Marketing { .. } => "marketing",
            Message::BreachNotice { .. } => "breach_notice",
            Message::PolicyUpdated { .. } => "policy_updated",
            Message::PrivacyRequestVerify { .. } => "privacy_request_verify",
            Message::PrivacyRequestReceived { .. } => "privacy_request_received",
            Message::PrivacyRequestExtended { .. } => "privacy_request_extended",
            Message::PrivacyRequestClosed { .. } => "privacy_request_closed",
            Message::DataExportReady { .. } => "data_export_ready",
            Message::AccountDeleted { .. } => "account_deleted",
        }
    }

    /// The subject, HTML and plain text in `locale` (`en` or `zh-CN`; anything else is
    /// written in English). `public_url` is the site's origin without a trailing slash.
    pub fn render(&self, locale: &str, public_url: &str) -> Rendered {
        let lang = Lang::from_tag(locale);
        self.try_render(lang, public_url)
            .or_else(|missing| {
                tracing::error!(
                    key = %missing.key,
                    locale = missing.locale,
                    kind = self.kind(),
                    "email text missing; sending the English version"
                );
                self.try_render(Lang::En, public_url)
            })
            // English is compiled in, and a test renders every message from it.
            .expect("the English email texts are complete")
    }

    fn shape(&self, lang: Lang, public_url: &str) -> Shape<'_> {
        match self {
            Message::VerifyEmail { name, link } => Shape::linked("verify", Some(name), link),
            Message::ResetPassword { name, link } => Shape::linked("reset", Some(name), link),
            Message::ConfirmNewEmail { name, link } => {
                Shape::linked("confirm-new-email", Some(name), link)
            }
            Message::AdminInvite { link } => Shape::linked("admin-invite", None, link),
            Message::AccountExists { name, link } => Shape {
                outro: &["forgot", "ignore"],
                ..Shape::linked("account-exists", Some(name), link)
            },
            // The operator's subject and paragraphs ([`Message::written`]); the links to stop
            // or tune this mail sit in the footer ([`Message::footer_links`]).
            Message::Marketing { name, subject, .. } => Shape {
                id: "marketing",
                name: Some(name),
                new_email: None,
                intro: &[],
                action: None,
                outro: &[],
                args: vec![("subject", one_line(subject))],
            },
            Message::BreachNotice {
                name,
                summary,
                detected_on,
                contact,
                ..
            } => Shape {
                id: "breach",
                name: Some(name),
                new_email: None,
                intro: &["body", "what", "data"],
                action: Some(format!(
                    "{public_url}{}/settings/security",
                    lang.path_prefix()
                )),
                outro: &["doing", "you", "contact", "service"],
                args: vec![
                    ("summary", summary.trim().to_string()),
                    ("detected", detected_on.clone()),
                    ("contact", contact.clone()),
                ],
            },
            Message::PolicyUpdated {
                name,
                doc,
                version,
                link,
            } => Shape {
                id: "policy-updated",
                name: Some(name),
                new_email: None,
                intro: &["body", "what"],
                action: Some(link.clone()),
                outro: &["service"],
                args: vec![("doc", doc.clone()), ("version", version.clone())],
            },
            // Rights requests may come from people without an account: no name to greet.
            Message::PrivacyRequestVerify { kind, link } => Shape {
                args: vec![("kind", kind.clone())],
                ..Shape::linked("privacy-request-verify", None, link)
            },
            Message::PrivacyRequestReceived { kind, due, link } => Shape {
                id: "privacy-request-received",
                name: None,
                new_email: None,
                intro: &["body", "due"],
                action: Some(link.clone()),
                outro: &["extension", "keep"],
                args: vec![("kind", kind.clone()), ("due", due.clone())],
            },
            // The reason follows the intro as the operator wrote it ([`Message::written`]).
            Message::PrivacyRequestExtended { kind, due, .. } => Shape {
                id: "privacy-request-extended",
                name: None,
                new_email: None,
                intro: &["body"],
                action: None,
                outro: &["questions"],
                args: vec![("kind", kind.clone()), ("due", due.clone())],
            },
            // So does the resolution; a refusal says where to complain.
            Message::PrivacyRequestClosed { kind, outcome, .. } => Shape {
                id: "privacy-request-closed",
                name: None,
                new_email: None,
                intro: &["body"],
                action: None,
                outro: &["next"],
                args: vec![("kind", kind.clone()), ("outcome", outcome.clone())],
            },
            Message::DataExportReady {
                name,
                link,
                expires,
            } => Shape {
                outro: &["expiry", "ignore"],
                args: vec![("expires", expires.clone())],
                ..Shape::linked("data-export", Some(name), link)
            },
            Message::AccountDeleted { name } => Shape {
                id: "account-deleted",
                name: Some(name),
                new_email: None,
                intro: &["body", "kept"],
                action: None,
                outro: &["not-you"],
                args: Vec::new(),
            },
            Message::EmailChanged { name, new_email } => Shape {
                id: "email-changed",
                name: Some(name),
                new_email: Some(new_email),
                intro: &["body", "not-you"],
                action: None,
                outro: &[],
                args: Vec::new(),
            },
            // The reset link goes only to this address: the owner can take the account back
            // from whoever changed the password.
            Message::PasswordChanged { name } => Shape {
                id: "password-changed",
                name: Some(name),
                new_email: None,
                intro: &["body", "not-you"],
                action: Some(format!(
                    "{public_url}{}/forgot-password",
                    lang.path_prefix()
                )),
                outro: &[],
                args: Vec::new(),
            },
        }
    }

    fn try_render(&self, lang: Lang, public_url: &str) -> Result<Rendered, MissingText> {
        let shape = self.shape(lang, public_url);
        let name = shape.name.map(display_name).filter(|n| !n.is_empty());
        let site = site_name(public_url);
        let mut args: HashMap<&str, FluentValue> = HashMap::new();
        args.insert("site", site.clone().into());
        if let Some(name) = &name {
            args.insert("name", name.clone().into());
        }
        if let Some(new_email) = shape.new_email {
            args.insert("new_email", new_email.to_string().into());
        }
        for (key, value) in &shape.args {
            args.insert(key, value.clone().into());
        }
        for (key, parts) in self.lists() {
            let items = parts
                .iter()
                .map(|part| {
                    LOCALES
                        .lookup_single_language(lang.langid(), part, NO_ARGS)
                        .map_err(|_| MissingText {
                            key: part.clone(),
                            locale: lang.tag(),
                        })
                })
                .collect::<Result<Vec<_>, _>>()?;
            args.insert(key, items.join(lang.list_separator()).into());
        }
        let text = |key: &str| -> Result<String, MissingText> {
            LOCALES
                .lookup_single_language(lang.langid(), key, Some(&args))
                .map_err(|_| MissingText {
                    key: key.to_string(),
                    locale: lang.tag(),
                })
        };
        let part = |part: &str| text(&format!("email-{}-{part}", shape.id));
        let paragraphs =
            |parts: &[&str]| parts.iter().map(|p| part(p)).collect::<Result<Vec<_>, _>>();

        let words = Words {
            lang,
            subject: part("subject")?,
            heading: part("heading")?,
            greeting: match name {
                Some(_) => text("email-greeting")?,
                None => text("email-greeting-anonymous")?,
            },
            intro: {
                let mut intro = paragraphs(shape.intro)?;
                intro.extend(self.written());
                intro
            },
            action: match &shape.action {
                Some(url) => Some((part("button")?, url.as_str())),
                None => None,
            },
            link_fallback: text("email-link-fallback")?,
            outro: paragraphs(shape.outro)?,
            signoff: text("email-signoff")?,
            footer_reason: text(self.footer_reason_key())?,
            footer_links: self
                .footer_links()
                .into_iter()
                .map(|(label, url)| Ok((part(label)?, url)))
                .collect::<Result<_, MissingText>>()?,
            public_url,
            site: &site,
        };
        Ok(Rendered {
            subject: words.subject.clone(),
            html: words.html(),
            text: words.text(),
        })
    }
}

impl Message {
    /// The extra mail headers this message needs. Marketing email names its one-click
    /// unsubscribe (RFC 2369 and RFC 8058), so mail clients offer their own button, which
    /// POSTs `List-Unsubscribe=One-Click` to the link.
    pub fn headers(&self) -> Vec<(String, String)> {
        match self {
            Message::Marketing { unsubscribe, .. } => vec![
                ("List-Unsubscribe".into(), format!("<{unsubscribe}>")),
                (
                    "List-Unsubscribe-Post".into(),
                    "List-Unsubscribe=One-Click".into(),
                ),
            ],
            _ => Vec::new(),
        }
    }

    /// Paragraphs written by the operator rather than found in the locale files, after
    /// the intro: a campaign's body, one paragraph per blank-line-separated block.
    fn written(&self) -> Vec<String> {
        match self {
            Message::Marketing { body, .. }
            | Message::PrivacyRequestExtended { reason: body, .. }
            | Message::PrivacyRequestClosed {
                resolution: body, ..
            } => body
                .replace("\r\n", "\n")
                .split("\n\n")
                .map(|block| block.trim().to_string())
                .filter(|block| !block.is_empty())
                .collect(),
            _ => Vec::new(),
        }
    }

    /// Arguments whose value is a list of texts (their keys), joined as the language joins
    /// a list.
    fn lists(&self) -> Vec<(&'static str, Vec<String>)> {
        match self {
            Message::BreachNotice { categories, .. } => vec![(
                "categories",
                categories
                    .iter()
                    .map(|c| format!("email-category-{}", c.id()))
                    .collect(),
            )],
            _ => Vec::new(),
        }
    }

    /// Small links in the footer, as (part of the label's key, where it leads).
    fn footer_links(&self) -> Vec<(&'static str, &str)> {
        match self {
            Message::Marketing {
                unsubscribe,
                preferences,
                ..
            } => vec![
                ("unsubscribe", unsubscribe.as_str()),
                ("preferences", preferences.as_str()),
            ],
            _ => Vec::new(),
        }
    }

    /// The footer's reason for the email: marketing says why it comes and how to stop it;
    /// everything else is a service email.
    fn footer_reason_key(&self) -> &'static str {
        match self {
            Message::Marketing { .. } => "email-marketing-footer-reason",
            _ => "email-footer-reason",
        }
    }
}

/// Every text of one rendered message, ready for the HTML and plain-text layouts.
struct Words<'a> {
    lang: Lang,
    subject: String,
    heading: String,
    greeting: String,
    intro: Vec<String>,
    /// The button's label and where it leads.
    action: Option<(String, &'a str)>,
    link_fallback: String,
    outro: Vec<String>,
    signoff: String,
    footer_reason: String,
    /// Small links under the reason (unsubscribe, preferences): label and where it leads.
    footer_links: Vec<(String, &'a str)>,
    public_url: &'a str,
    site: &'a str,
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
    fn html(&self) -> String {
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

    fn text(&self) -> String {
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
fn display_name(name: &str) -> String {
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
fn one_line(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The public URL as people say it: host and port, without the scheme.
fn site_name(public_url: &str) -> String {
    public_url
        .trim_start_matches("https://")
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

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
                    crate::privacy::DataCategory::Account,
                    crate::privacy::DataCategory::UploadsPrompts,
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
                    | Message::DataExportReady { link, .. } => Some(link.clone()),
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
                if !matches!(message, Message::AdminInvite { .. }) && !message.is_privacy_request()
                {
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
                crate::privacy::DataCategory::Account,
                crate::privacy::DataCategory::OrdersPayments,
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
            for category in crate::privacy::DataCategory::ALL {
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
        let en = keys(include_str!("../../locales/en/email.ftl"));
        let zh = keys(include_str!("../../locales/zh-CN/email.ftl"));
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
                if !matches!(message, Message::AdminInvite { .. }) && !message.is_privacy_request()
                {
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
        /// Rights-request emails go to addresses that may have no account: no name.
        fn is_privacy_request(&self) -> bool {
            matches!(
                self,
                Message::PrivacyRequestVerify { .. }
                    | Message::PrivacyRequestReceived { .. }
                    | Message::PrivacyRequestExtended { .. }
                    | Message::PrivacyRequestClosed { .. }
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
}
