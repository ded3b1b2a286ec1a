//! Review and approval through the API, on every database: a contributor's post approved by
//! the team then the client, scheduled by the last approval and published on time; changes
//! requested with a note; an edit after approval sending the post back; small fixes; the
//! audit log.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::publishing::{Setup, at, setup};
use crate::support::backends;

const HOUR: i64 = 3_600_000;

struct People {
    contributor: String,
    editor: String,
    client: String,
}

async fn people(s: &Setup) -> People {
    let mut tokens = Vec::new();
    for role in ["contributor", "editor", "client"] {
        let (_, token) = s.app.user(&format!("{role}@example.com")).await;
        s.app.join(&s.token, &s.ws, &token, role).await;
        tokens.push(token);
    }
    People {
        contributor: tokens[0].clone(),
        editor: tokens[1].clone(),
        client: tokens[2].clone(),
    }
}

async fn act(
    s: &Setup,
    token: &str,
    post: &str,
    action: &str,
    body: Value,
) -> crate::support::Reply {
    s.app
        .post(
            &format!("/api/v1/workspaces/{}/posts/{post}/{action}", s.ws),
            token,
            body,
        )
        .await
}

async fn policy(s: &Setup, body: Value) -> crate::support::Reply {
    s.app
        .request(
            Method::PUT,
            &format!("/api/v1/workspaces/{}/approval", s.ws),
            Some(&s.token),
            Some(body),
        )
        .await
}

async fn write(s: &Setup, token: &str, text: &str) -> String {
    let created = s
        .app
        .post(
            &format!("/api/v1/workspaces/{}/posts", s.ws),
            token,
            json!({"text": text, "channel_ids": [s.channel]}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    created.json()["id"].as_str().unwrap().to_owned()
}

fn actions(events: &Value) -> Vec<String> {
    events["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_contributors_post_is_approved_by_the_team_then_the_client_and_goes_out_on_time() {
    for backend in backends() {
        let s = setup(backend).await;
        let p = people(&s).await;
        let bad = policy(&s, json!({"requires_approval": true, "approval_steps": 3})).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(bad.error_fields(), ["approval_steps"]);
        let set = policy(&s, json!({"requires_approval": true, "approval_steps": 2})).await;
        assert_eq!(set.status, StatusCode::OK, "{}", set.text());
        assert_eq!(set.json()["approval_steps"], 2);

        let post = write(&s, &p.contributor, "Autumn blend is back.").await;
        let direct = act(&s, &p.contributor, &post, "publish-now", json!({})).await;
        assert_eq!(
            direct.status,
            StatusCode::FORBIDDEN,
            "contributors go through review"
        );
        let past = act(
            &s,
            &p.contributor,
            &post,
            "submit",
            json!({"at": at(-HOUR)}),
        )
        .await;
        assert_eq!(past.error_fields(), ["at"]);
        let submitted = act(
            &s,
            &p.contributor,
            &post,
            "submit",
            json!({"at": at(2 * HOUR), "note": "For Monday"}),
        )
        .await;
        assert_eq!(submitted.status, StatusCode::OK, "{}", submitted.text());
        let v = submitted.json();
        assert_eq!(v["state"], "in_review");
        assert_eq!(v["approvals_needed"], 2);
        assert_eq!(v["variants"][0]["scheduled_at"], at(2 * HOUR));

        let editor = act(&s, &p.editor, &post, "approve", json!({})).await;
        assert_eq!(editor.status, StatusCode::FORBIDDEN);
        let client_first = act(&s, &p.client, &post, "approve", json!({})).await;
        assert_eq!(client_first.status, StatusCode::CONFLICT);
        assert!(
            client_first.text().contains("team approves first"),
            "{}",
            client_first.text()
        );
        let team = act(&s, &s.token, &post, "approve", json!({"note": "Good"})).await;
        assert_eq!(team.status, StatusCode::OK, "{}", team.text());
        assert_eq!(team.json()["state"], "in_review");
        assert_eq!(team.json()["approvals_done"], 1);
        let again = act(&s, &s.token, &post, "approve", json!({})).await;
        assert_eq!(again.status, StatusCode::CONFLICT, "now the client's turn");
        let client = act(&s, &p.client, &post, "approve", json!({})).await;
        assert_eq!(client.status, StatusCode::OK, "{}", client.text());
        assert_eq!(
            client.json()["state"],
            "scheduled",
            "approval schedules a post with a time"
        );

        s.app.clock.advance_ms(2 * HOUR);
        s.app.run_jobs().await;
        assert_eq!(s.variant(&post).await["state"], "published");
        assert_eq!(s.fake.statuses()[0].text, "Autumn blend is back.");

        let events = s
            .app
            .get(
                &format!("/api/v1/workspaces/{}/posts/{post}/events", s.ws),
                &p.client,
            )
            .await
            .json();
        assert_eq!(
            actions(&events),
            ["submitted", "approved_step", "approved", "scheduled"]
        );
        assert_eq!(events["items"][0]["actor_name"], "contributor");
        assert_eq!(events["items"][0]["note"], "For Monday");
        assert_eq!(events["items"][2]["from_state"], "in_review");
        assert_eq!(events["items"][2]["to_state"], "approved");
    }
}

#[tokio::test]
async fn changes_requested_edits_after_approval_and_small_fixes() {
    for backend in backends() {
        let s = setup(backend).await;
        let p = people(&s).await;
        policy(&s, json!({"requires_approval": false, "approval_steps": 1})).await;
        let post = write(&s, &p.contributor, "Our new cafe opens Friday.").await;
        act(&s, &p.contributor, &post, "submit", json!({})).await;
        let no_note = act(&s, &s.token, &post, "request-changes", json!({})).await;
        assert_eq!(no_note.error_fields(), ["note"]);
        let back = act(
            &s,
            &s.token,
            &post,
            "request-changes",
            json!({"note": "Say which cafe, @contributor"}),
        )
        .await;
        assert_eq!(back.status, StatusCode::OK, "{}", back.text());
        assert_eq!(back.json()["state"], "changes_requested");
        let kinds = |token: &str| {
            let app = &s.app;
            let token = token.to_owned();
            async move {
                let list = app.get("/api/v1/me/notifications", &token).await.json();
                list["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|n| n["kind"].as_str().unwrap().to_owned())
                    .collect::<Vec<_>>()
            }
        };
        assert!(
            kinds(&s.token).await.contains(&"post.submitted".to_owned()),
            "reviewers hear of it"
        );
        assert!(
            kinds(&p.contributor)
                .await
                .contains(&"post.changes_requested".to_owned()),
            "the author hears what to change"
        );
        assert!(
            !kinds(&p.editor)
                .await
                .contains(&"post.submitted".to_owned()),
            "editors do not review"
        );
        let comments = s
            .app
            .get(
                &format!("/api/v1/workspaces/{}/posts/{post}/comments", s.ws),
                &p.contributor,
            )
            .await
            .json();
        assert_eq!(comments["items"][0]["body"], "Say which cafe, @contributor");
        let mentioned = s
            .app
            .services()
            .mentioned(s.ws.parse().unwrap(), "Say which cafe, @contributor")
            .await
            .unwrap();
        assert_eq!(mentioned.len(), 1);

        let edit = |token: &str, text: &str| {
            let path = format!("/api/v1/workspaces/{}/posts/{post}", s.ws);
            let (token, text) = (token.to_owned(), text.to_owned());
            let app = &s.app;
            async move { app.patch(&path, &token, json!({"text": text})).await }
        };
        edit(&p.contributor, "Our new cafe on Elm Street opens Friday.").await;
        act(&s, &p.contributor, &post, "submit", json!({})).await;
        let approved = act(&s, &s.token, &post, "approve", json!({})).await;
        assert_eq!(approved.json()["state"], "approved");

        // Changed after approval: back to review.
        let changed = edit(
            &p.contributor,
            "Our new cafe on Elm Street opens Friday! 50% off.",
        )
        .await;
        assert_eq!(changed.status, StatusCode::OK, "{}", changed.text());
        assert_eq!(changed.json()["state"], "in_review");
        act(&s, &s.token, &post, "approve", json!({})).await;

        // Small fixes by approvers, where the workspace allows them.
        policy(
            &s,
            json!({"requires_approval": false, "approval_steps": 1, "allow_small_fixes": true}),
        )
        .await;
        let typo = edit(&s.token, "Our new cafe on Elm Street opens Friday! 50% of.").await;
        assert_eq!(typo.json()["state"], "approved", "{}", typo.text());
        let rewrite = edit(
            &s.token,
            "Everything must go: huge sale at our Elm Street cafe this Friday!",
        )
        .await;
        assert_eq!(rewrite.json()["state"], "in_review");
        let events = s
            .app
            .get(
                &format!("/api/v1/workspaces/{}/posts/{post}/events", s.ws),
                &s.token,
            )
            .await
            .json();
        assert_eq!(
            actions(&events),
            [
                "submitted",
                "changes_requested",
                "submitted",
                "approved",
                "edited",
                "approved",
                "small_fix",
                "edited"
            ]
        );

        // Nothing across workspaces.
        let (_, stranger) = s.app.user("stranger@example.com").await;
        let theirs = s.app.workspace(&stranger, "Other").await;
        for action in ["submit", "approve", "request-changes", "comments"] {
            let reply = s
                .app
                .post(
                    &format!("/api/v1/workspaces/{theirs}/posts/{post}/{action}"),
                    &stranger,
                    json!({"note": "x", "body": "x"}),
                )
                .await;
            assert!(
                matches!(
                    reply.status,
                    StatusCode::NOT_FOUND | StatusCode::UNPROCESSABLE_ENTITY
                ),
                "{action}: {}",
                reply.status
            );
        }
        let events = s
            .app
            .get(
                &format!("/api/v1/workspaces/{theirs}/posts/{post}/events"),
                &stranger,
            )
            .await;
        assert_eq!(events.status, StatusCode::NOT_FOUND);
    }
}
