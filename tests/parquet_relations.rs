//! relations.parquet is read by relations.csv's rule: random rows (valid or not) written as CSV
//! and as Parquet load to the same dataset, or fail with the same problems at the same rows
//! and columns. And typed Parquet columns (booleans, whole numbers, dates) read as their text.

use std::fs::File;
use std::path::Path;
use std::sync::Arc;

use parquet::basic::{ConvertedType, LogicalType, Repetition, Type as Physical};
use parquet::data_type::{BoolType, ByteArray, ByteArrayType, DoubleType, Int32Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::{SerializedFileWriter, SerializedRowGroupWriter as RowGroupWriter};
use parquet::schema::types::Type;
use proptest::prelude::*;
use proptest::sample::select;

/// A column of a test file: its values as text (`None`: null in Parquet, an empty cell in CSV).
#[derive(Debug, Clone)]
struct Column {
    name: String,
    cells: Vec<Option<String>>,
}

fn string_type(name: &str) -> Type {
    Type::primitive_type_builder(name, Physical::BYTE_ARRAY)
        .with_repetition(Repetition::OPTIONAL)
        .with_converted_type(ConvertedType::UTF8)
        .build()
        .unwrap()
}

/// Writes the columns as a Parquet file of string columns (in two row groups, when there are
/// rows enough, so that reading crosses one).
fn write_parquet(path: &Path, columns: &[Column]) {
    let fields = columns.iter().map(|c| Arc::new(string_type(&c.name))).collect();
    let schema = Arc::new(Type::group_type_builder("schema").with_fields(fields).build().unwrap());
    let file = std::fs::File::create(path).unwrap();
    let props = Arc::new(WriterProperties::builder().build());
    let mut writer = SerializedFileWriter::new(file, schema, props).unwrap();
    let rows = columns.first().map_or(0, |c| c.cells.len());
    let cut = rows / 2;
    for range in [0..cut, cut..rows] {
        if range.is_empty() && rows > 0 {
            continue;
        }
        let mut group = writer.next_row_group().unwrap();
        for column in columns {
            let cells = &column.cells[range.clone()];
            let values: Vec<ByteArray> =
                cells.iter().flatten().map(|s| ByteArray::from(s.as_str())).collect();
            let levels: Vec<i16> = cells.iter().map(|c| i16::from(c.is_some())).collect();
            let mut col = group.next_column().unwrap().unwrap();
            col.typed::<ByteArrayType>().write_batch(&values, Some(&levels), None).unwrap();
            col.close().unwrap();
        }
        group.close().unwrap();
    }
    writer.close().unwrap();
}

/// Writes DIR/relations.parquet of one row: the string columns source, target and kind (USA,
/// RUS, dispute), then whatever `rest` writes into the row group for the other `fields`.
fn one_dispute(
    dir: &Path,
    schema: &str,
    fields: Vec<Arc<Type>>,
    rest: impl FnOnce(&mut RowGroupWriter<'_, File>),
) {
    let schema = Arc::new(Type::group_type_builder(schema).with_fields(fields).build().unwrap());
    let file = File::create(dir.join("relations.parquet")).unwrap();
    let mut writer =
        SerializedFileWriter::new(file, schema, Arc::new(WriterProperties::builder().build())).unwrap();
    let mut group = writer.next_row_group().unwrap();
    for text in ["USA", "RUS", "dispute"] {
        let mut col = group.next_column().unwrap().unwrap();
        col.typed::<ByteArrayType>().write_batch(&[ByteArray::from(text)], Some(&[1]), None).unwrap();
        col.close().unwrap();
    }
    rest(&mut group);
    group.close().unwrap();
    writer.close().unwrap();
}

/// Writes the same columns as CSV: a null and an empty string are both an empty cell.
fn write_csv(path: &Path, columns: &[Column]) {
    let mut w = csv::Writer::from_path(path).unwrap();
    w.write_record(columns.iter().map(|c| c.name.as_str())).unwrap();
    let rows = columns.first().map_or(0, |c| c.cells.len());
    for i in 0..rows {
        w.write_record(columns.iter().map(|c| c.cells[i].as_deref().unwrap_or(""))).unwrap();
    }
    w.flush().unwrap();
}

/// The outcome of a load, without the file's name: the dataset, or each problem with its row
/// (line), column and text. A problem of CSV's header (line 1) is one of the file's columns
/// in Parquet, which has no header row: no line.
fn outcome(dir: &Path) -> Result<String, Vec<ProblemAt>> {
    match georel::load::load(dir) {
        Ok(ds) => Ok(format!("{:?}\n{:?}\n{:?}", ds.actors, ds.sources, ds.relations)),
        Err(errors) => Err(errors
            .0
            .into_iter()
            .map(|e| (e.location.line.filter(|&l| l > 1), e.location.column.clone(), e.problem.to_string()))
            .collect()),
    }
}

/// Loads the columns written as relations.csv in one folder and as relations.parquet in
/// another, with the same actors.csv and sources.csv beside each when given.
fn both(
    columns: &[Column],
    actors: Option<&str>,
) -> (Result<String, Vec<ProblemAt>>, Result<String, Vec<ProblemAt>>) {
    let csv_dir = tempfile::tempdir().unwrap();
    let parquet_dir = tempfile::tempdir().unwrap();
    write_csv(&csv_dir.path().join("relations.csv"), columns);
    write_parquet(&parquet_dir.path().join("relations.parquet"), columns);
    if let Some(actors) = actors {
        for dir in [csv_dir.path(), parquet_dir.path()] {
            std::fs::write(dir.join("actors.csv"), actors).unwrap();
            std::fs::write(dir.join("sources.csv"), "id,title\nS1,One\nS2,Two\n").unwrap();
        }
    }
    (outcome(csv_dir.path()), outcome(parquet_dir.path()))
}

type ProblemAt = (Option<u64>, Option<(usize, String)>, String);

const ACTORS: &str =
    "id,name,kind\nUSA,United States,country\nRUS,Russia,country\nNATO,NATO,alliance\nCIA,CIA,agency\n";

/// Cells of each column: valid values, near misses and hazards (no line breaks: a CSV cell
/// with one spans lines, and its row's number would no longer be the Parquet row's).
fn cell(column: &str) -> impl Strategy<Value = Option<String>> {
    let values: Vec<&str> = match column {
        "id" => vec!["r1", "r2", "r1", " r3 ", "2", "x,y", "say \"hi\""],
        "source" | "target" | "claimant" => vec!["USA", "RUS", "NATO", "CIA", "usa", " USA ", "XYZ", "日本"],
        "kind" => vec!["cooperation", "dispute", "restriction", "membership", "Cooperation", "war"],
        "start" | "end" => vec!["2020", "2020-05", "2020-05-17", "2021", "2019-02-30", "2020/01/01", "soon"],
        "directed" => vec!["true", "false", "TRUE", "yes"],
        "evidence" => vec!["S1", "S1;S2", " S2 ; S1 ", "S3", ";"],
        "summary" => vec!["talks", "a, b", "\"quoted\"", "é 🌍", "=cmd", "\t tab"],
        "credibility" => vec!["1", "6", "7", "x"],
        _ => vec!["anything", "1.5"],
    };
    prop_oneof![
        3 => select(values).prop_map(|v| Some(v.to_string())),
        1 => Just(None),
        1 => Just(Some(String::new())),
    ]
}

fn table() -> impl Strategy<Value = (Vec<Column>, bool)> {
    let all = [
        "id",
        "source",
        "target",
        "kind",
        "start",
        "end",
        "directed",
        "evidence",
        "summary",
        "claimant",
        "credibility",
        "notes",
    ];
    (proptest::sample::subsequence(all.to_vec(), 0..=all.len()).prop_shuffle(), 0usize..12, any::<bool>())
        .prop_flat_map(|(names, rows, with_actors)| {
            let columns: Vec<_> = names
                .iter()
                .map(|&name| {
                    proptest::collection::vec(cell(name), rows)
                        .prop_map(move |cells| Column { name: name.to_string(), cells })
                })
                .collect();
            (columns, Just(with_actors))
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// The one reading rule: the same rows give the same dataset, or the same problems.
    #[test]
    fn parquet_reads_as_csv((columns, with_actors) in table()) {
        let (csv, parquet) = both(&columns, with_actors.then_some(ACTORS));
        prop_assert_eq!(parquet, csv);
    }
}

/// Rows that load, to be sure the property is not only about errors.
#[test]
fn a_valid_file_loads_alike() {
    let columns = vec![
        Column { name: "source".into(), cells: vec![Some("USA".into()), Some("CIA".into())] },
        Column { name: "target".into(), cells: vec![Some("RUS".into()), Some(" USA ".into())] },
        Column { name: "kind".into(), cells: vec![Some("dispute".into()), Some("cooperation".into())] },
        Column { name: "start".into(), cells: vec![Some("2020".into()), Some("2020-05-17".into())] },
        Column { name: "evidence".into(), cells: vec![None, Some(" S2 ; S1 ".into())] },
    ];
    let (csv, parquet) = both(&columns, Some(ACTORS));
    assert!(csv.is_ok(), "{csv:?}");
    assert_eq!(parquet, csv);
}

/// Spark and BigQuery write booleans, whole numbers and dates as such: read as their text.
#[test]
fn typed_columns_read_as_their_text() {
    let dir = tempfile::tempdir().unwrap();
    let typed = |name: &str, physical, logical: Option<LogicalType>| {
        Arc::new(
            Type::primitive_type_builder(name, physical)
                .with_repetition(Repetition::OPTIONAL)
                .with_logical_type(logical)
                .build()
                .unwrap(),
        )
    };
    let fields = vec![
        Arc::new(string_type("source")),
        Arc::new(string_type("target")),
        Arc::new(string_type("kind")),
        typed("start", Physical::INT32, Some(LogicalType::Date)),
        typed("directed", Physical::BOOLEAN, None),
        typed("credibility", Physical::INT32, None),
    ];
    one_dispute(dir.path(), "spark_schema", fields, |group| {
        let mut col = group.next_column().unwrap().unwrap();
        // 2019-10-24 is day 18,193 after 1970-01-01.
        col.typed::<Int32Type>().write_batch(&[18_193], Some(&[1]), None).unwrap();
        col.close().unwrap();
        let mut col = group.next_column().unwrap().unwrap();
        col.typed::<BoolType>().write_batch(&[false], Some(&[1]), None).unwrap();
        col.close().unwrap();
        let mut col = group.next_column().unwrap().unwrap();
        col.typed::<Int32Type>().write_batch(&[2], Some(&[1]), None).unwrap();
        col.close().unwrap();
    });

    let csv_dir = tempfile::tempdir().unwrap();
    std::fs::write(
        csv_dir.path().join("relations.csv"),
        "source,target,kind,start,directed,credibility\nUSA,RUS,dispute,2019-10-24,false,2\n",
    )
    .unwrap();
    assert_eq!(outcome(dir.path()), outcome(csv_dir.path()));
    assert!(outcome(dir.path()).is_ok());
}

/// A column of a type the rule does not read is refused, naming the file and the column.
#[test]
fn a_floating_point_column_is_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let fields = vec![
        Arc::new(string_type("source")),
        Arc::new(string_type("target")),
        Arc::new(string_type("kind")),
        Arc::new(
            Type::primitive_type_builder("start", Physical::DOUBLE)
                .with_repetition(Repetition::OPTIONAL)
                .build()
                .unwrap(),
        ),
    ];
    one_dispute(dir.path(), "schema", fields, |group| {
        let mut col = group.next_column().unwrap().unwrap();
        col.typed::<DoubleType>().write_batch(&[2019.5], Some(&[1]), None).unwrap();
        col.close().unwrap();
    });
    let err = georel::load::load(dir.path()).unwrap_err().to_string();
    assert!(err.contains("relations.parquet: column start: the column has Parquet type DOUBLE"), "{err}");
}

/// A bad cell is placed at its row, numbered as a spreadsheet shows it, and its column.
#[test]
fn a_bad_cell_names_its_row_and_column() {
    let columns = vec![
        Column { name: "source".into(), cells: vec![Some("USA".into()), Some("USA".into())] },
        Column { name: "target".into(), cells: vec![Some("RUS".into()), Some("RUS".into())] },
        Column { name: "kind".into(), cells: vec![Some("dispute".into()), Some("war".into())] },
        Column { name: "start".into(), cells: vec![Some("2020".into()), Some("2020".into())] },
    ];
    let dir = tempfile::tempdir().unwrap();
    write_parquet(&dir.path().join("relations.parquet"), &columns);
    let err = georel::load::load(dir.path()).unwrap_err().to_string();
    assert!(err.contains("relations.parquet: row 3, column kind: invalid value \"war\""), "{err}");
}

/// Which of two relation files is current cannot be told: refused.
#[test]
fn a_folder_with_both_relation_files_is_refused() {
    let columns = vec![
        Column { name: "source".into(), cells: vec![Some("USA".into())] },
        Column { name: "target".into(), cells: vec![Some("RUS".into())] },
        Column { name: "kind".into(), cells: vec![Some("dispute".into())] },
        Column { name: "start".into(), cells: vec![Some("2020".into())] },
    ];
    let dir = tempfile::tempdir().unwrap();
    write_parquet(&dir.path().join("relations.parquet"), &columns);
    write_csv(&dir.path().join("relations.csv"), &columns);
    let err = georel::load::load(dir.path()).unwrap_err().to_string();
    assert!(err.contains("holds relations.csv or relations.parquet, not both"), "{err}");
}
