//! README.md's examples, run: every ```text block that opens with a `$ ` line is a transcript
//! of commands on the shipped data, and each `$ georel …` in it must print what follows it.
//!
//! All the blocks run in README order in one temporary work directory, as a reader following
//! the README in one folder would (the `index --data gdelt` example uses the folder an earlier
//! block imported). A command without `--data` gets `--data` pointing at the repository's
//! `data/`, whose path is written back as `data` in the output. `tests/` is linked into the
//! work directory so that the import examples read `tests/data/…` by the path the README shows.
//!
//! The expected text is the command's stdout followed by its stderr (a block shows stderr
//! where the command writes there, e.g. the `georel:` lines). Two shorthands are understood:
//! a line ending in `[…]` matches any line that starts with the text before it, and a line
//! that is only `…` matches any number of lines (none included). A pipe into `cut -d, -fLIST`
//! is applied to the output; any other shell construct must be listed in [`SKIPPED`]. Files an
//! example needs that no earlier one writes (the bad dataset of the error example) are in
//! [`SETUP`].

use crate::harness::{shipped_data_dir, Workdir, BIN};
use std::path::Path;
use std::process::Command;

/// Commands of README.md (as written after `$ `) that are not run, and why. A command not
/// listed here is run and compared; a listed one that is no longer in README.md fails the test,
/// so that the list stays true.
const SKIPPED: &[(&str, &str)] = &[(
    "for d in 2025-11-10 2025-11-11 2025-11-13 2025-12-01; do",
    "a shell loop with grep and cut, and day comments added by hand to its output; \
         tests/cli/shipped_data.rs checks these relations and their contested flags day by day",
)];

/// Files a README command needs that no earlier example makes: the bad dataset of the error
/// example, written into the work directory before the command runs. Its three rows hold the
/// five problems the README lists, and no other.
const SETUP: &[(&str, &[(&str, &str)])] = &[(
    "georel check --data bad/",
    &[
        (
            "bad/actors.csv",
            "id,name,kind,parent,aliases\nUSA,United States,country,,\nCOL,Colombia,country,,\n",
        ),
        (
            "bad/sources.csv",
            "id,title,publisher,published,url,reliability\nS1,A report,A publisher,2025-11-12,,B\n",
        ),
        (
            "bad/relations.csv",
            "id,source,target,kind,start,end,directed,evidence,claimant,credibility,summary\n\
             R1,USA,USSR,dispute,1962-10-16,,,S1,,2,\n\
             R2,COL,USA,alliance,2025-13-01,,,S1,,2,\n\
             R1,COL,USA,restriction,2025-11-13,2025-11-01,,S1,,2,\n",
        ),
    ],
)];

/// One `$ …` line of a block and the lines shown after it.
struct Example {
    /// The README line number of the `$` line.
    line: usize,
    command: String,
    expected: Vec<String>,
}

/// Every command of the README's ```text blocks that open with `$ `, in order.
fn examples(readme: &str) -> Vec<Example> {
    let mut examples = Vec::new();
    let mut lines = readme.lines().enumerate();
    while let Some((_, line)) = lines.next() {
        if line.trim_end() != "```text" {
            continue;
        }
        let mut block = Vec::new();
        for (n, line) in lines.by_ref() {
            if line.starts_with("```") {
                break;
            }
            block.push((n + 1, line));
        }
        if !block.first().is_some_and(|(_, l)| l.starts_with("$ ")) {
            continue;
        }
        for (n, line) in block {
            match line.strip_prefix("$ ") {
                Some(command) => {
                    examples.push(Example { line: n, command: command.to_string(), expected: Vec::new() })
                }
                None => examples.last_mut().unwrap().expected.push(line.to_string()),
            }
        }
    }
    for example in &mut examples {
        // The blank line that separates two commands of a block is not output.
        while example.expected.last().is_some_and(|l| l.is_empty()) {
            example.expected.pop();
        }
    }
    examples
}

/// Splits a command line as a shell would for the simple commands the README shows: words,
/// single- or double-quoted words, `|`, and a `#` comment to the end of the line.
fn words(command: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut chars = command.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        match chars.peek() {
            None | Some('#') => return words,
            Some('|') => {
                chars.next();
                words.push("|".to_string());
                continue;
            }
            _ => {}
        }
        let mut word = String::new();
        while let Some(&c) = chars.peek() {
            if c.is_whitespace() || c == '|' {
                break;
            }
            chars.next();
            if c == '"' || c == '\'' {
                for q in chars.by_ref() {
                    if q == c {
                        break;
                    }
                    word.push(q);
                }
            } else {
                assert!(
                    !"<>;&$`\\*?".contains(c),
                    "`{command}`: `{c}` is not understood; list the command in SKIPPED"
                );
                word.push(c);
            }
        }
        words.push(word);
    }
}

/// `cut -d, -fLIST` on one line: LIST is fields and ranges (`1,4`, `1-8`, `3-`), from 1.
fn cut(line: &str, list: &str) -> String {
    let fields: Vec<&str> = line.split(',').collect();
    let wanted = |i: usize| {
        list.split(',').any(|part| match part.split_once('-') {
            Some((a, b)) => {
                let a = if a.is_empty() { 1 } else { a.parse().unwrap() };
                let b = if b.is_empty() { usize::MAX } else { b.parse().unwrap() };
                (a..=b).contains(&i)
            }
            None => part.parse::<usize>().unwrap() == i,
        })
    };
    let kept: Vec<&str> = fields.iter().enumerate().filter(|(i, _)| wanted(i + 1)).map(|(_, f)| *f).collect();
    kept.join(",")
}

/// Whether `actual` matches `expected` with the shorthands `…` (any lines) and `[…]` (the rest
/// of the line).
fn matches(expected: &[String], actual: &[String]) -> bool {
    match expected.split_first() {
        None => actual.is_empty(),
        Some((e, rest)) if e.trim() == "…" => (0..=actual.len()).any(|skip| matches(rest, &actual[skip..])),
        Some((e, rest)) => {
            let Some((a, actual_rest)) = actual.split_first() else { return false };
            let line_matches = match e.split_once("[…]") {
                Some((before, after)) => {
                    a.starts_with(before) && a.len() >= before.len() + after.len() && a.ends_with(after)
                }
                None => e == a,
            };
            line_matches && matches(rest, actual_rest)
        }
    }
}

/// Runs one README command in `wd`; returns its output as lines (stdout, then stderr) and a
/// description of how it ended.
fn run(wd: &Workdir, data: &Path, command: &str) -> (Vec<String>, String) {
    let words = words(command);
    let mut stages = words.split(|w| w == "|");
    let georel = stages.next().unwrap();
    assert_eq!(georel[0], "georel", "`{command}`: only georel commands are run; list it in SKIPPED");
    let mut args: Vec<String> = georel[1..].to_vec();
    // import and bench read the files they are given, and refuse --data.
    let reads_data = !matches!(args.first().map(String::as_str), Some("import" | "bench"));
    if reads_data && !args.iter().any(|a| a == "--data" || a.starts_with("--data=")) {
        args.splice(0..0, ["--data".to_string(), data.to_string_lossy().into_owned()]);
    }
    let out = Command::new(BIN)
        .args(&args)
        .current_dir(wd.path())
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .output()
        .unwrap_or_else(|e| panic!("cannot run {BIN}: {e}"));
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    let text = wd.normalise(&text.replace(&*data.to_string_lossy(), "data"));
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    for stage in stages {
        match stage.iter().map(String::as_str).collect::<Vec<_>>()[..] {
            ["cut", "-d,", fields] if fields.starts_with("-f") => {
                lines = lines.iter().map(|l| cut(l, &fields[2..])).collect();
            }
            _ => panic!("`{command}`: `{}` is not understood; list the command in SKIPPED", stage.join(" ")),
        }
    }
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    (lines, format!("exit code {:?}", out.status.code()))
}

#[test]
fn readme_examples_print_what_the_readme_shows() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let examples = examples(&readme);
    assert!(examples.len() >= 10, "README.md's examples were not found: {}", examples.len());

    for listed in SKIPPED.iter().map(|(c, _)| c).chain(SETUP.iter().map(|(c, _)| c)) {
        assert!(
            examples.iter().any(|e| e.command == *listed),
            "SKIPPED or SETUP lists `{listed}`, which is no longer a `$` line of README.md"
        );
    }

    let wd = Workdir::new();
    std::os::unix::fs::symlink(root.join("tests"), wd.path().join("tests")).unwrap();
    let data = shipped_data_dir();
    let mut failures = Vec::new();
    let mut run_count = 0;
    for example in &examples {
        if SKIPPED.iter().any(|(c, _)| *c == example.command) {
            continue;
        }
        for (_, files) in SETUP.iter().filter(|(c, _)| *c == example.command) {
            for (name, contents) in *files {
                wd.write(name, contents);
            }
        }
        let (actual, status) = run(&wd, &data, &example.command);
        run_count += 1;
        if !matches(&example.expected, &actual) {
            failures.push(format!(
                "README.md:{}: $ {}\n--- README shows ---\n{}\n--- georel prints ({status}) ---\n{}\n",
                example.line,
                example.command,
                example.expected.join("\n"),
                actual.join("\n")
            ));
        }
    }
    assert!(run_count > 0);
    assert!(failures.is_empty(), "{} README example(s) differ:\n\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn the_shorthands_match_what_they_should_and_nothing_else() {
    let lines = |s: &str| s.lines().map(str::to_string).collect::<Vec<_>>();
    assert!(matches(&lines("a\nb [the rest]"), &lines("a\nb [the rest]")));
    assert!(matches(&lines("a\nb […]"), &lines("a\nb and more")));
    assert!(!matches(&lines("a\nb […]"), &lines("a\nc and more")));
    assert!(!matches(&lines("a\nb"), &lines("a\nb\nc")));
    assert!(!matches(&lines("a\nb\nc"), &lines("a\nb")));
    assert!(matches(&lines("a\n…\nd"), &lines("a\nb\nc\nd")));
    assert!(matches(&lines("a\n…\nd"), &lines("a\nd")));
    assert!(!matches(&lines("a\n…\nd"), &lines("a\nb\nc")));
    assert_eq!(cut("a,b,c,d,e", "1,4-"), "a,d,e");
    assert_eq!(cut("a,b,c,d,e", "1-3"), "a,b,c");
    assert_eq!(
        words(r#"georel neighbours "five eyes" --at 2025 | cut -d, -f1  # note"#),
        ["georel", "neighbours", "five eyes", "--at", "2025", "|", "cut", "-d,", "-f1"]
    );
}
