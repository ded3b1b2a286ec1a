//! Blobs as files under `{data_dir}/media`.

use std::path::{Path, PathBuf};

use tokio::io::AsyncWriteExt;

use super::{BlobError, BlobReader, BlobStore, check_key};

#[derive(Clone, Debug)]
pub struct FsBlobStore {
    root: PathBuf,
}

impl FsBlobStore {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        FsBlobStore { root: root.into() }
    }

    fn path(&self, key: &str) -> Result<PathBuf, BlobError> {
        check_key(key)?;
        Ok(self.root.join(key))
    }

    /// A sibling temporary name, so the final rename is atomic on one file system.
    fn staging(path: &Path) -> PathBuf {
        let mut name = path.file_name().unwrap_or_default().to_os_string();
        name.push(format!(".tmp-{}", uuid::Uuid::new_v4().simple()));
        path.with_file_name(name)
    }

    async fn parent_ready(path: &Path) -> Result<(), BlobError> {
        if let Some(dir) = path.parent() {
            tokio::fs::create_dir_all(dir).await?;
        }
        Ok(())
    }
}

fn not_found(key: &str, e: std::io::Error) -> BlobError {
    if e.kind() == std::io::ErrorKind::NotFound {
        BlobError::NotFound(key.to_owned())
    } else {
        BlobError::Io(e)
    }
}

#[async_trait::async_trait]
impl BlobStore for FsBlobStore {
    async fn put(&self, key: &str, bytes: Vec<u8>) -> Result<(), BlobError> {
        let path = self.path(key)?;
        Self::parent_ready(&path).await?;
        let staging = Self::staging(&path);
        let mut file = tokio::fs::File::create(&staging).await?;
        file.write_all(&bytes).await?;
        file.sync_all().await?;
        drop(file);
        tokio::fs::rename(&staging, &path).await?;
        Ok(())
    }

    async fn put_file(&self, key: &str, file: &Path) -> Result<(), BlobError> {
        let path = self.path(key)?;
        Self::parent_ready(&path).await?;
        // A rename when the upload spool shares the file system; a copy otherwise.
        if tokio::fs::rename(file, &path).await.is_err() {
            let staging = Self::staging(&path);
            tokio::fs::copy(file, &staging).await?;
            tokio::fs::rename(&staging, &path).await?;
            let _ = tokio::fs::remove_file(file).await;
        }
        Ok(())
    }

    async fn get(&self, key: &str) -> Result<Vec<u8>, BlobError> {
        let path = self.path(key)?;
        tokio::fs::read(&path).await.map_err(|e| not_found(key, e))
    }

    async fn open(&self, key: &str) -> Result<BlobReader, BlobError> {
        let path = self.path(key)?;
        let file = tokio::fs::File::open(&path)
            .await
            .map_err(|e| not_found(key, e))?;
        let len = file.metadata().await?.len();
        Ok(BlobReader {
            len,
            reader: Box::pin(file),
        })
    }

    async fn delete(&self, key: &str) -> Result<(), BlobError> {
        let path = self.path(key)?;
        match tokio::fs::remove_file(&path).await {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(BlobError::Io(e)),
            _ => Ok(()),
        }
    }
}
