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

/// Whether a JPEG segment carries metadata: every application segment (APP0–APP15: JFIF and
/// its thumbnail, EXIF, XMP, ICC, Photoshop/IPTC, makers' notes) and every comment, except
/// Adobe's APP14, which holds only how to decode the colours.
fn jpeg_metadata(marker: u8, payload: &[u8]) -> bool {
    match marker {
        0xEE => !payload.starts_with(b"Adobe"),
        0xE0..=0xEF | 0xFE => true,
        _ => false,
    }
}

/// The JPEG without metadata segments, wherever they stand: before the first scan, between the
/// scans of a progressive image, or after the last. Entropy-coded data is followed byte by byte
/// (a `0xFF` in it is stuffed as `FF 00` or is a restart marker), so a segment hidden after a
/// scan is found too. Anything after the end-of-image marker (a phone's appended video or
/// maker trailer) is dropped; a file that ends inside a scan keeps what it has.
fn jpeg(b: &[u8]) -> Result<Vec<u8>, Malformed> {
    let bad = || Malformed("JPEG");
    if !b.starts_with(&[0xFF, 0xD8]) {
        return Err(bad());
    }
    let mut out = Vec::with_capacity(b.len());
    out.extend_from_slice(&b[..2]);
    let mut i = 2;
    loop {
        if b.get(i) != Some(&0xFF) {
            return Err(bad());
        }
        let marker = *b.get(i + 1).ok_or_else(bad)?;
        match marker {
            // A fill byte before a marker.
            0xFF => {
                i += 1;
                continue;
            }
            0xD9 => {
                out.extend_from_slice(&[0xFF, 0xD9]);
                return Ok(out);
            }
            // Markers without a length.
            0x01 | 0xD0..=0xD8 => {
                out.extend_from_slice(&b[i..i + 2]);
                i += 2;
                continue;
            }
            _ => {}
        }
        let len = usize::from(u16::from_be_bytes([
            *b.get(i + 2).ok_or_else(bad)?,
            *b.get(i + 3).ok_or_else(bad)?,
        ]));
        if len < 2 {
            return Err(bad());
        }
        let end = i + 2 + len;
        let segment = b.get(i..end).ok_or_else(bad)?;
        if !jpeg_metadata(marker, &segment[4..]) {
            out.extend_from_slice(segment);
        }
        i = end;
        if marker == 0xDA {
            let scan = i;
            i = scan_end(b, scan);
            out.extend_from_slice(&b[scan..i]);
            if i >= b.len() {
                return Ok(out);
            }
        }
    }
}

/// Where the entropy-coded data that starts at `from` ends: at the next marker that is neither
/// a stuffed `FF 00` nor a restart marker, or at the end of the file.
fn scan_end(b: &[u8], from: usize) -> usize {
    let mut i = from;
    while let Some(at) = b
        .get(i..)
        .and_then(|rest| rest.iter().position(|&x| x == 0xFF))
    {
        i += at;
        match b.get(i + 1) {
            Some(0x00 | 0xD0..=0xD7) => i += 2,
            Some(0xFF) => i += 1,
            Some(_) => return i,
            None => return b.len(),
        }
    }
    b.len()
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
        jpeg.extend(segment(0xEE, b"Adobe\0\x64\0\0\0\0\x01"));
        jpeg.extend(segment(0xDB, &[0; 65]));
        jpeg.extend(segment(0xDA, &[1, 2, 3]));
        jpeg.extend([9, 9, 9, 0xFF, 0xD9]);
        let clean = strip(&jpeg, "image/jpeg").unwrap();
        let text = String::from_utf8_lossy(&clean);
        assert!(!text.contains("Exif") && !text.contains("GPS") && !text.contains("JFIF"));
        assert!(text.contains("Adobe"), "the colour transform stays");
        assert!(clean.ends_with(&[9, 9, 9, 0xFF, 0xD9]));
        assert_eq!(
            clean.len(),
            jpeg.len()
                - segment(0xE1, b"Exif\0\0GPSLatitude 33.95 SerialNumber 1234").len()
                - segment(0xE0, b"JFIF\0\x01\x02").len()
        );
        assert!(strip(&jpeg[..20], "image/jpeg").is_err());
    }

    #[test]
    fn jpeg_segments_after_a_scan_go_too_and_the_scans_stay() {
        let mut jpeg = vec![0xFF, 0xD8];
        jpeg.extend(segment(0xDB, &[0; 65]));
        jpeg.extend(segment(0xDA, &[1, 2, 3]));
        // Entropy-coded data with a stuffed FF 00 and a restart marker.
        let first_scan = [5, 0xFF, 0x00, 6, 0xFF, 0xD3, 7];
        jpeg.extend(first_scan);
        jpeg.extend(segment(0xE1, b"Exif\0\0GPSLatitude 31.30"));
        jpeg.extend(segment(0xFE, b"taken at home"));
        jpeg.extend(segment(0xC4, &[4; 20]));
        jpeg.extend(segment(0xDA, &[1, 2, 3]));
        jpeg.extend([8, 8, 0xFF, 0xD9]);
        jpeg.extend(b"appended trailer GPS");
        let clean = strip(&jpeg, "image/jpeg").unwrap();
        let text = String::from_utf8_lossy(&clean);
        assert!(!text.contains("GPS") && !text.contains("home"), "{clean:?}");
        let mut expected = vec![0xFF, 0xD8];
        expected.extend(segment(0xDB, &[0; 65]));
        expected.extend(segment(0xDA, &[1, 2, 3]));
        expected.extend(first_scan);
        expected.extend(segment(0xC4, &[4; 20]));
        expected.extend(segment(0xDA, &[1, 2, 3]));
        expected.extend([8, 8, 0xFF, 0xD9]);
        assert_eq!(clean, expected);
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
