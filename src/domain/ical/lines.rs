//! RFC 5545 content lines: TEXT escaping, folding at 75 octets, unfolding and splitting
//! `NAME;PARAM=value:VALUE`.
//!
//! Written by hand: the crates for iCalendar either pull in a whole calendar model or are
//! thinly kept, and these few rules are all Herald needs.

/// Escapes a TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and line breaks.
/// Other control characters cannot appear in TEXT and are dropped; tabs stay.
pub fn escape_text(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len() + 8);
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => out.push_str("\\n"),
            '\t' => out.push('\t'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Reverses `escape_text`. An unknown escape keeps its character, as most readers do.
pub fn unescape_text(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n' | 'N') => out.push('\n'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// A value that is not TEXT (a URL, a zone name) only needs control characters removed so
/// it cannot break the line.
pub fn strip_controls(raw: &str) -> String {
    raw.chars().filter(|c| !c.is_control()).collect()
}

/// Appends one content line, folded so no physical line exceeds 75 octets (RFC 5545 §3.1),
/// never inside a UTF-8 character; continuation lines start with one space. CRLF endings.
pub fn push_folded(out: &mut String, line: &str) {
    const LIMIT: usize = 75;
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > LIMIT {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

/// One logical line (after unfolding), with the physical line number it started on.
#[derive(Debug, PartialEq, Eq)]
pub struct Unfolded {
    pub number: usize,
    pub text: String,
}

/// Joins continuation lines (starting with a space or tab) to the line before. Accepts
/// LF as well as CRLF endings: files edited by hand often have them. Blank lines go.
pub fn unfold(text: &str) -> Vec<Unfolded> {
    let mut out: Vec<Unfolded> = Vec::new();
    for (i, line) in text.split('\n').enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if let Some(rest) = line.strip_prefix([' ', '\t'])
            && let Some(last) = out.last_mut()
        {
            last.text.push_str(rest);
        } else if !line.trim().is_empty() {
            out.push(Unfolded {
                number: i + 1,
                text: line.to_owned(),
            });
        }
    }
    out
}

/// A parsed content line. Names are upper-cased; values are as written.
#[derive(Debug, PartialEq, Eq)]
pub struct ContentLine<'a> {
    pub name: String,
    pub params: Vec<(String, String)>,
    pub value: &'a str,
}

impl ContentLine<'_> {
    /// The first value of a parameter (quotes removed), by upper-case name.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Splits `name *(";" param) ":" value`; `None` when the line is not of that shape.
/// Colons and semicolons inside quoted parameter values do not count.
pub fn parse_line(line: &str) -> Option<ContentLine<'_>> {
    let is_name =
        |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    let mut params = Vec::new();
    let mut quoted = false;
    let mut start = 0;
    let mut name: Option<String> = None;
    let mut end_of_head = None;
    for (i, c) in line.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ';' | ':' if !quoted => {
                let part = &line[start..i];
                match &name {
                    None => {
                        if !is_name(part) {
                            return None;
                        }
                        name = Some(part.to_ascii_uppercase());
                    }
                    Some(_) => {
                        let (k, v) = part.split_once('=')?;
                        if !is_name(k) {
                            return None;
                        }
                        // Of a list ("a","b") keep the first; Herald reads single values.
                        let v = match v.strip_prefix('"') {
                            Some(q) => q.split('"').next().unwrap_or(""),
                            None => v.split(',').next().unwrap_or(""),
                        };
                        params.push((k.to_ascii_uppercase(), v.to_owned()));
                    }
                }
                start = i + 1;
                if c == ':' {
                    end_of_head = Some(i);
                    break;
                }
            }
            _ => {}
        }
    }
    let head = end_of_head?;
    Some(ContentLine {
        name: name?,
        params,
        value: &line[head + 1..],
    })
}

#[cfg(test)]
#[path = "lines_tests.rs"]
mod tests;
