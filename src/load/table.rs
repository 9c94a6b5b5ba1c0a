//! Reading one CSV file as a table: the header mapped to known columns, and each row's
//! fields checked for shape and UTF-8, with the line and column kept for error messages.

use std::fs::File;
use std::io::{BufReader, Cursor, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use csv::ByteRecord;

use super::digest::{FileKey, Piece};
use super::error::{DataError, Location, Problem};
use super::lines::{count_breaks, Lines, OpenQuote};

/// The bytes a table is read from: the first chunk (already read, to look at) and the rest
/// of the file, streamed.
type Source = std::io::Chain<Cursor<Vec<u8>>, BufReader<HashRead>>;

/// The file, read on, hashing what it reads when asked to (see [`Table::open_hashed`]).
struct HashRead {
    file: File,
    piece: Option<Arc<Mutex<Piece>>>,
}

impl Read for HashRead {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.file.read(buf)?;
        if let Some(piece) = &self.piece {
            piece.lock().expect("hashing does not panic").feed(&buf[..n]);
        }
        Ok(n)
    }
}

/// The content of a table's file hashed as it is read.
struct Hashed {
    /// What the reader of the whole file has read: the first chunk, then the rest.
    stream: Arc<Mutex<Piece>>,
    /// The header's bytes as read (with any byte-order mark), when they lie in the first
    /// chunk: a file read in two halves is the header, then the halves.
    header: Option<Vec<u8>>,
}

/// How much of a file is read first, to skip a byte-order mark and recognise an empty file.
const FIRST_CHUNK: usize = 64 * 1024;

/// A column that a table knows about.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub name: &'static str,
    pub required: bool,
}

/// The columns of one kind of file, in their documented order.
pub struct Schema {
    pub columns: &'static [Column],
    /// The documented header, for messages.
    pub header: &'static str,
    /// The required columns, for messages.
    pub required: &'static str,
}

/// A CSV file being read, with its header resolved against a [`Schema`]. The rows are
/// streamed: memory does not grow with the file.
pub struct Table {
    path: PathBuf,
    reader: csv::Reader<Lines<Source>>,
    /// About how many rows the file has, from its size and the first chunk.
    estimated_rows: usize,
    /// For each schema column, its field position in the file, if present.
    positions: Vec<Option<usize>>,
    names: Vec<String>,
    /// The file as opened, for reading parts of it at given offsets (see [`At`]).
    opened: File,
    /// The file offset where the data rows start, and the file's length.
    body_start: u64,
    file_len: u64,
    hashed: Option<Hashed>,
}

impl Table {
    /// Reads `path` and maps its header. Problems with the file as a whole (unreadable,
    /// empty, bad header) are returned as errors: no row can be read then.
    pub fn open(path: &Path, schema: &Schema) -> Result<Table, DataError> {
        Table::open_with(path, schema, false)
    }

    /// As [`Table::open`], hashing every byte the table is read from as it is read, so that
    /// [`Table::rows`] and [`Table::rows_in_parts`] give the key of exactly what they parsed
    /// (for the index).
    pub fn open_hashed(path: &Path, schema: &Schema) -> Result<Table, DataError> {
        Table::open_with(path, schema, true)
    }

    fn open_with(path: &Path, schema: &Schema, hash: bool) -> Result<Table, DataError> {
        #[cfg(test)]
        super::digest::seam::reading(path, super::digest::seam::Moment::Opening);
        let at = |problem| DataError {
            location: Box::new(Location { file: path.to_path_buf(), line: None, column: None }),
            problem,
        };
        let mut file = File::open(path).map_err(|e| at(Problem::Io(e.to_string())))?;
        let mut first = Vec::with_capacity(FIRST_CHUNK);
        (&mut file)
            .take(FIRST_CHUNK as u64)
            .read_to_end(&mut first)
            .map_err(|e| at(Problem::Io(e.to_string())))?;
        let stream = hash.then(|| {
            let mut piece = Piece::at(0);
            piece.feed(&first);
            Arc::new(Mutex::new(piece))
        });
        let first_raw = stream.as_ref().map(|_| first.clone());
        let bom = if first.starts_with(b"\xEF\xBB\xBF") {
            first.drain(..3);
            3
        } else {
            0
        };
        if first.len() < FIRST_CHUNK - 3 && first.iter().all(u8::is_ascii_whitespace) {
            return Err(at(Problem::EmptyFile { required: schema.required }));
        }
        // Rows are about as long in the rest of the file as in its first chunk.
        let file_len = file.metadata().map_or(0, |m| m.len()) as usize;
        let file_len_bytes = file_len as u64;
        let first_lines = first.iter().filter(|&&b| b == b'\n').count().max(1);
        let estimated_rows = file_len / (first.len() / first_lines).max(1);
        let opened = file.try_clone().map_err(|e| at(Problem::Io(e.to_string())))?;
        let source = Cursor::new(first)
            .chain(BufReader::with_capacity(1 << 20, HashRead { file, piece: stream.clone() }));
        // Cells are trimmed of ASCII white space as they are read (`trim_ascii` below), not by
        // the reader: its `Trim::All` allocates a new record for every row.
        let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(Lines::new(source));
        let header = reader.byte_headers().map_err(|e| at(Problem::Csv(e.to_string())))?.clone();
        let header_line = DataError {
            location: Box::new(Location { file: path.to_path_buf(), line: Some(1), column: None }),
            problem: Problem::Missing,
        };
        let mut names = Vec::with_capacity(header.len());
        for (i, field) in header.iter().enumerate() {
            let field = field.trim_ascii();
            match std::str::from_utf8(field) {
                Ok(name) => names.push(name.trim().to_string()),
                Err(e) => {
                    return Err(DataError {
                        problem: Problem::NotUtf8 {
                            byte: e.valid_up_to() + 1,
                            value: field[e.valid_up_to()],
                        },
                        location: Box::new(Location {
                            column: Some((i + 1, format!("#{}", i + 1))),
                            ..(*header_line.location).clone()
                        }),
                    })
                }
            }
        }
        if let Some(quote) = open_quote(&reader) {
            // The header took in the whole file: its cell's text is no column name to show.
            return Err(DataError {
                problem: Problem::UnterminatedQuote { rows: quote.rows_after },
                location: Box::new(Location {
                    line: Some(quote.line),
                    column: Some((quote.field, format!("#{}", quote.field))),
                    ..(*header_line.location).clone()
                }),
            });
        }
        let positions = resolve(path, Some(1), &names, schema)?;
        // Where the rows start in the file (the reader's offsets do not count a byte-order mark).
        let body_start = reader.position().byte() + bom;
        let hashed = stream.map(|stream| Hashed {
            stream,
            header: first_raw.filter(|raw| body_start <= raw.len() as u64).map(|mut raw| {
                raw.truncate(body_start as usize);
                raw
            }),
        });
        Ok(Table {
            path: path.to_path_buf(),
            reader,
            estimated_rows,
            positions,
            opened,
            names,
            body_start,
            file_len: file_len_bytes,
            hashed,
        })
    }

    /// Whether the file has the schema column `column`.
    pub fn has(&self, column: usize) -> bool {
        self.positions[column].is_some()
    }

    /// About how many rows the file has (for reserving memory once rather than growing).
    pub fn estimated_rows(&self) -> usize {
        self.estimated_rows
    }

    /// Calls `each` for every data row. Rows whose shape is wrong (ragged, or not CSV) are
    /// reported to `errors` and skipped. Returns the key of the bytes read when the table was
    /// opened with [`Table::open_hashed`].
    pub fn rows(
        self,
        errors: &mut Vec<DataError>,
        each: impl FnMut(&Row<'_>, &mut Vec<DataError>),
    ) -> Option<FileKey> {
        let Table { path, mut reader, positions, names, hashed, .. } = self;
        let shape = Shape { path, positions, names, key: None };
        read_rows(&shape, &mut reader, errors, each);
        #[cfg(test)]
        super::digest::seam::reading(&shape.path, super::digest::seam::Moment::Read);
        hashed.and_then(|h| h.stream.lock().expect("hashing does not panic").key())
    }

    /// Reads the data rows as [`Table::rows`] does, in two halves at once (one per thread)
    /// when the file is at least `min_len` bytes long and has no quote character; otherwise
    /// in one part. Without quotes no cell can hold a line break, so the line break nearest
    /// the middle ends a row, and the second half can start after it. Whether there is a
    /// quote is seen as the halves are read: then what they gave is dropped, and the file is
    /// read again in one part.
    ///
    /// Each part gets its own state from `make` (given the part's number) and its own list
    /// of problems; they are returned in file order, each with the number of lines before it.
    /// The lines of a part's rows (and so of its problems) are counted from its start: add
    /// that number for the file's. (The second half starts reading at once rather than after
    /// counting the lines of the first, which took a tenth of the time of loading.)
    ///
    /// When the table was opened with [`Table::open_hashed`], the shape holds the key of the
    /// bytes read ([`Shape::key`]).
    pub fn rows_in_parts<S: Send>(
        self,
        min_len: u64,
        make: impl Fn(usize) -> S + Sync,
        each: impl Fn(&mut S, &Row<'_>, &mut Vec<DataError>) + Sync,
    ) -> (Vec<PartRows<S>>, Shape) {
        // Hashed in halves only when the header's bytes, as read, are at hand.
        let can_split = self.hashed.as_ref().is_none_or(|h| h.header.is_some());
        let split = if self.file_len >= min_len && can_split { self.split().ok().flatten() } else { None };
        let Table { path, mut reader, positions, names, body_start, file_len, opened, hashed, .. } = self;
        let mut shape = Shape { path, positions, names, key: None };
        let one_part = |reader: &mut csv::Reader<Lines<Source>>, shape: &mut Shape| {
            let mut state = make(0);
            let mut errors = Vec::new();
            read_rows(shape, reader, &mut errors, |row, errors| each(&mut state, row, errors));
            #[cfg(test)]
            super::digest::seam::reading(&shape.path, super::digest::seam::Moment::Read);
            shape.key = hashed.as_ref().and_then(|h| h.stream.lock().expect("hashing does not panic").key());
            vec![PartRows { state, errors, lines_before: 0 }]
        };
        let Some(split) = split else {
            let parts = one_part(&mut reader, &mut shape);
            return (parts, shape);
        };
        let hashing = hashed.is_some();
        // The first half starts after the header's line break, the second after a LF.
        let ranges = [
            Half {
                from: body_start,
                to: split.at,
                newlines: split.newlines_before_body,
                after_cr: split.header_ends_cr,
            },
            Half { from: split.at, to: file_len, newlines: 0, after_cr: false },
        ];
        // Set by a half that meets a quote, so that the other stops too: rather than read on
        // through a long quoted cell as rows (a 10 MB cell of line breaks made millions of
        // ragged rows, and 400 MB of their errors, to drop).
        let quote_seen = AtomicBool::new(false);
        let parts = std::thread::scope(|scope| {
            let (shape, make, each, opened, quote_seen) = (&shape, &make, &each, &opened, &quote_seen);
            let parts: Vec<_> = ranges
                .into_iter()
                .enumerate()
                .map(|(n, half)| {
                    scope.spawn(move || {
                        let mut state = make(n);
                        let mut errors = Vec::new();
                        let mut piece = hashing.then(|| Piece::at(half.from));
                        let read = split_rows(
                            shape,
                            opened,
                            half,
                            quote_seen,
                            piece.as_mut(),
                            &mut errors,
                            |row, errors| each(&mut state, row, errors),
                        );
                        let scanned = read.unwrap_or_else(|e| {
                            errors.push(DataError {
                                location: Box::new(Location {
                                    file: shape.path.clone(),
                                    line: None,
                                    column: None,
                                }),
                                problem: Problem::Io(e.to_string()),
                            });
                            Scanned { newlines: 0, quote: false }
                        });
                        (state, errors, scanned, piece)
                    })
                })
                .collect();
            parts.into_iter().map(|p| p.join().expect("reading rows does not panic")).collect::<Vec<_>>()
        });
        if parts.iter().any(|(_, _, scanned, _)| scanned.quote) {
            drop(parts);
            let parts = one_part(&mut reader, &mut shape);
            return (parts, shape);
        }
        #[cfg(test)]
        super::digest::seam::reading(&shape.path, super::digest::seam::Moment::Read);
        // The second half's lines follow the first half's (and the header's).
        let first_lines = split.newlines_before_body + parts[0].2.newlines;
        let mut pieces = Vec::with_capacity(2);
        let parts = parts
            .into_iter()
            .zip([0, first_lines])
            .map(|((state, errors, _, piece), lines_before)| {
                pieces.extend(piece);
                PartRows { state, errors, lines_before }
            })
            .collect();
        // The header as it was read, then the halves: `None` when they do not meet (the file
        // became shorter as it was read).
        shape.key = hashed.and_then(|h| {
            let mut header = Piece::at(0);
            header.feed(&h.header?);
            pieces.into_iter().try_fold(header, Piece::then)?.key()
        });
        (parts, shape)
    }

    /// Where to split the rows in two: after the first line break past the middle, if the
    /// header has no quote character, and neither half starts with a byte-order mark.
    fn split(&self) -> std::io::Result<Option<Split>> {
        // The halves read the one open file at their offsets (`At`), which only Unix does
        // without moving the position that the CSV reader uses.
        if cfg!(not(unix)) {
            return Ok(None);
        }
        // The header's bytes as read, when they were kept (to be hashed with the halves).
        let header = match self.hashed.as_ref().and_then(|h| h.header.clone()) {
            Some(header) => header,
            None => {
                let mut header = Vec::new();
                At::new(&self.opened, 0, self.body_start).read_to_end(&mut header)?;
                header
            }
        };
        if header.contains(&b'"') {
            return Ok(None);
        }
        let middle = self.body_start + (self.file_len - self.body_start) / 2;
        let mut reader = At::new(&self.opened, middle, self.file_len);
        let mut buffer = vec![0u8; 64 * 1024];
        let mut at = middle;
        let newline = loop {
            let n = match reader.read(&mut buffer) {
                Ok(0) => break None,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if let Some(i) = memchr::memchr(b'\n', &buffer[..n]) {
                break Some(at + i as u64);
            }
            at += n as u64;
        };
        let Some(at) = newline.map(|at| at + 1).filter(|&at| at < self.file_len) else {
            return Ok(None);
        };
        // The CSV reader drops a byte-order mark at the start of what it reads: one that
        // begins a half would vanish, where reading in one pass keeps it (as part of the
        // row's first cell, which is then reported). Such a file is read in one pass.
        if self.starts_with_bom(self.body_start)? || self.starts_with_bom(at)? {
            return Ok(None);
        }
        Ok(Some(Split {
            at,
            newlines_before_body: count_breaks(&header, false),
            header_ends_cr: header.last() == Some(&b'\r'),
        }))
    }

    /// Whether the bytes at `at` are a UTF-8 byte-order mark.
    fn starts_with_bom(&self, at: u64) -> std::io::Result<bool> {
        let mut bytes = Vec::with_capacity(3);
        At::new(&self.opened, at, at.saturating_add(3)).read_to_end(&mut bytes)?;
        Ok(bytes == b"\xEF\xBB\xBF")
    }
}

impl Shape {
    /// An error at `line` and the given schema column.
    pub fn error_at(&self, line: u64, column: usize, problem: Problem) -> DataError {
        self.error(line, self.positions[column], problem)
    }

    /// An error at `line` and the 1-based `field` of a row, which may be past the header's.
    fn error_in_field(&self, line: u64, field: usize, problem: Problem) -> DataError {
        let name = self.names.get(field - 1).cloned().unwrap_or_else(|| format!("#{field}"));
        DataError {
            location: Box::new(Location {
                file: self.path.clone(),
                line: Some(line),
                column: Some((field, name)),
            }),
            problem,
        }
    }

    fn error(&self, line: u64, column: Option<usize>, problem: Problem) -> DataError {
        DataError {
            location: Box::new(Location {
                file: self.path.clone(),
                line: Some(line),
                column: column.map(|pos| (pos + 1, self.names[pos].clone())),
            }),
            problem,
        }
    }
}

/// For each schema column, its position among a file's column `names` (a CSV header, or a
/// Parquet file's columns): matched ignoring case and white space, refusing a duplicate, a
/// misspelt known column, and a missing required one. One rule for both kinds of file.
/// Problems are placed at `line`: the header's (a Parquet file has none).
pub fn resolve(
    path: &Path,
    line: Option<u64>,
    names: &[String],
    schema: &Schema,
) -> Result<Vec<Option<usize>>, DataError> {
    let header_line = || DataError {
        location: Box::new(Location { file: path.to_path_buf(), line, column: None }),
        problem: Problem::Missing,
    };
    // Columns are matched ignoring case and white space (`End`, ` end `, `END` are `end`),
    // so two headers that mean one column are a duplicate.
    let keys: Vec<String> = names.iter().map(|name| column_key(name)).collect();
    // A set, not a scan of the names before each: a header of 100,000 columns took 12 to
    // 45 seconds to check that way (issue 13).
    let mut seen = std::collections::HashSet::with_capacity(keys.len());
    for (i, key) in keys.iter().enumerate() {
        if !key.is_empty() && !seen.insert(key.as_str()) {
            return Err(DataError {
                problem: Problem::DuplicateColumn { name: names[i].clone() },
                location: Box::new(Location {
                    column: Some((i + 1, names[i].clone())),
                    ..(*header_line().location).clone()
                }),
            });
        }
    }
    let positions: Vec<Option<usize>> =
        schema.columns.iter().map(|c| keys.iter().position(|k| k == c.name)).collect();
    // An extra column that looks like a known one that is absent is most likely it,
    // misspelt: ignoring it would quietly drop what it says (an `ends` column left every
    // relation in force).
    let absent: Vec<&'static str> =
        schema.columns.iter().zip(&positions).filter(|(_, p)| p.is_none()).map(|(c, _)| c.name).collect();
    if !absent.is_empty() {
        for (i, name) in names.iter().enumerate() {
            if positions.contains(&Some(i)) {
                continue;
            }
            if let Some(known) = near_miss(name, &keys[i], &absent) {
                return Err(DataError {
                    problem: Problem::MisspeltColumn { name: name.clone(), known },
                    location: Box::new(Location {
                        column: Some((i + 1, name.clone())),
                        ..(*header_line().location).clone()
                    }),
                });
            }
        }
    }
    let missing: Vec<&'static str> = schema
        .columns
        .iter()
        .zip(&positions)
        .filter(|(c, p)| c.required && p.is_none())
        .map(|(c, _)| c.name)
        .collect();
    if !missing.is_empty() {
        return Err(DataError {
            problem: Problem::MissingColumns { missing, found: names.join(","), expected: schema.header },
            location: header_line().location,
        });
    }
    Ok(positions)
}

/// A header's column name as matched against the known ones: lower case, without white
/// space.
fn column_key(name: &str) -> String {
    name.chars().filter(|c| !c.is_whitespace()).flat_map(char::to_lowercase).collect()
}

/// The known column of `absent` that the header `name` (whose key is `key`) looks like a
/// misspelling of, if any. The rule, ignoring case and white space: one edit away
/// (a letter added, dropped, replaced, or two adjacent letters swapped: `ends`, `edn`,
/// `sorce`) from a known name of at least 3 letters; or a known name followed by `_`, `-`,
/// `.`, `(` or a space and more (`end_date`, `start (inclusive)`). Ids are short: `ix` is
/// not taken for `id`, but `id_2` is.
fn near_miss(name: &str, key: &str, absent: &[&'static str]) -> Option<&'static str> {
    let lower = name.to_lowercase();
    absent.iter().copied().find(|known| {
        let prefixed = lower
            .strip_prefix(known)
            .and_then(|rest| rest.chars().next())
            .is_some_and(|c| matches!(c, '_' | '-' | '.' | '(') || c.is_whitespace());
        let close =
            known.len() >= 3 && key.len().abs_diff(known.len()) <= 1 && strsim::osa_distance(key, known) == 1;
        prefixed || close
    })
}

/// Bytes `from..to` of an open file, read at their offsets whatever the file's own position:
/// so that two threads read one file at once, and every part of a load reads the file that
/// was opened, even if another is put in its place meanwhile (opening it again by name read
/// halves of two different files).
struct At<'f> {
    file: &'f File,
    at: u64,
    to: u64,
}

impl<'f> At<'f> {
    fn new(file: &'f File, from: u64, to: u64) -> At<'f> {
        At { file, at: from, to }
    }
}

impl Read for At<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let left = usize::try_from(self.to.saturating_sub(self.at)).unwrap_or(usize::MAX);
        let want = buf.len().min(left);
        if want == 0 {
            return Ok(0);
        }
        #[cfg(unix)]
        {
            let n = std::os::unix::fs::FileExt::read_at(self.file, &mut buf[..want], self.at)?;
            self.at += n as u64;
            Ok(n)
        }
        // Elsewhere a file is not split (see `Table::split`), and nothing reads this way.
        #[cfg(not(unix))]
        {
            let _ = (self.file, want);
            Err(std::io::Error::other("reading at an offset needs Unix"))
        }
    }
}

/// What one part of a file gave ([`Table::rows_in_parts`]).
pub struct PartRows<S> {
    pub state: S,
    pub errors: Vec<DataError>,
    /// The lines before the part that its own line numbers do not count.
    pub lines_before: u64,
}

/// Where a file's rows are split in two: the second half starts at byte `at`; the rows
/// start after `newlines_before_body` line breaks, and after a CR if `header_ends_cr` (a LF
/// that starts them ends no other line then).
struct Split {
    at: u64,
    newlines_before_body: u64,
    header_ends_cr: bool,
}

/// Bytes `from..to` of a file for [`split_rows`]: whole rows, after `newlines` line breaks
/// (the byte before `from` a CR if `after_cr`).
struct Half {
    from: u64,
    to: u64,
    newlines: u64,
    after_cr: bool,
}

/// What [`split_rows`] saw besides the rows.
struct Scanned {
    /// The line breaks it passed (as [`Lines`] counts them).
    newlines: u64,
    /// Whether there is a quote character: then it stopped, and the rows are not what the
    /// CSV reader would read.
    quote: bool,
}

/// Calls `each` for every row in bytes `from..to` of the file (whole rows, no header),
/// counting lines from `newlines` line breaks before `from` (the byte before it a CR if
/// `after_cr`), reporting rows of the wrong shape, until it meets a quote character or
/// `quote_seen` is set (a file with quotes is for the CSV reader): as [`read_rows`] does with
/// a CSV reader, but without one. Without quotes, a row is what lies between two line breaks
/// (`\n` or `\r`; none between two breaks in a row is skipped, as the CSV reader skips blank
/// lines), and its fields what lies between commas. The line of a row is one more than the
/// line breaks before it, as [`Lines`] counts them: each CR, and each LF not after a CR.
/// Found with `memchr`, this takes a fifth of the time of the CSV reader, which looks at
/// every byte for quotes and escapes.
fn split_rows(
    shape: &Shape,
    file: &File,
    Half { from, to, newlines, mut after_cr }: Half,
    quote_seen: &AtomicBool,
    mut piece: Option<&mut Piece>,
    errors: &mut Vec<DataError>,
    mut each: impl FnMut(&Row<'_>, &mut Vec<DataError>),
) -> std::io::Result<Scanned> {
    let first_line = newlines + 1;
    let mut reader = At::new(file, from, to);
    let mut buffer = vec![0u8; SPLIT_BUFFER];
    // Bytes at the start of `buffer` carried over from the last read: a row not yet ended.
    let mut carried = 0;
    let mut line = newlines + 1;
    let mut spans: Vec<(u32, u32)> = Vec::with_capacity(shape.names.len() + 1);
    loop {
        if carried == buffer.len() {
            // A row longer than the buffer: make room for it.
            buffer.resize(buffer.len() * 2, 0);
        }
        let n = match reader.read(&mut buffer[carried..]) {
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if let Some(piece) = piece.as_deref_mut() {
            piece.feed(&buffer[carried..carried + n]);
        }
        let end_of_file = n == 0;
        let filled = carried + n;
        // Up to the last line break; at the end of the file, everything.
        let whole = if end_of_file {
            filled
        } else {
            match memchr::memrchr2(b'\n', b'\r', &buffer[..filled]) {
                Some(at) => at + 1,
                None => {
                    carried = filled;
                    continue;
                }
            }
        };
        let block = &buffer[..whole];
        if quote_seen.load(Ordering::Relaxed) || memchr::memchr(b'"', block).is_some() {
            quote_seen.store(true, Ordering::Relaxed);
            return Ok(Scanned { newlines: line - first_line, quote: true });
        }
        let (mut row_start, mut field_start) = (0, 0);
        spans.clear();
        for at in memchr::memchr3_iter(b',', b'\n', b'\r', block) {
            spans.push(((field_start - row_start) as u32, (at - row_start) as u32));
            field_start = at + 1;
            if block[at] != b',' {
                if at > row_start {
                    emit(shape, &block[row_start..at], &spans, line, errors, &mut each);
                }
                spans.clear();
                let before = if at == 0 { after_cr } else { block[at - 1] == b'\r' };
                line += u64::from(block[at] == b'\r' || !before);
                row_start = at + 1;
            }
        }
        if end_of_file {
            // The last row, without a line break after it.
            if whole > row_start {
                spans.push(((field_start - row_start) as u32, (whole - row_start) as u32));
                emit(shape, &block[row_start..whole], &spans, line, errors, &mut each);
            }
            return Ok(Scanned { newlines: line - first_line, quote: false });
        }
        after_cr = block[whole - 1] == b'\r';
        buffer.copy_within(whole..filled, 0);
        carried = filled - whole;
    }
}

/// Hands a row of [`split_rows`] to `each`, or reports it when it has too few or too many
/// fields.
fn emit(
    shape: &Shape,
    row: &[u8],
    spans: &[(u32, u32)],
    line: u64,
    errors: &mut Vec<DataError>,
    each: &mut impl FnMut(&Row<'_>, &mut Vec<DataError>),
) {
    if spans.len() == shape.names.len() {
        // A row that is valid UTF-8 as a whole is checked once, rather than cell by cell.
        let cells = match std::str::from_utf8(row) {
            Ok(text) => Cells::Text(text, spans),
            Err(_) => Cells::Spans(row, spans),
        };
        each(&Row { table: shape, cells, line }, errors);
    } else {
        errors.push(shape.error(
            line,
            None,
            Problem::Ragged { expected: shape.names.len(), found: spans.len() },
        ));
    }
}

/// How much of a file is read at a time by [`split_rows`].
const SPLIT_BUFFER: usize = if cfg!(test) { 16 } else { 1 << 16 };

/// Calls `each` for every row that `reader` reads, reporting rows of the wrong shape.
fn read_rows<R: Read>(
    shape: &Shape,
    reader: &mut csv::Reader<Lines<R>>,
    errors: &mut Vec<DataError>,
    mut each: impl FnMut(&Row<'_>, &mut Vec<DataError>),
) {
    let mut record = ByteRecord::new();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let start = record.position().map_or(0, csv::Position::byte);
                let line = reader.get_mut().line_at(start);
                if let Some(quote) = open_quote(reader) {
                    // The row holds the rest of the file: whatever its shape, that is the problem.
                    errors.push(shape.error_in_field(
                        quote.line,
                        quote.field,
                        Problem::UnterminatedQuote { rows: quote.rows_after },
                    ));
                    continue;
                }
                if record.len() != shape.names.len() {
                    errors.push(shape.error(
                        line,
                        None,
                        Problem::Ragged { expected: shape.names.len(), found: record.len() },
                    ));
                    continue;
                }
                each(&Row { table: shape, cells: Cells::Record(&record), line }, errors);
            }
            Err(e) => {
                let line = e.position().map(|p| reader.get_mut().line_at(p.byte()));
                errors.push(DataError {
                    location: Box::new(Location { file: shape.path.clone(), line, column: None }),
                    problem: Problem::Csv(e.to_string()),
                });
                if !matches!(e.kind(), csv::ErrorKind::UnequalLengths { .. } | csv::ErrorKind::Utf8 { .. }) {
                    break;
                }
            }
        }
    }
}

/// The quoted cell left open at the end of the file, when the row just read holds it (the
/// CSV reader has read all the file).
fn open_quote<R: Read>(reader: &csv::Reader<Lines<R>>) -> Option<OpenQuote> {
    let lines = reader.get_ref();
    lines.open_quote().filter(|_| reader.position().byte() == lines.offset())
}

/// What a row needs of its table to read its cells and place its errors.
pub struct Shape {
    path: PathBuf,
    /// For each schema column, its field position in the file, if present.
    positions: Vec<Option<usize>>,
    names: Vec<String>,
    /// The key of the bytes the rows were read from, when they were hashed.
    key: Option<FileKey>,
}

impl Shape {
    /// The shape of a file that is not CSV (Parquet): its column names and, for each schema
    /// column, its position among them ([`resolve`]).
    pub fn new(
        path: &Path,
        names: Vec<String>,
        positions: Vec<Option<usize>>,
        key: Option<FileKey>,
    ) -> Shape {
        Shape { path: path.to_path_buf(), positions, names, key }
    }

    /// The key of exactly the bytes the rows were read from, when the table was opened with
    /// [`Table::open_hashed`]; `None` otherwise, or when the file became shorter while its
    /// halves were read.
    pub fn key(&self) -> Option<FileKey> {
        self.key
    }
}

/// One data row of a [`Table`].
pub struct Row<'t> {
    table: &'t Shape,
    cells: Cells<'t>,
    pub line: u64,
}

/// A row's fields: as the CSV reader gives them, or as spans of one line (a file without
/// quotes, see [`split_rows`]).
enum Cells<'t> {
    Record(&'t ByteRecord),
    Spans(&'t [u8], &'t [(u32, u32)]),
    /// Spans of a row that is valid UTF-8. (Its commas are whole characters, so each span is
    /// a string.)
    Text(&'t str, &'t [(u32, u32)]),
    /// Cells read from a file that is not CSV (Parquet) as text, one per column.
    Values(&'t [Option<String>]),
}

impl<'t> Row<'t> {
    /// A row of a file that is not CSV (Parquet), its cells as text, one per column of the
    /// shape (`None`: empty), numbered `line`.
    pub fn of_values(table: &'t Shape, values: &'t [Option<String>], line: u64) -> Row<'t> {
        Row { table, cells: Cells::Values(values), line }
    }

    /// The value of a schema column: `Ok(None)` when the column is absent or the cell empty.
    pub fn get(&self, column: usize) -> Result<Option<&str>, DataError> {
        let Some(pos) = self.table.positions[column] else {
            return Ok(None);
        };
        let span = |spans: &[(u32, u32)]| spans[pos].0 as usize..spans[pos].1 as usize;
        let field = match self.cells {
            Cells::Text(line, spans) => {
                let field = line.get(span(spans)).unwrap_or_default().trim_ascii();
                return Ok(Some(field).filter(|f| !f.is_empty()));
            }
            Cells::Values(values) => {
                let field = values[pos].as_deref().unwrap_or_default().trim_ascii();
                return Ok(Some(field).filter(|f| !f.is_empty()));
            }
            Cells::Record(record) => &record[pos],
            Cells::Spans(line, spans) => &line[span(spans)],
        }
        .trim_ascii();
        match std::str::from_utf8(field) {
            Ok("") => Ok(None),
            Ok(value) => Ok(Some(value)),
            Err(e) => Err(self.table.error(
                self.line,
                Some(pos),
                Problem::NotUtf8 { byte: e.valid_up_to() + 1, value: field[e.valid_up_to()] },
            )),
        }
    }

    /// The value of a required column, or a [`Problem::Missing`] error at that cell.
    pub fn require(&self, column: usize) -> Result<&str, DataError> {
        self.get(column)?.ok_or_else(|| self.error(column, Problem::Missing))
    }

    /// An error located at this row and the given schema column.
    pub fn error(&self, column: usize, problem: Problem) -> DataError {
        self.table.error(self.line, self.table.positions[column], problem)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Once a half has met a quote, the other reads no further rows (regression, issue 13:
    /// it read on through a long quoted cell as millions of ragged rows).
    #[test]
    fn a_half_stops_once_a_quote_is_seen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("relations.csv");
        static RELATIONS: Schema = Schema {
            columns: &[Column { name: "source", required: true }, Column { name: "target", required: true }],
            header: "source,target",
            required: "source,target",
        };

        std::fs::write(&path, "source,target\nA,B\nA,C\n").unwrap();
        let table = Table::open(&path, &RELATIONS).unwrap();
        let shape = Shape {
            path: path.clone(),
            positions: table.positions.clone(),
            names: table.names.clone(),
            key: None,
        };
        let half = Half { from: table.body_start, to: table.file_len, newlines: 1, after_cr: false };
        let (mut rows, mut errors) = (0, Vec::new());
        let seen = std::sync::atomic::AtomicBool::new(true);
        let scanned =
            split_rows(&shape, &table.opened, half, &seen, None, &mut errors, |_, _| rows += 1).unwrap();
        assert!(scanned.quote && rows == 0 && errors.is_empty());
        let seen = std::sync::atomic::AtomicBool::new(false);
        let half = Half { from: table.body_start, to: table.file_len, newlines: 1, after_cr: false };
        split_rows(&shape, &table.opened, half, &seen, None, &mut errors, |_, _| rows += 1).unwrap();
        assert_eq!(rows, 2, "and all of them otherwise");
    }
}
