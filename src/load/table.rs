//! Reading one CSV file as a table: the header mapped to known columns, and each row's
//! fields checked for shape and UTF-8, with the line and column kept for error messages.

use std::path::{Path, PathBuf};

use csv::ByteRecord;

use super::error::{DataError, Location, Problem};

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

/// A CSV file held in memory, with its header resolved against a [`Schema`].
pub struct Table {
    path: PathBuf,
    bytes: Vec<u8>,
    /// For each schema column, its field position in the file, if present.
    positions: Vec<Option<usize>>,
    names: Vec<String>,
}

impl Table {
    /// Reads `path` and maps its header. Problems with the file as a whole (unreadable,
    /// empty, bad header) are returned as errors: no row can be read then.
    pub fn open(path: &Path, schema: &Schema) -> Result<Table, DataError> {
        let at = |problem| DataError {
            location: Box::new(Location { file: path.to_path_buf(), line: None, column: None }),
            problem,
        };
        let mut bytes = std::fs::read(path).map_err(|e| at(Problem::Io(e.to_string())))?;
        if bytes.starts_with(b"\xEF\xBB\xBF") {
            bytes.drain(..3);
        }
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(at(Problem::EmptyFile { required: schema.required }));
        }
        let mut reader = reader(&bytes);
        let header = reader.byte_headers().map_err(|e| at(Problem::Csv(e.to_string())))?.clone();
        let header_line = DataError {
            location: Box::new(Location { file: path.to_path_buf(), line: Some(1), column: None }),
            problem: Problem::Missing,
        };
        let mut names = Vec::with_capacity(header.len());
        for (i, field) in header.iter().enumerate() {
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
        Ok(Table { path: path.to_path_buf(), bytes, positions, names })
    }

    /// Calls `each` for every data row. Rows whose shape is wrong (ragged, or not CSV) are
    /// reported to `errors` and skipped.
    pub fn rows(&self, errors: &mut Vec<DataError>, mut each: impl FnMut(&Row<'_>, &mut Vec<DataError>)) {
        let mut reader = reader(&self.bytes);
        let mut record = ByteRecord::new();
        let mut lines = LineCounter::default();
        loop {
            match reader.read_byte_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {
                    let line = record.position().map_or(0, |p| lines.line_at(&self.bytes, p.byte()));
                    if record.len() != self.names.len() {
                        errors.push(self.error(
                            line,
                            None,
                            Problem::Ragged { expected: self.names.len(), found: record.len() },
                        ));
                        continue;
                    }
                    each(&Row { table: self, record: &record, line }, errors);
                }
                Err(e) => {
                    let line = e.position().map(|p| lines.line_at(&self.bytes, p.byte()));
                    errors.push(DataError {
                        location: Box::new(Location { file: self.path.clone(), line, column: None }),
                        problem: Problem::Csv(e.to_string()),
                    });
                    if !matches!(
                        e.kind(),
                        csv::ErrorKind::UnequalLengths { .. } | csv::ErrorKind::Utf8 { .. }
                    ) {
                        break;
                    }
                }
            }
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

/// Line numbers from byte offsets. The csv crate's own line count is off in files with CRLF
/// line ends and after blank lines (rust-csv#395), and error messages and implicit relation
/// ids must name the line an editor shows. Offsets only grow, so counting is incremental:
/// O(n) over a whole file.
#[derive(Default)]
struct LineCounter {
    offset: usize,
    newlines: u64,
}

impl LineCounter {
    /// The 1-based line of the record that the reader says starts at `offset`. The reader's
    /// offset can point at the line break before the record (the `\n` of a CRLF, or a blank
    /// line), so line breaks there are skipped first: no record starts with one.
    fn line_at(&mut self, bytes: &[u8], offset: u64) -> u64 {
        let mut offset = (offset as usize).min(bytes.len());
        while offset < bytes.len() && matches!(bytes[offset], b'\r' | b'\n') {
            offset += 1;
        }
        if offset < self.offset {
            *self = LineCounter::default();
        }
        self.newlines += bytes[self.offset..offset].iter().filter(|&&b| b == b'\n').count() as u64;
        self.offset = offset;
        self.newlines + 1
    }
}

fn reader(bytes: &[u8]) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).from_reader(bytes)
}

/// One data row of a [`Table`].
pub struct Row<'t> {
    table: &'t Table,
    record: &'t ByteRecord,
    pub line: u64,
}

impl Row<'_> {
    /// The value of a schema column: `Ok(None)` when the column is absent or the cell empty.
    pub fn get(&self, column: usize) -> Result<Option<&str>, DataError> {
        let Some(pos) = self.table.positions[column] else {
            return Ok(None);
        };
        let field = &self.record[pos];
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
