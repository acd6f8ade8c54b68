//! Seeds cost data for the costs page benchmark: a cost period every month for years for
//! each of the first N hosts (bench hosts are added when there are fewer), with monthly
//! charges, invoices, budget and active users (`app::server::costs::bench::seed_bench`).
//!
//! ```text
//! cargo run --release -p server --example seed_costs -- DATA/owlery.db 50 10
//! ```
use anyhow::{anyhow, Context};
use std::path::Path;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [db, hosts, years] = args.as_slice() else {
        return Err(anyhow!("usage: seed_costs DATABASE HOSTS YEARS"));
    };
    let hosts: usize = hosts.parse().context("HOSTS must be a number")?;
    let years: usize = years.parse().context("YEARS must be a number")?;
    let pool = app::server::db::open(Path::new(db)).await?;
    let (from, to) = app::server::costs::bench::seed_bench(&pool, hosts, years)
        .await
        .map_err(|e| anyhow!("seeding costs: {e}"))?;
    println!("seeded {hosts} hosts from {from} to {to}");
    Ok(())
}
