//! Line numbers for rows read from a stream: the line an editor shows, whatever the line
//! ends and blank lines.

/// A reader that notes where the line breaks are in what it passes on, so that each row read
/// from a CSV file (by the loader, or an importer) is given the line an editor shows. The
/// csv crate's own line count is off after a blank line (which it skips) and with CRLF line
/// ends (rust-csv#395). Only the breaks not yet passed by the CSV reader are kept: a buffer's
/// worth.
pub(crate) struct Lines<R> {
    inner: R,
    /// Bytes passed on so far.
    offset: u64,
    /// The offsets of the line breaks (`\r` or `\n`) passed on and not yet counted, and
    /// whether each is a `\n`.
    breaks: std::collections::VecDeque<(u64, bool)>,
    /// The `\n`s counted so far.
    newlines: u64,
}

impl<R> Lines<R> {
    pub(crate) fn new(inner: R) -> Lines<R> {
        Lines::after(inner, 0)
    }

    /// A reader of a stream that starts after `newlines` line breaks (`\n`) of the file.
    pub(crate) fn after(inner: R, newlines: u64) -> Lines<R> {
        Lines { inner, offset: 0, breaks: std::collections::VecDeque::new(), newlines }
    }

    /// The 1-based line of the row whose reading started at byte `start`. The reader starts
    /// at the end of the previous row, which may be before a blank line or the `\n` of a
    /// CRLF: breaks there are skipped first, since no row starts with one.
    pub(crate) fn line_at(&mut self, start: u64) -> u64 {
        let mut at = start;
        while let Some(&(offset, newline)) = self.breaks.front() {
            if offset > at {
                break;
            }
            if offset == at {
                at += 1;
            }
            self.breaks.pop_front();
            self.newlines += u64::from(newline);
        }
        self.newlines + 1
    }
}

impl<R: std::io::Read> std::io::Read for Lines<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        for (i, &b) in buf[..n].iter().enumerate() {
            if b == b'\n' || b == b'\r' {
                self.breaks.push_back((self.offset + i as u64, b == b'\n'));
            }
        }
        self.offset += n as u64;
        Ok(n)
    }
}
