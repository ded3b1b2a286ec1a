//! Plain text from the small, sanitised HTML Mastodon-compatible servers put in a status's
//! `content` (`<p>`, `<br>`, `<a>`, `<span>` and entities). Written by hand: the allowed tag
//! set is tiny and fixed by the server's sanitiser, and a full HTML parser would be a large
//! dependency for turning paragraphs into newlines.

pub fn to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&decode(&rest[..open]));
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
    out.push_str(&decode(rest));
    out.trim_end().to_owned()
}

fn decode(s: &str) -> String {
    if !s.contains('&') {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp..];
        let entity_end = after.find(';').filter(|&end| end <= 10);
        let replaced = entity_end.and_then(|end| {
            let name = &after[1..end];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                _ => name
                    .strip_prefix("#x")
                    .or_else(|| name.strip_prefix("#X"))
                    .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                    .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, end))
        });
        match replaced {
            Some((c, end)) => {
                out.push(c);
                rest = &after[end + 1..];
            }
            None => {
                out.push('&');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
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
