//! `cargo xtask dist`: one file to deploy. Builds the app into `dist/` (as `cargo xtask build`
//! does), then the release binary with those files embedded (the server's `embed-app` feature),
//! and copies it to `target/dist/reglament`, which serves the app with no `dist/` beside it.

use anyhow::{Context, Result};

/// Writes `target/dist/reglament`.
pub(crate) fn dist() -> Result<()> {
    super::build()?;
    super::run(super::cargo().args([
        "build",
        "--release",
        "-p",
        "server",
        "--bin",
        "reglament",
        "--features",
        "embed-app",
    ]))?;
    let built = super::target_dir().join("release/reglament");
    let folder = super::target_dir().join("dist");
    std::fs::create_dir_all(&folder).context("cannot create target/dist")?;
    let shipped = folder.join("reglament");
    std::fs::copy(&built, &shipped)
        .with_context(|| format!("cannot copy {} to {}", built.display(), shipped.display()))?;
    let bytes = std::fs::metadata(&shipped)?.len();
    println!(
        "xtask: {} ({:.1} MB), the server with the app inside",
        shipped.display(),
        bytes as f64 / 1e6
    );
    Ok(())
}
