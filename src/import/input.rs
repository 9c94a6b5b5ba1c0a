//! The inputs of an import, as a researcher has them: plain text, `.gz`, `.zip` (every
//! member) and `.zst` files, told apart by their first bytes, not their names; a folder (its
//! matching files in name order), `-` for standard input, and `@LIST` for a file listing
//! paths. This module opens them and hands each importer one [`Read`] per logical file (a
//! plain file, a decompressed stream, an archive member) with the name its rejected rows are
//! reported under. What no importer reads (Parquet, bzip2, a spreadsheet, binary data) is
//! refused by [`sniff`] with the file, what it holds and how to go on, before anything is
//! read or written: read as text, such a file had every row rejected and the import replaced
//! the dataset in `--out` with an empty one.

use std::collections::HashSet;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Cursor, Read, Seek};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use crate::progress::Progress;

/// The name standard input is given on the command line.
pub const STDIN: &str = "-";

/// The name standard input's rows are reported under (rejects.csv, messages).
pub const STDIN_NAME: &str = "<stdin>";

/// How many bytes of a stream are looked at: enough to see a NUL byte in a binary header.
const PEEK: usize = 64 * 1024;

/// What every input may be, for messages.
pub const ACCEPTED: &str = "georel reads plain text (CSV or tab-separated, UTF-8), and gzip (.gz), zip \
                            (.zip: every member) or zstd (.zst) files of it";

/// Where an input's bytes come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    File(PathBuf),
    Stdin,
}

/// One physical input of an import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    pub origin: Origin,
    /// The size and MD5 a file list (GDELT's master file list) gives: checked before the file
    /// is read.
    pub expected: Option<Expected>,
}

/// A file's size and MD5 as a list states them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expected {
    pub size: u64,
    pub md5: [u8; 16],
}

impl Input {
    pub fn file(path: impl Into<PathBuf>) -> Input {
        Input { origin: Origin::File(path.into()), expected: None }
    }

    /// The input's path (standard input has none).
    pub fn path(&self) -> Option<&Path> {
        match &self.origin {
            Origin::File(p) => Some(p),
            Origin::Stdin => None,
        }
    }

    /// The name messages give it.
    pub fn name(&self) -> PathBuf {
        match &self.origin {
            Origin::File(p) => p.clone(),
            Origin::Stdin => PathBuf::from(STDIN_NAME),
        }
    }

    /// Its size in bytes, when known before reading (standard input's is not).
    pub fn size(&self) -> Option<u64> {
        self.path().and_then(|p| std::fs::metadata(p).ok()).map(|m| m.len())
    }
}

/// Which files of a folder an importer takes: their names less any `.gz`, `.zst` or `.zip`
/// end in one of `extensions` (any case), and contain none of `excluded`.
#[derive(Debug, Clone, Copy)]
pub struct Matching {
    pub extensions: &'static [&'static str],
    pub excluded: &'static [&'static str],
}

impl Matching {
    fn matches(&self, name: &str) -> bool {
        if name.starts_with('.') {
            return false;
        }
        let lower = name.to_ascii_lowercase();
        let plain = plain_name(&lower);
        self.extensions.iter().any(|ext| plain.ends_with(&format!(".{ext}")))
            && !self.excluded.iter().any(|x| lower.contains(x))
    }

    fn describe(&self) -> String {
        let names: Vec<String> = self.extensions.iter().map(|e| format!("*.{e}")).collect();
        format!("{} (also .gz, .zst or .zip)", names.join(", "))
    }
}

/// A name less its compression or archive ending (`.gz`, `.zst`, `.zip`, any case).
pub fn plain_name(name: &str) -> &str {
    for end in [".gz", ".zst", ".zip"] {
        if name.len() > end.len() && name[name.len() - end.len()..].eq_ignore_ascii_case(end) {
            return &name[..name.len() - end.len()];
        }
    }
    name
}

/// The inputs named on the command line: files, folders (their matching files, in name order,
/// not descending into subfolders), `-` (standard input) and `@LIST` (the paths a file lists,
/// one a line; blank lines and lines starting with `#` are ignored, relative paths are from the
/// current folder, as for a path on the command line; a listed folder is expanded too).
///
/// # Errors
/// When a path does not exist, a folder holds no matching file, a list cannot be read, or
/// the same file (or standard input) is named twice.
pub fn expand(args: &[PathBuf], matching: Matching) -> Result<Vec<Input>> {
    let mut out = Vec::new();
    for arg in args {
        let text = arg.to_string_lossy();
        if text == STDIN {
            out.push(Input { origin: Origin::Stdin, expected: None });
        } else if let Some(list) = text.strip_prefix('@') {
            let list = Path::new(list);
            let content = std::fs::read(list).with_context(|| {
                format!("cannot read the list of inputs {} (from {text}: @FILE names a file listing paths, one a line)", list.display())
            })?;
            let content = String::from_utf8(content)
                .with_context(|| format!("the list of inputs {} is not UTF-8 text", list.display()))?;
            for (n, line) in content.lines().enumerate() {
                let line = line.trim_end_matches('\r');
                if line.trim().is_empty() || line.starts_with('#') {
                    continue;
                }
                if line == STDIN || line.starts_with('@') {
                    bail!(
                        "{}:{}: {line:?}: a list of inputs names files and folders only (not - or another @list)",
                        list.display(),
                        n + 1
                    );
                }
                push_path(Path::new(line), matching, &mut out)
                    .with_context(|| format!("in the list of inputs {}, line {}", list.display(), n + 1))?;
            }
        } else {
            push_path(arg, matching, &mut out)?;
        }
    }
    let mut seen = HashSet::new();
    for input in &out {
        let key = match &input.origin {
            Origin::File(p) => std::fs::canonicalize(p).unwrap_or_else(|_| p.clone()),
            Origin::Stdin => PathBuf::from(STDIN),
        };
        if !seen.insert(key) {
            bail!(
                "{} is named twice among the inputs (a file and its folder, or a list and a file?): each input is \
                 read once; name it once",
                input.name().display()
            );
        }
    }
    Ok(out)
}

fn push_path(path: &Path, matching: Matching, out: &mut Vec<Input>) -> Result<()> {
    let meta = std::fs::metadata(path).with_context(|| format!("no such file: {}", path.display()))?;
    if !meta.is_dir() {
        out.push(Input::file(path));
        return Ok(());
    }
    let mut names = Vec::new();
    for entry in
        std::fs::read_dir(path).with_context(|| format!("cannot list the folder {}", path.display()))?
    {
        let entry = entry.with_context(|| format!("cannot list the folder {}", path.display()))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let is_file = std::fs::metadata(entry.path()).is_ok_and(|m| m.is_file());
        if is_file && matching.matches(&name) {
            names.push(name);
        }
    }
    if names.is_empty() {
        bail!("the folder {} holds no input file: looked for {}", path.display(), matching.describe());
    }
    names.sort();
    out.extend(names.into_iter().map(|n| Input::file(path.join(n))));
    Ok(())
}

/// What a stream holds, as far as its first bytes tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Text (or nothing): the importers read it.
    Text,
    Gzip,
    Zstd,
    Zip,
}

/// Signatures of formats that no importer reads: (first bytes, what it is, how to go on).
const REFUSED: &[(&[u8], &str, &str)] = &[
    (b"BZh", "a bzip2-compressed file", "recompress it with gzip or zstd (bunzip2 -c FILE | gzip > FILE.gz)"),
    (
        b"\xfd7zXZ\x00",
        "an xz-compressed file",
        "recompress it with gzip or zstd (unxz -c FILE | gzip > FILE.gz)",
    ),
    (b"7z\xbc\xaf\x27\x1c", "a 7z archive", "extract it first (7z x FILE), or repack it as .zip"),
    (b"Rar!\x1a\x07", "a RAR archive", "extract it first, or repack it as .zip"),
    (
        b"PAR1",
        "a Parquet file",
        "export it to CSV first (for example with DuckDB: COPY (FROM 'FILE') TO 'FILE.csv')",
    ),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an Excel (.xls) or other OLE document", "save it as CSV first"),
];

const ZIP: [&[u8]; 3] = [b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08"];

/// What `head` (a stream's first bytes) holds; `name` is the stream's name for messages.
///
/// # Errors
/// When it is something no importer reads.
pub fn kind_of(head: &[u8], name: &Path) -> Result<Kind> {
    if head.starts_with(b"\x1f\x8b") {
        return Ok(Kind::Gzip);
    }
    if head.starts_with(b"\x28\xb5\x2f\xfd") {
        return Ok(Kind::Zstd);
    }
    if ZIP.iter().any(|magic| head.starts_with(magic)) {
        return Ok(Kind::Zip);
    }
    if let Some((_, what, hint)) = REFUSED.iter().find(|(magic, _, _)| head.starts_with(magic)) {
        bail!("{} is {what}, not text: {hint}; {ACCEPTED}", name.display());
    }
    if let Some(at) = memchr::memchr(0, head) {
        bail!(
            "{} holds binary data, not text (a NUL byte at byte {}): is it in UTF-16, or a format georel does not \
             read? {ACCEPTED}; save it as UTF-8 CSV",
            name.display(),
            at + 1
        );
    }
    Ok(Kind::Text)
}

/// Looks at an input's first bytes: refuses what no importer reads, before anything is read
/// or written. Standard input is looked at when it is read.
///
/// # Errors
/// When the file cannot be opened, or holds what no importer reads.
pub fn sniff(input: &Input) -> Result<Kind> {
    let Some(path) = input.path() else { return Ok(Kind::Text) };
    let mut file = File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    // A signature first: an archive of 300,000 zip files is not read 64 KB each to be sniffed.
    let mut head = vec![0; 8];
    let got = read_up_to(&mut file, &mut head).with_context(|| format!("cannot read {}", path.display()))?;
    head.truncate(got);
    match kind_of(&head, path)? {
        Kind::Text if got == 8 => {
            file.take((PEEK - got) as u64)
                .read_to_end(&mut head)
                .with_context(|| format!("cannot read {}", path.display()))?;
            kind_of(&head, path)
        }
        kind => Ok(kind),
    }
}

/// A reader counting the bytes read through it on a progress bar (the input's bytes, before
/// decompression: those are what the bar's total counts).
struct Counted<'p, R> {
    inner: R,
    progress: &'p Progress,
}

impl<R: Read> Read for Counted<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.progress.add(n as u64);
        Ok(n)
    }
}

impl<R: Seek> Seek for Counted<'_, R> {
    fn seek(&mut self, pos: io::SeekFrom) -> io::Result<u64> {
        self.inner.seek(pos)
    }
}

/// Reads one input, handing `each` every logical file in it: its name (`ARCHIVE.zip/MEMBER`
/// for a member) and a reader of its text. A file with an [`Expected`] size and MD5 is read
/// whole and checked before any of it is parsed.
///
/// # Errors
/// When the input cannot be read or decompressed, holds what no importer reads, does not
/// match its expected size or MD5, or `each` fails.
pub fn read(
    input: &Input,
    progress: &Progress,
    each: &mut dyn FnMut(&Path, &mut dyn Read) -> Result<()>,
) -> Result<()> {
    let name = input.name();
    match (&input.origin, &input.expected) {
        (Origin::File(path), Some(expected)) => {
            let bytes = read_checked(path, expected, progress)?;
            open_seekable(Cursor::new(bytes), &name, each)
        }
        (Origin::File(path), None) => {
            let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
            open_seekable(Counted { inner: file, progress }, &name, each)
        }
        (Origin::Stdin, _) => {
            let stdin = io::stdin().lock();
            let (head, rest) = peek(Counted { inner: stdin, progress }, &name)?;
            if kind_of(&head, &name)? == Kind::Zip {
                // A zip archive's index is at its end: it is read from a copy in a temporary
                // file (removed when done).
                let mut spool =
                    tempfile::tempfile().context("cannot create a temporary file for standard input")?;
                io::copy(&mut Cursor::new(head).chain(rest), &mut spool)
                    .context("cannot copy standard input to a temporary file")?;
                spool.rewind().context("cannot read standard input's temporary copy")?;
                return open_seekable(spool, &name, each);
            }
            decode(Box::new(Cursor::new(head).chain(rest)), &name, None, each)
        }
    }
}

/// Reads a file whole, checking its size and MD5 against a list's.
fn read_checked(path: &Path, expected: &Expected, progress: &Progress) -> Result<Vec<u8>> {
    let mut bytes = Vec::with_capacity(expected.size as usize);
    Counted { inner: File::open(path).with_context(|| format!("cannot open {}", path.display()))?, progress }
        .read_to_end(&mut bytes)
        .with_context(|| format!("cannot read {}", path.display()))?;
    if bytes.len() as u64 != expected.size {
        bail!(
            "{} has {} bytes, but the file list says {}: the download is incomplete or damaged; download it again",
            path.display(),
            bytes.len(),
            expected.size
        );
    }
    let md5: [u8; 16] = {
        use md5::Digest;
        md5::Md5::digest(&bytes).into()
    };
    if md5 != expected.md5 {
        bail!(
            "{} has the MD5 {}, but the file list says {}: the download is damaged; download it again",
            path.display(),
            hex(&md5),
            hex(&expected.md5)
        );
    }
    Ok(bytes)
}

/// Lower-case hexadecimal.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Reads a seekable input: a zip archive member by member, anything else as a stream.
fn open_seekable<R: Read + Seek>(
    mut source: R,
    name: &Path,
    each: &mut dyn FnMut(&Path, &mut dyn Read) -> Result<()>,
) -> Result<()> {
    let mut head = [0u8; 4];
    let got =
        read_up_to(&mut source, &mut head).with_context(|| format!("cannot read {}", name.display()))?;
    source.rewind().with_context(|| format!("cannot read {}", name.display()))?;
    if ZIP.iter().any(|magic| head[..got].starts_with(magic)) {
        return read_zip(source, name, each);
    }
    decode(Box::new(source), name, None, each)
}

fn read_up_to(source: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match source.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// Every member of a zip archive that is a file, in name order (folders, macOS's
/// `__MACOSX/` copies and hidden files are passed over).
fn read_zip<R: Read + Seek>(
    source: R,
    name: &Path,
    each: &mut dyn FnMut(&Path, &mut dyn Read) -> Result<()>,
) -> Result<()> {
    let mut archive = zip::ZipArchive::new(BufReader::with_capacity(1 << 16, source)).with_context(|| {
        format!(
            "{} starts like a zip archive but cannot be read as one (damaged, cut short, or not a zip): \
             download or extract it again",
            name.display()
        )
    })?;
    let mut members: Vec<(String, usize)> = Vec::new();
    for index in 0..archive.len() {
        let member = archive.by_index_raw(index).with_context(|| {
            format!("cannot read member {} of the zip archive {}", index + 1, name.display())
        })?;
        let member_name = member.name().to_string();
        let base = member_name.rsplit('/').next().unwrap_or("");
        if member.is_dir() || member_name.starts_with("__MACOSX/") || base.starts_with('.') || base.is_empty()
        {
            continue;
        }
        members.push((member_name, index));
    }
    if members.is_empty() {
        bail!("the zip archive {} holds no file", name.display());
    }
    members.sort();
    for (member_name, index) in members {
        let shown = PathBuf::from(format!("{}/{member_name}", name.display()));
        let member = archive.by_index(index).with_context(|| {
            format!("cannot read {} (is it compressed with a method other than deflate?)", shown.display())
        })?;
        decode(Box::new(member), &shown, None, each)?;
    }
    Ok(())
}

/// Reads the first bytes of a stream, giving them back with the rest.
fn peek<'a, R: Read + 'a>(mut source: R, name: &Path) -> Result<(Vec<u8>, R)> {
    let mut head = vec![0; PEEK];
    let got = read_up_to(&mut source, &mut head)
        .with_context(|| format!("cannot read or decompress {}", name.display()))?;
    head.truncate(got);
    Ok((head, source))
}

/// Hands a stream to `each` as text, decompressing gzip or zstd (also inside a zip member)
/// first; `layer` says which compression `source` was decoded from.
fn decode(
    source: Box<dyn Read + '_>,
    name: &Path,
    layer: Option<&'static str>,
    each: &mut dyn FnMut(&Path, &mut dyn Read) -> Result<()>,
) -> Result<()> {
    let (head, rest) = match layer {
        None => peek(source, name)?,
        Some(layer) => peek(source, name).with_context(|| {
            format!(
                "{} is not valid {layer} data (damaged or cut short?): download or compress it again",
                name.display()
            )
        })?,
    };
    let kind = kind_of(&head, name)?;
    let stream = Cursor::new(head).chain(rest);
    match kind {
        Kind::Text => match layer {
            None => each(name, &mut { stream }),
            Some(layer) => each(name, &mut Damaged { inner: stream, layer }),
        },
        _ if layer.is_some() => {
            bail!("{} is compressed twice over: decompress it first; {ACCEPTED}", name.display())
        }
        Kind::Gzip => {
            let decoder = flate2::read::MultiGzDecoder::new(BufReader::with_capacity(1 << 16, stream));
            decode(Box::new(decoder), name, Some("gzip"), each)
        }
        Kind::Zstd => decode(Box::new(Zstd::new(stream)), name, Some("zstd"), each),
        Kind::Zip => bail!(
            "{} holds a zip archive inside a compressed file or archive: extract it first; {ACCEPTED}",
            name.display()
        ),
    }
}

/// A decompressed stream, whose errors say what they mean: a damaged gzip stream says
/// "corrupt deflate stream" (the importer adds the file's name).
struct Damaged<R> {
    inner: R,
    layer: &'static str,
}

impl<R: Read> Read for Damaged<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.inner.read(buf).map_err(|e| {
            io::Error::new(e.kind(), format!("{e}: the {} data is damaged or cut short", self.layer))
        })
    }
}

/// A zstd stream of one or more frames (`zstd` writes one, `pzstd` and `cat a.zst b.zst`
/// several), decoded in pure Rust.
struct Zstd<R: Read> {
    decoder: Option<ruzstd::decoding::StreamingDecoder<BufReader<R>, ruzstd::decoding::FrameDecoder>>,
    source: Option<BufReader<R>>,
}

impl<R: Read> Zstd<R> {
    fn new(source: R) -> Zstd<R> {
        Zstd { decoder: None, source: Some(BufReader::with_capacity(1 << 16, source)) }
    }
}

impl<R: Read> Read for Zstd<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if let Some(decoder) = &mut self.decoder {
                let n = decoder.read(buf)?;
                if n > 0 || buf.is_empty() {
                    return Ok(n);
                }
                // This frame is done: another may follow.
                self.source = self.decoder.take().map(|d| d.into_inner());
            }
            let Some(mut source) = self.source.take() else { return Ok(0) };
            if source.fill_buf()?.is_empty() {
                return Ok(0);
            }
            let decoder = ruzstd::decoding::StreamingDecoder::new(source)
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, format!("not a zstd frame: {e}")))?;
            self.decoder = Some(decoder);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn gz(bytes: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(bytes).unwrap();
        e.finish().unwrap()
    }

    fn zst(bytes: &[u8]) -> Vec<u8> {
        ruzstd::encoding::compress_to_vec(bytes, ruzstd::encoding::CompressionLevel::Fastest)
    }

    fn zip(members: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, bytes) in members {
            w.start_file(*name, zip::write::SimpleFileOptions::default()).unwrap();
            w.write_all(bytes).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    /// Every logical file of `bytes` read as a file: (name, text).
    fn read_all(bytes: &[u8]) -> Result<Vec<(String, String)>> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("in");
        std::fs::write(&path, bytes).unwrap();
        let mut out = Vec::new();
        read(&Input::file(&path), &Progress::hidden(), &mut |name, r| {
            let mut text = String::new();
            r.read_to_string(&mut text)?;
            let name = name.strip_prefix(dir.path()).unwrap().display().to_string();
            out.push((name, text));
            Ok(())
        })?;
        Ok(out)
    }

    #[test]
    fn every_container_gives_the_same_text() {
        let text = b"a\tb\n1\t2\n";
        let one = vec![("in".to_string(), String::from_utf8(text.to_vec()).unwrap())];
        assert_eq!(read_all(text).unwrap(), one);
        assert_eq!(read_all(&gz(text)).unwrap(), one);
        assert_eq!(read_all(&zst(text)).unwrap(), one);
        // Concatenated gzip members and zstd frames are one stream, as gunzip and unzstd read them.
        let twice = String::from_utf8([&text[..], text].concat()).unwrap();
        assert_eq!(read_all(&[gz(text), gz(text)].concat()).unwrap()[0].1, twice);
        assert_eq!(read_all(&[zst(text), zst(text)].concat()).unwrap()[0].1, twice);
        let archive = zip(&[
            ("b.tab", b"second"),
            ("dir/", b""),
            ("__MACOSX/._a.tab", b"\x00\x05"),
            ("a.tab", b"first"),
            ("c.tab.gz", &gz(b"third")),
        ]);
        let members: Vec<(String, String)> = read_all(&archive).unwrap();
        assert_eq!(
            members,
            [("in/a.tab", "first"), ("in/b.tab", "second"), ("in/c.tab.gz", "third")]
                .map(|(n, t)| (n.to_string(), t.to_string()))
        );
    }

    #[test]
    fn what_no_importer_reads_is_refused_with_what_it_is() {
        for (bytes, what) in [
            (b"BZh91AY".to_vec(), "bzip2"),
            (b"\xfd7zXZ\x00\x00".to_vec(), "xz"),
            (b"PAR1\x15\x04".to_vec(), "Parquet"),
            (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1".to_vec(), "Excel"),
            (b"a,b\n\x00\x01\x02".to_vec(), "binary data"),
            (gz(b"PAR1\x15\x04"), "Parquet"),
            (zip(&[("x.parquet", b"PAR1\x00")]), "in/x.parquet is a Parquet file"),
            (b"PK\x03\x04 not a zip".to_vec(), "cannot be read as one"),
            (b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03garbage".to_vec(), "is not valid gzip data"),
            (gz(&zst(b"x")), "compressed twice"),
        ] {
            let err = format!("{:#}", read_all(&bytes).unwrap_err());
            assert!(err.contains(what), "{what}: {err}");
        }
    }

    #[test]
    fn folders_lists_and_names() {
        let dir = tempfile::tempdir().unwrap();
        for name in
            ["b.CSV", "a.csv.gz", "c.export.CSV.zip", "x.mentions.CSV.zip", ".hidden.csv", "notes.txt"]
        {
            std::fs::write(dir.path().join(name), b"").unwrap();
        }
        let matching = Matching { extensions: &["csv"], excluded: &[".mentions."] };
        let found = expand(&[dir.path().to_path_buf()], matching).unwrap();
        let names: Vec<String> = found
            .iter()
            .map(|i| i.path().unwrap().file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["a.csv.gz", "b.CSV", "c.export.CSV.zip"]);
        let err = expand(&[dir.path().to_path_buf(), dir.path().join("b.CSV")], matching).unwrap_err();
        assert!(err.to_string().contains("named twice"), "{err}");
        let none = Matching { extensions: &["tab"], excluded: &[] };
        let err = expand(&[dir.path().to_path_buf()], none).unwrap_err().to_string();
        assert!(err.contains("holds no input file") && err.contains("*.tab"), "{err}");
        assert_eq!(plain_name("x.tab.ZIP"), "x.tab");
    }
}
