//! Where uploaded and generated files live: a directory on this machine or an S3 bucket,
//! behind one interface, addressed by validated [`StorageKey`]s. Private files reach a
//! browser only through signed, expiring `/files/…` links ([`Storage::signed_path`]).

use futures::{StreamExt, TryStreamExt};
use hmac::{Hmac, Mac};
use object_store::{
    Attribute, AttributeValue, Attributes, ObjectStore, PutOptions, PutPayload,
    aws::AmazonS3Builder, local::LocalFileSystem, path::Path,
};
use secrecy::ExposeSecret;
use sha2::Sha256;
use std::{fmt, sync::Arc, time::Duration};

use crate::config::StorageConfig;

/// Longest key accepted; S3 allows 1024 bytes, and ours are far shorter.
const MAX_KEY_LEN: usize = 512;

/// Why a file operation failed. Displays without paths, URLs or credentials; the cause
/// stays in the error's source chain for the log.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("invalid storage key")]
    InvalidKey,
    /// The configuration cannot work; for the operator, at start.
    #[error("file storage cannot be set up: {0}")]
    Setup(String),
    #[error("file storage is unavailable")]
    Unavailable(#[source] object_store::Error),
}

/// The name of a stored file, like `users/0190…/uploads/0190….png`: ASCII letters, digits,
/// `_ . -`, and `/` between non-empty segments; no `..`, no leading or trailing `/`. So a
/// key can never leave the storage root, needs no escaping in a URL, and means the same
/// on every backend.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StorageKey(String);

impl StorageKey {
    pub fn parse(key: impl Into<String>) -> Result<StorageKey, StorageError> {
        let key = key.into();
        let valid = !key.is_empty()
            && key.len() <= MAX_KEY_LEN
            && key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'_' | b'.' | b'-'))
            && !key.contains("..")
            && key
                .split('/')
                .all(|segment| !segment.is_empty() && segment != ".");
        if valid {
            Ok(StorageKey(key))
        } else {
            Err(StorageError::InvalidKey)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The key with `/` and `child` appended, validated.
    pub fn join(&self, child: &str) -> Result<StorageKey, StorageError> {
        StorageKey::parse(format!("{}/{child}", self.0))
    }

    fn path(&self) -> Path {
        // Our alphabet is a subset of what object_store accepts unescaped, so the path's
        // text is the key's text on every backend.
        Path::from_iter(self.0.split('/'))
    }
}

impl AsRef<str> for StorageKey {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for StorageKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A file read back from storage.
#[derive(Clone, PartialEq, Eq)]
pub struct StoredFile {
    pub bytes: Vec<u8>,
    pub content_type: String,
}

impl fmt::Debug for StoredFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StoredFile")
            .field("bytes", &self.bytes.len())
            .field("content_type", &self.content_type)
            .finish()
    }
}

/// One entry of a listing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredObject {
    pub key: StorageKey,
    pub size: u64,
    /// Milliseconds since the Unix epoch, like every time we store.
    pub last_modified_ms: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Backend {
    Local,
    S3,
}

/// The file store of this instance. Cheap to clone: the store and key are shared.
#[derive(Clone)]
pub struct Storage {
    store: Arc<dyn ObjectStore>,
    backend: Backend,
    /// Signs `/files/…` links. Derived from the instance secret, never the secret itself.
    url_key: Arc<[u8; 32]>,
}

impl fmt::Debug for Storage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Storage")
            .field("backend", &self.backend_name())
            .finish_non_exhaustive()
    }
}

impl Storage {
    /// Opens the configured store. `signing_key` is the instance secret; links are signed
    /// with a key derived from it for this purpose alone, so a signature made here means
    /// nothing to the cookie or token code that uses the same secret.
    pub fn new(config: &StorageConfig, signing_key: &[u8]) -> Result<Storage, StorageError> {
        let (store, backend): (Arc<dyn ObjectStore>, Backend) = match config {
            StorageConfig::Local { root } => {
                std::fs::create_dir_all(root).map_err(|e| {
                    StorageError::Setup(format!("cannot create {}: {e}", root.display()))
                })?;
                let store = LocalFileSystem::new_with_prefix(root)
                    .map_err(|e| {
                        StorageError::Setup(format!("cannot use {}: {e}", root.display()))
                    })?
                    // Deleting a person's last file removes their now-empty directories,
                    // so erased accounts leave no trace in the tree.
                    .with_automatic_cleanup(true);
                (Arc::new(store), Backend::Local)
            }
            StorageConfig::S3 {
                bucket,
                endpoint,
                region,
                access_key_id,
                secret_access_key,
            } => {
                let mut builder = match (access_key_id, secret_access_key) {
                    (Some(id), Some(secret)) => AmazonS3Builder::new()
                        .with_access_key_id(id)
                        .with_secret_access_key(secret.expose_secret()),
                    // No keys configured: the standard AWS chain (environment, web
                    // identity, container or instance credentials) supplies them.
                    (None, None) => AmazonS3Builder::from_env(),
                    _ => {
                        return Err(StorageError::Setup(
                            "the S3 access key id and secret access key go together".into(),
                        ));
                    }
                };
                builder = builder.with_bucket_name(bucket).with_region(region);
                if let Some(endpoint) = endpoint {
                    // S3-compatible services (MinIO, R2, moto) are addressed by path, not
                    // by bucket subdomain; local ones often speak plain HTTP.
                    builder = builder
                        .with_endpoint(endpoint)
                        .with_allow_http(endpoint.starts_with("http://"))
                        .with_virtual_hosted_style_request(false);
                }
                let store = builder
                    .build()
                    .map_err(|e| StorageError::Setup(format!("S3 bucket {bucket}: {e}")))?;
                (Arc::new(store), Backend::S3)
            }
        };
        let mut mac =
            Hmac::<Sha256>::new_from_slice(signing_key).expect("HMAC accepts keys of any length");
        mac.update(b"banana-nano storage: signed file links v1");
        let url_key: [u8; 32] = mac.finalize().into_bytes().into();
        Ok(Storage {
            store,
            backend,
            url_key: Arc::new(url_key),
        })
    }

    /// `local` or `s3`, for logs and health output.
    pub fn backend_name(&self) -> &'static str {
        match self.backend {
            Backend::Local => "local",
            Backend::S3 => "s3",
        }
    }

    /// Stores `bytes` at `key`, replacing what was there. Atomic on both backends: a
    /// reader sees the old file or the new one, never a partial write. S3 keeps
    /// `content_type`; the local backend derives it from the key's extension when read, so
    /// give keys the extension that matches their content.
    pub async fn put(
        &self,
        key: &StorageKey,
        bytes: Vec<u8>,
        content_type: &str,
    ) -> Result<(), StorageError> {
        let mut attributes = Attributes::new();
        // The local backend refuses attributes outright rather than ignoring them.
        if self.backend == Backend::S3 {
            attributes.insert(
                Attribute::ContentType,
                AttributeValue::from(content_type.to_string()),
            );
        }
        self.store
            .put_opts(
                &key.path(),
                PutPayload::from(bytes),
                PutOptions::from(attributes),
            )
            .await
            .map_err(StorageError::Unavailable)?;
        Ok(())
    }

    /// The file at `key` with its content type, or `None` if there is none.
    pub async fn get(&self, key: &StorageKey) -> Result<Option<StoredFile>, StorageError> {
        let result = match self.store.get(&key.path()).await {
            Ok(result) => result,
            Err(object_store::Error::NotFound { .. }) => return Ok(None),
            Err(e) => return Err(StorageError::Unavailable(e)),
        };
        let content_type = result
            .attributes
            .get(&Attribute::ContentType)
            .map(|value| value.to_string())
            .unwrap_or_else(|| content_type_of(key).to_string());
        let bytes = match result.bytes().await {
            Ok(bytes) => bytes,
            // Deleted between the lookup and the read.
            Err(object_store::Error::NotFound { .. }) => return Ok(None),
            Err(e) => return Err(StorageError::Unavailable(e)),
        };
        Ok(Some(StoredFile {
            // Zero-copy when the buffer is not shared, which it is not here.
            bytes: Vec::from(bytes),
            content_type,
        }))
    }

    /// Removes the file at `key`; removing a file that is not there succeeds, so a retried
    /// deletion (or two racing ones) never fails.
    pub async fn delete(&self, key: &StorageKey) -> Result<(), StorageError> {
        match self.store.delete(&key.path()).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(StorageError::Unavailable(e)),
        }
    }

    /// Removes every file under `prefix` (whole segments: `users/ab` covers
    /// `users/ab/x.png`, not `users/abc/x.png`) and returns how many went.
    pub async fn delete_prefix(&self, prefix: &StorageKey) -> Result<usize, StorageError> {
        // Raw locations, not keys: a file named outside our rules (put there by hand) under
        // a person's prefix must go with the rest when their data is erased.
        let locations: Vec<Path> = self
            .store
            .list(Some(&prefix.path()))
            .map_ok(|meta| meta.location)
            .try_collect()
            .await
            .map_err(StorageError::Unavailable)?;
        let mut deleted = 0;
        // S3 deletes these in batches of up to a thousand per request.
        let mut results = self
            .store
            .delete_stream(futures::stream::iter(locations.into_iter().map(Ok)).boxed());
        while let Some(result) = results.next().await {
            match result {
                Ok(_) => deleted += 1,
                // Someone else deleted it meanwhile: gone is what we wanted.
                Err(object_store::Error::NotFound { .. }) => {}
                Err(e) => return Err(StorageError::Unavailable(e)),
            }
        }
        Ok(deleted)
    }

    /// The files under `prefix` (whole segments, recursively), ordered by key.
    pub async fn list(&self, prefix: &StorageKey) -> Result<Vec<StoredObject>, StorageError> {
        let metas: Vec<_> = self
            .store
            .list(Some(&prefix.path()))
            .try_collect()
            .await
            .map_err(StorageError::Unavailable)?;
        let mut objects: Vec<StoredObject> = metas
            .into_iter()
            .filter_map(|meta| match StorageKey::parse(meta.location.as_ref()) {
                Ok(key) => Some(StoredObject {
                    key,
                    size: meta.size,
                    last_modified_ms: meta.last_modified.timestamp_millis(),
                }),
                Err(_) => {
                    tracing::warn!(
                        location = %meta.location,
                        "storage holds a file whose name is not a valid key; skipped"
                    );
                    None
                }
            })
            .collect();
        objects.sort_by(|a, b| a.key.cmp(&b.key));
        Ok(objects)
    }

    /// A link to a private file that works until `now_ms + ttl`:
    /// `/files/<key>?expires=<unix ms>&sig=<hex HMAC-SHA256 of "<key>|<expires>">`.
    /// Keys need no escaping (see [`StorageKey`]).
    pub fn signed_path(&self, key: &StorageKey, ttl: Duration, now_ms: i64) -> String {
        let ttl_ms = i64::try_from(ttl.as_millis()).unwrap_or(i64::MAX);
        let expires = now_ms.saturating_add(ttl_ms);
        let signature = hex::encode(self.link_mac(key, expires).finalize().into_bytes());
        format!("/files/{key}?expires={expires}&sig={signature}")
    }

    /// Whether a `/files/…` link's `expires` and `sig` were made by [`Storage::signed_path`]
    /// for `key` and have not expired at `now_ms`.
    pub fn verify(&self, key: &StorageKey, expires: i64, sig: &str, now_ms: i64) -> bool {
        if expires < now_ms {
            return false;
        }
        let Ok(signature) = hex::decode(sig) else {
            return false;
        };
        // `verify_slice` compares in constant time, so response timing reveals nothing
        // about how much of a forged signature was right.
        self.link_mac(key, expires).verify_slice(&signature).is_ok()
    }

    fn link_mac(&self, key: &StorageKey, expires: i64) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(self.url_key.as_slice())
            .expect("HMAC accepts keys of any length");
        // `|` cannot occur in a key, so no two (key, expires) pairs sign the same bytes.
        mac.update(key.as_str().as_bytes());
        mac.update(b"|");
        mac.update(expires.to_string().as_bytes());
        mac
    }
}

/// The content type a key's extension implies, for backends that keep none. Anything
/// unknown is `application/octet-stream`, which browsers download rather than render: a
/// stored file must never be served as HTML or SVG from our origin.
fn content_type_of(key: &StorageKey) -> &'static str {
    let file_name = key.as_str().rsplit('/').next().unwrap_or_default();
    let extension = file_name
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase());
    match extension.as_deref() {
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("webp") => "image/webp",
        Some("json") => "application/json",
        Some("zip") => "application/zip",
        Some("txt") => "text/plain; charset=utf-8",
        Some("csv") => "text/csv; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests;
