//! Reading one CSV file as a table: the header mapped to known columns, and each row's
//! fields checked for shape and UTF-8, with the line and column kept for error messages.

use std::fs::File;
use std::io::{BufReader, Cursor, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use csv::ByteRecord;

use super::error::{DataError, Location, Problem};
use super::lines::Lines;

/// The bytes a table is read from: the first chunk (already read, to look at) and the rest
/// of the file, streamed.
type Source = std::io::Chain<Cursor<Vec<u8>>, BufReader<File>>;

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
    /// The file offset where the data rows start, and the file's length.
    body_start: u64,
    file_len: u64,
}

impl Table {
    /// Reads `path` and maps its header. Problems with the file as a whole (unreadable,
    /// empty, bad header) are returned as errors: no row can be read then.
    pub fn open(path: &Path, schema: &Schema) -> Result<Table, DataError> {
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
        let source = Cursor::new(first).chain(BufReader::with_capacity(1 << 20, file));
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
        for (i, name) in names.iter().enumerate() {
            if !name.is_empty() && names[..i].contains(name) {
                return Err(DataError {
                    problem: Problem::DuplicateColumn { name: name.clone() },
                    location: Box::new(Location {
                        column: Some((i + 1, name.clone())),
                        ..(*header_line.location).clone()
                    }),
                });
            }
        }
        let positions: Vec<Option<usize>> =
            schema.columns.iter().map(|c| names.iter().position(|n| n == c.name)).collect();
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
                location: header_line.location,
            });
        }
        // Where the rows start in the file (the reader's offsets do not count a byte-order mark).
        let body_start = reader.position().byte() + bom;
        Ok(Table {
            path: path.to_path_buf(),
            reader,
            estimated_rows,
            positions,
            names,
            body_start,
            file_len: file_len_bytes,
        })
    }

    /// About how many rows the file has (for reserving memory once rather than growing).
    pub fn estimated_rows(&self) -> usize {
        self.estimated_rows
    }

    /// Calls `each` for every data row. Rows whose shape is wrong (ragged, or not CSV) are
    /// reported to `errors` and skipped.
    pub fn rows(self, errors: &mut Vec<DataError>, each: impl FnMut(&Row<'_>, &mut Vec<DataError>)) {
        let Table { path, mut reader, positions, names, .. } = self;
        read_rows(&Shape { path, positions, names }, &mut reader, errors, each);
    }

    /// Reads the data rows as [`Table::rows`] does, in two halves at once (one per thread)
    /// when the file is at least `min_len` bytes long and has no quote character; otherwise
    /// in one part. Without quotes no cell can hold a line break, so the line break nearest
    /// the middle ends a row, and the second half can start after it.
    ///
    /// Each part gets its own state from `make` (given the part's number) and its own list
    /// of problems; they are returned in file order. Line numbers are the file's, in both.
    pub fn rows_in_parts<S: Send>(
        self,
        min_len: u64,
        make: impl Fn(usize) -> S + Sync,
        each: impl Fn(&mut S, &Row<'_>, &mut Vec<DataError>) + Sync,
    ) -> (Vec<(S, Vec<DataError>)>, Shape) {
        let split = if self.file_len >= min_len { self.split().ok().flatten() } else { None };
        let Some(split) = split else {
            let Table { path, mut reader, positions, names, .. } = self;
            let shape = Shape { path, positions, names };
            let mut state = make(0);
            let mut errors = Vec::new();
            read_rows(&shape, &mut reader, &mut errors, |row, errors| each(&mut state, row, errors));
            return (vec![(state, errors)], shape);
        };
        let Table { path, positions, names, body_start, file_len, .. } = self;
        let shape = Shape { path, positions, names };
        let ranges =
            [(body_start, split.at, split.newlines_before_body), (split.at, file_len, split.newlines_before)];
        let parts = std::thread::scope(|scope| {
            let (shape, make, each) = (&shape, &make, &each);
            let parts: Vec<_> = ranges
                .into_iter()
                .enumerate()
                .map(|(n, (from, to, newlines))| {
                    scope.spawn(move || {
                        let mut state = make(n);
                        let mut errors = Vec::new();
                        match part_reader(&shape.path, from, to, newlines) {
                            Ok(mut reader) => read_rows(shape, &mut reader, &mut errors, |row, errors| {
                                each(&mut state, row, errors);
                            }),
                            Err(e) => errors.push(DataError {
                                location: Box::new(Location {
                                    file: shape.path.clone(),
                                    line: None,
                                    column: None,
                                }),
                                problem: Problem::Io(e.to_string()),
                            }),
                        }
                        (state, errors)
                    })
                })
                .collect();
            parts.into_iter().map(|p| p.join().expect("reading rows does not panic")).collect()
        });
        (parts, shape)
    }

    /// Where to split the rows in two, if the file has no quote character and a line break
    /// after its middle: the two halves are scanned at once.
    fn split(&self) -> std::io::Result<Option<Split>> {
        let middle = self.body_start + (self.file_len - self.body_start) / 2;
        // The first half: quotes, and line breaks before the middle (for line numbers).
        let scan = |from: u64, to: u64, find_first_newline: bool| -> std::io::Result<Scan> {
            let mut file = File::open(&self.path)?;
            file.seek(SeekFrom::Start(from))?;
            let mut reader = file.take(to - from);
            let mut buffer = vec![0u8; 1 << 20];
            let mut scan = Scan { quote: false, newlines: 0, first_newline: None };
            let mut at = from;
            loop {
                let n = match reader.read(&mut buffer) {
                    Ok(0) => break,
                    Ok(n) => n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(e),
                };
                let chunk = &buffer[..n];
                scan.quote |= chunk.contains(&b'"');
                if find_first_newline {
                    if scan.first_newline.is_none() {
                        scan.first_newline = chunk.iter().position(|&b| b == b'\n').map(|i| at + i as u64);
                    }
                } else {
                    scan.newlines += chunk.iter().filter(|&&b| b == b'\n').count() as u64;
                }
                at += n as u64;
            }
            Ok(scan)
        };
        let (first, second, header) = std::thread::scope(|scope| {
            let second = scope.spawn(|| scan(middle, self.file_len, true));
            let first = scan(self.body_start, middle, false);
            let header = scan(0, self.body_start, false);
            (first, second.join().expect("scanning does not panic"), header)
        });
        let (first, second, header) = (first?, second?, header?);
        if first.quote || second.quote || header.quote {
            return Ok(None);
        }
        let Some(at) = second.first_newline.map(|at| at + 1).filter(|&at| at < self.file_len) else {
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
            newlines_before_body: header.newlines,
            // Line breaks before the middle, and the one that ends the first half.
            newlines_before: header.newlines + first.newlines + 1,
        }))
    }

    /// Whether the bytes at `at` are a UTF-8 byte-order mark.
    fn starts_with_bom(&self, at: u64) -> std::io::Result<bool> {
        let mut file = File::open(&self.path)?;
        file.seek(SeekFrom::Start(at))?;
        let mut bytes = Vec::with_capacity(3);
        file.take(3).read_to_end(&mut bytes)?;
        Ok(bytes == b"\xEF\xBB\xBF")
    }
}

impl Shape {
    /// An error at `line` and the given schema column.
    pub fn error_at(&self, line: u64, column: usize, problem: Problem) -> DataError {
        self.error(line, self.positions[column], problem)
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

/// What one pass over part of a file found.
struct Scan {
    quote: bool,
    newlines: u64,
    first_newline: Option<u64>,
}

/// Where a file's rows are split in two: the second half starts at byte `at`, after
/// `newlines_before` line breaks; the rows start after `newlines_before_body`.
struct Split {
    at: u64,
    newlines_before_body: u64,
    newlines_before: u64,
}

/// A CSV reader over bytes `from..to` of the file (whole rows, no header), counting lines
/// from `newlines` line breaks before `from`.
fn part_reader(
    path: &Path,
    from: u64,
    to: u64,
    newlines: u64,
) -> std::io::Result<csv::Reader<Lines<PartSource>>> {
    let mut file = File::open(path)?;
    file.seek(SeekFrom::Start(from))?;
    let source = BufReader::with_capacity(1 << 20, file.take(to - from));
    Ok(csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .from_reader(Lines::after(source, newlines)))
}

type PartSource = BufReader<std::io::Take<File>>;

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
                if record.len() != shape.names.len() {
                    errors.push(shape.error(
                        line,
                        None,
                        Problem::Ragged { expected: shape.names.len(), found: record.len() },
                    ));
                    continue;
                }
                each(&Row { table: shape, record: &record, line }, errors);
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

/// What a row needs of its table to read its cells and place its errors.
pub struct Shape {
    path: PathBuf,
    /// For each schema column, its field position in the file, if present.
    positions: Vec<Option<usize>>,
    names: Vec<String>,
}

/// One data row of a [`Table`].
pub struct Row<'t> {
    table: &'t Shape,
    record: &'t ByteRecord,
    pub line: u64,
}

impl Row<'_> {
    /// The value of a schema column: `Ok(None)` when the column is absent or the cell empty.
    pub fn get(&self, column: usize) -> Result<Option<&str>, DataError> {
        let Some(pos) = self.table.positions[column] else {
            return Ok(None);
        };
        let field = self.record[pos].trim_ascii();
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
