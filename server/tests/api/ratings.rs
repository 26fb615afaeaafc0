use axum::http::StatusCode;
use serde_json::json;

use crate::support::TestApp;

crate::both!(
    a_resolved_ticket_is_rated_once_by_its_organisation,
    followers_are_notified
);

async fn create(app: &TestApp, token: &str) -> String {
    app.create_ticket(token, json!({"subject": "Rate"})).await
}

async fn a_resolved_ticket_is_rated_once_by_its_organisation(app: TestApp) {
    let anna = app.token("customer@demo.example").await;
    let boris = app.token("customer2@demo.example").await;
    let agent = app.token("agent@demo.example").await;
    let reference = create(&app, &anna).await;
    let rating = format!("/api/tickets/{reference}/rating");
    let early = app.post(Some(&anna), &rating, json!({"score": 5})).await;
    assert_eq!(early.status, StatusCode::CONFLICT, "not resolved yet");
    let resolved = app
        .post(
            Some(&agent),
            &format!("/api/tickets/{reference}/actions"),
            json!({"action": "resolve"}),
        )
        .await;
    assert_eq!(resolved.status, StatusCode::OK);
    let out_of_range = app.post(Some(&anna), &rating, json!({"score": 6})).await;
    assert_eq!(out_of_range.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(out_of_range.body["field"], "score");
    let stranger = app.post(Some(&boris), &rating, json!({"score": 1})).await;
    assert_eq!(stranger.status, StatusCode::NOT_FOUND);
    let staff = app.post(Some(&agent), &rating, json!({"score": 5})).await;
    assert_eq!(staff.status, StatusCode::FORBIDDEN);
    let rated = app
        .post(
            Some(&anna),
            &rating,
            json!({"score": 4, "comment": "quick"}),
        )
        .await;
    assert_eq!(rated.status, StatusCode::CREATED, "{}", rated.body);
    let twice = app.post(Some(&anna), &rating, json!({"score": 5})).await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
}

async fn followers_are_notified(app: TestApp) {
    let anna = app.token("customer@demo.example").await;
    let engineer = app.token("engineer@demo.example").await;
    let agent = app.token("agent@demo.example").await;
    let reference = create(&app, &anna).await;
    let follow = app.follow(&engineer, &reference).await;
    assert_eq!(follow.status, StatusCode::NO_CONTENT);
    let boris = app.token("customer2@demo.example").await;
    let stranger = app.follow(&boris, &reference).await;
    assert_eq!(stranger.status, StatusCode::NOT_FOUND);
    let note = app
        .post(
            Some(&agent),
            &format!("/api/tickets/{reference}/messages"),
            json!({"body": "look", "internal": true}),
        )
        .await;
    assert_eq!(note.status, StatusCode::CREATED);
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    use server::db::entity::notification;
    let engineer_id = app.user_id("engineer@demo.example").await;
    let anna_id = app.user_id("customer@demo.example").await;
    let count = |user_id: i64| {
        let db = app.state.db.clone();
        async move {
            notification::Entity::find()
                .filter(notification::Column::UserId.eq(user_id))
                .filter(notification::Column::Kind.eq("internal_note"))
                .all(&db)
                .await
                .expect("query")
                .len()
        }
    };
    assert_eq!(
        count(engineer_id).await,
        1,
        "the staff follower hears of the note"
    );
    assert_eq!(
        count(anna_id).await,
        0,
        "the customer never hears of an internal note"
    );

    let admin = app.token("admin@demo.example").await;
    let deactivated = app.deactivate(&admin, engineer_id).await;
    assert_eq!(deactivated.status, StatusCode::OK, "{}", deactivated.body);
    let second = app
        .post(
            Some(&agent),
            &format!("/api/tickets/{reference}/messages"),
            json!({"body": "look again", "internal": true}),
        )
        .await;
    assert_eq!(second.status, StatusCode::CREATED);
    assert_eq!(
        count(engineer_id).await,
        1,
        "a deactivated follower hears nothing more"
    );
}
