//! What an import input is, told from its first bytes: text that an importer can read, a zip
//! archive (read by the GDELT importer), or a kind of file that no importer reads yet (a
//! compressed file, Parquet, a spreadsheet, binary data), refused before anything is read or
//! written: read as text, every row of it was rejected and the import replaced the dataset
//! in `--out` with an empty one.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use anyhow::{bail, Context, Result};

/// How many bytes are looked at: enough to see a NUL byte in a binary file's header.
const PEEK: usize = 64 * 1024;

/// What an input file holds, as far as its first bytes tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// Text (or nothing): the importers read it.
    Text,
    /// A zip archive.
    Zip,
}

/// Signatures of formats that no importer reads: (first bytes, what the file is, a hint).
const REFUSED: &[(&[u8], &str, &str)] = &[
    (b"\x1f\x8b", "a gzip-compressed file", "decompress it first (gunzip -k FILE)"),
    (b"BZh", "a bzip2-compressed file", "decompress it first (bunzip2 -k FILE)"),
    (b"\xfd7zXZ\x00", "an xz-compressed file", "decompress it first (unxz -k FILE)"),
    (b"\x28\xb5\x2f\xfd", "a zstd-compressed file", "decompress it first (unzstd FILE)"),
    (b"7z\xbc\xaf\x27\x1c", "a 7z archive", "extract the CSV file first (7z x FILE)"),
    (b"Rar!\x1a\x07", "a RAR archive", "extract the CSV file first"),
    (b"PAR1", "a Parquet file", "export it to CSV first (for example with DuckDB or pandas)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an Excel (.xls) or other OLE document", "save it as CSV first"),
];

/// The first bytes of a zip archive: a local file header, an empty archive's end record, or
/// a spanned archive's marker.
const ZIP: [&[u8]; 3] = [b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08"];

/// What `path` holds; `zip` says whether the importer reads zip archives.
///
/// # Errors
/// When the file cannot be read, or holds something no importer reads (a compressed file,
/// Parquet, a zip archive where `zip` is false, binary data with NUL bytes): the message
/// says what the file looks like and how to go on.
pub fn check(path: &Path, zip: bool) -> Result<Input> {
    let mut head = Vec::with_capacity(PEEK);
    File::open(path)
        .and_then(|f| f.take(PEEK as u64).read_to_end(&mut head))
        .with_context(|| format!("cannot read {}", path.display()))?;
    let later = "georel imports plain CSV or tab-separated text for now (reading gzip and Parquet \
                 directly is planned)";
    if let Some((_, what, hint)) = REFUSED.iter().find(|(magic, _, _)| head.starts_with(magic)) {
        bail!("{} is {what}, not text: {hint}; {later}", path.display());
    }
    if ZIP.iter().any(|magic| head.starts_with(magic)) {
        if zip {
            return Ok(Input::Zip);
        }
        bail!(
            "{} is a zip archive (or a spreadsheet such as .xlsx), not text: extract the CSV file first \
             (unzip FILE); only GDELT imports read zip archives",
            path.display()
        );
    }
    if let Some(at) = memchr::memchr(0, &head) {
        bail!(
            "{} holds binary data, not text (a NUL byte at byte {}): is it compressed, or in UTF-16? \
             {later}; give a CSV file in UTF-8",
            path.display(),
            at + 1
        );
    }
    Ok(Input::Text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_bytes(bytes: &[u8], zip: bool) -> Result<Input> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("input");
        std::fs::write(&path, bytes).unwrap();
        check(&path, zip)
    }

    #[test]
    fn text_and_zip_pass_other_formats_are_refused() {
        assert_eq!(check_bytes(b"a,b\n1,2\n", false).unwrap(), Input::Text);
        assert_eq!(check_bytes(b"", false).unwrap(), Input::Text);
        assert_eq!(check_bytes("é,ü\n".as_bytes(), false).unwrap(), Input::Text);
        assert_eq!(check_bytes(b"PK\x03\x04rest", true).unwrap(), Input::Zip);
        for (bytes, what) in [
            (&b"\x1f\x8b\x08\x00"[..], "gzip"),
            (b"BZh91AY", "bzip2"),
            (b"\xfd7zXZ\x00\x00", "xz"),
            (b"\x28\xb5\x2f\xfd\x00", "zstd"),
            (b"7z\xbc\xaf\x27\x1c\x00", "7z"),
            (b"PAR1\x15\x04", "Parquet"),
            (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Excel"),
            (b"PK\x03\x04rest", "zip archive"),
            (b"a,b\n\x00\x01\x02", "binary data"),
            (b"\xff\xfea\x00,\x00", "binary data"),
        ] {
            let err = check_bytes(bytes, false).unwrap_err().to_string();
            assert!(err.contains(what), "{what}: {err}");
        }
    }
}
