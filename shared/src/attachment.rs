//! The attachment policy: which files a ticket accepts, decided from the name, the first bytes
//! and the size [000, 004].
//!
//! The server checks every upload with [`check`]; the browser runs the same check before
//! uploading so the customer hears the answer at once. This module must not read files: the
//! caller passes the first bytes (512 are plenty).

use serde::{Deserialize, Serialize};

/// The largest accepted attachment: 20 MiB.
pub const MAX_ATTACHMENT_BYTES: u64 = 20 * 1024 * 1024;

/// The accepted kinds of file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AttachmentKind {
    Jpeg,
    Gif,
    Png,
    Zip,
    Rar,
    SevenZip,
    Pdf,
    /// Plain text or a log (`.txt`, `.log`).
    Text,
}

impl AttachmentKind {
    /// The MIME type to serve the file with.
    pub fn mime(self) -> &'static str {
        match self {
            Self::Jpeg => "image/jpeg",
            Self::Gif => "image/gif",
            Self::Png => "image/png",
            Self::Zip => "application/zip",
            Self::Rar => "application/vnd.rar",
            Self::SevenZip => "application/x-7z-compressed",
            Self::Pdf => "application/pdf",
            Self::Text => "text/plain; charset=utf-8",
        }
    }

    /// Whether the browser may show it inline (images).
    pub fn is_image(self) -> bool {
        matches!(self, Self::Jpeg | Self::Gif | Self::Png)
    }

    fn name(self) -> &'static str {
        match self {
            Self::Jpeg => "a JPEG image",
            Self::Gif => "a GIF image",
            Self::Png => "a PNG image",
            Self::Zip => "a ZIP archive",
            Self::Rar => "a RAR archive",
            Self::SevenZip => "a 7z archive",
            Self::Pdf => "a PDF document",
            Self::Text => "a text file",
        }
    }

    fn from_extension(extension: &str) -> Option<Self> {
        Some(match extension {
            "jpg" | "jpeg" | "jpe" | "jfif" => Self::Jpeg,
            "gif" => Self::Gif,
            "png" => Self::Png,
            "zip" => Self::Zip,
            "rar" => Self::Rar,
            "7z" => Self::SevenZip,
            "pdf" => Self::Pdf,
            "txt" | "log" => Self::Text,
            _ => return None,
        })
    }
}

/// A refused attachment. Messages are English; [`code`](Self::code) is stable for translations.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AttachmentError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is {size} bytes; the limit is {max} bytes (20 MiB)")]
    TooLarge { size: u64, max: u64 },
    #[error("the file needs a name with an extension such as .png, .zip or .log")]
    NoExtension,
    #[error("bmp images are not accepted: zip the file and attach the archive, or save it as png")]
    Bmp,
    #[error(
        "files of type .{extension} are not accepted: attach jpg, gif, png, zip, rar, 7z, pdf, txt or log"
    )]
    Unsupported { extension: String },
    #[error("the file is named .{extension} but its content is {actual}")]
    Mismatch { extension: String, actual: String },
}

impl AttachmentError {
    /// A stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty => "empty",
            Self::TooLarge { .. } => "too_large",
            Self::NoExtension => "no_extension",
            Self::Bmp => "bmp_not_accepted",
            Self::Unsupported { .. } => "unsupported_type",
            Self::Mismatch { .. } => "type_mismatch",
        }
    }
}

/// What the first bytes say the content is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Sniffed {
    Kind(AttachmentKind),
    Bmp,
    Unknown,
}

fn sniff(bytes: &[u8]) -> Sniffed {
    let kind = if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        AttachmentKind::Jpeg
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        AttachmentKind::Gif
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        AttachmentKind::Png
    } else if bytes.starts_with(b"PK\x03\x04")
        || bytes.starts_with(b"PK\x05\x06")
        || bytes.starts_with(b"PK\x07\x08")
    {
        AttachmentKind::Zip
    } else if bytes.starts_with(b"Rar!\x1a\x07") {
        AttachmentKind::Rar
    } else if bytes.starts_with(b"7z\xBC\xAF\x27\x1C") {
        AttachmentKind::SevenZip
    } else if bytes.starts_with(b"%PDF-") {
        AttachmentKind::Pdf
    } else if bytes.starts_with(b"BM") && bytes.len() >= 14 && bytes[6..10] == [0, 0, 0, 0] {
        return Sniffed::Bmp;
    } else if is_text(bytes) {
        AttachmentKind::Text
    } else {
        return Sniffed::Unknown;
    };
    Sniffed::Kind(kind)
}

/// Text: UTF-8 (a sequence cut at the end of the sample is fine), UTF-16 with a byte-order mark,
/// or an 8-bit encoding such as Windows-1251; never NUL or other control bytes but tab, line
/// breaks, form feed and escape.
fn is_text(bytes: &[u8]) -> bool {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return true;
    }
    let controls_ok = bytes
        .iter()
        .all(|&b| b >= 0x20 && b != 0x7F || matches!(b, b'\t' | b'\n' | b'\r' | 0x0C | 0x1B));
    if !controls_ok {
        return false;
    }
    match std::str::from_utf8(bytes) {
        Ok(_) => true,
        // Cut inside a multi-byte sequence at the end of the sample, or an 8-bit encoding.
        Err(error) => error.error_len().is_none() || bytes.iter().any(|&b| b >= 0x80),
    }
}

/// Decides whether a file may be attached.
///
/// The extension of `file_name` must be one of the accepted kinds and the content (its first
/// bytes) must be what the extension says: a PNG named `.jpg`, an executable named `.txt` or a
/// renamed BMP are refused. `size` is the whole file's size.
///
/// # Errors
///
/// An [`AttachmentError`]: empty, too large (over [`MAX_ATTACHMENT_BYTES`]), no extension, BMP
/// (with the advice to zip it), an unsupported type, or content that lies about its type.
///
/// # Examples
///
/// ```
/// use shared::attachment::{check, AttachmentKind};
///
/// assert_eq!(check("screen.PNG", b"\x89PNG\r\n\x1a\n....", 2048), Ok(AttachmentKind::Png));
/// assert_eq!(check("screen.bmp", b"BM\x36\x00\x0c\x00\x00\x00\x00\x00\x36\x00\x00\x00", 2048).unwrap_err().code(), "bmp_not_accepted");
/// assert_eq!(check("notes.txt", b"MZ\x90\x00\x03\x00\x00\x00", 2048).unwrap_err().code(), "type_mismatch");
/// ```
pub fn check(
    file_name: &str,
    first_bytes: &[u8],
    size: u64,
) -> Result<AttachmentKind, AttachmentError> {
    if size == 0 || first_bytes.is_empty() {
        return Err(AttachmentError::Empty);
    }
    if size > MAX_ATTACHMENT_BYTES {
        return Err(AttachmentError::TooLarge {
            size,
            max: MAX_ATTACHMENT_BYTES,
        });
    }
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    let extension = match base.rsplit_once('.') {
        Some((stem, extension)) if !stem.is_empty() && !extension.is_empty() => {
            extension.to_ascii_lowercase()
        }
        _ => return Err(AttachmentError::NoExtension),
    };
    let sniffed = sniff(first_bytes);
    if extension == "bmp" || extension == "dib" || sniffed == Sniffed::Bmp {
        return Err(AttachmentError::Bmp);
    }
    let declared =
        AttachmentKind::from_extension(&extension).ok_or_else(|| AttachmentError::Unsupported {
            extension: extension.clone(),
        })?;
    match sniffed {
        Sniffed::Kind(actual) if actual == declared => Ok(declared),
        Sniffed::Kind(actual) => Err(AttachmentError::Mismatch {
            extension,
            actual: actual.name().to_owned(),
        }),
        Sniffed::Bmp | Sniffed::Unknown => Err(AttachmentError::Mismatch {
            extension,
            actual: "not recognised".to_owned(),
        }),
    }
}
