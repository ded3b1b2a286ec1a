//! The composer's "Repeat" section over HTTP, on every database: a bad rule is named beside
//! its field and in the toast and changes nothing, a daylight-saving change that moves an
//! occurrence is explained, a weekly rule lists its occurrences (links to the posts made)
//! and stops; the evergreen switch adds and removes the post; each role sees the state but
//! only editors and above get the forms (the services refuse the rest), and another
//! workspace's post is not found. `browser/composer_repeat.rs` drives the same forms.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::composer_when_ui::{enc, form, page, session};
use crate::publishing::{Setup, setup};
use crate::support::backends;

/// A weekly rule the service takes, with `changes` made to it, as the form sends it.
fn rule(changes: &[(&str, &str)]) -> String {
    let mut fields = vec![
        ("every", "week".to_owned()),
        ("interval", "1".to_owned()),
        ("weekdays", "mon".to_owned()),
        ("time", "09:00".to_owned()),
        ("start", "2026-03-02".to_owned()),
        ("time_zone", "Europe/Paris".to_owned()),
        ("until", String::new()),
        ("count", String::new()),
    ];
    for (key, value) in changes {
        match fields.iter_mut().find(|(k, _)| k == key) {
            Some(field) => field.1 = (*value).to_owned(),
            None => fields.push((key, (*value).to_owned())),
        }
    }
    fields
        .iter()
        .map(|(k, v)| format!("{k}={}", enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

async fn series(s: &Setup, post: &str) -> crate::support::Reply {
    s.app
        .get(
            &format!("/api/v1/workspaces/{}/posts/{post}/recurrence", s.ws),
            &s.token,
        )
        .await
}

async fn library(s: &Setup) -> Vec<String> {
    let got = s
        .app
        .get(&format!("/api/v1/workspaces/{}/evergreen", s.ws), &s.token)
        .await
        .json();
    got["posts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["post_id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn bad_rules_are_named_beside_their_fields_and_change_nothing() {
    for backend in backends() {
        let s = setup(backend).await;
        let post = s.draft("Monday roast news.").await;
        let (cookie, csrf) = session(&s.app, "owner@example.com").await;
        let path = format!("/w/{}/posts/{post}/repeat", s.ws);

        let html = page(&s.app, &format!("/w/{}/posts/{post}", s.ws), &cookie)
            .await
            .text();
        assert!(
            html.contains("id=\"post-repeat\"") && html.contains("This post does not repeat"),
            "{html}"
        );
        assert!(
            html.contains("id=\"repeat-form\""),
            "an owner gets the form"
        );

        let without = form(&s.app, &path, &cookie, &rule(&[]), true).await;
        assert_eq!(without.status, StatusCode::FORBIDDEN, "no CSRF token");

        let flood = "Europe/".repeat(2_000);
        for (changes, slot, label, says) in [
            (
                vec![("time", "25:00")],
                "time",
                "Time",
                "Give a time such as 09:00",
            ),
            (
                vec![("interval", "0")],
                "interval",
                "Every",
                "Repeat every 1 to 52 weeks",
            ),
            (
                vec![("every", "day"), ("interval", "0")],
                "interval",
                "Every",
                "Repeat every 1 to 366 days",
            ),
            (
                vec![("time_zone", "Mars/Olympus")],
                "zone",
                "Time zone",
                "is not an IANA time zone",
            ),
            (
                vec![("time_zone", &flood)],
                "zone",
                "Time zone",
                "Is not an IANA time zone",
            ),
            (
                vec![("until", "2026-03-01")],
                "until",
                "Until",
                "Is before the first date",
            ),
            (
                vec![("count", "0")],
                "count",
                "Times in all",
                "Must be between 1 and 1000",
            ),
            (
                vec![("count", "5000")],
                "count",
                "Times in all",
                "Must be between 1 and 1000",
            ),
            (
                vec![("weekdays", "funday")],
                "weekdays",
                "On",
                "Is not a weekday",
            ),
            (
                vec![("every", "fortnight")],
                "every",
                "Repeat",
                "Must be day, week or month",
            ),
            (
                vec![("start", "2026-02-30")],
                "start",
                "First date",
                "Give a date such as 2026-03-02",
            ),
        ] {
            let body = format!("{}&csrf_token={csrf}", rule(&changes));
            let reply = form(&s.app, &path, &cookie, &body, true).await;
            assert_eq!(
                reply.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{changes:?}"
            );
            let html = reply.text();
            assert!(html.contains(says), "{changes:?}: {html}");
            assert!(
                html.contains(&format!(
                    "id=\"repeat-{slot}-error\" class=\"field-error\">"
                )),
                "{changes:?}: the message is beside its field: {html}"
            );
            assert!(
                html.contains(&format!("Not repeating. {label}: ")),
                "{changes:?}: the toast names the field: {html}"
            );
            assert!(html.contains("hx-swap-oob"), "an htmx answer");
            assert!(!html.contains(&flood), "the flood is not echoed");
            let kept = changes[0].1;
            if kept.len() < 64 && !["time_zone", "every", "weekdays"].contains(&changes[0].0) {
                assert!(
                    html.contains(&format!("value=\"{kept}\"")),
                    "{changes:?}: what was typed stays"
                );
            }
        }
        let refused = form(
            &s.app,
            &path,
            &cookie,
            &format!("{}&csrf_token={csrf}", rule(&[("time", "25:00")])),
            true,
        )
        .await
        .text();
        assert!(
            refused.contains("id=\"repeat-time\" autofocus"),
            "the keyboard goes to the field to fix: {refused}"
        );
        // Without JavaScript the whole page comes back, with the error beside the field.
        let plain = form(
            &s.app,
            &path,
            &cookie,
            &format!("{}&csrf_token={csrf}", rule(&[("count", "0")])),
            false,
        )
        .await;
        assert_eq!(plain.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(plain.text().contains("<html") && plain.text().contains("Must be between 1"));
        assert_eq!(series(&s, &post).await.status, StatusCode::NOT_FOUND);
        assert_eq!(
            s.variant(&post).await["state"],
            "draft",
            "the post is untouched"
        );
    }
}

#[tokio::test]
async fn daylight_saving_changes_are_explained_and_a_weekly_rule_lists_and_stops() {
    for backend in backends() {
        let s = setup(backend).await;
        let post = s.draft("Monday roast news.").await;
        let (cookie, csrf) = session(&s.app, "owner@example.com").await;
        let path = format!("/w/{}/posts/{post}/repeat", s.ws);
        let send = |changes: Vec<(&'static str, &'static str)>| {
            format!("{}&csrf_token={csrf}", rule(&changes))
        };

        // Paris skips 02:00-03:00 on 29 March and repeats it on 25 October 2026: the
        // service moves the first to 03:00 and takes the earlier of the second, and the
        // section says so beside those days.
        let gap = send(vec![
            ("every", "day"),
            ("time", "02:30"),
            ("start", "2026-03-28"),
        ]);
        let reply = form(&s.app, &path, &cookie, &gap, true).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
        let html = reply.text();
        assert!(html.contains("Every day at 02:30, from Saturday 28 March 2026"));
        assert!(html.contains("Sun 29 Mar 2026, 03:00 CEST"), "{html}");
        assert!(
            html.contains("02:30 does not exist on 29 March 2026 in Europe/Paris"),
            "{html}"
        );
        let fold = send(vec![
            ("every", "day"),
            ("time", "02:30"),
            ("start", "2026-10-24"),
        ]);
        let html = form(&s.app, &path, &cookie, &fold, true).await.text();
        assert!(
            html.contains("Sun 25 Oct 2026, 02:30 CEST")
                && html.contains("02:30 happens twice that day; it goes out at the first"),
            "{html}"
        );

        // Mondays and Thursdays at 09:00 from 2 March: the clock says 1 March, so the two
        // occurrences of the coming week are made at once.
        let weekly = format!(
            "{}&weekdays=thu&csrf_token={csrf}",
            rule(&[("count", "10")])
        );
        let reply = form(&s.app, &path, &cookie, &weekly, true).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
        let html = reply.text();
        let words = "Every week on Monday and Thursday at 09:00, from Monday 2 March 2026";
        assert!(
            html.contains(&format!("Repeating: {words} (Europe/Paris).")),
            "the toast: {html}"
        );
        assert!(html.contains(&format!("<span id=\"repeat-words\">{words}</span>")));
        assert!(html.contains("10 times in all, 2 made so far"), "{html}");
        let got = series(&s, &post).await.json();
        let made: Vec<String> = got["occurrences"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["post_id"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(made.len(), 2);
        for id in &made {
            assert!(
                html.contains(&format!("href=\"/w/{}/posts/{id}\"", s.ws)),
                "a link to the occurrence: {html}"
            );
        }
        assert!(html.contains("Mon 2 Mar 2026, 09:00 CET"), "{html}");
        assert!(
            html.contains("Mon 9 Mar 2026, 09:00 CET"),
            "the next, still to make"
        );
        assert!(html.contains("id=\"repeat-stop\"") && html.contains("Save the rule"));
        let shown = page(&s.app, &format!("/w/{}/posts/{post}", s.ws), &cookie)
            .await
            .text();
        assert!(
            shown.contains("value=\"thu\" checked"),
            "the form shows the rule"
        );
        // Without JavaScript a good rule goes back to the section.
        let plain = form(&s.app, &path, &cookie, &weekly, false).await;
        assert_eq!(plain.status, StatusCode::SEE_OTHER);
        let to = plain.headers.get("location").unwrap().to_str().unwrap();
        assert!(to.ends_with(&format!("/posts/{post}#post-repeat")), "{to}");

        let stop = format!("/w/{}/posts/{post}/repeat/stop", s.ws);
        let stopped = form(&s.app, &stop, &cookie, &format!("csrf_token={csrf}"), true).await;
        assert_eq!(stopped.status, StatusCode::OK, "{}", stopped.text());
        let html = stopped.text();
        assert!(html.contains("Stopped repeating"), "{html}");
        assert!(html.contains(">Stopped</span>") && !html.contains("id=\"repeat-stop\""));
        assert_eq!(series(&s, &post).await.json()["state"], "cancelled");
        for id in &made {
            assert_eq!(s.variant(id).await["state"], "cancelled", "occurrence {id}");
        }
        let again = form(&s.app, &stop, &cookie, &format!("csrf_token={csrf}"), true).await;
        assert_eq!(again.status, StatusCode::CONFLICT);
        assert!(again.text().contains("already ended"), "{}", again.text());
    }
}

#[tokio::test]
async fn the_evergreen_switch_adds_and_removes_the_post() {
    for backend in backends() {
        let s = setup(backend).await;
        let post = s.draft("How we roast, step by step.").await;
        let (cookie, csrf) = session(&s.app, "owner@example.com").await;
        let path = format!("/w/{}/posts/{post}/evergreen", s.ws);
        let html = page(&s.app, &format!("/w/{}/posts/{post}", s.ws), &cookie)
            .await
            .text();
        assert!(html.contains("Not in the evergreen library"));
        assert!(html.contains("role=\"switch\" aria-checked=\"false\""));
        assert!(html.contains(&format!("href=\"/w/{}/evergreen\"", s.ws)));

        let on = form(
            &s.app,
            &path,
            &cookie,
            &format!("action=add&csrf_token={csrf}"),
            true,
        )
        .await;
        assert_eq!(on.status, StatusCode::OK, "{}", on.text());
        assert!(on.text().contains("role=\"switch\" aria-checked=\"true\""));
        assert!(on.text().contains("In the evergreen library"));
        assert_eq!(library(&s).await, [post.as_str()]);
        let off = format!("action=remove&csrf_token={csrf}");
        let reply = form(&s.app, &path, &cookie, &off, true).await;
        assert_eq!(reply.status, StatusCode::OK);
        assert!(reply.text().contains("Out of the evergreen library"));
        assert!(library(&s).await.is_empty());
        // A second press from a page that was not redrawn asks for what is already so.
        let reply = form(&s.app, &path, &cookie, &off, true).await;
        assert_eq!(reply.status, StatusCode::OK);
        let odd = form(
            &s.app,
            &path,
            &cookie,
            &format!("action=maybe&csrf_token={csrf}"),
            true,
        )
        .await;
        assert_eq!(odd.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            odd.text().contains("Must be add or remove"),
            "{}",
            odd.text()
        );

        // A post without a channel gets neither form, and the services say why.
        let bare = s
            .app
            .post(
                &format!("/api/v1/workspaces/{}/posts", s.ws),
                &s.token,
                json!({"text": "No channel yet"}),
            )
            .await
            .json()["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let html = page(&s.app, &format!("/w/{}/posts/{bare}", s.ws), &cookie)
            .await
            .text();
        assert!(html.contains("id=\"repeat-needs-channel\""), "{html}");
        assert!(!html.contains("id=\"repeat-form\"") && !html.contains("evergreen-switch"));
        let bare_path = format!("/w/{}/posts/{bare}", s.ws);
        let refused = form(
            &s.app,
            &format!("{bare_path}/evergreen"),
            &cookie,
            &format!("action=add&csrf_token={csrf}"),
            true,
        )
        .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            refused
                .text()
                .contains("Not changed. Channels: choose at least one channel")
        );
        let refused = form(
            &s.app,
            &format!("{bare_path}/repeat"),
            &cookie,
            &format!("{}&csrf_token={csrf}", rule(&[])),
            true,
        )
        .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            refused
                .text()
                .contains("Choose at least one channel for the post first")
        );
        assert!(library(&s).await.is_empty());
        assert_eq!(series(&s, &bare).await.status, StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn each_role_sees_the_state_and_other_workspaces_see_nothing() {
    for backend in backends() {
        let s = setup(backend).await;
        let post = s.draft("Weekly roast news.").await;
        let (owner, owner_csrf) = session(&s.app, "owner@example.com").await;
        let base = format!("/w/{}/posts/{post}", s.ws);
        let set = form(
            &s.app,
            &format!("{base}/repeat"),
            &owner,
            &format!("{}&csrf_token={owner_csrf}", rule(&[])),
            true,
        )
        .await;
        assert_eq!(set.status, StatusCode::OK);
        let on = format!("action=add&csrf_token={owner_csrf}");
        let marked = form(&s.app, &format!("{base}/evergreen"), &owner, &on, true).await;
        assert_eq!(marked.status, StatusCode::OK);
        let before: Value = series(&s, &post).await.json();

        for (email, role) in [
            ("vera@example.com", "viewer"),
            ("cleo@example.com", "client"),
            ("carl@example.com", "contributor"),
        ] {
            let (_, token) = s.app.user(email).await;
            s.app.join(&s.token, &s.ws, &token, role).await;
            let (cookie, csrf) = session(&s.app, email).await;
            let html = page(&s.app, &base, &cookie).await.text();
            assert!(
                html.contains("Every week on Monday at 09:00")
                    && html.contains("In the evergreen library"),
                "{role} sees the state: {html}"
            );
            assert!(
                !html.contains("id=\"repeat-form\"")
                    && !html.contains("id=\"repeat-stop\"")
                    && !html.contains("evergreen-switch"),
                "{role} gets no forms"
            );
            for (what, body) in [
                ("repeat", rule(&[("time", "10:00")])),
                ("repeat/stop", String::new()),
                ("evergreen", "action=remove".to_owned()),
            ] {
                let reply = form(
                    &s.app,
                    &format!("{base}/{what}"),
                    &cookie,
                    &format!("{body}&csrf_token={csrf}"),
                    true,
                )
                .await;
                assert_eq!(reply.status, StatusCode::FORBIDDEN, "{role} {what}");
            }
        }
        assert_eq!(series(&s, &post).await.json(), before, "nothing changed");
        assert_eq!(library(&s).await, [post.as_str()]);

        let (_, editor_token) = s.app.user("eddie@example.com").await;
        s.app.join(&s.token, &s.ws, &editor_token, "editor").await;
        let (editor, editor_csrf) = session(&s.app, "eddie@example.com").await;
        assert!(
            page(&s.app, &base, &editor)
                .await
                .text()
                .contains("id=\"repeat-form\"")
        );
        let changed = form(
            &s.app,
            &format!("{base}/repeat"),
            &editor,
            &format!("{}&csrf_token={editor_csrf}", rule(&[("time", "10:00")])),
            true,
        )
        .await;
        assert_eq!(changed.status, StatusCode::OK, "an editor may");
        assert_eq!(
            series(&s, &post).await.json()["rule"],
            "every week on mon at 10:00 from 2026-03-02"
        );

        // Someone else, in a workspace of their own: this post is not found, from theirs or
        // from this one, and nothing changes.
        let (_, other_token) = s.app.user("olga@example.com").await;
        let theirs = s.app.workspace(&other_token, "Olga's brand").await;
        let (olga, olga_csrf) = session(&s.app, "olga@example.com").await;
        let before: Value = series(&s, &post).await.json();
        for ws in [&theirs, &s.ws] {
            for (what, body) in [
                ("repeat", rule(&[("time", "11:00")])),
                ("repeat/stop", String::new()),
                ("evergreen", "action=remove".to_owned()),
            ] {
                let reply = form(
                    &s.app,
                    &format!("/w/{ws}/posts/{post}/{what}"),
                    &olga,
                    &format!("{body}&csrf_token={olga_csrf}"),
                    true,
                )
                .await;
                assert_eq!(reply.status, StatusCode::NOT_FOUND, "{ws} {what}");
                assert!(!reply.text().contains("Weekly roast news"));
            }
        }
        assert_eq!(series(&s, &post).await.json(), before);
        assert_eq!(library(&s).await, [post.as_str()]);
    }
}
