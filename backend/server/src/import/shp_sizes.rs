//! Before a `.shp` is handed to the `shapefile` crate: the counts its `.shx` and records declare
//! fit in the bytes there are, so that no count in an uploaded file makes the reader reserve
//! more memory than the file itself could hold. Nothing is read here but sizes; the crate reads
//! the shapes.

/// The bytes of the header of a `.shp` or `.shx`.
const HEADER: usize = 100;

fn be(bytes: &[u8], at: usize) -> Option<i64> {
    let b = bytes.get(at..at + 4)?;
    Some(i64::from(i32::from_be_bytes([b[0], b[1], b[2], b[3]])))
}

fn le(bytes: &[u8], at: usize) -> Option<i64> {
    let b = bytes.get(at..at + 4)?;
    Some(i64::from(i32::from_le_bytes([b[0], b[1], b[2], b[3]])))
}

/// Whether every size the `.shx` and the records it points at declare fits in the files.
pub fn check(shp: &[u8], shx: &[u8]) -> Result<(), String> {
    let too_short = || "is shorter than a Shapefile's header".to_owned();
    if shp.len() < HEADER || shx.len() < HEADER {
        return Err(too_short());
    }
    // The .shx's length (in 16-bit words) says how many records there are.
    let shx_length = be(shx, 24).ok_or_else(too_short)? * 2;
    if shx_length < HEADER as i64 || shx_length > shx.len() as i64 {
        return Err(format!(
            "its .shx declares {shx_length} bytes but has {}",
            shx.len()
        ));
    }
    let records = (shx_length as usize - HEADER) / 8;
    for i in 0..records {
        let entry = HEADER + 8 * i;
        let offset = be(shx, entry).ok_or_else(too_short)? * 2;
        let bad = |what: &str| format!("record {i}: {what} does not fit in the .shp");
        if offset < HEADER as i64 || offset + 8 > shp.len() as i64 {
            return Err(bad("its offset"));
        }
        let start = offset as usize;
        let length = be(shp, start + 4).ok_or_else(|| bad("its header"))? * 2;
        let content = start + 8;
        if length < 0 || content as i64 + length > shp.len() as i64 {
            return Err(bad("its length"));
        }
        record(&shp[content..content + length as usize]).map_err(bad)?;
    }
    Ok(())
}

/// The counts inside one record's content fit in it.
fn record(content: &[u8]) -> Result<(), &'static str> {
    let Some(kind) = le(content, 0) else {
        return Ok(());
    };
    let len = content.len() as i64;
    let count = |at: usize| le(content, at).filter(|n| *n >= 0).ok_or("a count");
    match kind {
        // Polyline, polygon (plain, Z, M): box, parts, points, part starts, points.
        3 | 5 | 13 | 15 | 23 | 25 => {
            let (parts, points) = (count(36)?, count(40)?);
            if 44 + 4 * parts + 16 * points > len {
                return Err("its parts and points");
            }
            part_starts(content, parts, points)?;
        }
        // Multipatch: part types too.
        31 => {
            let (parts, points) = (count(36)?, count(40)?);
            if 44 + 8 * parts + 16 * points > len {
                return Err("its parts and points");
            }
            part_starts(content, parts, points)?;
        }
        // Multipoint (plain, Z, M).
        8 | 18 | 28 if 40 + 16 * count(36)? > len => return Err("its points"),
        _ => {}
    }
    Ok(())
}

/// Each part starts at a point of the record, in order: a part's point count is the next
/// start less its own, and a start out of order would ask for an absurd count.
fn part_starts(content: &[u8], parts: i64, points: i64) -> Result<(), &'static str> {
    let mut previous = 0;
    for i in 0..parts as usize {
        let start = le(content, 44 + 4 * i).ok_or("its part starts")?;
        if start < previous || start > points || (i == 0 && start != 0) {
            return Err("its part starts");
        }
        previous = start;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(words: i32) -> Vec<u8> {
        let mut h = vec![0u8; HEADER];
        h[0..4].copy_from_slice(&9994_i32.to_be_bytes());
        h[24..28].copy_from_slice(&words.to_be_bytes());
        h
    }

    /// A .shp with one polygon record declaring `points` points in `content` bytes, and its .shx.
    fn files(points: i32, content: usize) -> (Vec<u8>, Vec<u8>) {
        let mut shp = header(0);
        shp.extend_from_slice(&1_i32.to_be_bytes());
        shp.extend_from_slice(&((content / 2) as i32).to_be_bytes());
        let mut body = vec![0u8; content];
        body[0..4].copy_from_slice(&5_i32.to_le_bytes());
        body[36..40].copy_from_slice(&1_i32.to_le_bytes());
        body[40..44].copy_from_slice(&points.to_le_bytes());
        // One part, starting at the first point.
        body[44..48].copy_from_slice(&0_i32.to_le_bytes());
        shp.extend_from_slice(&body);
        let mut shx = header(54);
        shx.extend_from_slice(&50_i32.to_be_bytes());
        shx.extend_from_slice(&((content / 2) as i32).to_be_bytes());
        (shp, shx)
    }

    #[test]
    fn counts_that_fit_pass_and_counts_beyond_the_file_are_refused() {
        let (shp, shx) = files(4, 44 + 4 + 64);
        assert_eq!(check(&shp, &shx), Ok(()));
        let (shp, shx) = files(i32::MAX, 44 + 4 + 64);
        assert!(check(&shp, &shx).unwrap_err().contains("parts and points"));
        // A part that starts before the first point: its count would be absurd.
        let (mut shp, shx) = files(4, 44 + 4 + 64);
        shp[HEADER + 8 + 44..HEADER + 8 + 48].copy_from_slice(&(-828_506_112_i32).to_le_bytes());
        assert!(check(&shp, &shx).unwrap_err().contains("part starts"));
        let (shp, mut shx) = files(4, 44 + 4 + 64);
        shx[24..28].copy_from_slice(&i32::MAX.to_be_bytes());
        assert!(check(&shp, &shx).unwrap_err().contains(".shx declares"));
        assert!(check(&[0; 10], &shx).is_err());
    }
}
