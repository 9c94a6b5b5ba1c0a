//! How georel writes files: default names, interrupted writes, concurrent runs, and never
//! replacing the input dataset.

use crate::harness::Workdir;

/// Regression: a 300-character actor id made the default output name longer than a file
/// name may be (exit 2, "File name too long").
#[test]
fn a_long_actor_id_gets_a_shortened_default_name() {
    let wd = Workdir::new();
    let long = "A".repeat(300);
    wd.write("data/relations.csv", format!("source,target,kind,start\n{long},B,cooperation,2020\n"));
    let (out, _) = wd.run_code(&["path", &long, "B", "--at", "2021", "--format", "csv"], 0);
    let names = wd.list("output");
    assert_eq!(names.len(), 1, "{names:?}");
    let name = &names[0];
    assert!(name.len() <= 200 && name.starts_with("path-AAAA") && name.ends_with(".csv"), "{name}");
    assert_eq!(out, format!("wrote output/{name}\n"));
    // The same question gets the same name.
    wd.run_code(&["path", &long, "B", "--at", "2021", "--format", "csv"], 0);
    assert_eq!(wd.list("output"), names);
}
