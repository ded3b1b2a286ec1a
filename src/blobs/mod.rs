//! Where media bytes live. The library stores only keys; `BlobStore` turns a key into bytes.
//! The data folder is the default (`FsBlobStore`); an S3-compatible store can implement the
//! same trait without the services noticing.

mod fs;

use std::path::Path;
use std::pin::Pin;

pub use fs::FsBlobStore;

/// A blob being read, with its length (for `Content-Length` and range checks).
pub struct BlobReader {
    pub len: u64,
    pub reader: Pin<Box<dyn tokio::io::AsyncRead + Send>>,
}

#[derive(Debug, thiserror::Error)]
pub enum BlobError {
    #[error("no blob under key {0:?}")]
    NotFound(String),
    #[error("invalid blob key {0:?}")]
    InvalidKey(String),
    #[error("blob store: {0}")]
    Io(#[from] std::io::Error),
}

#[async_trait::async_trait]
pub trait BlobStore: Send + Sync {
    /// Stores `bytes` under `key`, replacing what was there. Readers never see half a blob.
    async fn put(&self, key: &str, bytes: Vec<u8>) -> Result<(), BlobError>;
    /// Moves a finished local file (an upload spooled to disk) under `key`.
    async fn put_file(&self, key: &str, file: &Path) -> Result<(), BlobError>;
    async fn get(&self, key: &str) -> Result<Vec<u8>, BlobError>;
    async fn open(&self, key: &str) -> Result<BlobReader, BlobError>;
    /// Removes `key`; a key already gone is not an error.
    async fn delete(&self, key: &str) -> Result<(), BlobError>;
}

/// Keys are made by Herald (`{workspace}/{media}/{name}`), never taken from a request; this
/// check is the second lock on the door against `..` reaching outside the store.
pub fn check_key(key: &str) -> Result<(), BlobError> {
    let ok = !key.is_empty()
        && key.len() <= 200
        && key.split('/').all(|seg| {
            !seg.is_empty()
                && seg != "."
                && seg != ".."
                && seg
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
        });
    if ok {
        Ok(())
    } else {
        Err(BlobError::InvalidKey(key.to_owned()))
    }
}
