//! LinkedIn: the member and the organisations they administer, each a channel posting as
//! its own author with the member's (refreshable) token.

use axum::http::StatusCode;
use serde_json::json;
use wiremock::Mock;
use wiremock::matchers::{header, method, path, query_param};

use super::{CALLBACK, form, listed, own, sent, setup};
use crate::support::backends;

const TOKEN: &str = "AQUvlL_DYEzvT2wz1QJiEPeLioeA";
const ORG: &str = "urn:li:organization:2414183";

#[tokio::test]
async fn the_member_and_their_organisation_become_channels() {
    for backend in backends() {
        let s = setup(backend).await;
        Mock::given(method("POST"))
            .and(path("/oauth/v2/accessToken"))
            .respond_with(own("linkedin/token_code.json"))
            .expect(1)
            .mount(&s.server)
            .await;
        Mock::given(method("GET"))
            .and(path("/v2/userinfo"))
            .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
            .respond_with(own("linkedin/userinfo.json"))
            .mount(&s.server)
            .await;
        Mock::given(method("GET"))
            .and(path("/rest/organizationAcls"))
            .and(query_param("role", "ADMINISTRATOR"))
            .respond_with(own("linkedin/organization_acls.json"))
            .mount(&s.server)
            .await;
        Mock::given(method("GET"))
            .and(path("/rest/organizations/2414183"))
            .respond_with(own("linkedin/organization.json"))
            .mount(&s.server)
            .await;
        Mock::given(method("GET"))
            .and(path("/rest/networkSizes/urn%3Ali%3Aorganization%3A2414183"))
            .respond_with(own("linkedin/network_size.json"))
            .mount(&s.server)
            .await;

        let (url, q) = s.start(json!({"network": "linkedin"})).await;
        assert_eq!(url.path(), "/oauth/v2/authorization");
        assert_eq!(q["client_id"], "li-client");
        assert_eq!(q["redirect_uri"], format!("{CALLBACK}/linkedin"));
        assert!(
            q["scope"].contains("w_organization_social") && q["scope"].contains("w_member_social")
        );
        let id = match s.finish(&s.owner, &q["state"], "linkedin").await {
            Ok((_, herald::services::OAuthFinished::Pick(id))) => id.to_string(),
            other => panic!("expected a pick, got {other:?}"),
        };
        let code = form(&sent(&s.server, "POST", "/oauth/v2/accessToken").await[0]);
        assert_eq!(
            (code["grant_type"].as_str(), code["code"].as_str()),
            ("authorization_code", "the-code")
        );
        assert_eq!(
            (code["client_id"].as_str(), code["client_secret"].as_str()),
            ("li-client", "li-secret")
        );
        assert_eq!(code["redirect_uri"], format!("{CALLBACK}/linkedin"));

        let grant = s.app.get(&s.grant_path(&id), &s.token).await.json();
        assert_eq!(
            listed(&grant),
            [
                ("urn:li:person:782bbtaQ".to_owned(), true),
                (ORG.to_owned(), true)
            ]
        );
        assert_eq!(grant["accounts"][1]["display_name"], "Devtestco");
        assert_eq!(grant["accounts"][1]["followers"], 1203);

        let picked = s
            .app
            .post(
                &s.grant_path(&id),
                &s.token,
                json!({"account_ids": ["urn:li:person:782bbtaQ", ORG, ORG]}),
            )
            .await;
        assert_eq!(picked.status, StatusCode::CREATED, "{}", picked.text());
        let items = picked.json()["items"].as_array().unwrap().clone();
        assert_eq!(items.len(), 2, "a repeated id connects once");
        for (item, author) in items.iter().zip(["urn:li:person:782bbtaQ", ORG]) {
            assert_eq!(item["network"], "linkedin");
            assert_eq!(item["token_refreshable"], true);
            let (_, credentials) = s.stored(item["id"].as_str().unwrap()).await;
            assert_eq!(credentials.access_token, TOKEN);
            assert_eq!(credentials.extra["author"], author);
            assert!(credentials.refresh_token.is_some());
        }
    }
}
