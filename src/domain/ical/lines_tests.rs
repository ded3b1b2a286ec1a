use super::*;
use proptest::prelude::*;

#[test]
fn text_escaping_covers_the_four_specials() {
    assert_eq!(
        escape_text("a\\b;c,d\ne\r\nf\rg"),
        "a\\\\b\\;c\\,d\\ne\\nf\\ng"
    );
    assert_eq!(escape_text("tab\there\u{0}\u{7}"), "tab\there");
    assert_eq!(
        unescape_text("a\\\\b\\;c\\,d\\ne\\Nf\\:g\\"),
        "a\\b;c,d\ne\nf:g\\"
    );
}

#[test]
fn long_multibyte_lines_fold_on_char_boundaries() {
    let line = format!("SUMMARY:{}", "日本語のテキスト€🎉".repeat(20));
    let mut out = String::new();
    push_folded(&mut out, &line);
    assert!(out.ends_with("\r\n"));
    let physical: Vec<&str> = out.trim_end_matches("\r\n").split("\r\n").collect();
    assert!(physical.len() > 5);
    for (i, p) in physical.iter().enumerate() {
        assert!(p.len() <= 75, "line {i} has {} octets", p.len());
        assert_eq!(i > 0, p.starts_with(' '));
    }
    // Unfolding gives the line back.
    let back = unfold(&out);
    assert_eq!(back.len(), 1);
    assert_eq!(back[0].text, line);
    // A line of exactly 75 octets is not folded.
    let mut out = String::new();
    push_folded(&mut out, &"x".repeat(75));
    assert_eq!(out, format!("{}\r\n", "x".repeat(75)));
}

#[test]
fn unfolding_accepts_lf_and_tabs_and_numbers_lines() {
    let text = "BEGIN:VCALENDAR\nSUMMARY:Hel\n lo\r\n\twor\n\nld:x\n";
    let lines = unfold(text);
    assert_eq!(
        lines,
        [
            Unfolded {
                number: 1,
                text: "BEGIN:VCALENDAR".into()
            },
            Unfolded {
                number: 2,
                text: "SUMMARY:Hellowor".into()
            },
            Unfolded {
                number: 6,
                text: "ld:x".into()
            },
        ]
    );
}

#[test]
fn content_lines_split_with_quoted_parameters() {
    let line =
        parse_line("dtstart;TZID=\"America/New_York\";value=DATE-TIME:20260308T023000").unwrap();
    assert_eq!(line.name, "DTSTART");
    assert_eq!(line.param("TZID"), Some("America/New_York"));
    assert_eq!(line.param("VALUE"), Some("DATE-TIME"));
    assert_eq!(line.value, "20260308T023000");
    let line = parse_line("ATTENDEE;CN=\"Doe; J: x\";ROLE=A,B:mailto:j@example.com").unwrap();
    assert_eq!(line.param("CN"), Some("Doe; J: x"));
    assert_eq!(line.param("ROLE"), Some("A"));
    assert_eq!(line.value, "mailto:j@example.com");
    assert_eq!(parse_line("DESCRIPTION:").unwrap().value, "");
    for bad in [
        "no colon",
        ":value",
        "BAD NAME:x",
        "X;=a:b",
        "X;novalue:b",
        "ÄÖ:x",
        "X;A=\"open:x",
    ] {
        assert!(parse_line(bad).is_none(), "{bad}");
    }
}

proptest! {
    #[test]
    fn escaping_and_folding_round_trip(text in "\\PC{0,300}") {
        let clean: String = text.chars().filter(|c| !c.is_control() || *c == '\t').collect();
        let mut out = String::new();
        push_folded(&mut out, &format!("DESCRIPTION:{}", escape_text(&clean)));
        for p in out.split("\r\n") {
            prop_assert!(p.len() <= 75);
        }
        let lines = unfold(&out);
        let line = parse_line(&lines[0].text).unwrap();
        prop_assert_eq!(unescape_text(line.value), clean);
    }
}
