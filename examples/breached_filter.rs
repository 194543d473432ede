//! Builds `src/password/breached.fuse16` from a password list (one per line, most common
//! first): `cargo run --example breached_filter -- LIST OUT`. Run through
//! `scripts/breached-passwords.sh`, which fetches and verifies the published list.

use std::io::BufRead;

/// No password policy accepts fewer characters, so shorter entries would never be looked up.
const SHORTEST: usize = 8;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [list, out] = args.as_slice() else { anyhow::bail!("usage: breached_filter LIST OUT") };
    let mut keys = Vec::new();
    for line in std::io::BufReader::new(std::fs::File::open(list)?).lines() {
        // Lines that are not UTF-8 cannot be typed into the sign-up form as they are.
        let Ok(line) = line else { continue };
        let password = line.trim_end_matches('\r');
        if password.chars().count() >= SHORTEST {
            keys.push(authnode::password::breached::key(password));
        }
    }
    let bytes = authnode::password::breached::encode(keys).map_err(anyhow::Error::msg)?;
    std::fs::write(out, &bytes)?;
    let count = u32::from_le_bytes(bytes[8..12].try_into()?);
    println!("{count} passwords, {} bytes ({:.2} bytes each) written to {out}", bytes.len(), bytes.len() as f64 / f64::from(count));
    Ok(())
}
