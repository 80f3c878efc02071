//! `citygrid user add USERNAME --role ROLE`: manage users from the command line.

use std::path::Path;

use anyhow::Context;

use crate::accounts::{Accounts, UserSpec};

use super::{Global, open};

#[derive(Debug, clap::Subcommand)]
pub enum Action {
    /// Add a user; without --password-stdin a password is made and printed once.
    Add(AddArgs),
}

#[derive(Debug, clap::Args)]
pub struct AddArgs {
    username: String,
    /// admin, leader, supervisor, dispatcher, officer or planner.
    #[arg(long)]
    role: citygrid_core::account::Role,
    /// Community or grid codes a supervisor answers for.
    #[arg(long, value_delimiter = ',')]
    scope: Vec<String>,
    /// An officer's staff code.
    #[arg(long)]
    officer: Option<String>,
    #[arg(long)]
    display_name: Option<String>,
    /// Read the password from standard input.
    #[arg(long)]
    password_stdin: bool,
}

pub async fn run(global: &Global, action: Action) -> anyhow::Result<()> {
    match action {
        Action::Add(args) => add(global, args).await,
    }
}

async fn add(global: &Global, args: AddArgs) -> anyhow::Result<()> {
    let password = if args.password_stdin {
        let mut line = String::new();
        std::io::stdin()
            .read_line(&mut line)
            .context("reading the password from standard input")?;
        Some(line.trim_end_matches(['\r', '\n']).to_owned())
    } else {
        None
    };
    let store = open::store(&global.db).await?;
    let accounts = Accounts::new(store.clone());
    let what = format!("user add {} ({})", args.username, args.role);
    let spec = UserSpec {
        username: args.username,
        password,
        role: args.role,
        display_name: args.display_name,
        scope: args.scope,
        officer: args.officer,
    };
    let result = accounts.add_user(spec, chrono::Utc::now()).await;
    open::audit(store.as_ref(), &what, Path::new(""), result.is_ok()).await;
    store.close().await;
    let (user, made) = result?;
    println!("added {} ({})", user.username, user.role);
    if let Some(password) = made {
        println!("password (shown once; to be changed at the first login): {password}");
    }
    Ok(())
}
