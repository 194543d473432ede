//! The module graph of each crate of the workspace has no cycle: a module may use its children,
//! or its parent, or a sibling, but never end up depending on itself (SPEC's layering: HTTP →
//! use cases → read API / write side → domain, and within a layer, leaf modules first).
//!
//! Dependencies are read from the source: every `crate::…`, `super::…` and `self::…` path, and
//! every `use` of a child module, counts as an edge to the longest module prefix it names. A
//! parent that only declares a child (`mod x;`) does not depend on it; one that re-exports from
//! it (`pub use x::Y;`) does. So inside a crate, code names an item by the module defining it.
//! (The scan does not track inline modules: in one, name items by `crate::` paths, not `super::`.)

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every `.rs` file below `root` as `(module path, file)`; `lib.rs` is the crate (`""`).
fn modules(root: &Path) -> BTreeMap<String, PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(root, &mut files);
    let mut map = BTreeMap::new();
    for file in files {
        let rel = file.strip_prefix(root).unwrap().with_extension("");
        let mut parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
        match parts.last().map(String::as_str) {
            Some("lib") if parts.len() == 1 => parts.clear(),
            // The binary's root is another crate (it uses the library by its name).
            Some("main") if parts.len() == 1 => continue,
            Some("mod") => {
                parts.pop();
            }
            _ => {}
        }
        map.insert(parts.join("::"), file);
    }
    map
}

/// The source without comments, string literals (a `crate::` in a doc comment is no use) and
/// the unit-test module at the end (whose `super` is the module itself, and which no
/// production code depends on).
fn code_only(source: &str) -> String {
    let source = source.find("#[cfg(test)]\nmod ").map_or(source, |i| &source[..i]);
    let mut out = String::with_capacity(source.len());
    let mut chars = source.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            '"' => {
                let mut escaped = false;
                for c in chars.by_ref() {
                    if escaped {
                        escaped = false;
                    } else if c == '\\' {
                        escaped = true;
                    } else if c == '"' {
                        break;
                    }
                }
                out.push_str("\"\"");
            }
            c => out.push(c),
        }
    }
    out
}

/// Expands a `use` tree (`a::{b, c::{d, e}}`) into its paths.
fn expand(tree: &str) -> Vec<String> {
    let tree = tree.trim();
    let Some(open) = tree.find('{') else { return vec![tree.split(" as ").next().unwrap().trim().to_owned()] };
    let prefix = tree[..open].trim_end_matches("::");
    let inner = &tree[open + 1..tree.rfind('}').unwrap()];
    let mut items = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(&inner[start..]);
    items
        .into_iter()
        .filter(|i| !i.trim().is_empty())
        .flat_map(expand)
        .map(|p| {
            if p == "self" {
                prefix.to_owned()
            } else if prefix.is_empty() {
                p
            } else {
                format!("{prefix}::{p}")
            }
        })
        .collect()
}

/// The modules `module` (whose code is `code`) depends on.
fn dependencies(module: &str, code: &str, all: &BTreeMap<String, PathBuf>) -> BTreeSet<String> {
    let here: Vec<&str> = if module.is_empty() { vec![] } else { module.split("::").collect() };
    let resolve = |path: &str| -> Option<String> {
        let mut segments: Vec<&str> = path.split("::").map(str::trim).filter(|s| !s.is_empty()).collect();
        let mut base: Vec<&str> = match segments.first().copied() {
            Some("crate") => {
                segments.remove(0);
                vec![]
            }
            Some("self") => {
                segments.remove(0);
                here.clone()
            }
            Some("super") => {
                let mut b = here.clone();
                while segments.first() == Some(&"super") {
                    segments.remove(0);
                    b.pop();
                }
                b
            }
            // A child module named without a prefix (`use env::Env;` in `app`).
            Some(first) if all.contains_key(&[here.clone(), vec![first]].concat().join("::")) => here.clone(),
            _ => return None,
        };
        // The deepest module the path passes through (the rest names an item in it).
        let mut found = all.contains_key(&base.join("::")).then(|| base.join("::"));
        for s in segments {
            base.push(s);
            if all.contains_key(&base.join("::")) {
                found = Some(base.join("::"));
            }
        }
        found
    };
    let mut deps = BTreeSet::new();
    // `use` statements, grouped imports expanded.
    let mut rest = code;
    while let Some(i) = rest.find("use ") {
        let before = rest[..i].chars().next_back();
        let stmt_end = rest[i..].find(';').map_or(rest.len(), |e| i + e);
        if before.is_none_or(|c| c.is_whitespace() || c == '{' || c == ';' || c == '}') {
            for path in expand(&rest[i + 4..stmt_end]) {
                deps.extend(resolve(&path));
            }
        }
        rest = &rest[stmt_end.min(rest.len() - 1) + 1..];
    }
    // Paths in code.
    for prefix in ["crate::", "super::", "self::"] {
        for (i, _) in code.match_indices(prefix) {
            let before = code[..i].chars().next_back().unwrap_or(' ');
            if before.is_alphanumeric() || before == '_' || before == ':' {
                continue;
            }
            let end = code[i..].find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':')).map_or(code.len(), |e| i + e);
            deps.extend(resolve(code[i..end].trim_end_matches(':')));
        }
    }
    // Children named inline (`codes::CodesSnapshot` in `app`).
    let prefix = if module.is_empty() { String::new() } else { format!("{module}::") };
    for child in all.keys().filter_map(|m| m.strip_prefix(&prefix)).filter(|c| !c.is_empty() && !c.contains("::")) {
        let pattern = format!("{child}::");
        let named = code.match_indices(&pattern).any(|(i, _)| {
            let before = code[..i].chars().next_back().unwrap_or(' ');
            !(before.is_alphanumeric() || before == '_' || before == ':')
        });
        if named {
            deps.insert(format!("{prefix}{child}"));
        }
    }
    deps.remove(module);
    deps
}

/// A cycle in `graph`, if there is one.
fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(node.to_owned(), 1);
        stack.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            match state.get(next).copied() {
                Some(1) => {
                    let from = stack.iter().position(|n| n == next).unwrap();
                    let mut cycle = stack[from..].to_vec();
                    cycle.push(next.clone());
                    return Some(cycle);
                }
                Some(_) => {}
                None => {
                    if let Some(c) = visit(next, graph, state, stack) {
                        return Some(c);
                    }
                }
            }
        }
        stack.pop();
        state.insert(node.to_owned(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for node in graph.keys() {
        if !state.contains_key(node)
            && let Some(c) = visit(node, graph, &mut state, &mut Vec::new())
        {
            return Some(c);
        }
    }
    None
}

fn graph_of(crate_src: &str) -> BTreeMap<String, BTreeSet<String>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(crate_src);
    let all = modules(&root);
    all.iter().map(|(m, file)| (m.clone(), dependencies(m, &code_only(&std::fs::read_to_string(file).unwrap()), &all))).collect()
}

fn show(cycle: &[String]) -> String {
    cycle.iter().map(|m| if m.is_empty() { "crate".to_owned() } else { m.clone() }).collect::<Vec<_>>().join(" → ")
}

#[test]
fn the_scanner_sees_edges_and_cycles() {
    let all: BTreeMap<String, PathBuf> =
        ["", "app", "app::env", "app::vault", "http", "http::state"].iter().map(|m| ((*m).to_owned(), PathBuf::new())).collect();
    let deps = dependencies("app::vault", "use super::{App, env::Env};\nfn f() { crate::http::state::X; }", &all);
    assert_eq!(deps, ["app", "app::env", "http::state"].iter().map(|s| (*s).to_owned()).collect());
    assert_eq!(dependencies("app", "use env::Env;", &all), ["app::env".to_owned()].into_iter().collect());
    assert_eq!(dependencies("app", "struct A { e: env::Env }", &all), ["app::env".to_owned()].into_iter().collect());
    assert!(dependencies("app", &code_only("// crate::http\nlet s = \"crate::http\";"), &all).is_empty());
    let graph: BTreeMap<String, BTreeSet<String>> = [("a", vec!["b"]), ("b", vec!["c"]), ("c", vec!["a"])]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.iter().map(|s| (*s).to_owned()).collect()))
        .collect();
    assert_eq!(find_cycle(&graph).map(|c| show(&c)), Some("a → b → c → a".to_owned()));
}

#[test]
fn no_module_cycle_in_the_binary_crate() {
    let graph = graph_of("src");
    assert!(graph.contains_key("http::router") && graph["http::router"].contains("http::routes_vault"), "the scan found the router's edges");
    if let Some(cycle) = find_cycle(&graph) {
        panic!("module cycle in src/: {}", show(&cycle));
    }
}

#[test]
fn no_module_cycle_in_the_projections_crate() {
    if let Some(cycle) = find_cycle(&graph_of("projections/src")) {
        panic!("module cycle in projections/src/: {}", show(&cycle));
    }
}

#[test]
fn no_module_cycle_in_the_domain_crate() {
    if let Some(cycle) = find_cycle(&graph_of("aggregates/src")) {
        panic!("module cycle in aggregates/src/: {}", show(&cycle));
    }
}
