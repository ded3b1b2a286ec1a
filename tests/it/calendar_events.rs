//! Events and holidays on the workspace's calendar: by hand, and imported from .ics files
//! all or nothing, re-imports replacing rather than duplicating.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::json;

use crate::support::{Reply, TestApp, backends};

async fn import(app: &TestApp, token: &str, ws: &str, body: impl Into<Vec<u8>>) -> Reply {
    let request = Request::post(format!("/api/v1/workspaces/{ws}/calendar-events/import"))
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "text/calendar")
        .body(Body::from(body.into()))
        .unwrap();
    app.send(request).await
}

const HOLIDAYS: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\n\
BEGIN:VEVENT\r\nUID:xmas@example.com\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;VALUE=DATE:20261225\r\n\
SUMMARY:Christmas\\, at last\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:launch@example.com\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20260310T090000Z\r\n\
DTEND:20260310T100000Z\r\nSUMMARY:Launch\r\nDESCRIPTION:Line one\\nline two\r\nEND:VEVENT\r\n\
END:VCALENDAR\r\n";

#[tokio::test]
async fn events_are_added_listed_imported_once_and_deleted() {
    for backend in backends() {
        let app = TestApp::new(backend).await;
        let (_, token) = app.user("owner@example.com").await;
        let ws = app.workspace(&token, "Acme").await;
        let events = format!("/api/v1/workspaces/{ws}/calendar-events");

        let added = app
            .post(
                &events,
                &token,
                json!({"title": "Trade fair", "start": "2026-03-20", "end": "2026-03-22", "all_day": true}),
            )
            .await;
        assert_eq!(added.status, StatusCode::CREATED, "{}", added.text());
        let fair = added.json();
        // Europe/Paris midnights (UTC+1 in March before the switch).
        assert_eq!(fair["starts_at"], "2026-03-19T23:00:00Z");
        assert_eq!(fair["ends_at"], "2026-03-22T23:00:00Z");

        let bad = app
            .post(
                &events,
                &token,
                json!({"title": " ", "start": "2026-03-20T10:00", "end": "2026-03-20T09:00"}),
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(bad.error_fields(), ["title", "end"]);

        let done = import(&app, &token, &ws, HOLIDAYS).await;
        assert_eq!(done.status, StatusCode::CREATED, "{}", done.text());
        assert_eq!(done.json()["imported"], 2);
        assert_eq!(done.json()["replaced"], 0);
        // Again, with the launch moved: replaced, not duplicated.
        let moved = HOLIDAYS
            .replace("20260310T090000Z", "20260311T090000Z")
            .replace("20260310T100000Z", "20260311T100000Z");
        let again = import(&app, &token, &ws, moved).await;
        assert_eq!(again.json()["replaced"], 2, "{}", again.text());

        let list = app
            .get(
                &format!("{events}?from=2026-03-01T00:00:00Z&to=2027-01-01T00:00:00Z"),
                &token,
            )
            .await;
        assert_eq!(list.status, StatusCode::OK, "{}", list.text());
        let items = list.json()["items"].as_array().unwrap().clone();
        let titles: Vec<_> = items.iter().map(|e| e["title"].as_str().unwrap()).collect();
        assert_eq!(titles, ["Launch", "Trade fair", "Christmas, at last"]);
        assert_eq!(items[0]["starts_at"], "2026-03-11T09:00:00Z");
        assert_eq!(items[0]["description"], "Line one\nline two");
        assert_eq!(items[2]["all_day"], true);

        let id = items[1]["id"].as_str().unwrap();
        assert_eq!(
            app.delete(&format!("{events}/{id}"), &token).await.status,
            StatusCode::NO_CONTENT
        );
        assert_eq!(
            app.delete(&format!("{events}/{id}"), &token).await.status,
            StatusCode::NOT_FOUND
        );
    }
}

#[tokio::test]
async fn a_bad_ics_file_is_refused_whole_with_its_line() {
    for backend in backends() {
        let app = TestApp::new(backend).await;
        let (_, token) = app.user("owner@example.com").await;
        let ws = app.workspace(&token, "Acme").await;

        let not_ics = import(&app, &token, &ws, "text,channels\nhello,@a\n").await;
        assert_eq!(not_ics.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            not_ics.text().contains("not an iCalendar file"),
            "{}",
            not_ics.text()
        );

        // The first event is fine, the second has a bad date on line 13: nothing is kept.
        let broken = HOLIDAYS.replace("DTSTART:20260310T090000Z", "DTSTART:2026-03-10");
        let refused = import(&app, &token, &ws, broken).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(refused.error_fields(), ["file"]);
        assert!(refused.text().contains("line 13:"), "{}", refused.text());

        let latin1 = import(&app, &token, &ws, b"BEGIN:VCALENDAR\r\nX:\xe9\r\n".to_vec()).await;
        assert!(latin1.text().contains("not UTF-8"), "{}", latin1.text());

        let huge = import(&app, &token, &ws, vec![b' '; 6 * 1024 * 1024]).await;
        assert_eq!(huge.status, StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(huge.error_fields(), ["file"]);
        assert!(huge.text().contains("larger than 5 MB"), "{}", huge.text());

        let list = app
            .get(
                &format!(
                    "/api/v1/workspaces/{ws}/calendar-events?from=2026-01-01T00:00:00Z&to=2027-01-01T00:00:00Z"
                ),
                &token,
            )
            .await;
        assert_eq!(list.json()["items"].as_array().unwrap().len(), 0);

        let (_, viewer) = app.user("viewer@example.com").await;
        app.join(&token, &ws, &viewer, "viewer").await;
        assert_eq!(
            import(&app, &viewer, &ws, HOLIDAYS).await.status,
            StatusCode::FORBIDDEN
        );
    }
}
