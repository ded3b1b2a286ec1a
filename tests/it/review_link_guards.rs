//! What guards a client review link, on every database: expired, revoked and tampered
//! links say why and show nothing of the post; a password is asked first, wrong guesses are
//! limited, and the proof of it is a short-lived cookie scoped to the link.

use axum::http::{StatusCode, header};
use serde_json::json;

use crate::publishing::setup;
use crate::review_links::{DAY, HOUR, TEXT, decide, form, in_review, link, links_path, page};
use crate::support::backends;

#[tokio::test]
async fn expired_revoked_and_tampered_links_say_why_and_show_nothing() {
    for backend in backends() {
        let s = setup(backend).await;
        let post = in_review(&s).await;
        let short = link(&s, &post, json!({"expires_in_days": 1})).await;
        let withdrawn = link(&s, &post, json!({})).await;
        let id = s.app.get(&links_path(&s, &post), &s.token).await.json()["items"][0]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let revoked = s
            .app
            .post(
                &format!("{}/{id}/revoke", links_path(&s, &post)),
                &s.token,
                json!({}),
            )
            .await;
        assert_eq!(revoked.status, StatusCode::NO_CONTENT);
        let gone = page(&s, &withdrawn, None).await;
        assert_eq!(gone.status, StatusCode::GONE);
        assert!(gone.text().contains("withdrawn"), "{}", gone.text());

        let mut tampered = short.clone();
        let last = if tampered.ends_with('A') { "B" } else { "A" };
        tampered.replace_range(tampered.len() - 1.., last);
        for bad in [tampered.as_str(), "nope", &"A".repeat(500), "%00%0A"] {
            let reply = page(&s, bad, None).await;
            assert_eq!(reply.status, StatusCode::NOT_FOUND, "{bad}");
            assert!(reply.text().contains("not valid"), "{}", reply.text());
            assert!(!reply.text().contains(TEXT));
        }
        let posted = form(
            &s,
            &format!("/review/{tampered}/decide"),
            &[("decision", "approve")],
            None,
        )
        .await;
        assert_eq!(posted.status, StatusCode::NOT_FOUND);

        assert_eq!(page(&s, &short, None).await.status, StatusCode::OK);
        s.app.clock.advance_ms(DAY + 1);
        let expired = page(&s, &short, None).await;
        assert_eq!(expired.status, StatusCode::GONE);
        assert!(expired.text().contains("expired"), "{}", expired.text());
        for reply in [&gone, &expired] {
            assert!(!reply.text().contains(TEXT), "no leak of the post");
        }
        let list = s.app.get(&links_path(&s, &post), &s.token).await.json();
        assert_eq!(list["items"][1]["status"], "expired");
        assert_eq!(s.variant(&post).await["state"], "in_review");
    }
}

#[tokio::test]
async fn a_password_guards_the_link_and_wrong_guesses_are_limited() {
    for backend in backends() {
        let s = setup(backend).await;
        let post = in_review(&s).await;
        let token = link(&s, &post, json!({"password": "plum tree 42"})).await;
        let locked = page(&s, &token, None).await;
        assert_eq!(locked.status, StatusCode::OK);
        assert!(locked.text().contains("Enter the password"));
        assert!(!locked.text().contains(TEXT), "nothing before the password");
        let unlock = format!("/review/{token}/unlock");
        let acted = form(
            &s,
            &format!("/review/{token}/decide"),
            &[("decision", "approve")],
            None,
        )
        .await;
        assert_eq!(acted.status, StatusCode::UNAUTHORIZED);

        let empty = form(&s, &unlock, &[("password", "")], None).await;
        assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
        for _ in 0..5 {
            let wrong = form(&s, &unlock, &[("password", "pear tree 42")], None).await;
            assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
            assert!(
                wrong.text().contains("not the one for this link"),
                "{}",
                wrong.text()
            );
        }
        let limited = form(&s, &unlock, &[("password", "plum tree 42")], None).await;
        assert_eq!(
            limited.status,
            StatusCode::TOO_MANY_REQUESTS,
            "even the right one, for now"
        );
        assert!(
            limited.text().contains("Too many wrong passwords"),
            "{}",
            limited.text()
        );

        s.app.clock.advance_ms(16 * 60_000);
        let opened = form(&s, &unlock, &[("password", "plum tree 42")], None).await;
        assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.text());
        let set = opened.headers[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(set.contains(&format!("Path=/review/{token}")), "{set}");
        assert!(
            set.contains("HttpOnly") && set.contains("SameSite=Lax"),
            "{set}"
        );
        let cookie = set.split(';').next().unwrap().to_owned();
        let shown = page(&s, &token, Some(&cookie)).await;
        assert!(shown.text().contains(TEXT), "{}", shown.text());
        let flipped = if cookie.ends_with('0') { "1" } else { "0" };
        let forged = format!("{}{flipped}", &cookie[..cookie.len() - 1]);
        assert!(
            page(&s, &token, Some(&forged))
                .await
                .text()
                .contains("Enter the password")
        );
        let approved = decide(&s, &token, &[("decision", "approve")], Some(&cookie)).await;
        assert_eq!(
            approved.status,
            StatusCode::SEE_OTHER,
            "{}",
            approved.text()
        );
        assert_eq!(s.variant(&post).await["state"], "scheduled");
        s.app.clock.advance_ms(3 * HOUR);
        let later = page(&s, &token, Some(&cookie)).await;
        assert!(
            later.text().contains("Enter the password"),
            "the proof is short-lived"
        );
    }
}
