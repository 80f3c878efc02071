//! Photos: JPEG, PNG or WebP (recognised from their bytes, not their name), at most
//! [`MAX_PHOTO_BYTES`], stored once under the SHA-256 of their content.

use sha2::{Digest, Sha256};

use super::{CaseError, CaseService};
use crate::store::Photo;

/// The largest photo accepted.
pub const MAX_PHOTO_BYTES: usize = 10 * 1024 * 1024;

pub use citygrid_core::api::layers::PhotoRef;

/// The image type of some bytes, from their signature.
pub fn image_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        None
    }
}

/// Whether text looks like a photo hash (64 lower-case hex digits).
pub fn is_hash(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

impl CaseService {
    /// Stores a photo and returns its reference.
    pub async fn add_photo(&self, bytes: &[u8]) -> Result<PhotoRef, CaseError> {
        if bytes.len() > MAX_PHOTO_BYTES {
            return Err(CaseError::field(
                "photo",
                format!("is larger than {} MB", MAX_PHOTO_BYTES / (1024 * 1024)),
            ));
        }
        let content_type = image_type(bytes)
            .ok_or_else(|| CaseError::field("photo", "must be a JPEG, PNG or WebP image"))?;
        // Location and device data do not leave the phone: stored photos carry no metadata.
        let clean = super::exif::strip(bytes, content_type)
            .map_err(|e| CaseError::field("photo", e.to_string()))?;
        let hash = format!("{:x}", Sha256::digest(&clean));
        self.district
            .store()
            .put_photo(&Photo {
                hash: &hash,
                content_type,
                bytes: &clean,
            })
            .await?;
        Ok(PhotoRef {
            url: format!("/api/v1/photos/{hash}"),
            hash,
            content_type: content_type.to_owned(),
            size: clean.len(),
        })
    }

    /// A photo's content type and bytes.
    pub async fn photo(&self, hash: &str) -> Result<Option<(String, Vec<u8>)>, CaseError> {
        if !is_hash(hash) {
            return Ok(None);
        }
        Ok(self.district.store().get_photo(hash).await?)
    }

    /// Checks that every hash names a stored photo.
    pub(super) async fn check_photos(
        &self,
        field: &'static str,
        hashes: &[String],
    ) -> Result<(), CaseError> {
        for h in hashes {
            if !is_hash(h) || !self.district.store().has_photo(h).await? {
                return Err(CaseError::field(
                    field,
                    format!("no stored photo {h:?}; upload it to /api/v1/photos first"),
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_come_from_the_bytes() {
        assert_eq!(
            image_type(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0]),
            Some("image/jpeg")
        );
        assert_eq!(image_type(b"\x89PNG\r\n\x1a\n...."), Some("image/png"));
        assert_eq!(image_type(b"RIFF\0\0\0\0WEBPVP8 "), Some("image/webp"));
        assert_eq!(image_type(b"GIF89a"), None);
        assert_eq!(image_type(b"<svg/>"), None);
        assert!(is_hash(&"a".repeat(64)) && !is_hash("../etc/passwd") && !is_hash(&"A".repeat(64)));
    }
}
