//! Builds the web UI (`frontend/`, Vite) and embeds it: the `authnode` binary carries every UI
//! asset, so one file serves the whole product and no CDN is ever involved.
//!
//! - `AUTHNODE_UI_DIST=<dir>`: embed an already-built UI (the Docker image builds it in a Node stage).
//! - `AUTHNODE_SKIP_UI_BUILD=1`: embed nothing (the server then answers `/` with a short notice);
//!   for builds on machines without Node.js.
//! - Otherwise: `npm ci` when `node_modules` is missing or older than the lockfile, then `vite build`
//!   into `OUT_DIR`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    for p in
        ["frontend/src", "frontend/public", "frontend/index.html", "frontend/package.json", "frontend/package-lock.json", "frontend/vite.config.ts"]
    {
        println!("cargo:rerun-if-changed={p}");
    }
    println!("cargo:rerun-if-env-changed=AUTHNODE_UI_DIST");
    println!("cargo:rerun-if-env-changed=AUTHNODE_SKIP_UI_BUILD");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR"));
    let dist = if let Ok(dir) = std::env::var("AUTHNODE_UI_DIST") {
        Some(PathBuf::from(dir))
    } else if std::env::var("AUTHNODE_SKIP_UI_BUILD").is_ok_and(|v| v == "1") {
        None
    } else {
        Some(build_ui(&out.join("ui")))
    };
    let mut files = Vec::new();
    if let Some(dist) = &dist {
        collect(dist, dist, &mut files);
        assert!(files.iter().any(|(rel, _)| rel == "index.html"), "the UI build in {} has no index.html", dist.display());
    }
    files.sort();
    let mut src = String::from("/// Every UI asset: path relative to the UI root, and its bytes.\npub static ASSETS: &[(&str, &[u8])] = &[\n");
    for (rel, abs) in &files {
        writeln!(src, "    ({rel:?}, include_bytes!({:?})),", abs.display().to_string()).expect("write");
    }
    src.push_str("];\n");
    std::fs::write(out.join("ui_assets.rs"), src).expect("write ui_assets.rs");
}

fn build_ui(target: &Path) -> PathBuf {
    // Read at run time: a build-script binary can be reused for another checkout of the crate.
    let frontend = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR")).join("frontend");
    let modules = frontend.join("node_modules");
    let stale = |a: &Path, b: &Path| match (std::fs::metadata(a).and_then(|m| m.modified()), std::fs::metadata(b).and_then(|m| m.modified())) {
        (Ok(a), Ok(b)) => a < b,
        _ => true,
    };
    if !modules.join(".package-lock.json").exists() || stale(&modules.join(".package-lock.json"), &frontend.join("package-lock.json")) {
        run(Command::new("npm").args(["ci", "--no-audit", "--no-fund", "--loglevel=error"]).current_dir(&frontend), "npm ci");
    }
    run(
        Command::new("node")
            .args(["node_modules/vite/bin/vite.js", "build", "--logLevel", "warn"])
            .env("AUTHNODE_UI_OUT", target)
            .current_dir(&frontend),
        "vite build",
    );
    target.to_path_buf()
}

fn run(cmd: &mut Command, what: &str) {
    let status = cmd.status().unwrap_or_else(|e| {
        panic!("{what}: could not start ({e}). Building AuthNode needs Node.js 20+ and npm for its web UI; set AUTHNODE_SKIP_UI_BUILD=1 to build without the UI")
    });
    assert!(status.success(), "{what} failed ({status})");
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, PathBuf)>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("read {}: {e}", dir.display())) {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            collect(root, &path, out);
        } else {
            let rel = path.strip_prefix(root).expect("under root").to_string_lossy().replace('\\', "/");
            out.push((rel, path.canonicalize().expect("canonical path")));
        }
    }
}
