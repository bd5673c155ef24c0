//! The archive writer: the ZIP of an export's JSON documents and images.

use super::ExportError;
use crate::{AppState, storage::StorageKey};

/// The files of one export: the JSON documents, and the images to copy from storage.
pub(super) struct Archive {
    pub(super) documents: Vec<(String, Vec<u8>)>,
    pub(super) images: Vec<(String, StorageKey)>,
}

/// Writes the archive on the blocking pool (compression is CPU work), feeding it the images
/// one at a time as they are read from storage, so only one image is in memory besides
/// the archive.
pub(super) async fn write_zip(state: &AppState, archive: Archive) -> Result<Vec<u8>, ExportError> {
    use std::io::Write;
    use zip::{CompressionMethod, write::SimpleFileOptions};
    // (path, bytes, compress): images are compressed already.
    let (sender, mut receiver) = tokio::sync::mpsc::channel::<(String, Vec<u8>, bool)>(2);
    let writer = tokio::task::spawn_blocking(move || -> Result<Vec<u8>, String> {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        while let Some((path, bytes, compress)) = receiver.blocking_recv() {
            let method = if compress {
                CompressionMethod::Deflated
            } else {
                CompressionMethod::Stored
            };
            let options = SimpleFileOptions::default()
                .compression_method(method)
                .unix_permissions(0o644)
                .large_file(bytes.len() as u64 >= u64::from(u32::MAX));
            zip.start_file(path, options).map_err(|e| e.to_string())?;
            zip.write_all(&bytes).map_err(|e| e.to_string())?;
        }
        let cursor = zip.finish().map_err(|e| e.to_string())?;
        Ok(cursor.into_inner())
    });
    let feed = async {
        for (path, bytes) in archive.documents {
            if sender.send((path, bytes, true)).await.is_err() {
                return Ok(());
            }
        }
        for (path, key) in archive.images {
            match state.storage.get(&key).await? {
                Some(file) => {
                    if sender.send((path, file.bytes, false)).await.is_err() {
                        return Ok(());
                    }
                }
                // A row whose file is gone: the record says so, there is nothing to copy.
                None => tracing::warn!(%key, "a file listed in an export is missing"),
            }
        }
        Ok::<(), ExportError>(())
    }
    .await;
    drop(sender);
    let written = writer
        .await
        .map_err(|e| ExportError::Archive(e.to_string()))?
        .map_err(ExportError::Archive);
    feed?;
    written
}
