//! The emails banana nano sends, in the recipient's language. The words live in
//! `server/domain/locales/<locale>/email.ftl`; the frame is one small inline-styled layout,
//! since mail clients ignore stylesheets, with a plain-text twin for clients that show no HTML.

mod lang;
mod layout;
#[cfg(test)]
mod tests;

pub(super) use lang::resolve_locale;

use fluent_templates::fluent_bundle::FluentValue;
use lang::{LOCALES, Lang, NO_ARGS};
use layout::{Words, display_name, one_line, site_name};
use std::{collections::HashMap, fmt};

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
        categories: Vec<crate::registry::DataCategory>,
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
    /// Asks whoever holds this address to confirm a support ticket sent in its name from
    /// the support form (`topic` is the ticket's topic id). The link works for 7 days.
    SupportTicketConfirm { topic: String, link: String },
    /// Support's answer to a ticket: `body` is the agent's words, `link` leads to the
    /// thread (the person's settings, or a signed link for visitors).
    SupportReply {
        topic: String,
        body: String,
        link: String,
    },
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
            Message::SupportTicketConfirm { .. } => "support_ticket_confirm",
            Message::SupportReply { .. } => "support_reply",
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
            // Tickets may come from visitors: no name to greet.
            Message::SupportTicketConfirm { topic, link } => Shape {
                args: vec![("topic", topic.clone())],
                ..Shape::linked("support-confirm", None, link)
            },
            // The agent's answer follows the intro as written ([`Message::written`]).
            Message::SupportReply { topic, link, .. } => Shape {
                id: "support-reply",
                name: None,
                new_email: None,
                intro: &["body"],
                action: Some(link.clone()),
                outro: &["reply"],
                args: vec![("topic", topic.clone())],
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
            }
            | Message::SupportReply { body, .. } => body
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
