//! The attachment policy: allowed kinds by content, names and size limits.

use shared::attachment::{AttachmentKind, MAX_ATTACHMENT_BYTES, check};

#[test]
fn attachment_policy() {
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    type Case<'a> = (&'a str, &'a [u8], u64, Result<AttachmentKind, &'a str>);
    let cases: &[Case<'_>] = &[
        ("shot.png", png, 10, Ok(AttachmentKind::Png)),
        (
            "photo.JPG",
            b"\xFF\xD8\xFF\xE0\0\x10JFIF",
            10,
            Ok(AttachmentKind::Jpeg),
        ),
        ("anim.gif", b"GIF89a\x01\0", 10, Ok(AttachmentKind::Gif)),
        ("logs.zip", b"PK\x03\x04\x14\0", 10, Ok(AttachmentKind::Zip)),
        (
            "logs.rar",
            b"Rar!\x1a\x07\x01\0",
            10,
            Ok(AttachmentKind::Rar),
        ),
        (
            "logs.7z",
            b"7z\xBC\xAF\x27\x1C\0\x04",
            10,
            Ok(AttachmentKind::SevenZip),
        ),
        ("manual.pdf", b"%PDF-1.7\n", 10, Ok(AttachmentKind::Pdf)),
        (
            "server.log",
            "2025-12-01 ошибка: нет связи\n".as_bytes(),
            10,
            Ok(AttachmentKind::Text),
        ),
        (
            "cp1251.txt",
            b"\xce\xf8\xe8\xe1\xea\xe0 \xf1\xe2\xff\xe7\xe8\r\n",
            10,
            Ok(AttachmentKind::Text),
        ),
        (
            "cut.txt",
            &"привет".as_bytes()[..5],
            10,
            Ok(AttachmentKind::Text),
        ),
        (
            "shot.bmp",
            b"BM\x36\x00\x0c\x00\x00\x00\x00\x00\x36\x00\x00\x00",
            10,
            Err("bmp_not_accepted"),
        ),
        (
            "shot.png",
            b"BM\x36\x00\x0c\x00\x00\x00\x00\x00\x36\x00\x00\x00",
            10,
            Err("bmp_not_accepted"),
        ),
        ("shot.jpg", png, 10, Err("type_mismatch")),
        (
            "readme.txt",
            b"MZ\x90\0\x03\0\0\0",
            10,
            Err("type_mismatch"),
        ),
        ("archive.zip", b"hello world", 10, Err("type_mismatch")),
        ("setup.exe", b"MZ\x90\0", 10, Err("unsupported_type")),
        ("noext", png, 10, Err("no_extension")),
        (".png", png, 10, Err("no_extension")),
        ("shot.png", png, MAX_ATTACHMENT_BYTES + 1, Err("too_large")),
        ("shot.png", png, 0, Err("empty")),
    ];
    for (name, bytes, size, expected) in cases {
        let result = check(name, bytes, *size).map_err(|e| e.code());
        assert_eq!(result, *expected, "{name}");
    }
    let error = check("shot.bmp", b"BM", 10).unwrap_err();
    assert!(error.to_string().contains("zip"), "{error}");
    assert_eq!(MAX_ATTACHMENT_BYTES, 20 * 1024 * 1024);
}
