//! `reglament backup` and `reglament restore`: one tar archive with a consistent copy of the
//! SQLite database (`VACUUM INTO`, which reads one snapshot while writers go on), the
//! attachments and the JWT secret. With PostgreSQL the archive holds the attachments and the
//! secret; the database is dumped with `pg_dump` (see the README).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, bail};
use sea_orm::{ConnectionTrait, DatabaseConnection};

use crate::config::Config;

/// The database's name in the archive and in a restored data folder.
const DATABASE: &str = "reglament.sqlite3";
/// The file that marks an archive as a Reglament backup.
const MANIFEST: &str = "reglament-backup.txt";

/// What a backup wrote.
#[derive(Debug)]
pub struct Written {
    pub bytes: u64,
    pub attachments: usize,
    pub database_included: bool,
    pub seconds: f64,
}

/// Writes the archive `to` from the instance whose database is `db` and whose data folder is
/// the configuration's. The archive appears under its name only when complete.
///
/// # Errors
/// An existing `to`, a database that cannot be copied, or a file that cannot be written.
pub async fn backup(
    config: &Config,
    db: &DatabaseConnection,
    to: &Path,
) -> anyhow::Result<Written> {
    let started = Instant::now();
    if to.exists() {
        bail!("--to: {} exists already", to.display());
    }
    let name = to
        .file_name()
        .context("--to: the archive needs a file name")?
        .to_string_lossy()
        .into_owned();
    let staging = to.with_file_name(format!(".{name}.partial"));
    let _ = std::fs::remove_dir_all(&staging);
    std::fs::create_dir_all(&staging)
        .with_context(|| format!("--to: cannot write beside {}", to.display()))?;
    let sqlite = db.get_database_backend() == sea_orm::DatabaseBackend::Sqlite;
    let copy = staging.join(DATABASE);
    if sqlite {
        let quoted = copy.to_string_lossy().replace('\'', "''");
        db.execute_unprepared(&format!("VACUUM INTO '{quoted}'"))
            .await
            .context("cannot copy the SQLite database")?;
    }
    let data_dir = config.data_dir.clone();
    let archive = staging.join("archive.tar");
    let to_owned = to.to_path_buf();
    let written = tokio::task::spawn_blocking(move || {
        let attachments = write_archive(&archive, sqlite.then_some(copy.as_path()), &data_dir)?;
        std::fs::rename(&archive, &to_owned)
            .with_context(|| format!("--to: cannot write {}", to_owned.display()))?;
        let _ = std::fs::remove_dir_all(&staging);
        anyhow::Ok(attachments)
    })
    .await??;
    Ok(Written {
        bytes: std::fs::metadata(to)?.len(),
        attachments: written,
        database_included: sqlite,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// Writes the tar file; returns how many attachments it holds.
fn write_archive(
    archive: &Path,
    database: Option<&Path>,
    data_dir: &Path,
) -> anyhow::Result<usize> {
    let file =
        File::create(archive).with_context(|| format!("cannot create {}", archive.display()))?;
    let mut tar = tar::Builder::new(BufWriter::new(file));
    let manifest = format!(
        "Reglament {} backup of {}\ndatabase: {}\n",
        env!("CARGO_PKG_VERSION"),
        chrono::Utc::now().to_rfc3339(),
        if database.is_some() {
            "sqlite"
        } else {
            "postgres (dump it with pg_dump)"
        },
    );
    let mut header = tar::Header::new_gnu();
    header.set_size(manifest.len() as u64);
    header.set_mode(0o644);
    header.set_mtime(chrono::Utc::now().timestamp().max(0) as u64);
    tar.append_data(&mut header, MANIFEST, manifest.as_bytes())?;
    if let Some(database) = database {
        tar.append_path_with_name(database, DATABASE)?;
    }
    let secret = data_dir.join("jwt-secret");
    if secret.is_file() {
        tar.append_path_with_name(&secret, "jwt-secret")?;
    }
    // Attachments are written under their hash before the row that names them commits, so every
    // one the database copy refers to is here already; a file still being written (`.part`) is
    // not. Files are never changed once named.
    let mut attachments = 0;
    let folder = data_dir.join("attachments");
    if folder.is_dir() {
        let mut names: Vec<PathBuf> = std::fs::read_dir(&folder)?
            .filter_map(|entry| entry.ok().map(|entry| entry.path()))
            .filter(|path| path.is_file() && path.extension().is_none_or(|ext| ext != "part"))
            .collect();
        names.sort();
        for path in names {
            let name = Path::new("attachments").join(path.file_name().unwrap_or_default());
            match tar.append_path_with_name(&path, &name) {
                Ok(()) => attachments += 1,
                Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
                Err(error) => return Err(error.into()),
            }
        }
    }
    let mut writer = tar.into_inner()?;
    writer.flush()?;
    writer
        .into_inner()
        .map_err(|error| error.into_error())?
        .sync_all()?;
    Ok(attachments)
}

/// Unpacks the archive `from` into `data_dir`, which must be empty or absent.
///
/// # Errors
/// A non-empty folder, an unreadable archive, or one that is not a Reglament backup.
pub fn restore(from: &Path, data_dir: &Path) -> anyhow::Result<bool> {
    if data_dir.exists()
        && std::fs::read_dir(data_dir)
            .with_context(|| format!("--data-dir: cannot read {}", data_dir.display()))?
            .next()
            .is_some()
    {
        bail!(
            "--data-dir: {} is not empty; restore into an empty or new folder",
            data_dir.display()
        );
    }
    let file =
        File::open(from).with_context(|| format!("--from: cannot open {}", from.display()))?;
    std::fs::create_dir_all(data_dir)
        .with_context(|| format!("--data-dir: cannot create {}", data_dir.display()))?;
    tar::Archive::new(std::io::BufReader::new(file))
        .unpack(data_dir)
        .with_context(|| format!("--from: cannot unpack {}", from.display()))?;
    if !data_dir.join(MANIFEST).is_file() {
        bail!("--from: {} is not a Reglament backup", from.display());
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let secret = data_dir.join("jwt-secret");
        if secret.is_file() {
            std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o600))?;
        }
    }
    Ok(data_dir.join(DATABASE).is_file())
}
