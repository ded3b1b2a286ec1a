//! Facebook Pages: Facebook Login, pages to pick, publishing every kind of post, reading
//! posts, comments, conversations and other pages.

use herald::connectors::meta::Endpoints;
use herald::connectors::model::{InteractionKind, LinkCard, Part, PublishRequest};
use herald::connectors::{Connector, ConnectorError};
use herald::domain::post::VariantOptions;
use serde_json::json;
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer};

use super::*;

const PAGE: &str = "123";

fn page_session() -> herald::connectors::Session {
    session("page-token", &[("page_id", PAGE)])
}

fn text_request(text: &str) -> PublishRequest {
    PublishRequest {
        parts: vec![Part {
            text: text.into(),
            media: vec![],
        }],
        ..PublishRequest::default()
    }
}

#[tokio::test]
async fn facebook_login_url_asks_for_pages_and_instagram_with_state() {
    let default = Endpoints::default();
    assert_eq!(default.graph.as_str(), "https://graph.facebook.com/v24.0");
    assert_eq!(
        default.facebook_authorize.as_str(),
        "https://www.facebook.com/v24.0/dialog/oauth"
    );
    let server = MockServer::start().await;
    let url =
        facebook(&server).authorize_url(&app(), "https://herald.example/oauth/facebook", "st4te");
    assert_eq!(url.path(), "/v24.0/dialog/oauth");
    let q: BTreeMap<String, String> = url.query_pairs().into_owned().collect();
    assert_eq!(q["client_id"], "app-id");
    assert_eq!(q["redirect_uri"], "https://herald.example/oauth/facebook");
    assert_eq!(q["state"], "st4te");
    assert_eq!(q["response_type"], "code");
    let scopes: Vec<&str> = q["scope"].split(',').collect();
    for wanted in [
        "pages_show_list",
        "pages_read_engagement",
        "pages_manage_posts",
        "pages_read_user_content",
        "pages_manage_engagement",
        "read_insights",
        "instagram_basic",
        "instagram_content_publish",
        "instagram_manage_comments",
        "instagram_manage_insights",
        "business_management",
    ] {
        assert!(scopes.contains(&wanted), "{wanted} missing from {scopes:?}");
    }
    assert!(
        !q.contains_key("client_secret"),
        "the secret never goes to the browser"
    );
}

#[tokio::test]
async fn facebook_code_becomes_a_long_lived_token_then_pages_to_pick() {
    let (Some(long), Some(first), Some(second)) = (
        shared("facebook", "oauth_long_lived_token.json"),
        shared("facebook", "me_accounts_pages.json"),
        shared("facebook", "user_accounts_page_tokens.json"),
    ) else {
        return;
    };
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v24.0/oauth/access_token"))
        .and(query_param("code", "the-code"))
        .respond_with(ok(&own("facebook/oauth_code_token.json")))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v24.0/oauth/access_token"))
        .and(query_param("grant_type", "fb_exchange_token"))
        .respond_with(ok(&long))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v24.0/me/accounts"))
        .and(query_param_is_missing("after"))
        .respond_with(ok(&first))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v24.0/me/accounts"))
        .and(query_param("after", "after"))
        .respond_with(ok(&second))
        .mount(&server)
        .await;
    let fb = facebook(&server);
    let redirect = "https://herald.example/oauth/facebook";

    let short = fb
        .exchange_code(&app(), redirect, "the-code")
        .await
        .unwrap();
    assert_eq!(short.access_token, "EAAshort");
    assert_eq!(short.expires_at_ms, Some(NOW + 5183 * 1000));
    let exchange = &sent(&server, "GET", "/v24.0/oauth/access_token").await[0];
    let q = query(exchange);
    assert_eq!(
        (q["client_id"].as_str(), q["client_secret"].as_str()),
        ("app-id", "app-secret")
    );
    assert_eq!(q["redirect_uri"], redirect);

    let user = fb.long_lived(&app(), &short).await.unwrap();
    assert_eq!(user.access_token, "token");
    assert_eq!(user.expires_at_ms, Some(NOW + 5_184_000 * 1000), "60 days");
    let exchange = &sent(&server, "GET", "/v24.0/oauth/access_token").await[1];
    assert_eq!(query(exchange)["fb_exchange_token"], "EAAshort");

    let pages = fb.pages(&user).await.unwrap();
    let ids: Vec<&str> = pages.iter().map(|p| p.account.remote_id.as_str()).collect();
    assert_eq!(
        ids,
        ["123", "1234", "123512", "1234624", "2121008874780932"],
        "both lists, in order"
    );
    assert_eq!(pages[0].account.display_name, "AAAAAAAAA");
    assert_eq!(pages[4].account.display_name, "MyLife");
    assert_eq!(
        pages[4].credentials.access_token, "access_token",
        "the page's own token"
    );
    assert_eq!(pages[4].credentials.extra["page_id"], "2121008874780932");
    assert_eq!(
        pages[4].credentials.expires_at_ms, None,
        "page tokens do not expire"
    );
    let lists = sent(&server, "GET", "/v24.0/me/accounts").await;
    assert_eq!(lists.len(), 2);
    let q = query(&lists[0]);
    assert_eq!(
        q["access_token"], "token",
        "listed with the long-lived user token"
    );
    assert!(q["fields"].contains("access_token") && q["fields"].contains("tasks"));
    assert_eq!(
        query(&lists[1])["after"],
        "after",
        "the next list by cursor, on Herald's base"
    );
}

#[tokio::test]
async fn facebook_text_post_with_link_card_and_first_comment() {
    let (Some(created), Some(comment)) = (
        shared("facebook", "create_page_post.json"),
        shared("facebook", "create_comment_reply.json"),
    ) else {
        return;
    };
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v24.0/123/feed"))
        .respond_with(ok(&created))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v24.0/1647395831_130068550371568/comments"))
        .respond_with(ok(&comment))
        .expect(1)
        .mount(&server)
        .await;
    let mut request = text_request("New release: https://herald.example/blog");
    request.first_comment = Some("Notes in the comments".into());
    request.link_card = Some(LinkCard {
        url: "https://herald.example/blog".into(),
        title: "Blog".into(),
        description: String::new(),
        thumb: None,
    });

    let done = facebook(&server)
        .publish(&mut page_session(), &request)
        .await
        .unwrap();

    assert_eq!(done.parts[0].id, "1647395831_130068550371568");
    assert_eq!(
        done.parts[0].url.as_deref(),
        Some("https://www.facebook.com/1647395831/posts/130068550371568")
    );
    assert_eq!(
        done.first_comment.as_ref().unwrap().id,
        "245778718206154_229887283291835"
    );
    let feed = form(&one(&server, "POST", "/v24.0/123/feed").await);
    assert_eq!(feed["message"], "New release: https://herald.example/blog");
    assert_eq!(
        feed["link"], "https://herald.example/blog",
        "Facebook draws the card from link"
    );
    assert_eq!(feed["access_token"], "page-token");
    let posted = form(
        &one(
            &server,
            "POST",
            "/v24.0/1647395831_130068550371568/comments",
        )
        .await,
    );
    assert_eq!(posted["message"], "Notes in the comments");
    assert_eq!(posted["access_token"], "page-token");
}

#[tokio::test]
async fn facebook_text_format_sends_no_link() {
    let Some(created) = shared("facebook", "create_page_post.json") else {
        return;
    };
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v24.0/123/feed"))
        .respond_with(ok(&created))
        .mount(&server)
        .await;
    let mut request = text_request("Plain words https://herald.example");
    request.link_card = Some(LinkCard {
        url: "https://herald.example".into(),
        title: String::new(),
        description: String::new(),
        thumb: None,
    });
    request.options = VariantOptions {
        facebook_format: Some("text".into()),
        ..VariantOptions::default()
    };
    facebook(&server)
        .publish(&mut page_session(), &request)
        .await
        .unwrap();
    assert!(!form(&one(&server, "POST", "/v24.0/123/feed").await).contains_key("link"));
}

#[tokio::test]
async fn facebook_photo_carries_its_alt_text() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v24.0/123/photos"))
        .respond_with(ok(&own("facebook/photo_posted.json")))
        .expect(1)
        .mount(&server)
        .await;
    let mut request = text_request("Our new shop");
    request.parts[0].media = vec![image("shop.jpg", "A blue shop front")];

    let done = facebook(&server)
        .publish(&mut page_session(), &request)
        .await
        .unwrap();

    assert_eq!(
        done.parts[0].id, "19292868552_10158349356748553",
        "the post, not the photo"
    );
    assert_eq!(
        done.parts[0].url.as_deref(),
        Some("https://www.facebook.com/19292868552/posts/10158349356748553")
    );
    let upload = one(&server, "POST", "/v24.0/123/photos").await;
    assert_eq!(
        multipart(&upload, "caption").as_deref(),
        Some("Our new shop")
    );
    assert_eq!(
        multipart(&upload, "alt_text_custom").as_deref(),
        Some("A blue shop front")
    );
    assert_eq!(
        multipart(&upload, "access_token").as_deref(),
        Some("page-token")
    );
    assert_eq!(
        multipart(&upload, "published"),
        None,
        "published unless told otherwise"
    );
    let body = String::from_utf8_lossy(&upload.body);
    assert!(
        body.contains("name=\"source\"; filename=\"shop.jpg\""),
        "the file itself is sent"
    );
}

#[tokio::test]
async fn facebook_several_photos_become_one_post() {
    let Some(created) = shared("facebook", "create_page_post.json") else {
        return;
    };
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v24.0/123/photos"))
        .respond_with(ok(&own("facebook/photo_unpublished_1.json")))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v24.0/123/photos"))
        .respond_with(ok(&own("facebook/photo_unpublished_2.json")))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v24.0/123/feed"))
        .respond_with(ok(&created))
        .expect(1)
        .mount(&server)
        .await;
    let mut request = text_request("Two views");
    request.parts[0].media = vec![image("a.jpg", "First view"), image("b.jpg", "")];

    let done = facebook(&server)
        .publish(&mut page_session(), &request)
        .await
        .unwrap();

    assert_eq!(done.parts[0].id, "1647395831_130068550371568");
    let uploads = sent(&server, "POST", "/v24.0/123/photos").await;
    assert_eq!(uploads.len(), 2);
    for upload in &uploads {
        assert_eq!(
            multipart(upload, "published").as_deref(),
            Some("false"),
            "not shown on their own"
        );
    }
    assert_eq!(
        multipart(&uploads[0], "alt_text_custom").as_deref(),
        Some("First view")
    );
    assert_eq!(multipart(&uploads[1], "alt_text_custom"), None);
    let feed = form(&one(&server, "POST", "/v24.0/123/feed").await);
    assert_eq!(feed["message"], "Two views");
    assert_eq!(
        feed["attached_media[0]"],
        r#"{"media_fbid":"2211000000000001"}"#
    );
    assert_eq!(
        feed["attached_media[1]"],
        r#"{"media_fbid":"2211000000000002"}"#
    );
}

#[tokio::test]
async fn facebook_video_goes_to_the_video_host() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/video/v24.0/123/videos"))
        .respond_with(ok(&own("facebook/video_posted.json")))
        .expect(1)
        .mount(&server)
        .await;
    let mut request = text_request("Watch this");
    request.parts[0].media = vec![video("clip.mp4", "")];

    let done = facebook(&server)
        .publish(&mut page_session(), &request)
        .await
        .unwrap();

    assert_eq!(done.parts[0].id, "1192957457884299");
    assert_eq!(
        done.parts[0].url.as_deref(),
        Some("https://www.facebook.com/123/videos/1192957457884299/")
    );
    let upload = one(&server, "POST", "/video/v24.0/123/videos").await;
    assert_eq!(
        multipart(&upload, "description").as_deref(),
        Some("Watch this")
    );
    assert!(String::from_utf8_lossy(&upload.body).contains("filename=\"clip.mp4\""));
}

#[tokio::test]
async fn facebook_refuses_photos_with_a_video_and_threads() {
    let server = MockServer::start().await;
    let fb = facebook(&server);
    let mut mixed = text_request("both");
    mixed.parts[0].media = vec![image("a.jpg", ""), video("b.mp4", "")];
    let error = fb.publish(&mut page_session(), &mixed).await.unwrap_err();
    assert_eq!(
        error.error,
        ConnectorError::rejected(
            "a Facebook post takes photos or one video, not both",
            Some("mixed_media".into())
        )
    );
    let mut thread = text_request("one");
    thread.parts.push(Part {
        text: "two".into(),
        media: vec![],
    });
    assert_eq!(
        fb.publish(&mut page_session(), &thread)
            .await
            .unwrap_err()
            .error
            .kind(),
        "unsupported"
    );
    assert!(received(&server).await.is_empty(), "nothing was sent");
}

#[tokio::test]
async fn facebook_delete_removes_the_post() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/v24.0/19292868552_10158349356748553"))
        .and(query_param("access_token", "page-token"))
        .respond_with(ok(&own("facebook/delete_success.json")))
        .expect(1)
        .mount(&server)
        .await;
    let post = herald::connectors::model::RemoteRef {
        id: "19292868552_10158349356748553".into(),
        url: None,
        cid: None,
    };
    facebook(&server)
        .delete(&mut page_session(), &post)
        .await
        .unwrap();
}

#[tokio::test]
async fn facebook_recent_posts_carry_counts_and_views() {
    let Some(feed) = shared("facebook", "page_feed_default_fields.json") else {
        return;
    };
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v24.0/123/posts"))
        .respond_with(ok(&feed))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v24.0/"))
        .respond_with(ok(&own("facebook/posts_media_views.json")))
        .expect(1)
        .mount(&server)
        .await;

    let posts = facebook(&server)
        .recent_posts(&mut page_session(), 5)
        .await
        .unwrap();

    assert_eq!(posts.len(), 5);
    let first = &posts[0];
    assert_eq!(first.post.id, "19292868552_10158349356748553");
    assert_eq!(
        first.post.url.as_deref(),
        Some("https://www.facebook.com/19292868552/posts/10158349356748553/")
    );
    assert!(first.text.starts_with("Singaporean logistics company"));
    assert_eq!(first.created_at_ms, Some(1_625_857_792_000));
    assert_eq!(first.metrics.likes, Some(125), "reactions of every kind");
    assert_eq!(first.metrics.replies, Some(13));
    assert_eq!(first.metrics.reposts, Some(10));
    assert_eq!(first.metrics.impressions, Some(5120));
    assert_eq!(posts[1].metrics.impressions, Some(4033));
    assert_eq!(posts[2].metrics.impressions, None, "no views for this one");
    assert_eq!(
        (posts[4].metrics.likes, posts[4].metrics.replies),
        (Some(179), Some(49))
    );
    let list = query(&one(&server, "GET", "/v24.0/123/posts").await);
    assert_eq!(list["limit"], "5");
    assert!(list["fields"].contains("reactions.summary(total_count).limit(0)"));
    assert!(list["fields"].contains("comments.summary(true).limit(0)"));
    assert_eq!(list["access_token"], "page-token");
    let views = query(&one(&server, "GET", "/v24.0/").await);
    assert_eq!(views["fields"], "insights.metric(post_media_view)");
    assert_eq!(
        views["ids"].split(',').count(),
        5,
        "one call for all the posts"
    );
}

#[tokio::test]
async fn facebook_posts_come_without_views_when_meta_refuses_the_metric() {
    let Some(feed) = shared("facebook", "page_feed_default_fields.json") else {
        return;
    };
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v24.0/123/posts"))
        .respond_with(ok(&feed))
        .mount(&server)
        .await;
    let retired = json!({"error": {"message": "(#100) The value must be a valid insights metric", "type": "OAuthException", "code": 100, "fbtrace_id": "A1"}});
    Mock::given(method("GET"))
        .and(path("/v24.0/"))
        .respond_with(status(400, &retired))
        .mount(&server)
        .await;

    let posts = facebook(&server)
        .recent_posts(&mut page_session(), 5)
        .await
        .unwrap();

    assert_eq!(posts.len(), 5);
    assert!(posts.iter().all(|p| p.metrics.impressions.is_none()));
    assert_eq!(posts[0].metrics.likes, Some(125), "the counts still come");
}

#[tokio::test]
async fn facebook_comments_become_interactions() {
    let (Some(feed), Some(comments)) = (
        shared("facebook", "page_feed_default_fields.json"),
        shared("facebook", "post_comments.json"),
    ) else {
        return;
    };
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v24.0/123/posts"))
        .respond_with(ok(&feed))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v24.0/"))
        .respond_with(ok(&json!({})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v24.0/19292868552_10158349356748553/comments"))
        .respond_with(ok(&comments))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(wiremock::matchers::path_regex(
            r"^/v24\.0/[0-9_]+/comments$",
        ))
        .respond_with(ok(&json!({"data": []})))
        .mount(&server)
        .await;

    let found = facebook(&server)
        .interactions(&mut page_session(), 4)
        .await
        .unwrap();

    assert_eq!(found.len(), 4, "the newest four");
    let newest = &found[0];
    assert_eq!(newest.kind, InteractionKind::Reply);
    assert_eq!(
        newest.id, "10158411321043553",
        "read from the permalink when Meta leaves id out"
    );
    assert_eq!(
        newest.text.as_deref(),
        Some(
            "Hi, check out the Facebook for Business website for more information: http://bit.ly/2PNySDX"
        )
    );
    assert_eq!(
        newest.subject.as_deref(),
        Some("19292868552_10158349356748553")
    );
    assert_eq!(newest.at_ms, Some(1_628_793_051_000));
    assert!(
        found.windows(2).all(|w| w[0].at_ms >= w[1].at_ms),
        "newest first"
    );
    let ask = query(
        &one(
            &server,
            "GET",
            "/v24.0/19292868552_10158349356748553/comments",
        )
        .await,
    );
    assert_eq!(ask["filter"], "stream", "replies too");
    assert_eq!(ask["order"], "reverse_chronological");
    assert!(ask["fields"].contains("from{id,name}"));
    assert_eq!(sent(&server, "GET", "/v24.0/123/posts").await.len(), 1);
}

#[tokio::test]
async fn facebook_conversations_are_messages() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v24.0/123/conversations"))
        .respond_with(ok(&own("facebook/conversations.json")))
        .expect(1)
        .mount(&server)
        .await;

    let messages = facebook(&server)
        .messages(&mut page_session(), 10)
        .await
        .unwrap();

    assert_eq!(messages.len(), 2);
    assert_eq!(messages[0].kind, InteractionKind::Message);
    assert_eq!(messages[0].id, "t_10224438178233001");
    assert_eq!(messages[0].author.display_name, "Ada Lovelace");
    assert_eq!(messages[0].author.remote_id, "7001");
    assert_eq!(messages[0].text.as_deref(), Some("Are you open on Sunday?"));
    assert_eq!(messages[0].post.as_ref().unwrap().id, "m_AbCdEf1");
    let ask = query(&one(&server, "GET", "/v24.0/123/conversations").await);
    assert!(ask["fields"].contains("messages.limit(1){id,message,created_time,from}"));
}

#[tokio::test]
async fn facebook_lookup_reads_a_public_page_signed_with_the_app_secret() {
    let (Some(page), Some(posts)) = (
        shared("facebook", "page_fields.json"),
        shared("facebook", "page_posts_list.json"),
    ) else {
        return;
    };
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v24.0/facebookapp"))
        .respond_with(ok(&page))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v24.0/20531316728/posts"))
        .respond_with(ok(&posts))
        .expect(1)
        .mount(&server)
        .await;

    let profile = facebook(&server)
        .with_app_secret("app-secret")
        .lookup(&mut page_session(), "@facebookapp", 5)
        .await
        .unwrap();

    assert_eq!(profile.account.remote_id, "20531316728");
    assert_eq!(profile.account.handle, "@facebookapp");
    assert_eq!(
        profile.account.followers,
        Some(214_507_731),
        "fans when followers are not given"
    );
    assert_eq!(profile.recent.len(), 5);
    assert_eq!(profile.recent[0].text, "Happy July 4th! 🇺🇸");
    assert_eq!(
        profile.recent[0].post.url.as_deref(),
        Some("https://www.facebook.com/4/posts/10113477241177441")
    );
    let ask = query(&one(&server, "GET", "/v24.0/facebookapp").await);
    // HMAC-SHA256("page-token", key "app-secret"), as Meta's appsecret_proof.
    assert_eq!(
        ask["appsecret_proof"],
        "d8b448b9cc7d64c51098271805b3cc20b5b715e52bd587eb71b610259587c856"
    );
}

#[tokio::test]
async fn facebook_lookup_without_public_content_access_keeps_meta_words() {
    let Some(refused) = shared("facebook", "error_100_object_missing_permission.json") else {
        return;
    };
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v24.0/someonesbrand"))
        .respond_with(status(400, &refused))
        .mount(&server)
        .await;

    let error = facebook(&server)
        .lookup(&mut page_session(), "someonesbrand", 5)
        .await
        .unwrap_err();

    let ConnectorError::Rejected { message, code } = error else {
        panic!("expected a refusal, got {error:?}");
    };
    assert!(
        message.starts_with(
            "(#100) Object does not exist, cannot be loaded due to missing permission"
        )
    );
    assert!(message.contains("'Page Public Content Access' feature"));
    assert_eq!(code.as_deref(), Some("100"));
}

#[tokio::test]
async fn facebook_verify_reads_the_page() {
    let Some(page) = shared("facebook", "page_fields.json") else {
        return;
    };
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v24.0/123"))
        .respond_with(ok(&page))
        .expect(1)
        .mount(&server)
        .await;
    let account = facebook(&server).verify(&mut page_session()).await.unwrap();
    assert_eq!(account.display_name, "Facebook");
    assert_eq!(
        account.profile_url.as_deref(),
        Some("https://www.facebook.com/facebookapp")
    );
    let fields = query(&one(&server, "GET", "/v24.0/123").await)["fields"].clone();
    for f in ["followers_count", "fan_count", "name", "picture{url}"] {
        assert!(fields.contains(f), "{f} in {fields}");
    }
}
