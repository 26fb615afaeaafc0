//! A throw-away Dovecot for the IMAP tests: its own configuration, user and maildir in a
//! temporary folder, listening on a free port of 127.0.0.1, stopped and removed when dropped.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use async_imap::Client;
use futures::TryStreamExt;
use tokio::net::TcpStream;

/// The user the tests sign in as, and the password.
pub const USER: &str = "support";
pub const PASSWORD: &str = "mailbox-password";
/// The owner of the mail files: Dovecot gives mail to no root process.
const MAIL_UID: u32 = 65534;

pub struct Dovecot {
    pub port: u16,
    pub dir: PathBuf,
    child: Option<Child>,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port()
}

impl Dovecot {
    /// Starts Dovecot; panics (with its log) if it does not accept connections within 10 s.
    pub fn start(name: &str) -> Dovecot {
        let dir = super::support::temp_dir(&format!("dovecot-{name}"));
        let mail = dir.join("mail");
        std::fs::create_dir_all(dir.join("run")).expect("run dir");
        std::fs::create_dir_all(&mail).expect("mail dir");
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        std::os::unix::fs::chown(&mail, Some(MAIL_UID), Some(MAIL_UID)).expect("chown the maildir");
        std::fs::write(
            dir.join("passwd"),
            format!("{USER}:{{PLAIN}}{PASSWORD}::::::\n"),
        )
        .expect("passwd");
        let port = free_port();
        let dir_text = dir.display();
        let config = format!(
            "base_dir = {dir_text}/run\n\
             state_dir = {dir_text}/state\n\
             log_path = {dir_text}/dovecot.log\n\
             instance_name = reglament-{port}\n\
             protocols = imap\n\
             listen = 127.0.0.1\n\
             ssl = no\n\
             disable_plaintext_auth = no\n\
             auth_mechanisms = plain login\n\
             auth_failure_delay = 0\n\
             mail_location = maildir:{dir_text}/mail/%u\n\
             mail_fsync = never\n\
             first_valid_uid = 1\n\
             passdb {{\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u {dir_text}/passwd\n}}\n\
             userdb {{\n  driver = static\n  args = uid={MAIL_UID} gid={MAIL_UID} home={dir_text}/mail/%u\n}}\n\
             service imap-login {{\n  inet_listener imap {{\n    port = {port}\n  }}\n  inet_listener imaps {{\n    port = 0\n  }}\n}}\n"
        );
        std::fs::write(dir.join("dovecot.conf"), config).expect("config");
        let mut dovecot = Dovecot {
            port,
            dir,
            child: None,
        };
        dovecot.run();
        dovecot
    }

    fn run(&mut self) {
        let child = Command::new("/usr/sbin/dovecot")
            .arg("-F")
            .arg("-c")
            .arg(self.dir.join("dovecot.conf"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start /usr/sbin/dovecot (Debian package dovecot-imapd)");
        self.child = Some(child);
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "dovecot does not listen: {}",
                std::fs::read_to_string(self.dir.join("dovecot.log")).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// A signed-in session.
    pub async fn session(&self) -> async_imap::Session<TcpStream> {
        let tcp = TcpStream::connect(("127.0.0.1", self.port))
            .await
            .expect("connect to dovecot");
        let mut client = Client::new(tcp);
        client.read_response().await.expect("greeting");
        client
            .login(USER, PASSWORD)
            .await
            .map_err(|(error, _)| error)
            .expect("login")
    }

    /// Appends `messages` to the INBOX over IMAP.
    pub async fn append(&self, messages: &[Vec<u8>]) {
        let mut session = self.session().await;
        for message in messages {
            session
                .append("INBOX", None, None, message)
                .await
                .expect("append");
        }
        let _ = session.logout().await;
    }

    /// How many messages `folder` holds (0 if it does not exist).
    pub async fn count(&self, folder: &str) -> u32 {
        let mut session = self.session().await;
        let count = match session.examine(folder).await {
            Ok(mailbox) => mailbox.exists,
            Err(_) => 0,
        };
        let _ = session.logout().await;
        count
    }

    /// The raw messages in `folder`.
    pub async fn messages(&self, folder: &str) -> Vec<Vec<u8>> {
        let mut session = self.session().await;
        let exists = session.examine(folder).await.expect("examine").exists;
        let mut bodies = Vec::new();
        if exists > 0 {
            bodies = session
                .fetch("1:*", "BODY.PEEK[]")
                .await
                .expect("fetch")
                .try_filter_map(|fetch| async move { Ok(fetch.body().map(<[u8]>::to_vec)) })
                .try_collect()
                .await
                .expect("fetch");
        }
        let _ = session.logout().await;
        bodies
    }
}

impl Drop for Dovecot {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = Command::new("kill")
                .args(["-TERM", &child.id().to_string()])
                .status();
            let _ = child.wait();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A plain message from `from` with a Message-ID of its own.
pub fn message(from: &str, message_id: &str, subject: &str, body: &str) -> Vec<u8> {
    format!(
        "From: {from}\r\nTo: support@demo.example\r\nSubject: {subject}\r\n\
         Message-ID: <{message_id}>\r\nDate: Mon, 7 Dec 2026 10:00:00 +0000\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    )
    .into_bytes()
}
