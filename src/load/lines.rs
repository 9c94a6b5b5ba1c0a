//! Line numbers for rows read from a stream: the line an editor shows, whatever the line
//! ends (LF, CRLF or CR alone) and blank lines; and the quoted cell left open at the end of
//! the stream, if any.

use std::collections::VecDeque;

/// How the CSV reader that reads through [`Lines`] splits fields: what `Lines` must know to
/// tell a line break that ends a row from one inside a quoted cell.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Dialect {
    pub delimiter: u8,
    /// Whether `"` quotes a cell (the csv crate's `quoting`, on by default).
    pub quoting: bool,
}

impl Dialect {
    /// The csv crate's defaults: comma-separated, quoted with `"`.
    pub(crate) const CSV: Dialect = Dialect { delimiter: b',', quoting: true };
}

/// Where the CSV reader is in a row, as the csv crate's own state machine (csv-core's
/// `NfaState`, with the default `"` quote, doubled to escape it, and CR, LF or CRLF ending a
/// row) has it, reduced to what tells where rows start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Between rows: line breaks here are blank lines, skipped.
    StartRecord,
    /// At the start of a cell: a quote here opens a quoted cell.
    StartField,
    /// In an unquoted cell, or after a quoted one closed: a quote here is text.
    InField,
    InQuotedField,
    /// After a quote in a quoted cell: it closes the cell unless another quote follows.
    AfterQuote,
}

/// A quoted cell not closed by the end of the stream: the CSV reader takes the rest of the
/// file into it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct OpenQuote {
    /// The line of the opening quote.
    pub line: u64,
    /// The 1-based field number of the cell in its row.
    pub field: usize,
    /// The non-blank lines after the quote's line: the rows the cell took in.
    pub rows_after: u64,
}

/// A reader that follows the rows in what it passes on, so that each row read from a CSV
/// file (by the loader, or an importer) is given the line an editor shows. The csv crate's
/// own line count is off after a blank line (which it skips) and with CRLF line ends
/// (rust-csv#395), and it does not count a CR alone as a line end.
///
/// Memory is bounded by the rows not yet asked for ([`Lines::line_at`]), a read-ahead's
/// worth, whatever the length of a cell: the line breaks inside a quoted cell are counted,
/// not kept. (Keeping every break made a 10 MB cell of line breaks take 2 GB.)
pub(crate) struct Lines<R> {
    inner: R,
    dialect: Dialect,
    /// Bytes passed on so far.
    offset: u64,
    state: State,
    /// The line of the next byte.
    line: u64,
    /// Whether the last byte passed on was a CR (a LF after it ends no other line).
    after_cr: bool,
    /// The 1-based field number of the current cell in its row.
    field: usize,
    /// Where each row passed on and not yet asked for starts (its first byte), and its line.
    starts: VecDeque<(u64, u64)>,
    /// The quoted cell being read, and whether a line break has been met since the last
    /// byte of text in it (the next such byte starts a row it takes in).
    open: Option<(OpenQuote, bool)>,
    /// Whether the inner reader has reached its end.
    ended: bool,
}

impl<R> Lines<R> {
    /// A reader of CSV in the csv crate's default dialect.
    pub(crate) fn new(inner: R) -> Lines<R> {
        Lines::with(inner, Dialect::CSV)
    }

    /// A reader of CSV in `dialect`: as the CSV reader reading through it is configured.
    pub(crate) fn with(inner: R, dialect: Dialect) -> Lines<R> {
        Lines {
            inner,
            dialect,
            offset: 0,
            state: State::StartRecord,
            line: 1,
            after_cr: false,
            field: 1,
            starts: VecDeque::new(),
            open: None,
            ended: false,
        }
    }

    /// The 1-based line of the row whose reading started at byte `start`: the line of the
    /// first row that starts at or after it. (The CSV reader starts a row at the end of the
    /// previous one, which may be before a blank line or the LF of a CRLF.) Rows are asked
    /// for in order; those before `start` are dropped.
    pub(crate) fn line_at(&mut self, start: u64) -> u64 {
        while let Some((offset, line)) = self.starts.pop_front() {
            if offset >= start {
                return line;
            }
        }
        self.line
    }

    /// The quoted cell left open at the end of the stream, once all of it has been passed on:
    /// the last row read then holds the rest of the file.
    pub(crate) fn open_quote(&self) -> Option<OpenQuote> {
        self.open.filter(|_| self.ended).map(|(quote, _)| quote)
    }

    /// Bytes passed on so far.
    pub(crate) fn offset(&self) -> u64 {
        self.offset
    }

    /// The state after `b`, read outside quotes: a delimiter starts the next field, a line
    /// break the next record, anything else is text.
    fn unquoted(&mut self, b: u8, delimiter: u8, is_break: bool) -> State {
        if b == delimiter {
            self.field += 1;
            State::StartField
        } else if is_break {
            State::StartRecord
        } else {
            State::InField
        }
    }

    /// Follows `bytes`, which start at `self.offset`.
    fn follow(&mut self, bytes: &[u8]) {
        let Dialect { delimiter, quoting } = self.dialect;
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            // After one byte of text the state is InField or InQuotedField, and further text
            // changes nothing: it is skipped (a fifth of the time of reading a quoted file
            // went to stepping through it byte by byte).
            let text = !(b == delimiter || b == b'\n' || b == b'\r' || (quoting && b == b'"'));
            let is_break = b == b'\n' || b == b'\r';
            match self.state {
                State::StartRecord if is_break => {}
                State::StartRecord | State::StartField => {
                    if self.state == State::StartRecord {
                        self.starts.push_back((self.offset + i as u64, self.line));
                        self.field = 1;
                    }
                    self.state = if quoting && b == b'"' {
                        self.open =
                            Some((OpenQuote { line: self.line, field: self.field, rows_after: 0 }, false));
                        State::InQuotedField
                    } else {
                        self.unquoted(b, delimiter, is_break)
                    };
                }
                State::InField | State::AfterQuote => {
                    self.state = if self.state == State::AfterQuote && b == b'"' {
                        State::InQuotedField
                    } else {
                        self.unquoted(b, delimiter, is_break)
                    };
                    if self.state != State::InQuotedField {
                        self.open = None;
                    }
                }
                State::InQuotedField => {
                    if b == b'"' {
                        self.state = State::AfterQuote;
                    }
                    if let Some((quote, after_break)) = &mut self.open {
                        if is_break {
                            *after_break = true;
                        } else if *after_break {
                            quote.rows_after += 1;
                            *after_break = false;
                        }
                    }
                }
            }
            // A CR ends a line, and so does a LF unless it ends a CRLF.
            if b == b'\r' || (b == b'\n' && !self.after_cr) {
                self.line += 1;
            }
            self.after_cr = b == b'\r';
            i += 1;
            if text {
                i += bytes[i..]
                    .iter()
                    .position(|&b| b == delimiter || b == b'\n' || b == b'\r' || (quoting && b == b'"'))
                    .unwrap_or(bytes.len() - i);
            }
        }
        self.offset += bytes.len() as u64;
    }
}

impl<R: std::io::Read> std::io::Read for Lines<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n == 0 && !buf.is_empty() {
            self.ended = true;
        }
        self.follow(&buf[..n]);
        Ok(n)
    }
}

/// The line breaks in `bytes` as [`Lines`] counts them: each CR, and each LF not after a CR
/// (`after_cr`: whether the byte before `bytes` is a CR).
pub(crate) fn count_breaks(bytes: &[u8], after_cr: bool) -> u64 {
    let mut count = 0;
    let mut previous = if after_cr { b'\r' } else { 0 };
    for at in memchr::memchr2_iter(b'\n', b'\r', bytes) {
        let before = if at == 0 { previous } else { bytes[at - 1] };
        count += u64::from(bytes[at] == b'\r' || before != b'\r');
        previous = bytes[at];
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    /// The lines of the rows of `text` as read through [`Lines`] by the csv crate.
    fn lines(text: &[u8]) -> (Vec<u64>, Option<OpenQuote>) {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .buffer_capacity(16)
            .from_reader(Lines::new(text));
        let mut record = csv::ByteRecord::new();
        let mut lines = Vec::new();
        while reader.read_byte_record(&mut record).unwrap() {
            let start = record.position().unwrap().byte();
            lines.push(reader.get_mut().line_at(start));
        }
        (lines, reader.get_ref().open_quote())
    }

    #[test]
    fn lf_crlf_and_cr_alone_each_end_a_line() {
        for end in ["\n", "\r\n", "\r"] {
            let text = ["a", "b", "", "c,\"x", "y\"", "d"].join(end);
            assert_eq!(lines(text.as_bytes()), (vec![1, 2, 4, 6], None), "{end:?}");
        }
    }

    /// Regression (issue 13): every line break passed on was kept until its row was asked
    /// for, so a cell of 10 MB of line breaks took 2 GB. Now only the rows' starts are.
    #[test]
    fn a_long_multi_line_cell_keeps_no_more_than_its_row() {
        let mut text = b"a,\"".to_vec();
        text.extend(b"x\r\n".repeat(100_000));
        text.extend(b"\"\nb,c\n");
        let mut reader = Lines::new(&text[..]);
        let mut buffer = [0u8; 4096];
        let mut most = 0;
        while reader.read(&mut buffer).unwrap() > 0 {
            most = most.max(reader.starts.len());
        }
        assert_eq!(most, 2, "the two rows' starts, not the cell's line breaks");
        assert_eq!(lines(&text), (vec![1, 100_002], None));
    }

    #[test]
    fn a_quote_left_open_is_found_with_the_rows_it_takes_in() {
        let text = b"id,summary\nR1,\"fine\"\"\nstill\"\nR2,\"oops\nR3,x\n\nR4,y\n";
        let (rows, open) = lines(text);
        assert_eq!(rows, [1, 2, 4]);
        assert_eq!(open, Some(OpenQuote { line: 4, field: 2, rows_after: 2 }));
        // A quote inside an unquoted cell is text, and a quoted cell closed is closed.
        assert_eq!(lines(b"a,b\"c\nd,\"e\"\"\"\n").1, None);
        // Not with quoting off (GDELT's tab-separated files).
        let mut reader = Lines::with(&b"a\t\"b\nc\n"[..], Dialect { delimiter: b'\t', quoting: false });
        std::io::copy(&mut reader, &mut std::io::sink()).unwrap();
        assert_eq!(reader.open_quote(), None);
    }

    #[test]
    fn breaks_are_counted_as_lines_counts_them() {
        assert_eq!(count_breaks(b"a\r\nb\rc\n\n", false), 4);
        assert_eq!(count_breaks(b"\nb", true), 0, "the LF of a CRLF split before it");
        assert_eq!(count_breaks(b"\nb", false), 1);
    }
}
