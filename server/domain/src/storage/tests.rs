//! One behaviour story run against both backends: a directory, and a real S3 API (moto's
//! server, started per test) so the S3 code path is exercised over HTTP, not mocked.

use super::*;
use crate::testing::Moto;
use secrecy::SecretString;

const SIGNING_KEY: &[u8] = b"a test instance secret of enough length";

fn key(text: &str) -> StorageKey {
    StorageKey::parse(text).unwrap()
}

/// What every backend must do the same way.
async fn story(storage: &Storage) {
    let a = key("users/u1/a.png");
    let b = key("users/u1/b.webp");
    let nested = key("users/u1/nested/d.json");
    let neighbour = key("users/u10/c.jpg");

    assert_eq!(storage.get(&a).await.unwrap(), None);
    storage
        .put(&a, b"first".to_vec(), "image/png")
        .await
        .unwrap();
    storage
        .put(&b, b"webp bytes".to_vec(), "image/webp")
        .await
        .unwrap();
    storage
        .put(&nested, b"{}".to_vec(), "application/json")
        .await
        .unwrap();
    storage
        .put(&neighbour, b"jpeg".to_vec(), "image/jpeg")
        .await
        .unwrap();

    let file = storage.get(&a).await.unwrap().unwrap();
    assert_eq!(file.bytes, b"first");
    assert_eq!(file.content_type, "image/png");
    assert_eq!(
        storage.get(&b).await.unwrap().unwrap().content_type,
        "image/webp"
    );
    assert_eq!(
        storage.get(&nested).await.unwrap().unwrap().content_type,
        "application/json"
    );

    // Overwriting replaces.
    storage
        .put(&a, b"second!".to_vec(), "image/png")
        .await
        .unwrap();
    assert_eq!(storage.get(&a).await.unwrap().unwrap().bytes, b"second!");

    // A prefix is whole segments: u1 does not cover u10.
    let listed = storage.list(&key("users/u1")).await.unwrap();
    let keys: Vec<&str> = listed.iter().map(|o| o.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "users/u1/a.png",
            "users/u1/b.webp",
            "users/u1/nested/d.json"
        ]
    );
    assert_eq!(listed[0].size, 7);
    let now = crate::now_ms();
    assert!(
        listed
            .iter()
            .all(|o| (now - o.last_modified_ms).abs() < 60_000)
    );
    assert!(storage.list(&key("nobody")).await.unwrap().is_empty());

    // Deleting is idempotent.
    storage.delete(&a).await.unwrap();
    assert_eq!(storage.get(&a).await.unwrap(), None);
    storage.delete(&a).await.unwrap();
    storage.delete(&key("never/existed.png")).await.unwrap();

    assert_eq!(storage.delete_prefix(&key("users/u1")).await.unwrap(), 2);
    assert!(storage.list(&key("users/u1")).await.unwrap().is_empty());
    assert_eq!(storage.get(&nested).await.unwrap(), None);
    assert_eq!(storage.delete_prefix(&key("users/u1")).await.unwrap(), 0);
    // The neighbour is untouched.
    assert_eq!(
        storage.get(&neighbour).await.unwrap().unwrap().bytes,
        b"jpeg"
    );
}

#[tokio::test]
async fn local_directory_story() {
    let dir = tempfile::tempdir().unwrap();
    // The root is created when missing.
    let root = dir.path().join("files").join("nested");
    let storage = Storage::new(&StorageConfig::Local { root: root.clone() }, SIGNING_KEY).unwrap();
    assert_eq!(storage.backend_name(), "local");
    story(&storage).await;

    // Files are plain files under the root, at their key.
    let kept = key("users/u2/kept.png");
    storage
        .put(&kept, b"on disk".to_vec(), "image/png")
        .await
        .unwrap();
    assert_eq!(
        std::fs::read(root.join("users/u2/kept.png")).unwrap(),
        b"on disk"
    );
    // Erasing a prefix leaves no empty directories behind.
    storage.delete_prefix(&key("users/u2")).await.unwrap();
    assert!(!root.join("users/u2").exists());

    // Without stored metadata the extension decides, and unknown means download.
    storage
        .put(&key("odd/file.bin"), b"?".to_vec(), "image/png")
        .await
        .unwrap();
    assert_eq!(
        storage
            .get(&key("odd/file.bin"))
            .await
            .unwrap()
            .unwrap()
            .content_type,
        "application/octet-stream"
    );
}

#[test]
fn keys_are_validated() {
    for good in [
        "a",
        "users/0190c0de-7e57/uploads/x_1.png",
        "A/b-c/d.e.f",
        ".well/x",
    ] {
        assert!(StorageKey::parse(good).is_ok(), "{good:?}");
    }
    for bad in [
        "",
        "/etc/passwd",
        "../secrets.toml",
        "users/../../x",
        "users/..",
        "a..b",
        "users//x",
        "users/x/",
        "./x",
        "a/./b",
        "a\\b",
        "a b",
        "a%2e%2e",
        "ünïcode",
        "a?b",
        "a#1",
        "a\0b",
    ] {
        assert!(
            matches!(StorageKey::parse(bad), Err(StorageError::InvalidKey)),
            "{bad:?}"
        );
    }
    assert!(StorageKey::parse("x".repeat(MAX_KEY_LEN)).is_ok());
    assert!(StorageKey::parse("x".repeat(MAX_KEY_LEN + 1)).is_err());
    assert_eq!(
        key("users/u1").join("a.png").unwrap(),
        key("users/u1/a.png")
    );
    assert!(key("users").join("../x").is_err());
}

#[test]
fn content_type_follows_the_last_extension() {
    assert_eq!(content_type_of(&key("a/b.PNG")), "image/png");
    assert_eq!(content_type_of(&key("a/b.jpeg")), "image/jpeg");
    assert_eq!(content_type_of(&key("a.png/b")), "application/octet-stream");
    assert_eq!(
        content_type_of(&key("a/b.html")),
        "application/octet-stream"
    );
    assert_eq!(content_type_of(&key("a/b.svg")), "application/octet-stream");
}

fn local_storage(dir: &tempfile::TempDir, signing_key: &[u8]) -> Storage {
    Storage::new(
        &StorageConfig::Local {
            root: dir.path().to_path_buf(),
        },
        signing_key,
    )
    .unwrap()
}

/// Splits a signed path into its key, expiry and signature.
fn parse_signed(path: &str) -> (String, i64, String) {
    let (key, query) = path
        .strip_prefix("/files/")
        .unwrap()
        .split_once('?')
        .unwrap();
    let (expires, sig) = query
        .strip_prefix("expires=")
        .unwrap()
        .split_once("&sig=")
        .unwrap();
    (key.to_string(), expires.parse().unwrap(), sig.to_string())
}

#[test]
fn signed_links_verify_until_they_expire() {
    let dir = tempfile::tempdir().unwrap();
    let storage = local_storage(&dir, SIGNING_KEY);
    let file = key("users/u1/a.png");
    let now = 1_700_000_000_000;
    let path = storage.signed_path(&file, Duration::from_secs(600), now);
    let (signed_key, expires, sig) = parse_signed(&path);
    assert_eq!(signed_key, "users/u1/a.png");
    assert_eq!(expires, now + 600_000);
    assert_eq!(sig.len(), 64);

    assert!(storage.verify(&file, expires, &sig, now));
    assert!(
        storage.verify(&file, expires, &sig, expires),
        "valid to the ms"
    );
    assert!(
        storage.verify(&file, expires, &sig.to_uppercase(), now),
        "hex case is immaterial"
    );
    // Expired.
    assert!(!storage.verify(&file, expires, &sig, expires + 1));
    // Tampered: another file, a later expiry, a changed signature, junk.
    assert!(!storage.verify(&key("users/u2/a.png"), expires, &sig, now));
    assert!(!storage.verify(&file, expires + 1, &sig, now));
    let mut flipped = sig.clone().into_bytes();
    flipped[10] = if flipped[10] == b'0' { b'1' } else { b'0' };
    assert!(!storage.verify(&file, expires, &String::from_utf8(flipped).unwrap(), now));
    assert!(!storage.verify(&file, expires, &sig[..62], now));
    assert!(!storage.verify(&file, expires, "", now));
    assert!(!storage.verify(&file, expires, "not hex at all", now));
    // Another instance's secret signs differently; so does the raw secret itself.
    let other_dir = tempfile::tempdir().unwrap();
    let other = local_storage(&other_dir, b"another instance secret, also long enough");
    assert!(!other.verify(&file, expires, &sig, now));
    let mut raw = Hmac::<Sha256>::new_from_slice(SIGNING_KEY).unwrap();
    raw.update(format!("users/u1/a.png|{expires}").as_bytes());
    let raw_sig = hex::encode(raw.finalize().into_bytes());
    assert!(!storage.verify(&file, expires, &raw_sig, now));
}

#[test]
fn debug_shows_no_key() {
    let dir = tempfile::tempdir().unwrap();
    let storage = local_storage(&dir, SIGNING_KEY);
    assert_eq!(format!("{storage:?}"), "Storage { backend: \"local\", .. }");
}

fn s3_config(moto: &Moto, bucket: &str) -> StorageConfig {
    StorageConfig::S3 {
        bucket: bucket.into(),
        endpoint: Some(moto.endpoint()),
        region: "us-east-1".into(),
        access_key_id: Some("testing".into()),
        secret_access_key: Some(SecretString::from("testing")),
    }
}

#[tokio::test]
async fn s3_story_against_moto() {
    let moto = Moto::start();
    moto.create_bucket("banana-test").await;
    let storage = Storage::new(&s3_config(&moto, "banana-test"), SIGNING_KEY).unwrap();
    assert_eq!(storage.backend_name(), "s3");
    story(&storage).await;

    // S3 keeps the content type given, whatever the extension says.
    let odd = key("odd/file.bin");
    storage
        .put(&odd, b"\x89PNG".to_vec(), "image/png")
        .await
        .unwrap();
    assert_eq!(
        storage.get(&odd).await.unwrap().unwrap().content_type,
        "image/png"
    );

    // A bulk deletion (one DeleteObjects request on S3) counts every file it removed.
    for i in 0..25 {
        storage
            .put(
                &key(&format!("many/{i:03}.txt")),
                vec![b'x'; i],
                "text/plain",
            )
            .await
            .unwrap();
    }
    assert_eq!(storage.list(&key("many")).await.unwrap().len(), 25);
    assert_eq!(storage.delete_prefix(&key("many")).await.unwrap(), 25);
    assert!(storage.list(&key("many")).await.unwrap().is_empty());

    // A bucket that does not exist is an error, not an empty result, and says nothing
    // about the endpoint or the credentials.
    let missing = Storage::new(&s3_config(&moto, "no-such-bucket"), SIGNING_KEY).unwrap();
    let error = missing
        .put(&key("a.png"), b"x".to_vec(), "image/png")
        .await
        .unwrap_err();
    assert!(matches!(error, StorageError::Unavailable(_)));
    assert_eq!(error.to_string(), "file storage is unavailable");
}

#[test]
fn s3_credentials_go_in_pairs() {
    let config = StorageConfig::S3 {
        bucket: "b".into(),
        endpoint: Some("http://127.0.0.1:9".into()),
        region: "us-east-1".into(),
        access_key_id: Some("id".into()),
        secret_access_key: None,
    };
    let error = Storage::new(&config, SIGNING_KEY).unwrap_err();
    assert!(matches!(error, StorageError::Setup(_)));
}
