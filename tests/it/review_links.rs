//! Client review links, on every database: approvers create, list and revoke them through the
//! API; a client with no account opens `/review/{token}` and approves (which schedules the
//! post) or asks for changes with a comment, named in the audit log; with two steps, after
//! the team. What guards a link is in `review_link_guards.rs`.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::{Value, json};

use crate::publishing::{Setup, at, setup};
use crate::support::{Reply, backends};

pub(crate) const HOUR: i64 = 3_600_000;
pub(crate) const DAY: i64 = 24 * HOUR;
pub(crate) const TEXT: &str = "Autumn blend is back.";

pub(crate) fn links_path(s: &Setup, post: &str) -> String {
    format!("/api/v1/workspaces/{}/posts/{post}/review-links", s.ws)
}

/// A post of the owner's, in review, wanted at two hours from now.
pub(crate) async fn in_review(s: &Setup) -> String {
    let post = s.draft(TEXT).await;
    let sent = s.act(&post, "submit", json!({"at": at(2 * HOUR)})).await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.text());
    post
}

/// Creates a link; returns the token (the last part of its address).
pub(crate) async fn link(s: &Setup, post: &str, body: Value) -> String {
    let made = s.app.post(&links_path(s, post), &s.token, body).await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.text());
    let url = made.json()["url"].as_str().unwrap().to_owned();
    url.rsplit('/').next().unwrap().to_owned()
}

pub(crate) async fn page(s: &Setup, token: &str, cookie: Option<&str>) -> Reply {
    let mut request = Request::builder().uri(format!("/review/{token}"));
    if let Some(c) = cookie {
        request = request.header(header::COOKIE, c);
    }
    s.app.send(request.body(Body::empty()).unwrap()).await
}

/// A form posted the way a browser posts it, with the cookie it holds for the link.
pub(crate) async fn form(
    s: &Setup,
    path: &str,
    fields: &[(&str, &str)],
    cookie: Option<&str>,
) -> Reply {
    let body: String = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish();
    let mut request = Request::builder()
        .method(Method::POST)
        .uri(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(c) = cookie {
        request = request.header(header::COOKIE, c);
    }
    s.app.send(request.body(Body::from(body)).unwrap()).await
}

pub(crate) fn form_token(page: &Reply) -> String {
    let html = page.text();
    let start = html
        .find("name=\"form_token\" value=\"")
        .unwrap_or_else(|| panic!("no decision form in:\n{html}"))
        + "name=\"form_token\" value=\"".len();
    html[start..].split('"').next().unwrap().to_owned()
}

pub(crate) async fn decide(
    s: &Setup,
    token: &str,
    fields: &[(&str, &str)],
    cookie: Option<&str>,
) -> Reply {
    let opened = page(s, token, cookie).await;
    let form_token = form_token(&opened);
    let mut all = vec![("form_token", form_token.as_str())];
    all.extend_from_slice(fields);
    form(s, &format!("/review/{token}/decide"), &all, cookie).await
}

async fn events(s: &Setup, post: &str) -> Vec<Value> {
    let got = s
        .app
        .get(
            &format!("/api/v1/workspaces/{}/posts/{post}/events", s.ws),
            &s.token,
        )
        .await
        .json();
    got["items"].as_array().unwrap().clone()
}

#[tokio::test]
async fn approvers_create_list_and_revoke_links_and_bad_input_is_named() {
    for backend in backends() {
        let s = setup(backend).await;
        let draft = s.draft("Not sent for review yet.").await;
        let early = s
            .app
            .post(&links_path(&s, &draft), &s.token, json!({}))
            .await;
        assert_eq!(early.status, StatusCode::CONFLICT, "{}", early.text());
        assert!(early.text().contains("not in review"), "{}", early.text());

        let post = in_review(&s).await;
        let path = links_path(&s, &post);
        for (body, field) in [
            (json!({"expires_in_days": 0}), "expires_in_days"),
            (json!({"expires_in_days": 91}), "expires_in_days"),
            (json!({"expires_in_days": "soon"}), "expires_in_days"),
            (json!({"password": "short"}), "password"),
            (json!({"password": "        "}), "password"),
            (json!({"password": "x".repeat(201)}), "password"),
            (json!({"pasword": "typo in the field"}), "pasword"),
        ] {
            let bad = s.app.post(&path, &s.token, body.clone()).await;
            assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
            assert_eq!(bad.error_fields(), [field], "{body}: {}", bad.text());
        }
        let made = s.app.post(&path, &s.token, json!({})).await;
        assert_eq!(made.status, StatusCode::CREATED, "{}", made.text());
        let v = made.json();
        assert!(
            v["url"]
                .as_str()
                .unwrap()
                .starts_with("http://herald.test/review/"),
            "built on the public URL: {v}"
        );
        assert_eq!(v["status"], "active");
        assert_eq!(v["has_password"], false);
        assert_eq!(v["expires_at"], at(7 * DAY), "seven days by default");
        let guarded = s
            .app
            .post(
                &path,
                &s.token,
                json!({"expires_in_days": 90, "password": "plum tree 42 ☕"}),
            )
            .await
            .json();
        assert_eq!(guarded["has_password"], true);
        assert_eq!(guarded["expires_at"], at(90 * DAY));

        let list = s.app.get(&path, &s.token).await.json();
        let items = list["items"].as_array().unwrap();
        assert_eq!(items.len(), 2);
        assert_eq!(items[0]["id"], guarded["id"], "newest first");
        assert!(
            items.iter().all(|i| i["url"].is_null()),
            "no secrets: {list}"
        );
        assert!(!list.to_string().contains("argon2"), "{list}");

        // Who may not: an editor (does not approve), another workspace's people and ids.
        let (_, editor) = s.app.user("editor@example.com").await;
        s.app.join(&s.token, &s.ws, &editor, "editor").await;
        let refused = s.app.post(&path, &editor, json!({})).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.text());
        let (_, outsider) = s.app.user("outsider@example.com").await;
        let theirs = s.app.workspace(&outsider, "Theirs").await;
        let crossed = format!("/api/v1/workspaces/{theirs}/posts/{post}/review-links");
        let hidden = s.app.post(&crossed, &outsider, json!({})).await;
        assert_eq!(hidden.status, StatusCode::NOT_FOUND, "{}", hidden.text());

        let id = v["id"].as_str().unwrap();
        let revoke = format!("{path}/{id}/revoke");
        let done = s.app.post(&revoke, &s.token, json!({})).await;
        assert_eq!(done.status, StatusCode::NO_CONTENT, "{}", done.text());
        let again = s.app.post(&revoke, &s.token, json!({})).await;
        assert_eq!(
            again.status,
            StatusCode::NO_CONTENT,
            "revoking twice is fine"
        );
        let unknown = format!("{path}/{}/revoke", uuid::Uuid::now_v7());
        let none = s.app.post(&unknown, &s.token, json!({})).await;
        assert_eq!(none.status, StatusCode::NOT_FOUND);
        let list = s.app.get(&path, &s.token).await.json();
        assert_eq!(list["items"][1]["status"], "revoked");
        assert_eq!(list["items"][0]["status"], "active");
    }
}

#[tokio::test]
async fn a_client_approves_through_the_link_and_the_post_is_scheduled_then_published() {
    for backend in backends() {
        let s = setup(backend).await;
        let post = in_review(&s).await;
        let token = link(&s, &post, json!({})).await;
        let opened = page(&s, &token, None).await;
        assert_eq!(opened.status, StatusCode::OK, "{}", opened.text());
        let html = opened.text();
        assert!(html.contains(TEXT), "the preview: {html}");
        assert!(html.contains("pv-mastodon"), "the network's look");
        assert!(
            html.contains("1 Mar 2026, 15:00 Europe/Paris"),
            "the time in the workspace's zone: {html}"
        );
        assert_eq!(
            opened.headers[header::REFERRER_POLICY],
            "same-origin",
            "the address holds the token: other sites never see it"
        );
        assert_eq!(opened.headers[header::CACHE_CONTROL], "no-store");

        let forged = form(
            &s,
            &format!("/review/{token}/decide"),
            &[("form_token", "0000"), ("decision", "approve")],
            None,
        )
        .await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN, "{}", forged.text());
        let mut foreign = Request::builder()
            .method(Method::POST)
            .uri(format!("/review/{token}/decide"))
            .header(header::ORIGIN, "https://evil.example")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        foreign = foreign.header(header::HOST, "herald.test");
        let body = format!("form_token={}&decision=approve", form_token(&opened));
        let other_site = s.app.send(foreign.body(Body::from(body)).unwrap()).await;
        assert_eq!(other_site.status, StatusCode::FORBIDDEN);
        assert_eq!(
            s.variant(&post).await["state"],
            "in_review",
            "nothing moved"
        );

        let long_name = "N".repeat(101);
        let bad = decide(
            &s,
            &token,
            &[("decision", "approve"), ("name", &long_name)],
            None,
        )
        .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            bad.text().contains("at most 100 characters"),
            "{}",
            bad.text()
        );

        let approved = decide(
            &s,
            &token,
            &[
                ("decision", "approve"),
                ("name", "Ana Souza"),
                ("note", "Lovely 🍂"),
            ],
            None,
        )
        .await;
        assert_eq!(
            approved.status,
            StatusCode::SEE_OTHER,
            "{}",
            approved.text()
        );
        let location = approved.headers[header::LOCATION].to_str().unwrap();
        assert_eq!(location, format!("/review/{token}?done=approved"));
        let thanks = page(&s, &format!("{token}?done=approved"), None)
            .await
            .text();
        assert!(thanks.contains("you approved this post"), "{thanks}");
        assert_eq!(s.variant(&post).await["state"], "scheduled");
        let log = events(&s, &post).await;
        let approval = log.iter().find(|e| e["action"] == "approved").unwrap();
        assert_eq!(approval["actor_name"], "Ana Souza (via review link)");
        assert!(approval["actor_id"].is_null(), "no account");
        assert_eq!(approval["note"], "Lovely 🍂");
        assert_eq!(log.last().unwrap()["action"], "scheduled");

        let twice = form(
            &s,
            &format!("/review/{token}/decide"),
            &[
                ("form_token", &form_token(&opened)),
                ("decision", "approve"),
            ],
            None,
        )
        .await;
        assert_eq!(twice.status, StatusCode::CONFLICT);
        assert!(
            twice.text().contains("already been reviewed"),
            "{}",
            twice.text()
        );

        s.app.clock.advance_ms(2 * HOUR);
        s.app.run_jobs().await;
        assert_eq!(s.variant(&post).await["state"], "published");
        assert_eq!(s.fake.statuses().len(), 1, "published once");
    }
}

#[tokio::test]
async fn a_client_requests_changes_and_the_comment_is_kept() {
    for backend in backends() {
        let s = setup(backend).await;
        let post = in_review(&s).await;
        let token = link(&s, &post, json!({})).await;
        let empty = decide(&s, &token, &[("decision", "changes")], None).await;
        assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            empty.text().contains("say what should change"),
            "{}",
            empty.text()
        );
        let nothing = decide(&s, &token, &[("note", "Which button?")], None).await;
        assert_eq!(nothing.status, StatusCode::UNPROCESSABLE_ENTITY);

        let note = "Say <b>which</b> café, please.";
        let sent = decide(&s, &token, &[("decision", "changes"), ("note", note)], None).await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.text());
        assert_eq!(s.variant(&post).await["state"], "changes_requested");
        let comments = s
            .app
            .get(
                &format!("/api/v1/workspaces/{}/posts/{post}/comments", s.ws),
                &s.token,
            )
            .await
            .json();
        assert_eq!(comments["items"][0]["body"], note);
        assert_eq!(
            comments["items"][0]["author_name"],
            "Client via review link"
        );
        let shown = page(&s, &token, None).await.text();
        assert!(
            shown.contains("Say &#60;b&#62;which&#60;/b&#62; café")
                || shown.contains("Say &lt;b&gt;which&lt;/b&gt; café"),
            "escaped: {shown}"
        );
        assert!(shown.contains("already been reviewed"), "{shown}");
        assert!(
            !shown.contains("name=\"form_token\""),
            "no form once reviewed"
        );
    }
}

#[tokio::test]
async fn with_two_steps_the_team_approves_first_then_the_client_through_the_link() {
    for backend in backends() {
        let s = setup(backend).await;
        let policy = s
            .app
            .request(
                Method::PUT,
                &format!("/api/v1/workspaces/{}/approval", s.ws),
                Some(&s.token),
                Some(json!({"requires_approval": true, "approval_steps": 2})),
            )
            .await;
        assert_eq!(policy.status, StatusCode::OK, "{}", policy.text());
        let post = in_review(&s).await;
        let token = link(&s, &post, json!({})).await;
        let waiting = page(&s, &token, None).await.text();
        assert!(waiting.contains("team approves first"), "{waiting}");
        assert!(
            !waiting.contains("name=\"form_token\""),
            "no decision form yet"
        );

        let team = s.act(&post, "approve", json!({"note": "Good to go"})).await;
        assert_eq!(team.status, StatusCode::OK, "{}", team.text());
        assert_eq!(team.json()["state"], "in_review");
        let client = decide(
            &s,
            &token,
            &[("decision", "approve"), ("name", "Ana")],
            None,
        )
        .await;
        assert_eq!(client.status, StatusCode::SEE_OTHER, "{}", client.text());
        assert_eq!(s.variant(&post).await["state"], "scheduled");
        let actions: Vec<String> = events(&s, &post)
            .await
            .iter()
            .map(|e| {
                format!(
                    "{} by {}",
                    e["action"].as_str().unwrap(),
                    e["actor_name"].as_str().unwrap()
                )
            })
            .collect();
        assert_eq!(
            actions[1..],
            [
                "approved_step by owner",
                "approved by Ana (via review link)",
                "scheduled by Ana (via review link)"
            ]
        );
    }
}

/// A review link of `post` (submitted first), for the isolation walk; returns its id.
pub async fn for_isolation(
    app: &crate::support::TestApp,
    token: &str,
    ws: &str,
    post: &str,
) -> String {
    let base = format!("/api/v1/workspaces/{ws}/posts/{post}");
    let sent = app.post(&format!("{base}/submit"), token, json!({})).await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.text());
    let made = app
        .post(&format!("{base}/review-links"), token, json!({}))
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.text());
    made.json()["id"].as_str().unwrap().to_owned()
}
