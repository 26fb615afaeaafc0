//! Webhook endpoints and support mailboxes (`/api/admin/webhooks`, `/api/admin/mailboxes`).

use shared::api::{
    Mailbox, MailboxCheck, MailboxList, NewMailbox, NewWebhook, Webhook, WebhookDeliveryList,
    WebhookList,
};

use super::{ApiResult, delete, get, post, post_empty, put};

pub async fn list_webhooks() -> ApiResult<Vec<Webhook>> {
    get::<WebhookList>("/admin/webhooks")
        .await
        .map(|list| list.webhooks)
}

pub async fn create_webhook(webhook: NewWebhook) -> ApiResult<Webhook> {
    post("/admin/webhooks", &webhook).await
}

pub async fn update_webhook(id: i64, webhook: NewWebhook) -> ApiResult<Webhook> {
    put(&format!("/admin/webhooks/{id}"), &webhook).await
}

pub async fn delete_webhook(id: i64) -> ApiResult<()> {
    delete(&format!("/admin/webhooks/{id}")).await
}

pub async fn list_webhook_deliveries(id: i64) -> ApiResult<WebhookDeliveryList> {
    get(&format!("/admin/webhooks/{id}/deliveries")).await
}

pub async fn list_mailboxes() -> ApiResult<Vec<Mailbox>> {
    get::<MailboxList>("/admin/mailboxes")
        .await
        .map(|list| list.mailboxes)
}

pub async fn create_mailbox(mailbox: NewMailbox) -> ApiResult<Mailbox> {
    post("/admin/mailboxes", &mailbox).await
}

pub async fn update_mailbox(id: i64, mailbox: NewMailbox) -> ApiResult<Mailbox> {
    put(&format!("/admin/mailboxes/{id}"), &mailbox).await
}

pub async fn delete_mailbox(id: i64) -> ApiResult<()> {
    delete(&format!("/admin/mailboxes/{id}")).await
}

pub async fn test_mailbox(id: i64) -> ApiResult<MailboxCheck> {
    post_empty(&format!("/admin/mailboxes/{id}/test")).await
}
