//! Media at a public address that networks fetch themselves (Instagram and Threads take no
//! uploads): `/media/public/{id}?exp=...&sig=...` on the install's public URL, signed with a
//! key derived from the master key and valid until `exp`. Anyone holding the address can
//! fetch the file until then, and nothing else: the signature covers the id and the expiry.

use uuid::Uuid;

use super::library::blob_error;
use crate::blobs::BlobReader;
use crate::crypto::token::constant_time_eq;
use crate::services::{AppError, AppResult, Services};
use crate::storage::media;

/// What the signing key is derived for.
const PURPOSE: &str = "media-public-url";

impl Services {
    fn public_media_signature(&self, media_id: Uuid, expires_at_ms: i64) -> String {
        let key = self.secrets.derive_key(PURPOSE);
        let message = format!("{media_id}:{expires_at_ms}");
        // 128 bits, as the link-preview image addresses: plenty against guessing.
        hex::encode(&crate::crypto::hmac::sha256(&key, message.as_bytes())[..16])
    }

    /// The address a network can fetch this media file from until `expires_at_ms`; `None`
    /// when the install has no public URL configured.
    pub fn media_public_url(&self, media_id: Uuid, expires_at_ms: i64) -> Option<String> {
        let base = self.public_url.as_deref()?.trim_end_matches('/');
        Some(format!(
            "{base}{}",
            self.media_public_path(media_id, expires_at_ms)
        ))
    }

    /// The same address without the host, for pages Herald serves itself (a client's
    /// review page shows the post's pictures this way, with no session).
    pub fn media_public_path(&self, media_id: Uuid, expires_at_ms: i64) -> String {
        let sig = self.public_media_signature(media_id, expires_at_ms);
        format!("/media/public/{media_id}?exp={expires_at_ms}&sig={sig}")
    }

    /// The file behind a public address, when its signature holds and it has not expired
    /// (`Forbidden` otherwise, whatever the reason, so nothing is learnt by probing).
    pub async fn open_public_media(
        &self,
        media_id: Uuid,
        expires_at_ms: i64,
        sig: &str,
    ) -> AppResult<(BlobReader, &'static str)> {
        let expected = self.public_media_signature(media_id, expires_at_ms);
        if !constant_time_eq(&expected, sig) || expires_at_ms < self.now_ms() {
            return Err(AppError::forbidden("This address is not valid."));
        }
        let row = media::get_any(&self.db, media_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let reader = self
            .media
            .blobs
            .open(&row.blob_key)
            .await
            .map_err(blob_error)?;
        Ok((reader, row.media_format().mime()))
    }
}
