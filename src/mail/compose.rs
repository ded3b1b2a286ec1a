//! A notification's email: the same words as in the app, as plain text and as simple HTML
//! (askama escapes the HTML; the text template escapes nothing, as text needs nothing).

use askama::Template;

use super::Email;

/// What a notification email says.
pub struct Letter<'a> {
    pub to_address: &'a str,
    pub to_name: &'a str,
    pub workspace: &'a str,
    pub title: &'a str,
    pub body: &'a str,
    /// Where to look: an absolute address, or a path when the install's public URL is
    /// unknown.
    pub link: &'a str,
    /// The account page, where email is turned off.
    pub account: &'a str,
}

#[derive(Template)]
#[template(path = "email_notification.txt")]
struct Text<'a> {
    l: &'a Letter<'a>,
}

#[derive(Template)]
#[template(path = "email_notification.html")]
struct Html<'a> {
    l: &'a Letter<'a>,
}

pub fn compose(l: &Letter<'_>) -> Result<Email, askama::Error> {
    Ok(Email {
        to_address: l.to_address.to_owned(),
        to_name: l.to_name.to_owned(),
        subject: format!("{}: {}", l.workspace, l.title),
        text: Text { l }.render()?,
        html: Html { l }.render()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_is_escaped_and_text_is_not() {
        let l = Letter {
            to_address: "ada@example.com",
            to_name: "Ada",
            workspace: "Acme & Co",
            title: "Bob <b>mentioned</b> you",
            body: "See <script>alert(1)</script> & \"this\"",
            link: "https://herald.example/w/1/posts/2",
            account: "https://herald.example/account",
        };
        let e = compose(&l).unwrap();
        assert_eq!(e.subject, "Acme & Co: Bob <b>mentioned</b> you");
        assert!(
            e.text.contains("See <script>alert(1)</script> & \"this\""),
            "{}",
            e.text
        );
        assert!(e.text.contains("https://herald.example/w/1/posts/2"));
        assert!(!e.html.contains("<script>"), "{}", e.html);
        assert!(e.html.contains("&#60;script&#62;"), "{}", e.html);
        assert!(e.html.contains("Acme &#38; Co"), "{}", e.html);
        assert!(
            e.html
                .contains("href=\"https://herald.example/w/1/posts/2\""),
            "{}",
            e.html
        );
    }
}
