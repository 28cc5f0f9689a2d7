//! `medchain keys` (identities, key files, the patient card) and `medchain patients` (the cards
//! of the patients you treat).

use std::path::PathBuf;

use medchain_client::{
	classes::PatientCard,
	directory,
	identity::{self, Identity},
};
use serde_json::{json, Value};

use crate::{
	args::{Keys, Patients},
	context::{read_file, Context},
	error::CliError,
	output::Output,
};

/// The secret URI to import: `flag` if it is a well-known development URI (`//Name`, derived
/// from the public development phrase), else the first line of `input` (standard input). A
/// real secret on the command line is refused: `ps` shows it to every user and the shell keeps
/// it in its history (security review M8).
fn secret_uri(
	flag: Option<String>,
	input: &mut dyn std::io::BufRead,
) -> Result<zeroize::Zeroizing<String>, CliError> {
	if let Some(flag) = flag {
		let flag = zeroize::Zeroizing::new(flag);
		if flag.starts_with("//") && !flag.contains(char::is_whitespace) {
			return Ok(flag);
		}
		return Err(CliError::Usage(
			"--suri takes only a well-known development account such as //Alice: a secret on the \
			 command line is visible to every user of this machine and stays in your shell \
			 history. Give it on standard input instead (typed at the prompt, or \
			 `medchain keys import --name <name> < secret.txt`)"
				.into(),
		));
	}
	let mut line = zeroize::Zeroizing::new(String::new());
	input.read_line(&mut line).map_err(|e| {
		CliError::Usage(format!("cannot read the secret URI from standard input: {e}"))
	})?;
	let secret = zeroize::Zeroizing::new(line.trim_end_matches(['\r', '\n']).to_owned());
	if secret.trim().is_empty() {
		return Err(CliError::Usage(
			"no secret URI on standard input (type it at the prompt or pipe it from a file)".into(),
		));
	}
	Ok(secret)
}

/// An identity as `--json` shows it, with whether its key file is sealed.
fn identity_json(ctx: &Context, identity: &Identity) -> Result<Value, CliError> {
	Ok(json!({
		"name": identity.name,
		"account": identity.account().to_string(),
		"signing_account": identity.signing_account().to_string(),
		"encryption_public": hex::encode(identity.encryption_public()),
		"sealed": ctx.ring.is_sealed(&identity.name)?,
	}))
}

/// Saves a new identity holding a real secret: sealed under the passphrase, or plain only when
/// asked for (`--plaintext`). With neither a passphrase file nor a terminal to type one at, it
/// is refused rather than written plain.
fn save_secret(ctx: &Context, identity: &Identity, plaintext: bool) -> Result<PathBuf, CliError> {
	if plaintext {
		return Ok(ctx.ring.save_plaintext(identity)?);
	}
	if !ctx.ring.seals() {
		return Err(CliError::Usage(format!(
			"no passphrase to seal `{}`'s key file: give --passphrase-file (or \
			 MEDCHAIN_PASSPHRASE_FILE), run at a terminal to type one, or pass --plaintext for \
			 a test identity (whoever copies a plain key file holds the identity)",
			identity.name
		)));
	}
	Ok(ctx.ring.save(identity)?)
}

pub(crate) async fn run(ctx: &Context, cmd: Keys) -> Result<Output, CliError> {
	match cmd {
		Keys::Generate { name, plaintext } => {
			let identity = Identity::generate(&name)?;
			let path = save_secret(ctx, &identity, plaintext)?;
			Output::new(
				format!(
					"created {name}: account {} (key file {})",
					identity.account(),
					path.display()
				),
				identity_json(ctx, &identity)?,
			)
		},
		Keys::Import { name, suri, plaintext } => {
			use std::io::IsTerminal;
			// `secret_uri` takes `--suri` for a well-known development account only (its
			// secret is public), so a key given there is written plain.
			let development = suri.is_some();
			let stdin = std::io::stdin();
			let suri = if suri.is_none() && stdin.is_terminal() {
				let typed = rpassword::prompt_password("secret URI (phrase or 0x seed): ")
					.map_err(|e| CliError::Usage(format!("cannot read the secret URI: {e}")))?;
				secret_uri(None, &mut typed.as_bytes())?
			} else {
				secret_uri(suri, &mut stdin.lock())?
			};
			let identity = Identity::from_secret_uri(&name, &suri)?;
			let path = if development {
				ctx.ring.save_plaintext(&identity)?
			} else {
				save_secret(ctx, &identity, plaintext)?
			};
			Output::new(
				format!(
					"imported {name}: account {} (key file {})",
					identity.account(),
					path.display()
				),
				identity_json(ctx, &identity)?,
			)
		},
		Keys::Show { name } => {
			let identity = match name {
				Some(name) => ctx.ring.load(&name)?,
				None => ctx.me()?,
			};
			Output::new(
				format!(
					"{}: account {}, encryption key {}",
					identity.name,
					identity.account(),
					hex::encode(identity.encryption_public())
				),
				identity_json(ctx, &identity)?,
			)
		},
		Keys::List => {
			let names = ctx.ring.list()?;
			let mut lines = Vec::new();
			let mut values = Vec::new();
			for name in &names {
				let identity = ctx.ring.load(name)?;
				lines.push(format!("{name}\t{}", identity.account()));
				values.push(identity_json(ctx, &identity)?);
			}
			Output::new(lines.join("\n"), Value::Array(values))
		},
		Keys::ImportKit { kit, name, plaintext } => {
			let identity = identity::read_kit(&kit, &name)?;
			let path = save_secret(ctx, &identity, plaintext)?;
			Output::new(
				format!(
					"imported the recovery kit as {name}: it acts for {} with the key of {} (key \
					 file {})",
					identity.account(),
					identity.signing_account(),
					path.display()
				),
				identity_json(ctx, &identity)?,
			)
		},
		Keys::Alias { organisation } => {
			let me = ctx.me()?;
			let chain = ctx.chain().await?;
			let (alias, done) = directory::patient_at(&chain, &ctx.ring, &me, organisation).await?;
			let mut value = identity_json(ctx, &alias)?;
			value["organisation"] = json!(organisation);
			value["created"] = json!(done.created);
			value["registered"] = json!(done.registered);
			Output::new(
				format!(
					"{}: your account {} at organisation {organisation}{}{}; act there as `--as \
					 {}`",
					alias.name,
					alias.account(),
					if done.created { ", new" } else { "" },
					if done.registered { ", registered as a patient" } else { "" },
					alias.name
				),
				value,
			)
		},
		Keys::Card { out: path } => {
			let me = ctx.me()?;
			identity::export_card(&path, &me.card())?;
			Output::new(
				format!(
					"wrote the patient card of {} to {} (it holds your class key: hand it only \
					 to organisations that treat you)",
					me.account(),
					path.display()
				),
				json!({ "account": me.account().to_string(), "out": path }),
			)
		},
		Keys::Register => {
			let me = ctx.me()?;
			let chain = ctx.chain().await?;
			let block = directory::register_practitioner_key(&chain, &me).await?;
			Output::new(
				format!("registered the encryption key of {} in block #{block}", me.account()),
				json!({ "account": me.account().to_string(), "block": block }),
			)
		},
	}
}

/// `medchain patients import`: keep a patient's card.
pub(crate) fn patients(ctx: &Context, cmd: Patients) -> Result<Output, CliError> {
	let Patients::Import { file } = cmd;
	let card = PatientCard::from_json(&read_file(&file)?).map_err(|reason| {
		CliError::Usage(format!("{} is not a patient card: {reason}", file.display()))
	})?;
	let path = ctx.ring.import_card(&card)?;
	Output::new(
		format!("kept the card of patient {} ({})", card.account, path.display()),
		json!({ "patient": card.account, "path": path }),
	)
}

#[cfg(test)]
mod tests {
	use super::*;

	/// M8: `keys import --suri` put the secret in `ps` and shell history.
	#[test]
	fn m8_a_real_secret_is_refused_on_the_command_line_and_read_from_stdin() {
		let phrase = "bottom drive obey lake curtain smoke basket hold race lonely fit walk";
		let refused = secret_uri(Some(phrase.into()), &mut &b""[..]).unwrap_err();
		assert!(
			matches!(&refused, CliError::Usage(m) if m.contains("standard input")),
			"{refused}"
		);
		assert!(!refused.to_string().contains("bottom"), "the error repeats the secret");
		let seed = "0x0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
		assert!(secret_uri(Some(seed.into()), &mut &b""[..]).is_err());
		assert!(secret_uri(Some("//Alice with words".into()), &mut &b""[..]).is_err());
		// A development URI is public knowledge.
		assert_eq!(secret_uri(Some("//Alice".into()), &mut &b""[..]).unwrap().as_str(), "//Alice");
		// On standard input: the first line, without its line end.
		let mut input = format!("{phrase}\r\nsecond line\n").into_bytes();
		assert_eq!(secret_uri(None, &mut &input[..]).unwrap().as_str(), phrase);
		input.clear();
		let empty = secret_uri(None, &mut &input[..]).unwrap_err();
		assert!(matches!(empty, CliError::Usage(_)), "{empty}");
		assert!(secret_uri(None, &mut &b"  \n"[..]).is_err());
	}
}
