//! GDELT 2.0's master file list (`masterfilelist.txt`, and `masterfilelist-translation.txt`):
//! one line per published file, `SIZE MD5 URL`. An import from it reads the event files it
//! names (`…/YYYYMMDDHHMMSS.export.CSV.zip`; mentions and GKG files are passed over) whose
//! time, told by the file name, falls within `--since`/`--until`, from the list's own folder
//! (where a download script such as `wget -i` puts them, by the URL's file name), each checked
//! against the list's size and MD5 before it is read. Files recorded as already imported into
//! the dataset being appended to ([`resume::Record`]) are skipped, so that an interrupted or
//! daily import goes on where it stopped.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use crate::date::Day;
use crate::import::input::{hex, Expected, Input, Origin};
use crate::import::resume::Record;

/// What a master file list selects.
#[derive(Debug, Default)]
pub struct Selection {
    /// The files to read, in the list's order (which is time order), with their sizes and MD5s.
    pub inputs: Vec<Input>,
    /// Each input's name in the list (the URL's file name), for the record.
    pub names: Vec<String>,
    /// Event files of the dates asked that are not in the list's folder (not downloaded, or
    /// missing on GDELT's server): not read, not recorded, so a later run reads them.
    pub missing: Vec<PathBuf>,
    /// Event files of the dates asked already recorded in the dataset.
    pub already: usize,
    /// Lines that are not `SIZE MD5 URL`: (line number, line).
    pub unreadable: Vec<(u64, String)>,
}

/// The event files of `list` within `since..until` (days, both included) not yet in `done`.
///
/// # Errors
/// When the list cannot be read, or a local file's size differs from the list's (a download
/// cut short): every such file is named, before any is read.
pub fn select(list: &Path, since: Option<Day>, until: Option<Day>, done: &Record) -> Result<Selection> {
    let text = std::fs::read(list)
        .with_context(|| format!("cannot read the GDELT master file list {}", list.display()))?;
    let folder = list.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut selection = Selection::default();
    let mut wrong_size = Vec::new();
    for (n, line) in text.split(|&b| b == b'\n').enumerate() {
        let line = String::from_utf8_lossy(line);
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let parts: Vec<&str> = line.split_whitespace().collect();
        let url = parts.last().copied().unwrap_or("");
        let name = url.rsplit('/').next().unwrap_or("");
        if !name.to_ascii_lowercase().ends_with(".export.csv.zip") {
            continue;
        }
        let parsed = match parts[..] {
            [size, md5, _] => size.parse::<u64>().ok().zip(parse_md5(md5)),
            _ => None,
        };
        let (Some((size, md5)), Some(day)) = (parsed, day_of(name)) else {
            selection.unreadable.push((n as u64 + 1, line.to_string()));
            continue;
        };
        if since.is_some_and(|s| day < s) || until.is_some_and(|u| day > u) {
            continue;
        }
        if done.has(name, size, &hex(&md5)) {
            selection.already += 1;
            continue;
        }
        let path = folder.join(name);
        match std::fs::metadata(&path) {
            Err(_) => selection.missing.push(path),
            Ok(meta) if meta.len() != size => {
                wrong_size.push(format!("{} ({} bytes, the list says {size})", path.display(), meta.len()))
            }
            Ok(_) => {
                selection
                    .inputs
                    .push(Input { origin: Origin::File(path), expected: Some(Expected { size, md5 }) });
                selection.names.push(name.to_string());
            }
        }
    }
    if !wrong_size.is_empty() {
        let shown: Vec<&str> = wrong_size.iter().take(5).map(String::as_str).collect();
        bail!(
            "{} of the files {} names differ in size from the list (downloads cut short?): {}{}; download them again \
             (nothing was read or written)",
            wrong_size.len(),
            list.display(),
            shown.join(", "),
            if wrong_size.len() > 5 { format!(" and {} more", wrong_size.len() - 5) } else { String::new() }
        );
    }
    Ok(selection)
}

/// The day a GDELT 2.0 file name starts with (`20150218230000.export.CSV.zip`).
fn day_of(name: &str) -> Option<Day> {
    let digits = name.get(..14).filter(|d| d.bytes().all(|b| b.is_ascii_digit()))?;
    let number = |r: std::ops::Range<usize>| digits[r].parse::<i8>().ok();
    let year = digits[..4].parse::<i16>().ok()?;
    Day::new(year, number(4..6)?, number(6..8)?).ok()
}

fn parse_md5(text: &str) -> Option<[u8; 16]> {
    if text.len() != 32 {
        return None;
    }
    let mut out = [0u8; 16];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_sums_are_read() {
        assert_eq!(day_of("20150218230000.export.CSV.zip"), Day::new(2015, 2, 18).ok());
        assert_eq!(day_of("20151318230000.export.CSV.zip"), None);
        assert_eq!(day_of("2015.export.CSV.zip"), None);
        let md5 = parse_md5("297a16b493de7cf6ca809a7cc31d0b93").unwrap();
        assert_eq!(hex(&md5), "297a16b493de7cf6ca809a7cc31d0b93");
        assert_eq!(parse_md5("297a16b493de7cf6ca809a7cc31d0b9"), None);
        assert_eq!(parse_md5("z97a16b493de7cf6ca809a7cc31d0b93"), None);
    }
}
