//! Support tickets on both databases: signed-in and visitor tickets, the confirmation link,
//! who may read a thread, refusals that store nothing, screenshots, support's answer by
//! email, closing, the rate limit, and the privacy machinery (export, deletion, expiry).

use super::{
    CONFIRM_LINK_LIFETIME, NewTicket, OPEN_IP, Reader, SupportError, TicketStatus, answer, close,
    confirm, get, list_for_user, open, pending, reply, thread, thread_token,
};
use crate::{
    AppState,
    db::Db,
    email::{OutboxMessage, outbox_latest_to},
    images::ImageError,
    privacy::{deletion, export, sweep},
    testing::{insert_user, state_for, token_in},
};
use testkit::db_test;

/// A fixed moment.
const T0: i64 = 1_800_000_000_000;

fn png(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = Vec::new();
    image::RgbImage::from_pixel(width, height, image::Rgb([200, 40, 90]))
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Png,
        )
        .unwrap();
    bytes
}

fn ticket(topic: &str, email: &str, user: Option<&str>) -> NewTicket {
    NewTicket {
        topic: topic.into(),
        message: "My credits vanished after a failed image.".into(),
        email: email.into(),
        locale: "en".into(),
        signed_in_user: user.map(str::to_owned),
        ip: Some("203.0.113.7".into()),
        screenshot: None,
    }
}

async fn last_email(db: &Db, to: &str) -> OutboxMessage {
    outbox_latest_to(db, to)
        .await
        .unwrap()
        .expect("an email to the address")
}

async fn rows(db: &Db, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(db.pool())
        .await
        .unwrap()
}

/// Every file the storage holds under `support/`.
async fn stored_files(state: &AppState) -> usize {
    let prefix = crate::storage::StorageKey::parse("support").unwrap();
    state.storage.list(&prefix).await.unwrap().len()
}

db_test!(
    a_signed_in_ticket_opens_at_once_and_only_its_owner_reads_it,
    |db: Db| async move {
        let (state, _dir) = state_for(db.clone());
        let ada = insert_user(&db, "ada@example.com").await;
        let bob = insert_user(&db, "bob@example.com").await;
        let mut new = ticket("billing", "someone@else.com", Some(&ada));
        new.screenshot = Some(png(64, 48));
        let opened = open(&state, new, T0).await.unwrap();
        assert_eq!(opened.status, TicketStatus::Open);

        let stored = get(&db, &opened.id).await.unwrap().unwrap();
        assert_eq!(stored.email, "ada@example.com", "the account's address");
        assert_eq!(stored.user_id.as_deref(), Some(ada.as_str()));
        let list = list_for_user(&db, &ada).await.unwrap();
        assert_eq!(list.len(), 1);
        assert!(list[0].preview.starts_with("My credits vanished"));
        assert!(list_for_user(&db, &bob).await.unwrap().is_empty());

        let mine = thread(&state, &opened.id, Reader::Account(&ada))
            .await
            .unwrap();
        assert_eq!(mine.messages.len(), 1);
        let shot = &mine.messages[0].attachments[0];
        assert_eq!((shot.width, shot.height), (64, 48));
        assert_eq!(shot.content_type, "image/png");
        assert!(
            shot.storage_key
                .starts_with(&format!("support/{}/", opened.id))
        );
        assert_eq!(stored_files(&state).await, 1);

        for reader in [Reader::Account(&bob), Reader::Link("0123abcd")] {
            assert!(matches!(
                thread(&state, &opened.id, reader).await,
                Err(SupportError::NotFound)
            ));
        }
        let link = thread_token(&state, &opened.id);
        assert!(
            thread(&state, &opened.id, Reader::Link(&link))
                .await
                .is_ok()
        );
    }
);

db_test!(
    a_visitor_ticket_waits_for_its_emailed_link_then_joins_the_account,
    |db: Db| async move {
        let (state, _dir) = state_for(db.clone());
        let ada = insert_user(&db, "ada@example.com").await;
        let opened = open(&state, ticket("account", " Ada@Example.com ", None), T0)
            .await
            .unwrap();
        assert_eq!(opened.status, TicketStatus::Unconfirmed);
        let mail = last_email(&db, "ada@example.com").await;
        assert_eq!(mail.kind, "support_ticket_confirm");
        assert!(
            mail.text
                .contains("http://banana.test/support/confirm?token=")
        );
        let token = token_in(&mail.text);

        // Nobody sees it yet: not the account, not even a correct thread link.
        assert!(list_for_user(&db, &ada).await.unwrap().is_empty());
        let link = thread_token(&state, &opened.id);
        assert!(matches!(
            thread(&state, &opened.id, Reader::Link(&link)).await,
            Err(SupportError::NotFound)
        ));
        assert!(!pending(&state, &token, T0).await.unwrap().confirmed);
        assert!(matches!(
            confirm(&state, "not-the-token", T0).await,
            Err(SupportError::LinkInvalid)
        ));

        let confirmed = confirm(&state, &token, T0 + 1000).await.unwrap();
        assert_eq!(confirmed.id, opened.id);
        assert_eq!(confirmed.thread_token, link);
        let stored = get(&db, &opened.id).await.unwrap().unwrap();
        assert_eq!(stored.status, TicketStatus::Open);
        assert_eq!(stored.confirmed_at, Some(T0 + 1000));
        assert_eq!(stored.user_id.as_deref(), Some(ada.as_str()));
        assert_eq!(list_for_user(&db, &ada).await.unwrap().len(), 1);
        // Following the link again changes nothing.
        assert_eq!(
            confirm(&state, &token, T0 + 5000).await.unwrap().id,
            opened.id
        );
        assert!(pending(&state, &token, T0).await.unwrap().confirmed);

        // A link followed too late does nothing.
        open(&state, ticket("other", "late@example.com", None), T0)
            .await
            .unwrap();
        let late = token_in(&last_email(&db, "late@example.com").await.text);
        let too_late = T0 + CONFIRM_LINK_LIFETIME.as_millis() as i64 + 1;
        assert!(matches!(
            confirm(&state, &late, too_late).await,
            Err(SupportError::LinkExpired)
        ));
        // The sweeper forgets it, and only it.
        let report = sweep::run(&state, too_late, false).await.unwrap();
        assert_eq!(report.affected("unconfirmed-support"), Some(1));
        assert_eq!(rows(&db, "support_tickets").await, 1);
    }
);

db_test!(
    bad_input_is_refused_and_nothing_is_stored,
    |db: Db| async move {
        let (state, _dir) = state_for(db.clone());
        let ada = insert_user(&db, "ada@example.com").await;
        let with = |change: &dyn Fn(&mut NewTicket)| {
            let mut new = ticket("generation", "visitor@example.com", None);
            change(&mut new);
            new
        };
        let cases = [
            with(&|t| t.topic = "lottery".into()),
            with(&|t| t.message = " \n ".into()),
            with(&|t| t.message = "x".repeat(crate::support::MAX_MESSAGE + 1)),
            with(&|t| t.email = "not an address".into()),
            with(&|t| t.screenshot = Some(b"<html>not an image</html>".to_vec())),
            with(&|t| {
                t.signed_in_user = Some(ada.clone());
                t.screenshot = Some(vec![0x89; crate::support::SCREENSHOT_LIMITS.max_bytes + 1]);
            }),
            with(&|t| t.screenshot = Some(png(9000, 10))),
        ];
        let mut errors = Vec::new();
        for new in cases {
            errors.push(open(&state, new, T0).await.unwrap_err());
        }
        assert!(matches!(errors[0], SupportError::UnknownTopic));
        assert!(matches!(errors[1], SupportError::MessageMissing));
        assert!(matches!(errors[2], SupportError::MessageTooLong));
        assert!(matches!(errors[3], SupportError::Email));
        assert!(matches!(
            errors[4],
            SupportError::Screenshot(ImageError::UnsupportedFormat)
        ));
        assert!(matches!(
            errors[5],
            SupportError::Screenshot(ImageError::TooLarge { .. })
        ));
        assert!(matches!(
            errors[6],
            SupportError::Screenshot(ImageError::SideTooLong { .. })
        ));
        for table in ["support_tickets", "support_messages", "support_attachments"] {
            assert_eq!(rows(&db, table).await, 0, "{table}");
        }
        assert_eq!(stored_files(&state).await, 0);
        assert!(
            outbox_latest_to(&db, "visitor@example.com")
                .await
                .unwrap()
                .is_none()
        );
    }
);

db_test!(
    an_answer_joins_the_thread_and_is_emailed_with_its_link,
    |db: Db| async move {
        let (state, _dir) = state_for(db.clone());
        let ada = insert_user(&db, "ada@example.com").await;
        let staff = insert_user(&db, "agent@example.com").await;
        let signed = open(&state, ticket("billing", "", Some(&ada)), T0)
            .await
            .unwrap();
        let answered = answer(
            &state,
            &signed.id,
            &staff,
            "Your credits are back.",
            T0 + 10,
        )
        .await
        .unwrap();
        assert_eq!(answered.body, "Your credits are back.");
        let shown = thread(&state, &signed.id, Reader::Account(&ada))
            .await
            .unwrap();
        assert_eq!(shown.ticket.status, TicketStatus::Answered);
        assert_eq!(shown.messages.len(), 2);
        assert_eq!(shown.messages[1].author, crate::support::Author::Staff);
        let mail = last_email(&db, "ada@example.com").await;
        assert_eq!(mail.kind, "support_reply");
        assert!(mail.text.contains("Your credits are back."));
        assert!(mail.text.contains(&format!(
            "http://banana.test/settings/support/{}",
            signed.id
        )));

        // The person answers: the ticket waits for support again.
        reply(
            &state,
            &signed.id,
            Reader::Account(&ada),
            "Thank you!",
            None,
            T0 + 20,
        )
        .await
        .unwrap();
        let stored = get(&db, &signed.id).await.unwrap().unwrap();
        assert_eq!(stored.status, TicketStatus::Open);
        // Closed: no more replies or answers, the thread still readable.
        close(&state, &signed.id, &staff, T0 + 30).await.unwrap();
        assert!(matches!(
            reply(
                &state,
                &signed.id,
                Reader::Account(&ada),
                "Hi",
                None,
                T0 + 40
            )
            .await,
            Err(SupportError::Closed)
        ));
        assert!(matches!(
            answer(&state, &signed.id, &staff, "Hi", T0 + 40).await,
            Err(SupportError::Closed)
        ));
        assert_eq!(
            thread(&state, &signed.id, Reader::Account(&ada))
                .await
                .unwrap()
                .messages
                .len(),
            3
        );

        // A visitor's answer carries the signed link to the thread, in their language.
        let mut visitor = ticket("other", "guest@example.com", None);
        visitor.locale = "zh-CN".into();
        let opened = open(&state, visitor, T0).await.unwrap();
        let token = token_in(&last_email(&db, "guest@example.com").await.text);
        confirm(&state, &token, T0 + 1).await.unwrap();
        answer(&state, &opened.id, &staff, "我们已处理。", T0 + 2)
            .await
            .unwrap();
        let mail = last_email(&db, "guest@example.com").await;
        assert_eq!(mail.locale, "zh-CN");
        let link = format!(
            "http://banana.test/zh-CN/support/tickets/{}?token={}",
            opened.id,
            thread_token(&state, &opened.id)
        );
        assert!(mail.text.contains(&link), "{}", mail.text);
        assert!(mail.text.contains("我们已处理。"));
        // An unconfirmed ticket does not exist for support.
        let hidden = open(&state, ticket("other", "x@example.com", None), T0)
            .await
            .unwrap();
        assert!(matches!(
            answer(&state, &hidden.id, &staff, "Hi", T0).await,
            Err(SupportError::NotFound)
        ));
    }
);

db_test!(tickets_are_rate_limited_per_address, |db: Db| async move {
    let (state, _dir) = state_for(db.clone());
    for _ in 0..OPEN_IP.hits {
        open(&state, ticket("other", "flood@example.com", None), T0)
            .await
            .unwrap();
    }
    let refused = open(&state, ticket("other", "flood@example.com", None), T0).await;
    assert!(
        matches!(refused, Err(SupportError::Limited { seconds }) if seconds > 0),
        "{refused:?}"
    );
    assert_eq!(rows(&db, "support_tickets").await, OPEN_IP.hits);
});

db_test!(
    the_export_holds_the_tickets_and_deletion_removes_them,
    |db: Db| async move {
        let (state, _dir) = state_for(db.clone());
        let ada = insert_user(&db, "ada@example.com").await;
        let bob = insert_user(&db, "bob@example.com").await;
        let mut new = ticket("generation", "", Some(&ada));
        new.screenshot = Some(png(30, 20));
        let mine = open(&state, new, T0).await.unwrap();
        let mut other = ticket("billing", "", Some(&bob));
        other.message = "Bob's own question.".into();
        open(&state, other, T0).await.unwrap();

        let now = crate::now_ms();
        let id = export::request(&state, &ada, now).await.unwrap();
        assert_eq!(export::run_pending(&state, now).await.unwrap(), 1);
        let token = token_in(&last_email(&db, "ada@example.com").await.text);
        let download = export::open_download(&state, &ada, &id, &token, now)
            .await
            .unwrap();
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(download.bytes)).unwrap();
        let names: Vec<String> = archive.file_names().map(str::to_owned).collect();
        assert!(
            names.iter().any(|n| n.starts_with("images/support/")),
            "{names:?}"
        );
        let mut document = String::new();
        std::io::Read::read_to_string(
            &mut archive.by_name("support-marketing.json").unwrap(),
            &mut document,
        )
        .unwrap();
        let document: serde_json::Value = serde_json::from_str(&document).unwrap();
        let tickets = &document["records"]["support_tickets"];
        assert_eq!(tickets.as_array().unwrap().len(), 1);
        assert_eq!(tickets[0]["id"], mine.id.as_str());
        let messages = document["records"]["support_messages"].to_string();
        assert!(messages.contains("My credits vanished"));
        assert!(!messages.contains("Bob's own question."));

        deletion::delete_account(
            &state,
            &ada,
            deletion::Reauth {
                password: None,
                confirm_email: "ada@example.com".into(),
                signed_in_at: Some(now),
                two_factor_code: None,
            },
            now,
            None,
        )
        .await
        .unwrap();
        assert!(get(&db, &mine.id).await.unwrap().is_none());
        let left: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM support_messages WHERE ticket_id = $1")
                .bind(mine.id.clone())
                .fetch_one(db.pool())
                .await
                .unwrap();
        assert_eq!(left, 0);
        assert_eq!(rows(&db, "support_attachments").await, 0);
        assert_eq!(
            stored_files(&state).await,
            0,
            "the screenshot's file went too"
        );
        assert_eq!(list_for_user(&db, &bob).await.unwrap().len(), 1);
    }
);
