//! Amounts of the chain's currency, MED, as people write them: up to 12 decimals (1 MED is
//! 10¹² of the chain's smallest unit, as the runtime's `UNIT`).

use crate::Error;

/// Decimals of one MED.
pub const DECIMALS: u32 = 12;
/// One MED in the chain's smallest unit.
pub const UNIT: u128 = 10u128.pow(DECIMALS);

/// Parses `text` (`12`, `0.5`, `1_000.25`) as MED; refuses anything else, more than 12
/// decimals, and amounts beyond the chain's range.
pub fn parse_med(text: &str) -> Result<u128, Error> {
	let bad = || {
		Error::Mismatch(format!(
			"`{text}` is not an amount of MED: digits, and at most {DECIMALS} after a point"
		))
	};
	let clean: String = text.trim().chars().filter(|c| *c != '_').collect();
	let (whole, fraction) = clean.split_once('.').unwrap_or((&clean, ""));
	if whole.is_empty() && fraction.is_empty()
		|| !whole.chars().chain(fraction.chars()).all(|c| c.is_ascii_digit())
		|| fraction.len() > DECIMALS as usize
	{
		return Err(bad());
	}
	let whole: u128 = if whole.is_empty() { 0 } else { whole.parse().map_err(|_| bad())? };
	let padded = format!("{fraction:0<width$}", width = DECIMALS as usize);
	let fraction: u128 = padded.parse().map_err(|_| bad())?;
	whole.checked_mul(UNIT).and_then(|w| w.checked_add(fraction)).ok_or_else(bad)
}

/// `amount` as MED, without trailing zeros: `2 MED`, `0.5 MED`.
pub fn format_med(amount: u128) -> String {
	let (whole, fraction) = (amount / UNIT, amount % UNIT);
	if fraction == 0 {
		format!("{whole} MED")
	} else {
		let digits = format!("{fraction:0width$}", width = DECIMALS as usize);
		format!("{whole}.{} MED", digits.trim_end_matches('0'))
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn amounts_parse_and_print_back() {
		for (text, planck, shown) in [
			("2", 2 * UNIT, "2 MED"),
			("0.5", UNIT / 2, "0.5 MED"),
			(".25", UNIT / 4, "0.25 MED"),
			("1_000.000000000001", 1_000 * UNIT + 1, "1000.000000000001 MED"),
			("0", 0, "0 MED"),
		] {
			assert_eq!(parse_med(text).unwrap(), planck, "{text}");
			assert_eq!(format_med(planck), shown);
		}
		for bad in
			["", ".", "-1", "1.2.3", "1e3", "abc", "0.0000000000001", "340282366920938463463374608"]
		{
			let refused = parse_med(bad).unwrap_err().to_string();
			assert!(refused.contains("is not an amount of MED"), "{bad}: {refused}");
		}
	}
}
