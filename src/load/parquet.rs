//! Relations from a Parquet file (`relations.parquet`: what Spark, DuckDB and BigQuery write),
//! by the one reading rule of relations.csv: each cell is turned into the text a CSV cell
//! would hold, and each row is then checked by the very code that checks a CSV row.
//!
//! The rule, per Parquet type: a string (or plain byte array, which must be UTF-8) is its
//! text; a boolean `true` or `false`; a whole number (8 to 64 bits, signed or not) its
//! decimal digits; a date `YYYY-MM-DD`; a null an empty cell. Any other type (floating
//! point, decimal, time, timestamp, a list or a group) is refused for a column georel reads,
//! naming the column; columns georel does not know are ignored, as in CSV. Columns are
//! matched by name as a CSV header is. Rows are numbered as a spreadsheet shows them (the
//! first row of data is row 2, the line it would have in relations.csv), which is also the
//! implicit id of a relation in a file without an `id` column.

use std::path::Path;
use std::sync::Arc;

use parquet::basic::{ConvertedType, LogicalType, Repetition, Type as Physical};
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::Field;
use parquet::schema::types::Type;

use super::digest::Piece;
use super::error::{DataError, Location, Problem};
use super::table::{resolve, PartRows, Row, Schema, Shape};

/// Reads the rows of the Parquet file at `path` into `state` through `each` (as
/// [`super::table::Table::rows_in_parts`] does for a CSV file, in one part), with the key of
/// the bytes read when `hash`.
///
/// # Errors
/// A problem with the file as a whole (unreadable, not Parquet, a missing or misspelt column,
/// a column of a type georel does not read): no row can be read then.
pub(super) fn rows<S>(
    path: &Path,
    schema: &Schema,
    hash: bool,
    mut state: S,
    mut each: impl FnMut(&mut S, &Row<'_>, &mut Vec<DataError>),
) -> Result<(PartRows<S>, Shape), DataError> {
    let at = |column: Option<(usize, String)>, problem| DataError {
        location: Box::new(Location { file: path.to_path_buf(), line: None, column }),
        problem,
    };
    let bytes = std::fs::read(path).map_err(|e| at(None, Problem::Io(e.to_string())))?;
    // The key of exactly the bytes parsed: they are in memory, read once.
    let key = hash.then(|| {
        let mut piece = Piece::at(0);
        piece.feed(&bytes);
        piece.key()
    });
    let reader = SerializedFileReader::new(bytes::Bytes::from(bytes))
        .map_err(|e| at(None, Problem::Parquet(e.to_string())))?;
    let root = reader.metadata().file_metadata().schema_descr().root_schema();
    let (root_name, fields): (String, Vec<Arc<Type>>) = (root.name().to_string(), root.get_fields().to_vec());
    let names: Vec<String> = fields.iter().map(|f| f.name().to_string()).collect();
    let positions = resolve(path, None, &names, schema)?;
    // The columns read, in file order, each with its place among the file's columns.
    let mut read: Vec<usize> = positions.iter().flatten().copied().collect();
    read.sort_unstable();
    for &i in &read {
        if let Some(found) = unreadable(&fields[i]) {
            return Err(at(Some((i + 1, names[i].clone())), Problem::ParquetType { found }));
        }
    }
    let projection = Type::group_type_builder(&root_name)
        .with_fields(read.iter().map(|&i| fields[i].clone()).collect())
        .build()
        .map_err(|e| at(None, Problem::Parquet(e.to_string())))?;
    let shape = Shape::new(path, names, positions, key.flatten());
    let mut errors = Vec::new();
    let rows =
        reader.get_row_iter(Some(projection)).map_err(|e| at(None, Problem::Parquet(e.to_string())))?;
    let mut values: Vec<Option<String>> = vec![None; shape_len(&read, &fields)];
    for (n, row) in rows.enumerate() {
        let line = n as u64 + 2;
        let row = match row {
            Ok(row) => row,
            Err(e) => {
                errors.push(DataError {
                    location: Box::new(Location { file: path.to_path_buf(), line: Some(line), column: None }),
                    problem: Problem::Parquet(e.to_string()),
                });
                break;
            }
        };
        let mut bad = false;
        for (&i, (_, field)) in read.iter().zip(row.get_column_iter()) {
            match text(field) {
                Ok(value) => values[i] = value,
                Err(problem) => {
                    errors.push(DataError {
                        location: Box::new(Location {
                            file: path.to_path_buf(),
                            line: Some(line),
                            column: Some((i + 1, fields[i].name().to_string())),
                        }),
                        problem,
                    });
                    bad = true;
                }
            }
        }
        if !bad {
            each(&mut state, &Row::of_values(&shape, &values, line), &mut errors);
        }
    }
    Ok((PartRows { state, errors, lines_before: 0 }, shape))
}

/// How many cells a row has: one per column of the file (those not read stay empty).
fn shape_len(read: &[usize], fields: &[Arc<Type>]) -> usize {
    read.iter().max().map_or(0, |&i| i + 1).max(fields.len())
}

/// Why a column cannot be read as text by the rule (its type, in words), or `None`.
fn unreadable(field: &Type) -> Option<String> {
    let info = field.get_basic_info();
    if !field.is_primitive() {
        return Some("group (a struct, list or map)".into());
    }
    if info.has_repetition() && info.repetition() == Repetition::REPEATED {
        return Some("repeated (a list)".into());
    }
    let physical = field.get_physical_type();
    let logical = info.logical_type_ref();
    let converted = info.converted_type();
    let ok = match physical {
        Physical::BOOLEAN => true,
        Physical::INT32 | Physical::INT64 => match logical {
            Some(LogicalType::Integer { .. } | LogicalType::Date) => true,
            Some(_) => false,
            None => matches!(
                converted,
                ConvertedType::NONE
                    | ConvertedType::INT_8
                    | ConvertedType::INT_16
                    | ConvertedType::INT_32
                    | ConvertedType::INT_64
                    | ConvertedType::UINT_8
                    | ConvertedType::UINT_16
                    | ConvertedType::UINT_32
                    | ConvertedType::UINT_64
                    | ConvertedType::DATE
            ),
        },
        Physical::BYTE_ARRAY => match logical {
            Some(LogicalType::String | LogicalType::Enum | LogicalType::Json) => true,
            Some(_) => false,
            None => matches!(
                converted,
                ConvertedType::NONE | ConvertedType::UTF8 | ConvertedType::ENUM | ConvertedType::JSON
            ),
        },
        _ => false,
    };
    if ok {
        return None;
    }
    Some(match logical {
        Some(l) => format!("{physical} ({l:?})"),
        None if converted != ConvertedType::NONE => format!("{physical} ({converted})"),
        None => physical.to_string(),
    })
}

/// A cell's text by the rule; `None` for a null.
fn text(field: &Field) -> Result<Option<String>, Problem> {
    Ok(Some(match field {
        Field::Null => return Ok(None),
        Field::Bool(b) => b.to_string(),
        Field::Byte(n) => n.to_string(),
        Field::Short(n) => n.to_string(),
        Field::Int(n) => n.to_string(),
        Field::Long(n) => n.to_string(),
        Field::UByte(n) => n.to_string(),
        Field::UShort(n) => n.to_string(),
        Field::UInt(n) => n.to_string(),
        Field::ULong(n) => n.to_string(),
        Field::Str(s) => s.clone(),
        Field::Bytes(b) => match std::str::from_utf8(b.data()) {
            Ok(s) => s.to_string(),
            Err(e) => {
                return Err(Problem::NotUtf8 { byte: e.valid_up_to() + 1, value: b.data()[e.valid_up_to()] })
            }
        },
        Field::Date(days) => date(*days),
        other => return Err(Problem::ParquetType { found: format!("{other:?}") }),
    }))
}

/// A day count since 1970-01-01 as `YYYY-MM-DD`; years outside 0..=9999 are written as they
/// are, and the date check then says what is wrong.
fn date(days: i32) -> String {
    let (y, m, d) = crate::date::civil_from_days(i64::from(days));
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_from_day_counts() {
        assert_eq!(date(0), "1970-01-01");
        assert_eq!(date(-1), "1969-12-31");
        assert_eq!(date(18_193), "2019-10-24");
        assert_eq!(date(11_016), "2000-02-29");
    }
}
