//! Posts and variants through the API, on every database: compose once, tailor per network.

use axum::http::StatusCode;
use serde_json::json;

use crate::support::test_app::channel;
use crate::support::{TestApp, backends};

#[tokio::test]
async fn variants_follow_the_post_until_detached() {
    for backend in backends() {
        let app = TestApp::new(backend).await;
        let (_, token) = app.user("owner@example.com").await;
        let ws = app.workspace(&token, "Acme").await;
        let mastodon = channel(&app, &token, &ws, "mastodon").await;
        let bluesky = channel(&app, &token, &ws, "bluesky").await;
        let campaign = app
            .post(
                &format!("/api/v1/workspaces/{ws}/tags"),
                &token,
                json!({"kind": "campaign", "name": "Spring launch", "color": "#16a34a"}),
            )
            .await
            .json();

        let created = app
            .post(
                &format!("/api/v1/workspaces/{ws}/posts"),
                &token,
                json!({"text": "Fresh roast today.", "channel_ids": [mastodon, bluesky], "tags": ["#coffee", "Coffee", "launch"],
                       "campaign_id": campaign["id"], "notes": "Check the photo rights", "scheduled_at": null, "time_zone": "Europe/Paris"}),
            )
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
        let post = created.json();
        assert_eq!(post["state"], "draft");
        assert_eq!(
            post["tags"].as_array().unwrap().len(),
            2,
            "tag names are unique, case-insensitively"
        );
        assert_eq!(post["campaign_id"], campaign["id"]);
        let variants = post["variants"].as_array().unwrap();
        assert_eq!(variants.len(), 2);
        for v in variants {
            assert_eq!(v["detached"], false);
            assert_eq!(v["parts"][0]["text"], "Fresh roast today.");
            assert_eq!(v["state"], "draft");
            assert_eq!(v["parts"][0]["check"]["network"], v["network"]);
        }
        let id = post["id"].as_str().unwrap();
        let path = format!("/api/v1/workspaces/{ws}/posts/{id}");
        let bluesky_variant = variants.iter().find(|v| v["network"] == "bluesky").unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned();

        let tailored = app
            .patch(&format!("{path}/variants/{bluesky_variant}"), &token, json!({"parts": ["Fresh roast today 🫘", "Come by before noon."], "options": {"language": "en"}}))
            .await;
        assert_eq!(tailored.status, StatusCode::OK, "{}", tailored.text());
        let edited = app
            .patch(&path, &token, json!({"text": "New beans from Huila."}))
            .await
            .json();

        assert_eq!(
            variant_of(&edited, "mastodon")["parts"][0]["text"],
            "New beans from Huila."
        );
        let own = variant_of(&edited, "bluesky");
        assert_eq!(own["detached"], true);
        assert_eq!(
            own["parts"].as_array().unwrap().len(),
            2,
            "a detached variant keeps its thread"
        );
        assert_eq!(own["options"]["language"], "en");

        let back = app
            .patch(
                &format!("{path}/variants/{bluesky_variant}"),
                &token,
                json!({"follow_post": true}),
            )
            .await
            .json();
        assert_eq!(
            variant_of(&back, "bluesky")["parts"][0]["text"],
            "New beans from Huila."
        );

        let fewer = app
            .patch(
                &path,
                &token,
                json!({"channel_ids": [mastodon], "campaign_id": null}),
            )
            .await
            .json();
        assert_eq!(fewer["variants"].as_array().unwrap().len(), 1);
        assert_eq!(fewer["campaign_id"], json!(null));
        assert_eq!(
            app.get(&path, &token).await.json(),
            fewer,
            "what was saved is what is read"
        );

        assert_eq!(
            app.delete(&path, &token).await.status,
            StatusCode::NO_CONTENT
        );
        assert_eq!(app.get(&path, &token).await.status, StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn only_what_a_network_supports_is_accepted() {
    for backend in backends() {
        let app = TestApp::new(backend).await;
        let (_, token) = app.user("owner@example.com").await;
        let ws = app.workspace(&token, "Acme").await;
        let other_ws = app.workspace(&token, "Other brand").await;
        let mastodon = channel(&app, &token, &ws, "mastodon").await;
        let linkedin = channel(&app, &token, &ws, "linkedin").await;
        let elsewhere = channel(&app, &token, &other_ws, "x").await;
        let posts = format!("/api/v1/workspaces/{ws}/posts");

        let wrong_channel = app
            .post(
                &posts,
                &token,
                json!({"text": "Hi", "channel_ids": [mastodon, elsewhere]}),
            )
            .await;
        assert_eq!(wrong_channel.error_fields(), ["channel_ids[1]"]);
        let (stranger, _) = app.user("stranger@example.com").await;
        let not_member = app
            .post(
                &posts,
                &token,
                json!({"text": "Hi", "assignee_id": stranger.id}),
            )
            .await;
        assert_eq!(not_member.error_fields(), ["assignee_id"]);
        let media = app
            .post(
                &posts,
                &token,
                json!({"text": "Hi", "media_ids": [stranger.id]}),
            )
            .await;
        assert_eq!(
            media.error_fields(),
            ["media_ids[0]"],
            "an id that is not in the library is named"
        );
        let later = app
            .post(
                &posts,
                &token,
                json!({"text": "Hi", "scheduled_at": "2026-12-01T09:00:00Z"}),
            )
            .await;
        assert_eq!(
            later.error_fields(),
            ["channel_ids"],
            "a post without channels cannot be scheduled"
        );
        let zone = app
            .post(
                &posts,
                &token,
                json!({"text": "Hi", "time_zone": "Europe/Pariss"}),
            )
            .await;
        assert_eq!(zone.error_fields(), ["time_zone"]);

        let post = app
            .post(
                &posts,
                &token,
                json!({"text": "Hello", "channel_ids": [mastodon, linkedin]}),
            )
            .await
            .json();
        let id = post["id"].as_str().unwrap();
        let variant = |network: &str| variant_id(&post, network);
        let (m, l) = (variant("mastodon"), variant("linkedin"));
        let patch = |v: &str| format!("{posts}/{id}/variants/{v}");

        let ok = app
            .patch(
                &patch(&m),
                &token,
                json!({"options": {"visibility": "unlisted", "content_warning": "Coffee talk"}}),
            )
            .await;
        assert_eq!(ok.status, StatusCode::OK, "{}", ok.text());
        let x_option = app
            .patch(
                &patch(&m),
                &token,
                json!({"options": {"reply_settings": "following"}}),
            )
            .await;
        assert_eq!(x_option.error_fields(), ["options.reply_settings"]);
        let bad_value = app
            .patch(
                &patch(&m),
                &token,
                json!({"options": {"visibility": "everyone"}}),
            )
            .await;
        assert_eq!(bad_value.error_fields(), ["options.visibility"]);
        let unknown = app
            .patch(&patch(&m), &token, json!({"options": {"colour": "red"}}))
            .await;
        assert_eq!(unknown.error_fields(), ["options.colour"]);
        let no_comment = app
            .patch(&patch(&m), &token, json!({"first_comment": "Link in bio"}))
            .await;
        assert_eq!(no_comment.error_fields(), ["first_comment"]);
        let comment = app
            .patch(
                &patch(&l),
                &token,
                json!({"first_comment": "Details: https://example.com"}),
            )
            .await;
        assert_eq!(comment.status, StatusCode::OK);
        let thread = app
            .patch(&patch(&l), &token, json!({"parts": ["One", "Two"]}))
            .await;
        assert_eq!(
            thread.error_fields(),
            ["parts"],
            "LinkedIn takes no threads"
        );
        let control = app
            .patch(&patch(&l), &token, json!({"parts": ["a\u{0}b"]}))
            .await;
        assert_eq!(control.error_fields(), ["parts[0]"]);

        // Nothing refused was stored.
        let stored = app.get(&format!("{posts}/{id}"), &token).await.json();
        let m_variant = variant_of(&stored, "mastodon");
        assert_eq!(
            m_variant["options"],
            json!({"visibility": "unlisted", "content_warning": "Coffee talk"})
        );
        assert_eq!(m_variant["parts"][0]["text"], "Hello");
    }
}

#[tokio::test]
async fn contributors_edit_their_own_posts_and_viewers_none() {
    for backend in backends() {
        let app = TestApp::new(backend).await;
        let (_, owner) = app.user("owner@example.com").await;
        let (_, contributor) = app.user("contributor@example.com").await;
        let (_, viewer) = app.user("viewer@example.com").await;
        let ws = app.workspace(&owner, "Acme").await;
        app.join(&owner, &ws, &contributor, "contributor").await;
        app.join(&owner, &ws, &viewer, "viewer").await;
        let posts = format!("/api/v1/workspaces/{ws}/posts");

        let owners = app
            .post(&posts, &owner, json!({"text": "From the owner"}))
            .await
            .json();
        let mine = app
            .post(&posts, &contributor, json!({"text": "From a contributor"}))
            .await;
        assert_eq!(mine.status, StatusCode::CREATED);
        let mine = mine.json();
        assert_eq!(
            app.patch(
                &format!("{posts}/{}", mine["id"].as_str().unwrap()),
                &contributor,
                json!({"text": "Edited"})
            )
            .await
            .status,
            StatusCode::OK
        );
        assert_eq!(
            app.patch(
                &format!("{posts}/{}", owners["id"].as_str().unwrap()),
                &contributor,
                json!({"text": "Edited"})
            )
            .await
            .status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            app.post(&posts, &viewer, json!({"text": "No"}))
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            app.get(&posts, &viewer).await.json()["items"]
                .as_array()
                .unwrap()
                .len(),
            2,
            "viewers read"
        );
    }
}

#[tokio::test]
async fn posts_are_listed_newest_first_a_page_at_a_time() {
    for backend in backends() {
        let app = TestApp::new(backend).await;
        let (_, token) = app.user("owner@example.com").await;
        let ws = app.workspace(&token, "Acme").await;
        let posts = format!("/api/v1/workspaces/{ws}/posts");
        for i in 0..52 {
            app.clock.advance_ms(1);
            app.post(&posts, &token, json!({"text": format!("Post {i}")}))
                .await;
        }
        let first = app.get(&posts, &token).await.json();
        assert_eq!(first["items"].as_array().unwrap().len(), 50);
        assert_eq!(first["items"][0]["text"], "Post 51");
        let cursor = first["next"].as_str().unwrap();
        let second = app
            .get(&format!("{posts}?cursor={cursor}"), &token)
            .await
            .json();
        let texts: Vec<_> = second["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["text"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(texts, ["Post 1", "Post 0"]);
        assert_eq!(second["next"], json!(null));
    }
}

#[tokio::test]
async fn the_no_hard_sell_check_scores_each_post() {
    for backend in backends() {
        let app = TestApp::new(backend).await;
        let (_, token) = app.user("owner@example.com").await;
        let ws = app.workspace(&token, "Acme").await;
        let settings = app
            .patch(&format!("/api/v1/workspaces/{ws}"), &token, json!({"promo_target_percent": 25, "brand": {"words_to_avoid": "cheap", "hashtags": "#acme"}}))
            .await;
        assert_eq!(settings.json()["promo_target_percent"], 25);
        let bad = app
            .patch(
                &format!("/api/v1/workspaces/{ws}"),
                &token,
                json!({"promo_target_percent": 150}),
            )
            .await;
        assert_eq!(bad.error_fields(), ["promo_target_percent"]);

        let posts = format!("/api/v1/workspaces/{ws}/posts");
        let calm = app
            .post(
                &posts,
                &token,
                json!({"text": "How we pick our beans, step by step. #acme"}),
            )
            .await
            .json();
        assert_eq!(calm["promo"]["score"], 0);
        assert_eq!(calm["promo"]["missing_hashtags"], json!([]));
        let pushy = app
            .post(
                &posts,
                &token,
                json!({"text": "CHEAP COFFEE!!! Buy now, 50% off, today only!"}),
            )
            .await
            .json();
        let promo = &pushy["promo"];
        assert!(promo["score"].as_u64().unwrap() >= 40, "{promo}");
        assert_eq!(promo["promotional"], true);
        let categories: Vec<_> = promo["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["category"].as_str().unwrap())
            .collect();
        for c in [
            "shouting",
            "exclamations",
            "call_to_buy",
            "discount",
            "urgency",
            "avoid_word",
        ] {
            assert!(categories.contains(&c), "{c}: {categories:?}");
        }
        assert_eq!(promo["missing_hashtags"], json!(["#acme"]));
    }
}

#[tokio::test]
async fn tracked_links_carry_utm_and_count_people_not_bots() {
    use axum::body::Body;
    use axum::http::{Method, Request, header};
    for backend in backends() {
        let app = TestApp::new(backend).await;
        let (_, token) = app.user("owner@example.com").await;
        let ws = app.workspace(&token, "Acme").await;
        let mastodon = channel(&app, &token, &ws, "mastodon").await;
        let campaign = app
            .post(
                &format!("/api/v1/workspaces/{ws}/tags"),
                &token,
                json!({"kind": "campaign", "name": "Spring"}),
            )
            .await
            .json();
        let posts = format!("/api/v1/workspaces/{ws}/posts");
        let post = app
            .post(&posts, &token, json!({"text": "New beans: https://acme.coffee/beans?ref=feed ☕", "channel_ids": [mastodon], "campaign_id": campaign["id"]}))
            .await
            .json();
        let (id, variant) = (
            post["id"].as_str().unwrap(),
            post["variants"][0]["id"].as_str().unwrap(),
        );
        let tracked = app
            .post(
                &format!("{posts}/{id}/variants/{variant}/track-links"),
                &token,
                json!({}),
            )
            .await;
        assert_eq!(tracked.status, StatusCode::OK, "{}", tracked.text());
        let text = tracked.json()["variants"][0]["parts"][0]["text"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(
            text.starts_with("New beans: http://herald.test/l/") && text.ends_with(" ☕"),
            "{text}"
        );
        assert_eq!(tracked.json()["variants"][0]["detached"], true);
        let again = app
            .post(
                &format!("{posts}/{id}/variants/{variant}/track-links"),
                &token,
                json!({}),
            )
            .await
            .json();
        assert_eq!(
            again["variants"][0]["parts"][0]["text"],
            text.as_str(),
            "short links are not shortened twice"
        );

        let code = text
            .split("/l/")
            .nth(1)
            .unwrap()
            .split(' ')
            .next()
            .unwrap()
            .to_owned();
        let visit = |ua: &'static str| {
            Request::builder()
                .method(Method::GET)
                .uri(format!("/l/{code}"))
                .header(header::USER_AGENT, ua)
                .body(Body::empty())
                .unwrap()
        };
        let person = app
            .send(visit(
                "Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0 Safari/537.36",
            ))
            .await;
        assert!(person.status.is_redirection());
        assert_eq!(
            person.headers[header::LOCATION],
            "https://acme.coffee/beans?ref=feed&utm_source=mastodon&utm_medium=social&utm_campaign=Spring"
        );
        app.send(visit("facebookexternalhit/1.1")).await;
        app.send(visit("Mozilla/5.0 (compatible; Mastodon/4.3.0)"))
            .await;
        let links = app
            .get(&format!("/api/v1/workspaces/{ws}/links"), &token)
            .await
            .json();
        let link = &links["items"][0];
        assert_eq!(
            (link["clicks"].as_i64(), link["bot_visits"].as_i64()),
            (Some(1), Some(2))
        );
        assert_eq!(link["variant_id"], variant);

        let unknown = app
            .send(
                Request::builder()
                    .uri("/l/nothing")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn a_long_text_splits_into_a_thread_that_fits() {
    for backend in backends() {
        let app = TestApp::new(backend).await;
        let (_, token) = app.user("owner@example.com").await;
        let ws = app.workspace(&token, "Acme").await;
        let bluesky = channel(&app, &token, &ws, "bluesky").await;
        let linkedin = channel(&app, &token, &ws, "linkedin").await;
        let text = "We visited the farm in Huila last spring. ".repeat(15)
            + "Read more at https://acme.coffee/huila #coffee";
        let posts = format!("/api/v1/workspaces/{ws}/posts");
        let post = app
            .post(
                &posts,
                &token,
                json!({"text": text, "channel_ids": [bluesky, linkedin]}),
            )
            .await
            .json();
        let id = post["id"].as_str().unwrap();
        let variant = |network: &str| variant_id(&post, network);
        let b = variant_of(&post, "bluesky");
        assert_eq!(
            b["valid"],
            false,
            "{} graphemes do not fit in one Bluesky post",
            text.chars().count()
        );

        let split = app
            .post(
                &format!("{posts}/{id}/variants/{}/split", variant("bluesky")),
                &token,
                json!({"numbered": true}),
            )
            .await;
        assert_eq!(split.status, StatusCode::OK, "{}", split.text());
        let b = variant_of(&split.json(), "bluesky");
        let parts = b["parts"].as_array().unwrap();
        assert!(parts.len() >= 3, "{parts:?}");
        assert_eq!(b["valid"], true);
        assert!(
            parts[0]["text"]
                .as_str()
                .unwrap()
                .ends_with(&format!(" 1/{}", parts.len()))
        );
        assert!(
            parts.iter().any(|p| p["text"]
                .as_str()
                .unwrap()
                .contains("https://acme.coffee/huila")),
            "links stay whole"
        );

        let refused = app
            .post(
                &format!("{posts}/{id}/variants/{}/split", variant("linkedin")),
                &token,
                json!({}),
            )
            .await;
        assert_eq!(refused.error_fields(), ["parts"]);
    }
}

/// The variant of `post` (its JSON) on `network`.
fn variant_of(post: &serde_json::Value, network: &str) -> serde_json::Value {
    post["variants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["network"] == network)
        .unwrap_or_else(|| panic!("no {network} variant in {post}"))
        .clone()
}

fn variant_id(post: &serde_json::Value, network: &str) -> String {
    variant_of(post, network)["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn shared_content_carries_its_link_and_the_authors_handle_per_network() {
    for backend in backends() {
        let app = TestApp::new(backend).await;
        let (_, token) = app.user("owner@example.com").await;
        let ws = app.workspace(&token, "Acme").await;
        let x = channel(&app, &token, &ws, "x").await;
        let mastodon = channel(&app, &token, &ws, "mastodon").await;
        let linkedin = channel(&app, &token, &ws, "linkedin").await;
        let created = app
            .post(
                &format!("/api/v1/workspaces/{ws}/posts"),
                &token,
                json!({"text": "A lovely guide to pour-over.", "channel_ids": [x, mastodon, linkedin],
                       "credit": {"url": "https://ana.coffee/pour-over", "author": "Ana Ruiz",
                                  "handles": {"x": "ana_brews", "mastodon": "@ana@social.coop"}}}),
            )
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
        let post = created.json();
        let text_of = |post: &serde_json::Value, network: &str| {
            variant_of(post, network)["parts"][0]["text"]
                .as_str()
                .unwrap()
                .to_owned()
        };
        assert_eq!(
            text_of(&post, "x"),
            "A lovely guide to pour-over.\n\nVia @ana_brews: https://ana.coffee/pour-over"
        );
        assert_eq!(
            text_of(&post, "mastodon"),
            "A lovely guide to pour-over.\n\nVia @ana@social.coop: https://ana.coffee/pour-over"
        );
        assert_eq!(
            text_of(&post, "linkedin"),
            "A lovely guide to pour-over.\n\nVia Ana Ruiz: https://ana.coffee/pour-over",
            "no handle for LinkedIn: the author's name"
        );
        let x_variant = variant_of(&post, "x");
        let mentions: Vec<&str> = x_variant["parts"][0]["check"]["entities"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["kind"] == "mention")
            .map(|e| e["text"].as_str().unwrap())
            .collect();
        assert_eq!(
            mentions,
            vec!["@ana_brews"],
            "the credit counts and mentions"
        );
        assert_eq!(post["credit"]["handles"]["x"], "@ana_brews");

        let id = post["id"].as_str().unwrap();
        let bad = app
            .patch(
                &format!("/api/v1/workspaces/{ws}/posts/{id}"),
                &token,
                json!({"credit": {"url": "javascript:alert(1)", "handles": {"x": "far too long a handle", "bluesky": "nodot"}}}),
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            bad.error_fields(),
            vec!["credit.url", "credit.handles.x", "credit.handles.bluesky"]
        );
        let cleared = app
            .patch(
                &format!("/api/v1/workspaces/{ws}/posts/{id}"),
                &token,
                json!({"credit": {}}),
            )
            .await
            .json();
        assert_eq!(text_of(&cleared, "x"), "A lovely guide to pour-over.");
        assert!(cleared["credit"].is_null());
    }
}
