//! Threads: OAuth with long-lived tokens, threads of text with reply control and a link,
//! video and carousel containers polled, quotas, delete, posts with insights, replies,
//! the profile with followers.

use herald::connectors::model::{InteractionKind, LinkCard, Part, PublishRequest, RemoteRef};
use herald::connectors::{Connector, ConnectorError};
use herald::domain::post::VariantOptions;
use serde_json::json;
use wiremock::matchers::{body_string_contains, method, path, path_regex, query_param};
use wiremock::{Mock, MockServer};

use super::*;

const USER: &str = "1234567890";
const BASE: &str = "/threads/v1.0";

fn th_session() -> herald::connectors::Session {
    session("th-token", &[("user_id", USER)])
}

fn parts(texts: &[&str]) -> PublishRequest {
    PublishRequest {
        parts: texts
            .iter()
            .map(|t| Part {
                text: (*t).into(),
                media: vec![],
            })
            .collect(),
        ..PublishRequest::default()
    }
}

async fn mount_limit(server: &MockServer) -> Option<()> {
    let limit = shared("threads", "docs_publishing_limit.json")?;
    Mock::given(method("GET"))
        .and(path(format!("{BASE}/{USER}/threads_publishing_limit")))
        .respond_with(ok(&limit))
        .mount(server)
        .await;
    Some(())
}

/// Every container is FINISHED at once, and publishing answers `published`.
async fn mount_finished_and_publish(server: &MockServer) -> Option<()> {
    let finished = shared("threads", "docs_container_status_finished.json")?;
    Mock::given(method("GET"))
        .and(path_regex(r"^/threads/v1\.0/1788961569192164\d$"))
        .respond_with(ok(&finished))
        .mount(server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("{BASE}/{USER}/threads_publish")))
        .respond_with(ok(&own("threads/published.json")))
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{BASE}/1234567")))
        .and(query_param("fields", "permalink"))
        .respond_with(ok(&own("threads/permalink.json")))
        .mount(server)
        .await;
    Some(())
}

#[tokio::test]
async fn threads_connect_with_long_lived_token_and_refresh() {
    let (Some(short), Some(long), Some(refreshed)) = (
        shared("threads", "oauth_short_lived_token.json"),
        shared("threads", "docs_long_lived_token_exchange.json"),
        shared("threads", "oauth_long_lived_token.json"),
    ) else {
        return;
    };
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("{BASE}/oauth/access_token")))
        .respond_with(ok(&short))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{BASE}/access_token")))
        .and(query_param("grant_type", "th_exchange_token"))
        .respond_with(ok(&long))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{BASE}/refresh_access_token")))
        .and(query_param("grant_type", "th_refresh_token"))
        .respond_with(ok(&refreshed))
        .expect(1)
        .mount(&server)
        .await;
    let th = threads(&server);
    let redirect = "https://herald.example/oauth/threads";

    let url = th.authorize_url(&app(), redirect, "st4te");
    assert_eq!(url.path(), "/threads/oauth/authorize");
    let q: BTreeMap<String, String> = url.query_pairs().into_owned().collect();
    assert_eq!(
        (
            q["client_id"].as_str(),
            q["state"].as_str(),
            q["response_type"].as_str()
        ),
        ("app-id", "st4te", "code")
    );
    for scope in [
        "threads_basic",
        "threads_content_publish",
        "threads_manage_insights",
        "threads_read_replies",
        "threads_delete",
    ] {
        assert!(q["scope"].split(',').any(|s| s == scope), "{scope}");
    }

    let first = th.exchange_code(&app(), redirect, "th-code").await.unwrap();
    assert_eq!(first.access_token, "THQVJ...");
    assert_eq!(
        first.extra["user_id"], "12345678",
        "the number Threads sends, as text"
    );
    assert_eq!(first.expires_at_ms, None);
    let code = form(&one(&server, "POST", &format!("{BASE}/oauth/access_token")).await);
    assert_eq!(
        (code["grant_type"].as_str(), code["code"].as_str()),
        ("authorization_code", "th-code")
    );
    assert_eq!(
        (code["client_id"].as_str(), code["client_secret"].as_str()),
        ("app-id", "app-secret")
    );
    assert_eq!(code["redirect_uri"], redirect);

    let lasting = th.long_lived(&app(), &first).await.unwrap();
    assert_eq!(lasting.access_token, "<LONG_LIVED_USER_ACCESS_TOKEN>");
    assert_eq!(lasting.expires_at_ms, Some(NOW + 5_183_944_000));
    assert_eq!(lasting.extra["user_id"], "12345678");
    let exchange = query(&one(&server, "GET", &format!("{BASE}/access_token")).await);
    assert_eq!(
        (
            exchange["client_secret"].as_str(),
            exchange["access_token"].as_str()
        ),
        ("app-secret", "THQVJ...")
    );

    let mut channel = herald::connectors::Session::new(
        url::Url::parse("https://graph.threads.net").unwrap(),
        lasting,
    );
    th.refresh(&mut channel).await.unwrap();
    assert!(channel.changed);
    assert_eq!(channel.credentials.access_token, "THQVJ...");
    assert_eq!(channel.credentials.extra["user_id"], "12345678");
    let refresh = query(&one(&server, "GET", &format!("{BASE}/refresh_access_token")).await);
    assert_eq!(refresh["access_token"], "<LONG_LIVED_USER_ACCESS_TOKEN>");
}

#[tokio::test]
async fn threads_thread_of_text_with_reply_control_and_link() {
    let server = MockServer::start().await;
    if mount_limit(&server).await.is_none() || mount_finished_and_publish(&server).await.is_none() {
        return;
    }
    Mock::given(method("POST"))
        .and(path(format!("{BASE}/{USER}/threads")))
        .and(body_string_contains("reply_to_id=1234567&"))
        .respond_with(ok(&own("threads/container_created_2.json")))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("{BASE}/{USER}/threads")))
        .respond_with(ok(&own("threads/container_created.json")))
        .mount(&server)
        .await;
    // The second part publishes as another post; its permalink read fails, which must not
    // fail a publish that happened.
    Mock::given(method("POST"))
        .and(path(format!("{BASE}/{USER}/threads_publish")))
        .and(body_string_contains("creation_id=17889615691921649"))
        .respond_with(ok(&own("threads/published_2.json")))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{BASE}/1234568")))
        .respond_with(status(500, &json!({"error": {"message": "An unknown error has occurred.", "type": "OAuthException", "code": 1}})))
        .mount(&server)
        .await;
    let mut request = parts(&[
        "(1/2) Herald ships today https://herald.example",
        "(2/2) and more",
    ]);
    request.link_card = Some(LinkCard {
        url: "https://herald.example".into(),
        title: String::new(),
        description: String::new(),
        thumb: None,
    });
    request.options = VariantOptions {
        reply_control: Some("accounts_you_follow".into()),
        ..VariantOptions::default()
    };

    let done = threads(&server)
        .publish(&mut th_session(), &request)
        .await
        .unwrap();

    let ids: Vec<&str> = done.parts.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["1234567", "1234568"]);
    assert_eq!(
        done.parts[0].url.as_deref(),
        Some("https://www.threads.net/@threadsapitestuser/post/C8Jk0BwJhQX")
    );
    assert_eq!(done.parts[1].url, None);
    let made: Vec<_> = sent(&server, "POST", &format!("{BASE}/{USER}/threads"))
        .await
        .iter()
        .map(form)
        .collect();
    assert_eq!(made.len(), 2);
    assert_eq!(made[0]["media_type"], "TEXT");
    assert_eq!(
        made[0]["text"],
        "(1/2) Herald ships today https://herald.example"
    );
    assert_eq!(made[0]["reply_control"], "accounts_you_follow");
    assert_eq!(made[0]["link_attachment"], "https://herald.example");
    assert!(!made[0].contains_key("reply_to_id"));
    assert_eq!(made[0]["access_token"], "th-token");
    assert_eq!(
        made[1]["reply_to_id"], "1234567",
        "the second part replies to the first"
    );
    assert!(!made[1].contains_key("reply_control") && !made[1].contains_key("link_attachment"));
    let published: Vec<_> = sent(&server, "POST", &format!("{BASE}/{USER}/threads_publish"))
        .await
        .iter()
        .map(form)
        .collect();
    assert_eq!(published[0]["creation_id"], "17889615691921648");
    assert_eq!(published[1]["creation_id"], "17889615691921649");
    let status = query(&sent(&server, "GET", &format!("{BASE}/17889615691921648")).await[0]);
    assert_eq!(status["fields"], "status,error_message");
}

#[tokio::test]
async fn threads_video_is_polled_until_finished() {
    let server = MockServer::start().await;
    if mount_limit(&server).await.is_none() {
        return;
    }
    Mock::given(method("GET"))
        .and(path(format!("{BASE}/17889615691921648")))
        .respond_with(ok(&own("threads/container_in_progress.json")))
        .up_to_n_times(2)
        .with_priority(1)
        .mount(&server)
        .await;
    mount_finished_and_publish(&server).await;
    Mock::given(method("POST"))
        .and(path(format!("{BASE}/{USER}/threads")))
        .respond_with(ok(&own("threads/container_created.json")))
        .mount(&server)
        .await;
    let mut request = parts(&["Launch day"]);
    request.parts[0].media = vec![video("launch.mp4", "The team cheering")];

    let done = threads(&server)
        .publish(&mut th_session(), &request)
        .await
        .unwrap();

    assert_eq!(done.parts[0].id, "1234567");
    let made = form(&one(&server, "POST", &format!("{BASE}/{USER}/threads")).await);
    assert_eq!(made["media_type"], "VIDEO");
    assert_eq!(made["video_url"], public("launch.mp4"));
    assert_eq!(made["alt_text"], "The team cheering");
    assert_eq!(made["text"], "Launch day");
    assert_eq!(
        sent(&server, "GET", &format!("{BASE}/17889615691921648"))
            .await
            .len(),
        3
    );
    assert_eq!(
        sent(&server, "POST", &format!("{BASE}/{USER}/threads_publish"))
            .await
            .len(),
        1
    );
}

#[tokio::test]
async fn threads_carousel_waits_for_each_item() {
    let server = MockServer::start().await;
    if mount_limit(&server).await.is_none() || mount_finished_and_publish(&server).await.is_none() {
        return;
    }
    let container = |needle: &'static str, id: &'static str| {
        Mock::given(method("POST"))
            .and(path(format!("{BASE}/{USER}/threads")))
            .and(body_string_contains(needle))
            .respond_with(ok(&json!({ "id": id })))
    };
    container("a.jpg", "17889615691921641").mount(&server).await;
    container("b.jpg", "17889615691921642").mount(&server).await;
    container("media_type=CAROUSEL", "17889615691921648")
        .mount(&server)
        .await;
    let mut request = parts(&["Two photos"]);
    request.parts[0].media = vec![image("a.jpg", "Left"), image("b.jpg", "Right")];

    threads(&server)
        .publish(&mut th_session(), &request)
        .await
        .unwrap();

    let made: Vec<_> = sent(&server, "POST", &format!("{BASE}/{USER}/threads"))
        .await
        .iter()
        .map(form)
        .collect();
    assert_eq!(made.len(), 3);
    assert_eq!(
        (
            made[0]["media_type"].as_str(),
            made[0]["is_carousel_item"].as_str()
        ),
        ("IMAGE", "true")
    );
    assert_eq!(made[0]["image_url"], public("a.jpg"));
    assert_eq!(made[1]["alt_text"], "Right");
    assert_eq!(made[2]["children"], "17889615691921641,17889615691921642");
    assert_eq!(made[2]["text"], "Two photos");
    for item in [
        "17889615691921641",
        "17889615691921642",
        "17889615691921648",
    ] {
        assert_eq!(
            sent(&server, "GET", &format!("{BASE}/{item}")).await.len(),
            1,
            "{item} polled"
        );
    }
}

#[tokio::test]
async fn threads_stops_at_a_failed_part_and_says_what_was_published() {
    let server = MockServer::start().await;
    if mount_limit(&server).await.is_none() || mount_finished_and_publish(&server).await.is_none() {
        return;
    }
    Mock::given(method("POST"))
        .and(path(format!("{BASE}/{USER}/threads")))
        .and(body_string_contains("reply_to_id"))
        .respond_with(ok(&own("threads/container_created_2.json")))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("{BASE}/{USER}/threads")))
        .respond_with(ok(&own("threads/container_created.json")))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{BASE}/17889615691921649")))
        .respond_with(ok(&own("threads/container_error.json")))
        .with_priority(1)
        .mount(&server)
        .await;
    let mut request = parts(&["first", "second"]);
    request.parts[1].media = vec![video("broken.mp4", "")];

    let error = threads(&server)
        .publish(&mut th_session(), &request)
        .await
        .unwrap_err();

    assert_eq!(
        error.error,
        ConnectorError::rejected("FAILED_DOWNLOADING_VIDEO", Some("container_error".into()))
    );
    assert_eq!(
        error.done.parts.len(),
        1,
        "the first part is published and said so"
    );
    assert_eq!(error.done.parts[0].id, "1234567");
    assert_eq!(
        sent(&server, "POST", &format!("{BASE}/{USER}/threads_publish"))
            .await
            .len(),
        1
    );
}

#[tokio::test]
async fn threads_reply_quota_used_up_is_rate_limited() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("{BASE}/{USER}/threads_publishing_limit")))
        .respond_with(ok(&own("threads/publishing_limit_replies_used.json")))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("{BASE}/{USER}/threads")))
        .respond_with(ok(&json!({})))
        .expect(0)
        .mount(&server)
        .await;

    let error = threads(&server)
        .publish(&mut th_session(), &parts(&["one", "two"]))
        .await
        .unwrap_err();

    assert_eq!(
        error.error,
        ConnectorError::RateLimited {
            retry_at_ms: Some(NOW + HOUR_MS)
        }
    );
    let ask = query(
        &one(
            &server,
            "GET",
            &format!("{BASE}/{USER}/threads_publishing_limit"),
        )
        .await,
    );
    assert_eq!(
        ask["fields"],
        "quota_usage,config,reply_quota_usage,reply_config"
    );
}

#[tokio::test]
async fn threads_first_comment_is_a_reply_to_the_first_part() {
    let server = MockServer::start().await;
    if mount_limit(&server).await.is_none() || mount_finished_and_publish(&server).await.is_none() {
        return;
    }
    Mock::given(method("POST"))
        .and(path(format!("{BASE}/{USER}/threads")))
        .and(body_string_contains("reply_to_id=1234567"))
        .respond_with(ok(&own("threads/container_created_2.json")))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("{BASE}/{USER}/threads")))
        .respond_with(ok(&own("threads/container_created.json")))
        .mount(&server)
        .await;
    let mut request = parts(&["Main post"]);
    request.first_comment = Some("Link in this reply".into());

    let done = threads(&server)
        .publish(&mut th_session(), &request)
        .await
        .unwrap();

    assert_eq!(done.parts.len(), 1);
    assert!(done.first_comment.is_some());
    let made: Vec<_> = sent(&server, "POST", &format!("{BASE}/{USER}/threads"))
        .await
        .iter()
        .map(form)
        .collect();
    assert_eq!(made[1]["text"], "Link in this reply");
    assert_eq!(made[1]["reply_to_id"], "1234567");
}

#[tokio::test]
async fn threads_delete_removes_the_post() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path(format!("{BASE}/1234567")))
        .and(query_param("access_token", "th-token"))
        .respond_with(ok(&own("threads/delete.json")))
        .expect(1)
        .mount(&server)
        .await;
    let post = RemoteRef {
        id: "1234567".into(),
        url: None,
        cid: None,
    };
    threads(&server)
        .delete(&mut th_session(), &post)
        .await
        .unwrap();
}

#[tokio::test]
async fn threads_recent_posts_with_insights() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("{BASE}/{USER}/threads")))
        .respond_with(ok(&own("threads/threads_list.json")))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{BASE}/1234567/insights")))
        .respond_with(ok(&own("threads/media_insights.json")))
        .mount(&server)
        .await;
    let no_permission = json!({"error": {"message": "(#10) Application does not have permission for this action", "type": "THApiException", "code": 10, "fbtrace_id": "A2"}});
    Mock::given(method("GET"))
        .and(path(format!("{BASE}/1234566/insights")))
        .respond_with(status(403, &no_permission))
        .mount(&server)
        .await;

    let posts = threads(&server)
        .recent_posts(&mut th_session(), 10)
        .await
        .unwrap();

    assert_eq!(posts.len(), 2);
    assert_eq!(posts[0].post.id, "1234567");
    assert_eq!(posts[0].text, "First Thread Post");
    assert_eq!(
        posts[0].post.url.as_deref(),
        Some("https://www.threads.net/@threadsapitestuser/post/C8Jk0BwJhQX")
    );
    let m = &posts[0].metrics;
    assert_eq!(
        (m.impressions, m.likes, m.replies, m.reposts, m.quotes),
        (Some(4210), Some(120), Some(14), Some(7), Some(3))
    );
    assert_eq!(
        posts[1].metrics,
        Default::default(),
        "insights refused: no numbers, no failure"
    );
    let ask = query(&one(&server, "GET", &format!("{BASE}/1234567/insights")).await);
    assert_eq!(ask["metric"], "views,likes,replies,reposts,quotes");
}

#[tokio::test]
async fn threads_replies_without_the_accounts_own() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("{BASE}/{USER}")))
        .respond_with(ok(&own("threads/user.json")))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{BASE}/{USER}/threads")))
        .respond_with(ok(&own("threads/threads_list.json")))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{BASE}/1234567/replies")))
        .respond_with(ok(&own("threads/replies.json")))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{BASE}/1234566/replies")))
        .respond_with(ok(&json!({"data": []})))
        .mount(&server)
        .await;

    let found = threads(&server)
        .interactions(&mut th_session(), 10)
        .await
        .unwrap();

    assert_eq!(
        found.len(),
        1,
        "the account's own thread part is not a reply to answer"
    );
    assert_eq!(found[0].kind, InteractionKind::Reply);
    assert_eq!(found[0].id, "1234599");
    assert_eq!(found[0].author.handle, "@someone_else");
    assert_eq!(found[0].subject.as_deref(), Some("1234567"));
    assert_eq!(found[0].at_ms, Some(1_795_201_200_000));
    assert!(
        sent(&server, "GET", &format!("{BASE}/1234567/insights"))
            .await
            .is_empty(),
        "no insights needed"
    );
}

#[tokio::test]
async fn threads_profile_with_followers() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("{BASE}/{USER}")))
        .respond_with(ok(&own("threads/user.json")))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{BASE}/{USER}/threads_insights")))
        .and(query_param("metric", "followers_count"))
        .respond_with(ok(&own("threads/user_insights_followers.json")))
        .expect(1)
        .mount(&server)
        .await;

    let account = threads(&server).verify(&mut th_session()).await.unwrap();

    assert_eq!(account.remote_id, USER);
    assert_eq!(account.handle, "@threadsapitestuser");
    assert_eq!(account.display_name, "Threads API Test User");
    assert_eq!(account.followers, Some(10342));
    assert_eq!(
        account.profile_url.as_deref(),
        Some("https://www.threads.net/@threadsapitestuser")
    );
}

#[tokio::test]
async fn threads_expired_token_is_auth_expired() {
    let Some(expired) = shared("facebook", "error_190_463_token_expired.json") else {
        return;
    };
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("{BASE}/{USER}")))
        .respond_with(status(400, &expired))
        .mount(&server)
        .await;
    let error = threads(&server)
        .verify(&mut th_session())
        .await
        .unwrap_err();
    assert_eq!(
        error.kind(),
        "auth_expired",
        "Threads answers Graph's error shape"
    );
}
