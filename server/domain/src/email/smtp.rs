//! Delivery through any SMTP server, with lettre's pooled async transport.
//!
//! `smtp_url` reads as operators expect: `smtp://user:pass@host:587` is STARTTLS (required,
//! never silently plain), `smtps://user:pass@host:465` is TLS from the first byte, and
//! `smtp://host:25?tls=none` is plain text for a local relay. lettre spells these
//! differently (a bare `smtp://` is plain there), so the URL is translated before lettre
//! sees it.

use super::{Email, EmailError, error_chain, message_id, provider_detail, redact};
use lettre::{
    AsyncSmtpTransport, AsyncTransport, Tokio1Executor,
    message::{
        Mailbox, MultiPart,
        header::{HeaderName, HeaderValue},
    },
    transport::smtp,
};
use secrecy::{ExposeSecret, SecretString};
use std::time::Duration;

pub(super) const TRANSPORT: &str = "smtp";

const USAGE: &str = "use smtp://user:pass@host:587 (STARTTLS), smtps://user:pass@host:465 or smtp://host:25?tls=none";

/// An SMTP connection pool and the password it must never repeat.
pub(super) struct SmtpSender {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    /// The password as written in the URL and decoded, for redaction only.
    password: Vec<SecretString>,
}

impl SmtpSender {
    pub(super) fn new(url: &SecretString) -> Result<SmtpSender, EmailError> {
        let (lettre_url, password) = lettre_url(url.expose_secret())?;
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(lettre_url.expose_secret())
            .map_err(|e| {
                EmailError::Misconfigured(format!("smtp_url cannot be used ({e}); {USAGE}"))
            })?
            .timeout(Some(Duration::from_secs(30)))
            .build();
        Ok(SmtpSender {
            transport,
            password,
        })
    }

    /// Sends one multipart/alternative message; returns its `Message-ID`.
    pub(super) async fn send(&self, from: &Mailbox, email: &Email) -> Result<String, EmailError> {
        let to = email
            .to
            .parse()
            .map_err(|_| EmailError::Invalid("the recipient is not an email address".into()))?;
        let id = message_id(&email.idempotency_key, from);
        let mut builder = lettre::Message::builder()
            .from(from.clone())
            .to(Mailbox::new(None, to))
            .subject(email.subject.as_str())
            .message_id(Some(id.clone()));
        for (name, value) in email.extra_headers() {
            let name = HeaderName::new_from_ascii(name.to_string())
                .map_err(|_| EmailError::Invalid(format!("`{name}` cannot be a header name")))?;
            builder = builder.raw_header(HeaderValue::new(name, value.to_string()));
        }
        if is_language_tag(&email.locale) {
            builder = builder.raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("Content-Language"),
                email.locale.clone(),
            ));
        }
        let message = builder
            .multipart(MultiPart::alternative_plain_html(
                email.text.clone(),
                email.html.clone(),
            ))
            .map_err(|e| EmailError::Invalid(format!("the message cannot be built: {e}")))?;
        self.transport
            .send(message)
            .await
            .map_err(|e| self.classify(&e))?;
        Ok(id)
    }

    /// Sorts lettre's errors into retryable and permanent ones, in words without secrets.
    fn classify(&self, error: &smtp::Error) -> EmailError {
        let secrets: Vec<&str> = self.password.iter().map(|p| p.expose_secret()).collect();
        if let Some(code) = error.status() {
            let status = code.to_string().parse().unwrap_or_default();
            // The server's reply text follows the code; it is the server's, so it is treated
            // like any provider's text.
            let detail = provider_detail(&error_chain(error), &secrets);
            return match status {
                // Authentication required / mechanism too weak / credentials invalid / needs
                // encryption: the login or the URL's TLS mode is wrong.
                530 | 534 | 535 | 538 => EmailError::Unauthorized {
                    transport: TRANSPORT,
                    status,
                    code: None,
                },
                _ if error.is_transient() => EmailError::Temporary {
                    transport: TRANSPORT,
                    status,
                    code: None,
                    detail,
                },
                _ => EmailError::Rejected {
                    transport: TRANSPORT,
                    status,
                    code: None,
                    detail,
                },
            };
        }
        let detail = redact(&error_chain(error), &secrets);
        if error.is_client() {
            // lettre refused before talking, e.g. no authentication mechanism in common.
            EmailError::Misconfigured(format!("the SMTP server and smtp_url disagree: {detail}"))
        } else {
            // Connection, network, TLS, timeout, an unreadable reply, a pool shut down.
            EmailError::Unreachable {
                transport: TRANSPORT,
                detail,
            }
        }
    }
}

/// Translates our `smtp_url` into lettre's form, and returns the password for redaction.
/// Errors never repeat the URL: it holds the password.
fn lettre_url(raw: &str) -> Result<(SecretString, Vec<SecretString>), EmailError> {
    let bad = |what: &str| EmailError::Misconfigured(format!("smtp_url {what}; {USAGE}"));
    let mut url = url::Url::parse(raw).map_err(|_| bad("is not a URL"))?;
    if url.host_str().is_none_or(str::is_empty) {
        return Err(bad("has no host"));
    }
    let mut tls = None;
    let mut others = Vec::new();
    for (key, value) in url.query_pairs() {
        if key == "tls" {
            tls = Some(value.into_owned());
        } else {
            others.push((key.into_owned(), value.into_owned()));
        }
    }
    let lettre_tls = match (url.scheme(), tls.as_deref()) {
        // STARTTLS unless the operator opts out: a password never crosses the network in
        // the clear by default.
        ("smtp", None | Some("required")) => Some("required"),
        ("smtp", Some("opportunistic")) => Some("opportunistic"),
        ("smtp", Some("none")) => None,
        ("smtp", Some(_)) => {
            return Err(bad("has a tls= other than none, required or opportunistic"));
        }
        ("smtps", None) => None,
        ("smtps", Some(_)) => return Err(bad("is smtps://, which is always TLS; drop tls=")),
        _ => return Err(bad("must start with smtp:// or smtps://")),
    };
    url.set_query(None);
    if lettre_tls.is_some() || !others.is_empty() {
        let mut query = url.query_pairs_mut();
        query.extend_pairs(&others);
        if let Some(tls) = lettre_tls {
            query.append_pair("tls", tls);
        }
    }
    let password = match url.password() {
        Some(encoded) => vec![
            SecretString::from(encoded.to_string()),
            SecretString::from(percent_decode(encoded)),
        ],
        None => Vec::new(),
    };
    Ok((SecretString::from(url.to_string()), password))
}

/// `%XX` escapes decoded, as lettre decodes the password before it logs in.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%')
            .then(|| text.get(i + 1..i + 3))
            .flatten()
            .filter(|hex| hex.bytes().all(|b| b.is_ascii_hexdigit()))
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A BCP 47-looking tag (`en`, `zh-CN`): only then does it go into a header.
fn is_language_tag(tag: &str) -> bool {
    (2..=35).contains(&tag.len()) && tag.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn translate(url: &str) -> Result<String, String> {
        lettre_url(url)
            .map(|(url, _)| url.expose_secret().to_string())
            .map_err(|e| e.to_string())
    }

    #[test]
    fn smtp_urls_mean_starttls_unless_told_otherwise() {
        assert_eq!(
            translate("smtp://user:pa%24s@mail.example.com:587").unwrap(),
            "smtp://user:pa%24s@mail.example.com:587?tls=required"
        );
        assert_eq!(
            translate("smtp://mail.example.com").unwrap(),
            "smtp://mail.example.com?tls=required"
        );
        assert_eq!(
            translate("smtp://127.0.0.1:25?tls=none").unwrap(),
            "smtp://127.0.0.1:25"
        );
        assert_eq!(
            translate("smtp://h:2525?tls=opportunistic").unwrap(),
            "smtp://h:2525?tls=opportunistic"
        );
        assert_eq!(
            translate("smtps://u:p@mail.example.com").unwrap(),
            "smtps://u:p@mail.example.com"
        );
        // The path names the client in EHLO; lettre reads it, so it stays.
        assert_eq!(
            translate("smtp://h/studio.example.com?tls=none").unwrap(),
            "smtp://h/studio.example.com"
        );
    }

    #[test]
    fn unusable_smtp_urls_are_refused_without_echoing_the_password() {
        for url in [
            "http://user:hunter22@mail.example.com",
            "smtp://user:hunter22@mail.example.com?tls=maybe",
            "smtps://user:hunter22@mail.example.com?tls=none",
            "smtp://user:hunter22@",
            "hunter22",
        ] {
            let err = translate(url).unwrap_err();
            assert!(err.starts_with("email settings: smtp_url"), "{err}");
            assert!(!err.contains("hunter22"), "{err}");
        }
    }

    #[test]
    fn passwords_are_kept_for_redaction_as_written_and_decoded() {
        let (_, secrets) = lettre_url("smtp://u:pa%24%24w%C3%B6rd@h:587").unwrap();
        let secrets: Vec<&str> = secrets.iter().map(|s| s.expose_secret()).collect();
        assert_eq!(secrets, ["pa%24%24w%C3%B6rd", "pa$$wörd"]);
        assert_eq!(percent_decode("100%"), "100%");
    }

    #[test]
    fn language_tags_are_checked_before_they_become_headers() {
        assert!(is_language_tag("en"));
        assert!(is_language_tag("zh-CN"));
        assert!(!is_language_tag("en\r\nBcc: x@example.com"));
        assert!(!is_language_tag(""));
    }
}
