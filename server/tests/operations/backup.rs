//! `reglament backup` of a running instance under writes, and `reglament restore` into an
//! empty folder, checked by a server started on the copy.

use std::process::Output;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::support::{Server, attach, binary, create_ticket, login, temp_dir};

fn run(args: &[&std::ffi::OsStr]) -> Output {
    binary().args(args).output().expect("run reglament")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_backup_under_writes_restores_every_ticket_committed_before_it() {
    let dir = temp_dir("backup");
    let data = dir.join("data");
    let server = Server::start(&data, &[], &[]);
    let http = reqwest::Client::new();
    let token = login(&http, &server.url, "customer@demo.example").await;
    let first = create_ticket(&http, &server.url, &token, "With a log file")
        .await
        .expect("ticket");
    let content = b"2026-12-07 10:00:01 ERROR the printer is on fire\n".repeat(50);
    let attachment = attach(&http, &server.url, &token, &first, "printer.log", &content).await;

    let acknowledged = Arc::new(Mutex::new(vec![first.clone()]));
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (http, url, token) = (http.clone(), server.url.clone(), token.clone());
        let (acknowledged, stop) = (acknowledged.clone(), stop.clone());
        tokio::spawn(async move {
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                n += 1;
                if let Ok(reference) =
                    create_ticket(&http, &url, &token, &format!("Backup {n}")).await
                {
                    acknowledged.lock().expect("list").push(reference);
                }
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        })
    };
    tokio::time::sleep(Duration::from_millis(500)).await;
    let committed_before = acknowledged.lock().expect("list").clone();
    let archive = dir.join("reglament-backup.tar");
    let output = tokio::task::spawn_blocking({
        let (data, archive) = (data.clone(), archive.clone());
        move || {
            run(&[
                "--data-dir".as_ref(),
                data.as_os_str(),
                "backup".as_ref(),
                "--to".as_ref(),
                archive.as_os_str(),
            ])
        }
    })
    .await
    .expect("backup");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("1 attachments"));
    tokio::time::sleep(Duration::from_millis(300)).await;
    stop.store(true, Ordering::Relaxed);
    writer.await.expect("writer");
    assert!(
        acknowledged.lock().expect("list").len() > committed_before.len(),
        "writes went on during the backup"
    );
    drop(server);

    // Restore refuses a folder that is not empty.
    let output = run(&[
        "--data-dir".as_ref(),
        data.as_os_str(),
        "restore".as_ref(),
        "--from".as_ref(),
        archive.as_os_str(),
    ]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("is not empty"));

    let copy = dir.join("restored");
    let output = run(&[
        "restore".as_ref(),
        "--from".as_ref(),
        archive.as_os_str(),
        "--data-dir".as_ref(),
        copy.as_os_str(),
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );

    // The restored secret still accepts the session signed before the backup.
    let server = Server::start(&copy, &[], &[]);
    for reference in &committed_before {
        let reply = http
            .get(format!("{}/api/tickets/{reference}", server.url))
            .bearer_auth(&token)
            .send()
            .await
            .expect("ticket");
        assert_eq!(
            reply.status(),
            reqwest::StatusCode::OK,
            "{reference} restored"
        );
    }
    let reply = http
        .get(format!("{}/api/attachments/{attachment}", server.url))
        .bearer_auth(&token)
        .send()
        .await
        .expect("attachment");
    assert_eq!(reply.status(), reqwest::StatusCode::OK);
    assert_eq!(
        reply.bytes().await.expect("bytes").as_ref(),
        content.as_slice()
    );
    drop(server);
    let _ = std::fs::remove_dir_all(dir);
}
