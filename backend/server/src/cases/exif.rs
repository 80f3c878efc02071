//! Photo metadata removal: EXIF (with its GPS position and camera serials), XMP and text chunks
//! are taken out of JPEG, PNG and WebP files before they are stored; the image data is kept
//! byte for byte.

/// A photo whose structure could not be followed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the {0} file is damaged or truncated")]
pub struct Malformed(pub &'static str);

/// The photo without its metadata.
pub fn strip(bytes: &[u8], content_type: &str) -> Result<Vec<u8>, Malformed> {
    match content_type {
        "image/jpeg" => jpeg(bytes),
        "image/png" => png(bytes),
        "image/webp" => webp(bytes),
        _ => Ok(bytes.to_vec()),
    }
}

fn jpeg(b: &[u8]) -> Result<Vec<u8>, Malformed> {
    let bad = || Malformed("JPEG");
    let mut out = Vec::with_capacity(b.len());
    out.extend_from_slice(b.get(..2).ok_or_else(bad)?);
    let mut i = 2;
    loop {
        if b.get(i) != Some(&0xFF) {
            return Err(bad());
        }
        let marker = *b.get(i + 1).ok_or_else(bad)?;
        // Markers without a length.
        if marker == 0xD8 || (0xD0..=0xD7).contains(&marker) || marker == 0x01 || marker == 0xFF {
            out.extend_from_slice(&b[i..i + 2]);
            i += 2;
            continue;
        }
        if marker == 0xD9 {
            out.extend_from_slice(&b[i..]);
            return Ok(out);
        }
        let len = usize::from(u16::from_be_bytes([
            *b.get(i + 2).ok_or_else(bad)?,
            *b.get(i + 3).ok_or_else(bad)?,
        ]));
        let end = i + 2 + len;
        let segment = b.get(i..end).ok_or_else(bad)?;
        // APP1 (EXIF or XMP), APP13 (Photoshop, with IPTC) and COM (comments) go.
        let metadata = marker == 0xE1 || marker == 0xED || marker == 0xFE;
        if !metadata {
            out.extend_from_slice(segment);
        }
        i = end;
        if marker == 0xDA {
            // Start of scan: the image data follows to the end.
            out.extend_from_slice(&b[i..]);
            return Ok(out);
        }
    }
}

fn png(b: &[u8]) -> Result<Vec<u8>, Malformed> {
    let bad = || Malformed("PNG");
    let mut out = b.get(..8).ok_or_else(bad)?.to_vec();
    let mut i = 8;
    while i < b.len() {
        let len = u32::from_be_bytes(
            b.get(i..i + 4)
                .ok_or_else(bad)?
                .try_into()
                .map_err(|_| bad())?,
        ) as usize;
        let end = i.checked_add(12 + len).ok_or_else(bad)?;
        let chunk = b.get(i..end).ok_or_else(bad)?;
        let kind = &chunk[4..8];
        if !matches!(kind, b"eXIf" | b"tEXt" | b"zTXt" | b"iTXt" | b"tIME") {
            out.extend_from_slice(chunk);
        }
        i = end;
        if kind == b"IEND" {
            break;
        }
    }
    Ok(out)
}

fn webp(b: &[u8]) -> Result<Vec<u8>, Malformed> {
    let bad = || Malformed("WebP");
    if b.len() < 12 || &b[..4] != b"RIFF" || &b[8..12] != b"WEBP" {
        return Err(bad());
    }
    let mut body = b"WEBP".to_vec();
    let mut i = 12;
    while i + 8 <= b.len() {
        let kind = &b[i..i + 4];
        let size = u32::from_le_bytes(b[i + 4..i + 8].try_into().map_err(|_| bad())?) as usize;
        let end = i
            .checked_add(8 + size + size % 2)
            .ok_or_else(bad)?
            .min(b.len());
        let chunk = b.get(i..end).ok_or_else(bad)?;
        match kind {
            b"EXIF" | b"XMP " => {}
            b"VP8X" => {
                let mut c = chunk.to_vec();
                // Clear the EXIF (0x08) and XMP (0x04) flags.
                if let Some(flags) = c.get_mut(8) {
                    *flags &= !0x0C;
                }
                body.extend_from_slice(&c);
            }
            _ => body.extend_from_slice(chunk),
        }
        i = end;
    }
    let mut out = b"RIFF".to_vec();
    out.extend_from_slice(&u32::try_from(body.len()).map_err(|_| bad())?.to_le_bytes());
    out.extend_from_slice(&body);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segment(marker: u8, payload: &[u8]) -> Vec<u8> {
        let mut s = vec![0xFF, marker];
        s.extend_from_slice(&u16::try_from(payload.len() + 2).unwrap().to_be_bytes());
        s.extend_from_slice(payload);
        s
    }

    #[test]
    fn jpeg_loses_exif_and_keeps_the_image() {
        let mut jpeg = vec![0xFF, 0xD8];
        jpeg.extend(segment(0xE0, b"JFIF\0\x01\x02"));
        jpeg.extend(segment(
            0xE1,
            b"Exif\0\0GPSLatitude 33.95 SerialNumber 1234",
        ));
        jpeg.extend(segment(0xDB, &[0; 65]));
        jpeg.extend(segment(0xDA, &[1, 2, 3]));
        jpeg.extend([9, 9, 9, 0xFF, 0xD9]);
        let clean = strip(&jpeg, "image/jpeg").unwrap();
        let text = String::from_utf8_lossy(&clean);
        assert!(!text.contains("Exif") && !text.contains("GPS") && text.contains("JFIF"));
        assert!(clean.ends_with(&[9, 9, 9, 0xFF, 0xD9]));
        assert_eq!(
            clean.len(),
            jpeg.len() - segment(0xE1, b"Exif\0\0GPSLatitude 33.95 SerialNumber 1234").len()
        );
        assert!(strip(&jpeg[..20], "image/jpeg").is_err());
    }

    fn chunk(kind: [u8; 4], data: &[u8]) -> Vec<u8> {
        let mut c = u32::try_from(data.len()).unwrap().to_be_bytes().to_vec();
        c.extend_from_slice(&kind);
        c.extend_from_slice(data);
        c.extend_from_slice(&[0, 0, 0, 0]);
        c
    }

    #[test]
    fn png_loses_exif_and_text() {
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        png.extend(chunk(*b"IHDR", &[0; 13]));
        png.extend(chunk(*b"eXIf", b"GPS 33.95"));
        png.extend(chunk(*b"tEXt", b"Author\0someone"));
        png.extend(chunk(*b"IDAT", &[7; 20]));
        png.extend(chunk(*b"IEND", &[]));
        let clean = strip(&png, "image/png").unwrap();
        let text = String::from_utf8_lossy(&clean);
        assert!(
            !text.contains("GPS")
                && !text.contains("someone")
                && text.contains("IDAT")
                && text.contains("IEND")
        );
    }

    #[test]
    fn webp_loses_exif_and_its_flag() {
        let mut body = b"WEBP".to_vec();
        body.extend(b"VP8X");
        body.extend(10_u32.to_le_bytes());
        body.extend([0x0C, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        body.extend(b"VP8L");
        body.extend(4_u32.to_le_bytes());
        body.extend([1, 2, 3, 4]);
        body.extend(b"EXIF");
        body.extend(5_u32.to_le_bytes());
        body.extend(b"GPS!!\0");
        let mut webp = b"RIFF".to_vec();
        webp.extend(u32::try_from(body.len()).unwrap().to_le_bytes());
        webp.extend(body);
        let clean = strip(&webp, "image/webp").unwrap();
        assert!(!String::from_utf8_lossy(&clean).contains("GPS"));
        assert_eq!(clean[20] & 0x0C, 0, "EXIF/XMP flags cleared");
        assert_eq!(
            u32::from_le_bytes(clean[4..8].try_into().unwrap()) as usize,
            clean.len() - 8
        );
    }
}
