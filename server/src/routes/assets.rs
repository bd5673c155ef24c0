//! Precompressed static assets: next to every compressible file of the built site a `.br`
//! and a `.gz` copy, which the file server sends to browsers that accept them. Done once at
//! start in the background, and only for files whose copies are missing or stale.

use std::{
    io::Write,
    path::{Path, PathBuf},
};

const COMPRESSIBLE: &[&str] = &[
    "js", "wasm", "css", "svg", "html", "txt", "xml", "json", "ico",
];

pub fn precompress_in_background(site_root: PathBuf) {
    tokio::task::spawn_blocking(move || {
        let mut done = 0usize;
        walk(&site_root, &mut |path| match precompress(path) {
            Ok(true) => done += 1,
            Ok(false) => {}
            Err(e) => tracing::debug!(path = %path.display(), error = %e, "could not precompress"),
        });
        if done > 0 {
            tracing::info!(files = done, "precompressed static assets");
        }
    });
}

fn walk(dir: &Path, visit: &mut dyn FnMut(&Path)) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, visit);
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| COMPRESSIBLE.contains(&e))
        {
            visit(&path);
        }
    }
}

/// Writes `path.br` and `path.gz` when missing or older than `path`. Returns whether it
/// wrote anything. Each copy is written to a temporary name and renamed into place, so a
/// request never sees half a file.
pub fn precompress(path: &Path) -> std::io::Result<bool> {
    let modified = std::fs::metadata(path)?.modified()?;
    let fresh = |copy: &Path| {
        std::fs::metadata(copy)
            .and_then(|m| m.modified())
            .is_ok_and(|t| t >= modified)
    };
    let br = with_suffix(path, "br");
    let gz = with_suffix(path, "gz");
    if fresh(&br) && fresh(&gz) {
        return Ok(false);
    }
    let data = std::fs::read(path)?;
    let mut brotli_out = Vec::with_capacity(data.len() / 3);
    {
        let mut writer = brotli::CompressorWriter::new(&mut brotli_out, 64 * 1024, 11, 22);
        writer.write_all(&data)?;
    }
    replace(&br, &brotli_out)?;
    let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gzip.write_all(&data)?;
    replace(&gz, &gzip.finish()?)?;
    Ok(true)
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}

fn replace(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let temporary = with_suffix(path, &format!("tmp{}", std::process::id()));
    std::fs::write(&temporary, contents)?;
    std::fs::rename(&temporary, path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn copies_decompress_to_the_original_and_are_not_redone() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("app.js");
        let body = "export function hydrate() {}\n".repeat(200);
        std::fs::write(&file, &body).unwrap();
        assert!(precompress(&file).unwrap());
        assert!(!precompress(&file).unwrap(), "fresh copies are kept");

        let mut unbrotli = String::new();
        brotli::Decompressor::new(std::fs::File::open(with_suffix(&file, "br")).unwrap(), 4096)
            .read_to_string(&mut unbrotli)
            .unwrap();
        assert_eq!(unbrotli, body);
        let mut ungzip = String::new();
        flate2::read::GzDecoder::new(std::fs::File::open(with_suffix(&file, "gz")).unwrap())
            .read_to_string(&mut ungzip)
            .unwrap();
        assert_eq!(ungzip, body);
        assert!(
            std::fs::metadata(with_suffix(&file, "br")).unwrap().len() < body.len() as u64 / 10
        );
    }
}
