//! `cargo xtask build | serve | test`: build the WASM app into `dist/`, run the product with demo
//! data, and run every test layer (unit, integration on SQLite and PostgreSQL, browser).
//!
//! Cargo alone cannot bind a WASM app or drive a browser, so this small program does, using only
//! what the registries provide: `wasm-bindgen-cli-support` as a library and `wasm-opt` and
//! Playwright from `end2end/node_modules`.

mod dist;
mod moves;
mod names;
mod order;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::Instant;

use anyhow::{Context, Result, bail};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("build") => build().map(drop),
        Some("dist") => dist::dist(),
        Some("serve") => serve(&args[1..]),
        Some("test") => test(),
        _ => {
            eprintln!("usage: cargo xtask build | serve [reglament options] | test");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("xtask: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

/// A `cargo` command whose environment does not carry this process's package variables: if it
/// did, build scripts (ring's) would see them change and rebuild half the tree every time.
fn cargo() -> Command {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    for (key, _) in std::env::vars() {
        if key.starts_with("CARGO_PKG_")
            || matches!(
                key.as_str(),
                "CARGO_MANIFEST_DIR"
                    | "CARGO_MANIFEST_PATH"
                    | "CARGO_CRATE_NAME"
                    | "CARGO_BIN_NAME"
                    | "CARGO_PRIMARY_PACKAGE"
            )
        {
            command.env_remove(key);
        }
    }
    command.current_dir(root());
    command
}

fn run(command: &mut Command) -> Result<()> {
    let status = command
        .status()
        .with_context(|| format!("cannot start {command:?}"))?;
    if !status.success() {
        bail!("{command:?} failed with {status}");
    }
    Ok(())
}

/// Cargo's target folder: `CARGO_TARGET_DIR` when set, else `target/` in the workspace.
fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => root().join(dir),
        _ => root().join("target"),
    }
}

fn reglament_bin() -> PathBuf {
    target_dir().join("debug/reglament")
}

fn end2end() -> PathBuf {
    root().join("end2end")
}

/// `npm ci` in `end2end/` when its packages are missing or older than the lock file.
fn npm_ci() -> Result<()> {
    let dir = end2end();
    let stamp = dir.join("node_modules/.package-lock.json");
    let lock = dir.join("package-lock.json");
    let fresh = match (stamp.metadata(), lock.metadata()) {
        (Ok(stamp), Ok(lock)) => stamp.modified()? >= lock.modified()?,
        _ => false,
    };
    if !fresh {
        println!("xtask: npm ci in end2end/");
        run(Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
            .current_dir(&dir))?;
    }
    Ok(())
}

/// The release bundle's budget (issue #6): wasm, JS and CSS together, gzipped, in bytes.
const BUNDLE_BUDGET: u64 = 400_000;

/// What `build` made: the folder and the gzipped size of each shipped file.
struct Built {
    dist: PathBuf,
    bundle: Bundle,
}

/// The gzipped sizes of the bundle's three files, in bytes, as `gzip -9` makes them.
struct Bundle {
    wasm: u64,
    js: u64,
    css: u64,
}

impl Bundle {
    fn measure(dist: &Path) -> Result<Bundle> {
        Ok(Bundle {
            wasm: gzipped_size(&dist.join("app_bg.wasm"))?,
            js: gzipped_size(&dist.join("app.js"))?,
            css: gzipped_size(&dist.join("app.css"))?,
        })
    }

    fn total(&self) -> u64 {
        self.wasm + self.js + self.css
    }
}

/// The size of `path` after `gzip -9`, the compression the budget is stated in.
fn gzipped_size(path: &Path) -> Result<u64> {
    let output = Command::new("gzip")
        .args(["-9", "-c"])
        .arg(path)
        .stderr(Stdio::inherit())
        .output()
        .context("cannot run gzip")?;
    if !output.status.success() {
        bail!("gzip failed on {}", path.display());
    }
    Ok(output.stdout.len() as u64)
}

/// Rust flags of the shipped bundle, as a `--config` value added to those of
/// `.cargo/config.toml`. LLVM inlines at `opt-level = "z"` whatever it judges no larger than a
/// call; with a threshold of 0 it keeps more small generic functions as one shared body (2.8 KB
/// gzipped). The source paths that remain in the module are shortened to their crate's folder:
/// the bundle need not name this machine's registry or workspace folders.
fn wasm_rustflags() -> String {
    let mut flags = vec!["-Cllvm-args=-inline-threshold=0".to_owned()];
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".cargo")));
    if let Some(sources) = cargo_home.map(|home| home.join("registry/src"))
        && let Ok(entries) = std::fs::read_dir(sources)
    {
        for entry in entries.flatten() {
            flags.push(format!("--remap-path-prefix={}/=", entry.path().display()));
        }
    }
    flags.push(format!("--remap-path-prefix={}/=", root().display()));
    let quoted: Vec<String> = flags.iter().map(|flag| format!("{flag:?}")).collect();
    format!(
        "target.wasm32-unknown-unknown.rustflags = [{}]",
        quoted.join(", ")
    )
}

/// The toolchain parts the bundle is built with: the WASM target and the standard library's
/// source, which the bundle compiles with its own settings (see `build`). `rustup` does nothing
/// when they are there.
fn rustup_components() -> Result<()> {
    run(Command::new("rustup")
        .args(["target", "add", "wasm32-unknown-unknown"])
        .stdout(Stdio::null()))?;
    run(Command::new("rustup")
        .args(["component", "add", "rust-src"])
        .stdout(Stdio::null()))
}

/// Builds the app into `dist/`: cargo to WASM, wasm-bindgen, wasm-opt, index.html and CSS.
///
/// The standard library is compiled with the bundle (`-Zbuild-std`) rather than taken prebuilt:
/// with `optimize_for_size` it picks its smaller algorithms, and with `panic = "immediate-abort"`
/// a panic is a trap, so no panic message, location or formatting machinery ships (39 KB
/// gzipped). These are the toolchain's own unstable switches, enabled for this one command by
/// `RUSTC_BOOTSTRAP=1`; every other build uses the stable toolchain as it is.
fn build() -> Result<Built> {
    npm_ci()?;
    rustup_components()?;
    let started = Instant::now();
    let root = root();
    run(cargo()
        .args([
            "build",
            "-p",
            "app",
            "--target",
            "wasm32-unknown-unknown",
            "--profile",
            "wasm-release",
            "--config",
            &wasm_rustflags(),
            "--config",
            "profile.wasm-release.panic = \"immediate-abort\"",
            "-Zpanic-immediate-abort",
            "-Zbuild-std=std,panic_abort",
            "-Zbuild-std-features=optimize_for_size",
        ])
        .env("RUSTC_BOOTSTRAP", "1"))?;
    let wasm = target_dir().join("wasm32-unknown-unknown/wasm-release/app.wasm");
    let dist = root.join("dist");
    if dist.exists() {
        std::fs::remove_dir_all(&dist).context("cannot clear dist/")?;
    }
    std::fs::create_dir_all(&dist)?;
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(&wasm)
        .web(true)?
        .out_name("app")
        .typescript(false)
        .generate(&dist)
        .context("wasm-bindgen failed")?;
    // wasm-bindgen's glue ships minified by terser (npm): names shortened, comments and
    // whitespace gone (1.2 KB gzipped less than the glue without its comments and indentation).
    run(Command::new(end2end().join("node_modules/.bin/terser"))
        .args([
            "app.js",
            "--module",
            "--compress",
            "--mangle",
            "-o",
            "app.js",
        ])
        .current_dir(&dist))
    .context("terser (npm) failed")?;
    let bindgen_size = std::fs::metadata(dist.join("app_bg.wasm"))?.len();
    // The bound module still has its names section: `twiggy` can attribute the bundle's bytes
    // to functions from this copy.
    std::fs::copy(
        dist.join("app_bg.wasm"),
        target_dir().join("app_bg.before-wasm-opt.wasm"),
    )?;
    // Optimised once with the functions' names kept, to learn the bodies the final module will
    // hold; then each function of the bound module is named by its place in the order that
    // gzips best (`order`), and the same optimisation runs again and lays them out by that name.
    let named = target_dir().join("app_bg.named.wasm");
    wasm_opt(&dist.join("app_bg.wasm"), &named, &["-g"])?;
    let optimised = moves::rewrite(&std::fs::read(&named)?)?.module;
    std::fs::write(&named, &optimised)?;
    let ordering = Instant::now();
    let ranks = order::ranks(&optimised)?;
    println!(
        "xtask: ordered {} functions for gzip in {:.1}s",
        ranks.len(),
        ordering.elapsed().as_secs_f64()
    );
    let mut module = walrus::Module::from_file(dist.join("app_bg.wasm"))
        .context("cannot read the bound module")?;
    order::rename(&mut module, &ranks);
    module
        .emit_wasm_file(dist.join("app_bg.wasm"))
        .context("cannot write the renamed module")?;
    // Kept named by rank: optimised with `-g`, it shows each function in its shipped place.
    std::fs::copy(
        dist.join("app_bg.wasm"),
        target_dir().join("app_bg.ranked.wasm"),
    )?;
    wasm_opt(
        &dist.join("app_bg.wasm"),
        &dist.join("app_bg.wasm"),
        &["--reorder-functions-by-name"],
    )?;
    // Word-by-word moves become `memory.copy` after wasm-opt, which would not undo it.
    let rewritten = moves::rewrite(&std::fs::read(dist.join("app_bg.wasm"))?)?;
    println!(
        "xtask: {} runs of {} load/store pairs became one copy each",
        rewritten.runs, rewritten.pairs
    );
    let shortened = names::shorten(
        &rewritten.module,
        &std::fs::read_to_string(dist.join("app.js"))?,
    )?;
    std::fs::write(dist.join("app_bg.wasm"), &shortened.module)?;
    std::fs::write(dist.join("app.js"), &shortened.glue)?;
    println!(
        "xtask: {} names between the glue and the module shortened",
        shortened.names
    );
    let mut css = String::new();
    let mut styles: Vec<_> = std::fs::read_dir(root.join("style"))?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "css"))
        .collect();
    styles.sort();
    for path in styles {
        css.push_str(&shipped_css(&std::fs::read_to_string(&path)?));
    }
    std::fs::write(dist.join("app.css"), css)?;
    std::fs::write(dist.join("index.html"), INDEX_HTML)?;
    let sizes = ["app_bg.wasm", "app.js", "app.css"]
        .iter()
        .map(|name| std::fs::metadata(dist.join(name)).map(|meta| meta.len()))
        .collect::<std::io::Result<Vec<u64>>>()?;
    println!(
        "xtask: built dist/ in {:.1}s: wasm {} KB after bindgen, {} KB after wasm-opt; js {} KB; css {} KB",
        started.elapsed().as_secs_f64(),
        bindgen_size / 1024,
        sizes[0] / 1024,
        sizes[1] / 1024,
        sizes[2] / 1024
    );
    let bundle = Bundle::measure(&dist)?;
    println!(
        "xtask: bundle gzip -9: wasm {} + js {} + css {} = {} bytes (budget {BUNDLE_BUDGET})",
        bundle.wasm,
        bundle.js,
        bundle.css,
        bundle.total()
    );
    let served = precompress(&dist)?;
    println!("xtask: sent to a browser that accepts Brotli: {served} bytes");
    Ok(Built { dist, bundle })
}

/// The files of `dist/` the server sends compressed: each gets a Brotli (`.br`, quality 11) and
/// a gzip (`.gz`, level 9) sibling, which the server picks by the request's `Accept-Encoding`.
const PRECOMPRESSED: [&str; 4] = ["app_bg.wasm", "app.js", "app.css", "index.html"];

/// Writes the compressed siblings and returns the Brotli size of the bundle (wasm, JS, CSS).
fn precompress(dist: &Path) -> Result<u64> {
    use std::io::Write;
    let brotli_params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 24,
        ..Default::default()
    };
    let mut bundle = 0;
    for name in PRECOMPRESSED {
        let content = std::fs::read(dist.join(name))?;
        let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gzip.write_all(&content)?;
        std::fs::write(dist.join(format!("{name}.gz")), gzip.finish()?)?;
        let mut brotli = Vec::new();
        brotli::BrotliCompress(&mut content.as_slice(), &mut brotli, &brotli_params)
            .with_context(|| format!("cannot compress {name} with Brotli"))?;
        if name != "index.html" {
            bundle += brotli.len() as u64;
        }
        std::fs::write(dist.join(format!("{name}.br")), brotli)?;
    }
    Ok(bundle)
}

/// Runs `wasm-opt` (npm binaryen) on `input` with the bundle's optimisation and `extra` after it.
///
/// `--low-memory-unused` lets wasm-opt fold constant offsets into loads and stores (3 KB
/// gzipped): Rust's linker puts the stack below 1 MiB, growing down, and the data above it, so
/// the first kilobyte is reached only by a stack about to overflow. Memory packing would cut
/// the data at every run of zeros into some two thousand segments, whose headers gzip worse
/// than the zeros they replace; and inlining, after LLVM has inlined at `opt-level = "z"`,
/// copies bodies that gzip would otherwise see once. Each was measured: `-Os` with both passes
/// skipped is 12.9 KB gzipped smaller than `-Oz` with them, and skipping local CSE, local
/// simplification and constant propagation (each tried alone, kept when the gzipped module
/// shrank) some 3 KB more: they make the code shorter but less repetitive. Measured again with
/// the functions in gzip's order (`order`): running inlining, local CSE, local simplification or
/// constant propagation with SSA splitting adds 0.3 to 0.6 KB each, `-Oz` 1.6 KB and
/// `--merge-similar-functions` 3.3 KB, while SSA splitting, skipped before, now saves 1.5 KB.
fn wasm_opt(input: &Path, output: &Path, extra: &[&str]) -> Result<()> {
    run(Command::new(end2end().join("node_modules/.bin/wasm-opt"))
        .args([
            "-Os",
            "--skip-pass=memory-packing",
            "--skip-pass=inlining-optimizing",
            "--skip-pass=local-cse",
            "--skip-pass=simplify-locals",
            "--skip-pass=precompute-propagate",
            // Rust's code never reaches an implicit trap (every access is in bounds, division is
            // checked before it, floats convert without trapping), so wasm-opt may move and drop
            // what only a trap could observe; the producers and target-features sections are
            // for tools, not browsers.
            "--ignore-implicit-traps",
            "--strip-producers",
            "--strip-target-features",
            "--low-memory-unused",
            "--enable-bulk-memory",
            "--enable-nontrapping-float-to-int",
            "--enable-sign-ext",
            "--enable-mutable-globals",
            "--enable-reference-types",
            "--enable-multivalue",
        ])
        .args(extra)
        .arg(input)
        .arg("-o")
        .arg(output))
    .context("wasm-opt (npm binaryen) failed")
}

/// A style sheet as it ships: without its comments (which are for the people who edit it), and
/// each line without its indentation. The style sheets hold no `/*` inside a string.
fn shipped_css(source: &str) -> String {
    let mut code = String::with_capacity(source.len());
    let mut rest = source;
    while let Some(start) = rest.find("/*") {
        code.push_str(&rest[..start]);
        rest = rest[start + 2..]
            .split_once("*/")
            .map_or("", |(_, after)| after);
    }
    code.push_str(rest);
    let mut shipped = String::with_capacity(code.len());
    for line in code.lines().map(str::trim).filter(|line| !line.is_empty()) {
        shipped.push_str(line);
        shipped.push('\n');
    }
    shipped
}

const INDEX_HTML: &str = r#"<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Reglament</title>
  <link rel="stylesheet" href="/app.css">
  <link rel="preload" href="/app_bg.wasm" as="fetch" type="application/wasm" crossorigin>
</head>
<body>
  <noscript>Reglament needs JavaScript and WebAssembly.</noscript>
  <script type="module">import init from "/app.js"; init({ module_or_path: "/app_bg.wasm" });</script>
</body>
</html>
"#;

/// Builds everything and runs the server with demo data on the default address.
fn serve(extra: &[String]) -> Result<()> {
    build()?;
    let mut command = cargo();
    command
        .args(["run", "--bin", "reglament", "--", "serve", "--demo"])
        .args(extra);
    run(&mut command)
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Runs every layer and prints one closing line: `xtask: N passed, M failed`.
fn test() -> Result<()> {
    let started = Instant::now();
    npm_ci()?;
    let (mut passed, mut failed) = (0u64, 0u64);

    // Unit, property and integration tests (SQLite, and PostgreSQL when TEST_DATABASE_URL is set),
    // then the app's own unit tests (its pure helpers, compiled for this machine: the app is not
    // a default member) and this program's (the bundle's function order among them).
    for args in [
        &["test"][..],
        &["test", "-p", "app", "--lib"][..],
        &["test", "-p", "xtask"][..],
    ] {
        let output = cargo()
            .args(args)
            .stderr(Stdio::inherit())
            .output()
            .with_context(|| format!("cannot run cargo {}", args.join(" ")))?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        print!("{stdout}");
        let mut reported = 0;
        for line in stdout.lines() {
            if let Some((p, f)) = parse_cargo_result(line) {
                passed += p;
                failed += f;
                reported += f;
            }
        }
        if !output.status.success() && reported == 0 {
            failed += 1;
            eprintln!(
                "xtask: cargo {} failed before reporting its results",
                args.join(" ")
            );
        }
    }

    // The browser layer runs against the exact bundle that ships and the real binary.
    let Built { dist, bundle } = build()?;
    // Issue #6: a bundle over its budget fails the run like a failed test.
    let total = bundle.total();
    if total > BUNDLE_BUDGET {
        failed += 1;
        eprintln!(
            "xtask: the bundle is {total} bytes gzipped, {} over its budget of {BUNDLE_BUDGET}",
            total - BUNDLE_BUDGET
        );
    } else {
        println!(
            "xtask: bundle budget: {total} of {BUNDLE_BUDGET} bytes gzipped, {} to spare",
            BUNDLE_BUDGET - total
        );
    }
    // The binary as `cargo test` builds it for the integration tests: a plain `cargo build`
    // unifies other features (no dev-dependencies) and would compile the dependencies again.
    run(cargo().args(["test", "--no-run", "--quiet"]))?;
    let data_dir = std::env::temp_dir().join(format!("reglament-e2e-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data_dir);
    let (server, base_url) = start_server(&dist, &data_dir)?;
    println!("xtask: browser tests against {base_url}");
    let report = end2end().join("test-results/report.json");
    let _ = std::fs::remove_file(&report);
    let status = Command::new(end2end().join("node_modules/.bin/playwright"))
        .arg("test")
        .current_dir(end2end())
        .env("BASE_URL", &base_url)
        .env("REGLAMENT_BIN", reglament_bin())
        .env("REGLAMENT_SITE_DIR", &dist)
        .env("PLAYWRIGHT_JSON_OUTPUT_NAME", &report)
        .status()
        .context("cannot run playwright")?;
    drop(server);
    let _ = std::fs::remove_dir_all(&data_dir);
    match std::fs::read_to_string(&report) {
        Ok(json) => {
            let (p, f) = parse_playwright_stats(&json);
            passed += p;
            failed += f;
            if !status.success() && f == 0 {
                failed += 1;
            }
        }
        Err(_) => {
            eprintln!("xtask: playwright wrote no report");
            failed += 1;
        }
    }
    println!(
        "xtask: all layers ran in {:.0}s",
        started.elapsed().as_secs_f64()
    );
    println!("xtask: {passed} passed, {failed} failed");
    if failed > 0 {
        bail!("{failed} test(s) failed");
    }
    Ok(())
}

fn start_server(dist: &Path, data_dir: &Path) -> Result<(Server, String)> {
    let mut child = Command::new(reglament_bin())
        .args(["serve", "--bind", "127.0.0.1:0", "--demo"])
        .arg("--data-dir")
        .arg(data_dir)
        .arg("--site-dir")
        .arg(dist)
        .env_remove("DATABASE_URL")
        .env("RG_JOB_INTERVAL_SECONDS", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .context("cannot start reglament")?;
    let stdout = child.stdout.take().context("no stdout")?;
    let server = Server(child);
    let mut lines = BufReader::new(stdout).lines();
    let first = lines
        .next()
        .context("reglament exited before printing its address")??;
    let url = first
        .strip_prefix("reglament: listening on ")
        .with_context(|| format!("unexpected first line from reglament: {first}"))?
        .trim()
        .to_owned();
    // Keep draining the server's output so it never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines.map_while(Result::ok) {});
    Ok((server, url))
}

/// `test result: ok. 12 passed; 0 failed; 0 ignored; ...` → (12, 0).
fn parse_cargo_result(line: &str) -> Option<(u64, u64)> {
    let rest = line.trim().strip_prefix("test result: ")?;
    let number_before = |word: &str| -> Option<u64> {
        let index = rest.find(word)?;
        rest[..index].split_whitespace().last()?.parse().ok()
    };
    Some((number_before(" passed")?, number_before(" failed")?))
}

/// Playwright's JSON reporter: `stats.expected` passed, `unexpected` failed, `flaky` passed on retry.
fn parse_playwright_stats(json: &str) -> (u64, u64) {
    let number = |key: &str| -> u64 {
        let Some(stats) = json.find("\"stats\"") else {
            return 0;
        };
        let tail = &json[stats..];
        let Some(at) = tail.find(&format!("\"{key}\":")) else {
            return 0;
        };
        tail[at + key.len() + 3..]
            .trim_start()
            .chars()
            .take_while(char::is_ascii_digit)
            .collect::<String>()
            .parse()
            .unwrap_or(0)
    };
    (number("expected") + number("flaky"), number("unexpected"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ships_style_sheets_without_comments_or_indentation() {
        let source = "/* The frame. */\n.a { color: red; }\n\n/* Two\n   lines. */\n  .b { margin: 0; } /* end */\n";
        assert_eq!(
            shipped_css(source),
            ".a { color: red; }\n.b { margin: 0; }\n"
        );
    }

    #[test]
    fn reads_cargo_and_playwright_summaries() {
        assert_eq!(
            parse_cargo_result("test result: ok. 12 passed; 3 failed; 0 ignored; 0 measured"),
            Some((12, 3))
        );
        assert_eq!(parse_cargo_result("running 3 tests"), None);
        let json = r#"{"config":{},"stats":{"startTime":"x","duration":1.5,"expected":4,"skipped":0,"unexpected":1,"flaky":2}}"#;
        assert_eq!(parse_playwright_stats(json), (6, 1));
    }
}
