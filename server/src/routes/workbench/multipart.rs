//! Multipart bodies of the workbench (an upload, the plain form with its files), read with
//! the upload limit in mind.

use axum::{body::Bytes, extract::Multipart, http::StatusCode};
use domain::{
    generation::uploads::{self, UploadError},
    images::ImageError,
};

use crate::http::HttpError;

/// The longest text field of a form.
const MAX_TEXT_FIELD: usize = 64 * 1024;

/// A file of a multipart body.
pub struct FilePart {
    pub field: String,
    pub name: Option<String>,
    pub bytes: Bytes,
}

#[derive(Default)]
/// A multipart body, read: its text fields and its files.
pub struct MultipartForm {
    pub fields: Vec<(String, String)>,
    pub files: Vec<FilePart>,
}

impl MultipartForm {
    /// The first non-empty value of field `name`.
    pub fn text(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }

    /// Every non-empty value of field `name`.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.fields
            .iter()
            .filter(|(k, v)| k == name && !v.is_empty())
            .map(|(_, v)| v.clone())
            .collect()
    }
}

/// Reads a multipart body: `file_fields` as files (empty file inputs skipped), everything
/// else as text. A file over the upload limit makes the whole request "too large", but
/// only once the body has been read (and discarded) to its end, so the error reaches a
/// client still sending; a body over the route's limit is "too large" at once.
pub async fn read_multipart(
    mut multipart: Multipart,
    file_fields: &[&str],
) -> Result<MultipartForm, HttpError> {
    let too_large = || {
        HttpError::domain(UploadError::Image(ImageError::TooLarge {
            max_bytes: uploads::limits().max_bytes,
        }))
    };
    let malformed = || HttpError::new("generation-error-malformed", StatusCode::BAD_REQUEST);
    let mut form = MultipartForm::default();
    let mut oversized = false;
    loop {
        let mut field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(too_large()),
            Err(_) => return Err(malformed()),
        };
        let name = field.name().unwrap_or_default().to_string();
        let file_name = field.file_name().map(str::to_string);
        let cap = if file_fields.contains(&name.as_str()) {
            uploads::limits().max_bytes
        } else {
            MAX_TEXT_FIELD
        };
        let mut bytes = Vec::new();
        loop {
            match field.chunk().await {
                Ok(Some(chunk)) => {
                    if !oversized && bytes.len() + chunk.len() <= cap {
                        bytes.extend_from_slice(&chunk);
                    } else {
                        oversized = true;
                        bytes.clear();
                    }
                }
                Ok(None) => break,
                Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(too_large()),
                Err(_) => return Err(malformed()),
            }
        }
        if oversized {
            continue;
        }
        let bytes = Bytes::from(bytes);
        if file_fields.contains(&name.as_str()) {
            if !bytes.is_empty() {
                form.files.push(FilePart {
                    field: name,
                    name: file_name,
                    bytes,
                });
            }
        } else {
            let text = String::from_utf8(bytes.to_vec()).map_err(|_| malformed())?;
            form.fields.push((name, text));
        }
    }
    if oversized {
        return Err(too_large());
    }
    Ok(form)
}
