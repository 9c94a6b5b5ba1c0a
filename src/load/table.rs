//! Reading one CSV file as a table: the header mapped to known columns, and each row's
//! fields checked for shape and UTF-8, with the line and column kept for error messages.

use std::fs::File;
use std::io::{BufReader, Cursor, Read};
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
        if first.starts_with(b"\xEF\xBB\xBF") {
            first.drain(..3);
        }
        if first.len() < FIRST_CHUNK - 3 && first.iter().all(u8::is_ascii_whitespace) {
            return Err(at(Problem::EmptyFile { required: schema.required }));
        }
        // Rows are about as long in the rest of the file as in its first chunk.
        let file_len = file.metadata().map_or(0, |m| m.len()) as usize;
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
        Ok(Table { path: path.to_path_buf(), reader, estimated_rows, positions, names })
    }

    /// Calls `each` for every data row. Rows whose shape is wrong (ragged, or not CSV) are
    /// reported to `errors` and skipped.
    /// About how many rows the file has (for reserving memory once rather than growing).
    pub fn estimated_rows(&self) -> usize {
        self.estimated_rows
    }

    pub fn rows(mut self, errors: &mut Vec<DataError>, mut each: impl FnMut(&Row<'_>, &mut Vec<DataError>)) {
        let mut record = ByteRecord::new();
        loop {
            match self.reader.read_byte_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {
                    let start = record.position().map_or(0, csv::Position::byte);
                    let line = self.reader.get_mut().line_at(start);
                    if record.len() != self.names.len() {
                        errors.push(self.error(
                            line,
                            None,
                            Problem::Ragged { expected: self.names.len(), found: record.len() },
                        ));
                        continue;
                    }
                    each(&Row { table: &self, record: &record, line }, errors);
                }
                Err(e) => {
                    let line = e.position().map(|p| self.reader.get_mut().line_at(p.byte()));
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
