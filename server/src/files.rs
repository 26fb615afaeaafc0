//! Attachment content in the data folder, stored by SHA-256.

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// Keeps `bytes` in the data folder under their SHA-256 (written once, atomically) and returns
/// the hash. Content is stored before the transaction that records it: an orphaned file after a
/// rollback is harmless, a row without its file would not be.
///
/// # Errors
/// A data folder that cannot be written.
pub(crate) async fn store_content(data_dir: &std::path::Path, bytes: &[u8]) -> Result<String> {
    let sha256 = hex::encode(Sha256::digest(bytes));
    let folder = data_dir.join("attachments");
    let path = folder.join(&sha256);
    if !tokio::fs::try_exists(&path).await.unwrap_or(false) {
        tokio::fs::create_dir_all(&folder)
            .await
            .map_err(|error| Error::Internal(error.into()))?;
        let temporary = folder.join(format!("{sha256}.{:016x}.part", rand::random::<u64>()));
        let contents = bytes.to_vec();
        let target = temporary.clone();
        tokio::task::spawn_blocking(move || crate::security::write_private(&target, &contents))
            .await
            .map_err(|error| Error::Internal(error.into()))?
            .map_err(|error| Error::Internal(error.into()))?;
        tokio::fs::rename(&temporary, &path)
            .await
            .map_err(|error| Error::Internal(error.into()))?;
    }
    Ok(sha256)
}
