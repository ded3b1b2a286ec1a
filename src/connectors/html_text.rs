//! Plain text from the small, sanitised HTML Mastodon-compatible servers put in a status's
//! `content` (`<p>`, `<br>`, `<a>`, `<span>` and entities). Written by hand: the allowed tag
//! set is tiny and fixed by the server's sanitiser, and a full HTML parser would be a large
//! dependency for turning paragraphs into newlines.

use std::sync::LazyLock;

use regex::Regex;

pub fn to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&decode_entities(&rest[..open]));
        let Some(close) = rest[open..].find('>') else {
            rest = &rest[open..];
            break;
        };
        let tag = rest[open + 1..open + close].trim().to_ascii_lowercase();
        if tag.starts_with("br") {
            out.push('\n');
        } else if tag == "/p" {
            out.push_str("\n\n");
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(&decode_entities(rest));
    out.trim_end().to_owned()
}

/// Decodes the entities pages and statuses use (named ones HTML escapers emit, and numeric
/// ones); anything else is left as written.
pub fn decode_entities(text: &str) -> String {
    static ENTITY: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);").expect("valid regex"));
    ENTITY
        .replace_all(text, |c: &regex::Captures| {
            let name = &c[1];
            let decoded =
                if let Some(hex) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
                    u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)
                } else if let Some(dec) = name.strip_prefix('#') {
                    dec.parse().ok().and_then(char::from_u32)
                } else {
                    match name {
                        "amp" => Some('&'),
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        "quot" => Some('"'),
                        "apos" => Some('\''),
                        "nbsp" => Some('\u{a0}'),
                        _ => None,
                    }
                };
            decoded.map(String::from).unwrap_or_else(|| c[0].to_owned())
        })
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_breaks_and_entities_become_text() {
        assert_eq!(
            to_text(
                "<p>Hello &amp; welcome<br />to <a href=\"x\"><span>#herald</span></a></p><p>Second &#39;one&#x27;</p>"
            ),
            "Hello & welcome\nto #herald\n\nSecond 'one'"
        );
        assert_eq!(
            to_text("a &bogus; b & c <unclosed"),
            "a &bogus; b & c <unclosed"
        );
        assert_eq!(to_text(""), "");
    }
}
