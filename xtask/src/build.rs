//! `cargo xtask build`: the browser app, from Rust to the files the server sends.
//!
//! 1. cargo compiles the app to one WebAssembly module (`--emit-relocs`, see
//!    `.cargo/config.toml`), with the stable toolchain `rust-toolchain.toml` names.
//! 2. `wasm_split_cli_support` cuts it at the app's `#[lazy]` and `#[lazy_route]` points into a
//!    main module and one chunk per lazily loaded screen (plus chunks of code several screens
//!    share), and writes `__wasm_split.js`, which fetches a chunk the first time its screen opens.
//! 3. `wasm_bindgen_cli_support` binds the main module to its JavaScript glue (`app.js`).
//! 4. `wasm-opt -Oz` (npm binaryen) optimises every module; terser (npm) minifies the JavaScript.
//! 5. The CSS and `index.html` are written, and every file gets a Brotli and a gzip sibling, which
//!    the server picks by the request's `Accept-Encoding`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use anyhow::{Context, Result, anyhow, bail};

use crate::{cargo, end2end, npm_ci, root, run, target_dir};

/// The glue wasm-bindgen writes for the main module.
const MAIN_JS: &str = "app.js";
/// The JavaScript module that loads a screen's chunks, imported by the main module.
const SPLIT_LOADER: &str = "__wasm_split.js";

/// Builds the app into `dist/` and returns that folder.
pub fn build() -> Result<PathBuf> {
    npm_ci()?;
    run(Command::new("rustup")
        .args(["target", "add", "wasm32-unknown-unknown"])
        .stdout(Stdio::null()))?;
    let started = Instant::now();
    run(cargo().args([
        "build",
        "-p",
        "app",
        "--target",
        "wasm32-unknown-unknown",
        "--profile",
        "wasm-release",
    ]))?;
    let compiled = target_dir().join("wasm32-unknown-unknown/wasm-release/app.wasm");
    let dist = root().join("dist");
    if dist.exists() {
        std::fs::remove_dir_all(&dist).context("cannot clear dist/")?;
    }
    std::fs::create_dir_all(&dist)?;

    let main = target_dir().join("app_split.wasm");
    let input = std::fs::read(&compiled).context("cannot read the compiled app")?;
    let (main_module, link_name) = (format!("./{MAIN_JS}"), format!("./{SPLIT_LOADER}"));
    let split = wasm_split_cli_support::transform({
        let mut options = wasm_split_cli_support::Options::new(&input);
        options.output_dir = &dist;
        options.main_out_path = &main;
        options.main_module = &main_module;
        options.link_name = &link_name;
        options
    })
    .map_err(|error| anyhow!("wasm_split_cli_support failed: {error:#}"))?;

    // The split exports and imports are the linker's names, which the chunks refer to: the
    // main module keeps them as they are.
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(&main)
        .web(true)?
        .keep_lld_exports(true)
        .demangle(false)
        .out_name("app")
        .typescript(false)
        .generate(&dist)
        .context("wasm-bindgen failed")?;

    let mut modules = vec![dist.join("app_bg.wasm")];
    modules.extend(split.split_modules.iter().cloned());
    wasm_opt_all(&modules)?;
    for script in [MAIN_JS, SPLIT_LOADER] {
        minify(&dist, script)?;
    }
    std::fs::write(dist.join("app.css"), style_sheet()?)?;
    std::fs::write(dist.join("index.html"), INDEX_HTML)?;
    println!(
        "xtask: built dist/ in {:.1}s: a main module and {} chunks",
        started.elapsed().as_secs_f64(),
        split.split_modules.len()
    );
    let sizes = precompress(&dist)?;
    print_sizes(&sizes);
    Ok(dist)
}

/// Runs `wasm_opt` on every module, as many at a time as the machine has cores.
fn wasm_opt_all(modules: &[PathBuf]) -> Result<()> {
    let next = AtomicUsize::new(0);
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| -> Result<()> {
                    while let Some(module) = modules.get(next.fetch_add(1, Ordering::Relaxed)) {
                        wasm_opt(module)?;
                    }
                    Ok(())
                })
            })
            .collect();
        handles
            .into_iter()
            .try_for_each(|handle| handle.join().expect("a wasm-opt worker panicked"))
    })
}

/// `wasm-opt -Oz` from npm binaryen, in place. The features are those Rust's wasm32 target
/// enables by default, which the module already uses. wasm-opt warns about every entry of the
/// split modules' names section it cannot read (a warning per chunk, harmless: names do not
/// ship), so its output is shown only when it fails.
fn wasm_opt(module: &Path) -> Result<()> {
    let output = Command::new(end2end().join("node_modules/.bin/wasm-opt"))
        .args([
            "-Oz",
            "--enable-bulk-memory",
            "--enable-nontrapping-float-to-int",
            "--enable-sign-ext",
            "--enable-mutable-globals",
            "--enable-reference-types",
            "--enable-multivalue",
        ])
        .arg(module)
        .arg("-o")
        .arg(module)
        .output()
        .context("cannot run wasm-opt (npm binaryen)")?;
    if !output.status.success() {
        bail!(
            "wasm-opt failed on {}: {}",
            module.display(),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(())
}

/// terser (npm) minifies a JavaScript module of `dist/` in place.
fn minify(dist: &Path, script: &str) -> Result<()> {
    run(Command::new(end2end().join("node_modules/.bin/terser"))
        .args([script, "--module", "--compress", "--mangle", "-o", script])
        .current_dir(dist))
    .with_context(|| format!("terser (npm) failed on {script}"))
}

/// The style sheets of `style/`, in name order, as they ship.
fn style_sheet() -> Result<String> {
    let mut styles: Vec<_> = std::fs::read_dir(root().join("style"))?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "css"))
        .collect();
    styles.sort();
    let mut css = String::new();
    for path in styles {
        css.push_str(&shipped_css(&std::fs::read_to_string(&path)?));
    }
    Ok(css)
}

/// One file the server sends, and its size as it is, after gzip and after Brotli.
pub struct Shipped {
    pub name: String,
    pub raw: u64,
    pub gzip: u64,
    pub brotli: u64,
}

/// Writes a Brotli (`.br`, quality 11) and a gzip (`.gz`, level 9) sibling of every file of
/// `dist/`, and returns the sizes of each, the main module first, then the chunks, the scripts
/// and the rest by name.
fn precompress(dist: &Path) -> Result<Vec<Shipped>> {
    let brotli_params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 24,
        ..Default::default()
    };
    let mut names: Vec<String> = std::fs::read_dir(dist)?
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .collect();
    names.sort_by_key(|name| (shipping_order(name), name.clone()));
    let mut shipped = Vec::with_capacity(names.len());
    for name in names {
        let content = std::fs::read(dist.join(&name))?;
        let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gzip.write_all(&content)?;
        let gzip = gzip.finish()?;
        let mut brotli = Vec::new();
        brotli::BrotliCompress(&mut content.as_slice(), &mut brotli, &brotli_params)
            .with_context(|| format!("cannot compress {name} with Brotli"))?;
        std::fs::write(dist.join(format!("{name}.gz")), &gzip)?;
        std::fs::write(dist.join(format!("{name}.br")), &brotli)?;
        shipped.push(Shipped {
            raw: content.len() as u64,
            gzip: gzip.len() as u64,
            brotli: brotli.len() as u64,
            name,
        });
    }
    Ok(shipped)
}

/// The main module first, then the chunks, then the scripts, then the rest.
fn shipping_order(name: &str) -> u8 {
    match name {
        "app_bg.wasm" => 0,
        _ if name.ends_with(".wasm") => 1,
        _ if name.ends_with(".js") => 2,
        _ => 3,
    }
}

/// Prints one line per shipped file and the total of the code (wasm, JavaScript and CSS).
fn print_sizes(sizes: &[Shipped]) {
    println!(
        "xtask: {:<44} {:>9} {:>9} {:>9}",
        "file", "raw", "gzip", "brotli"
    );
    let (mut raw, mut gzip, mut brotli) = (0, 0, 0);
    for file in sizes {
        println!(
            "xtask: {:<44} {:>9} {:>9} {:>9}",
            file.name, file.raw, file.gzip, file.brotli
        );
        if file.name != "index.html" {
            raw += file.raw;
            gzip += file.gzip;
            brotli += file.brotli;
        }
    }
    println!(
        "xtask: {:<44} {raw:>9} {gzip:>9} {brotli:>9}",
        "total of wasm, JavaScript and CSS"
    );
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
    fn lists_the_main_module_then_chunks_then_scripts() {
        let mut names = vec![
            "index.html",
            "app.js",
            "split_reports_1.wasm",
            "app_bg.wasm",
        ];
        names.sort_by_key(|name| (shipping_order(name), name.to_string()));
        assert_eq!(
            names,
            [
                "app_bg.wasm",
                "split_reports_1.wasm",
                "app.js",
                "index.html"
            ]
        );
    }
}
