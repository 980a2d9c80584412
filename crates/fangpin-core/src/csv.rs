//! CSV for spreadsheets, one rule everywhere (the receiver's export, a worker's households): UTF-8
//! with a byte-order mark (Excel reads Chinese right), CRLF rows, RFC 4180 quoting, spreadsheet
//! formulas in free text defused, and long digit strings (ID numbers, phones) kept as text.

/// What a file starts with, so that Excel reads it as UTF-8.
pub const BOM: &str = "\u{FEFF}";

/// Appends one cell: quoted when it must be, a leading `= + - @` (or tab, CR) defused with `'`.
pub fn cell(out: &mut String, value: &str) {
    let defused;
    // Byte tests: each of these characters is ASCII (a roster writes millions of cells).
    let v = if matches!(value.as_bytes().first(), Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')) {
        defused = format!("'{value}");
        defused.as_str()
    } else {
        value
    };
    quote(out, v);
}

/// Appends `value` quoted as RFC 4180 needs, and nothing else: for CSV a program reads back (an
/// Excel sheet turned into CSV text), not for a person to open.
pub fn quote(out: &mut String, value: &str) {
    if value.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r')) {
        out.push('"');
        out.push_str(&value.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(value);
    }
}

/// Appends digits that Excel would turn into a rounded number (ID numbers, phones) as text
/// (`="…"`, the one formula written on purpose); anything else as [`cell`].
pub fn digits(out: &mut String, value: &str) {
    if !value.is_empty() && value.bytes().all(|c| c.is_ascii_digit() || matches!(c, b'X' | b'x' | b'-' | b'+' | b' ')) {
        out.push_str(&format!("\"=\"\"{value}\"\"\""));
    } else {
        cell(out, value);
    }
}

/// Appends a row of cells and its CRLF.
pub fn row<'a>(out: &mut String, cells: impl IntoIterator<Item = (&'a str, bool)>) {
    for (i, (value, is_digits)) in cells.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        if is_digits { digits(out, value) } else { cell(out, value) }
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_defusing_and_digits() {
        let mut s = String::new();
        cell(&mut s, "a,\"b\"\nc");
        assert_eq!(s, "\"a,\"\"b\"\"\nc\"");
        let mut s = String::new();
        cell(&mut s, "=HYPERLINK(\"x\")");
        assert_eq!(s, "\"'=HYPERLINK(\"\"x\"\")\"");
        let mut s = String::new();
        digits(&mut s, "35048119780307001X");
        assert_eq!(s, "\"=\"\"35048119780307001X\"\"\"");
        let mut s = String::new();
        digits(&mut s, "@SUM(1)");
        assert_eq!(s, "'@SUM(1)");
        let mut s = String::new();
        row(&mut s, [("张大山", false), ("13800000000", true), ("-1", false)]);
        assert_eq!(s, "张大山,\"=\"\"13800000000\"\"\",'-1\r\n");
    }
}
