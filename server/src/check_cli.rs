//! `owlery check [--env FILE] [--nginx FILE]`: the findings of the config check, grouped by severity;
//! an error among them makes the command fail (exit code 1).
use std::path::Path;

use anyhow::{bail, Context};
use app::domain::checks::{counts, Finding, Severity};
use app::server::secrets;
use sqlx::SqlitePool;

pub async fn check(
    pool: &SqlitePool,
    data: &Path,
    env: Option<&Path>,
    nginx: Option<&Path>,
) -> anyhow::Result<()> {
    let read = |file: Option<&Path>| -> anyhow::Result<Option<String>> {
        file.map(|path| std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display())))
            .transpose()
    };
    let (env, nginx) = (read(env)?, read(nginx)?);
    // The master key opens the DKIM signing keys; without it (a copy of the database
    // alone) that one comparison is skipped, the rest still runs.
    let key_path = secrets::key_file::key_path(data, None);
    let key = key_path
        .exists()
        .then(|| secrets::key_file::load(&key_path))
        .transpose()?;
    let findings = app::server::checks::run_files(pool, key.as_ref(), env.as_deref(), nginx.as_deref())
        .await
        .map_err(|e| anyhow::anyhow!("checking: {e}"))?;
    print!("{}", report(&findings));
    let (errors, _, _) = counts(&findings);
    if errors > 0 {
        bail!("{errors} error{} found", if errors == 1 { "" } else { "s" });
    }
    Ok(())
}

/// The findings as text: a heading per severity, then each finding with its objects,
/// why it matters and how to fix it.
pub fn report(findings: &[Finding]) -> String {
    let (errors, warnings, infos) = counts(findings);
    let mut out = format!("{errors} error(s), {warnings} warning(s), {infos} note(s)\n");
    for severity in Severity::ALL {
        let group: Vec<&Finding> = findings.iter().filter(|f| f.severity == severity).collect();
        if group.is_empty() {
            continue;
        }
        out.push_str(&format!("\n== {} ==\n", severity.label().to_uppercase()));
        for f in group {
            out.push_str(&format!("\n[{}] {}\n", f.rule, f.message));
            if !f.objects.is_empty() {
                let objects: Vec<String> = f
                    .objects
                    .iter()
                    .map(|(k, n)| format!("{} {n}", k.label()))
                    .collect();
                out.push_str(&format!("  objects: {}\n", objects.join(", ")));
            }
            out.push_str(&format!("  why:     {}\n  fix:     {}\n", f.why, f.fix));
        }
    }
    out
}
