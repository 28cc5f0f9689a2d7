"""Reads `cargo clippy --message-format=json` on standard input; prints every warning and error
and exits 1 if there is any, 0 otherwise (and 1 if the build itself failed).

A restriction lint (the on-chain crates' no-panic set) or a missing doc whose every primary span
lies in macro output (an expansion, or the attribute or doc comment a derive generated code for)
is skipped: FRAME's `#[pallet::*]` and `#[frame_support::runtime]` attributes and SCALE codec's
derives generate `expect`, `as u8` and undocumented public items in our crates, which is not our
code to change. Anything else counts.
"""

import json
import sys

# The lints that upstream macros trip in the code they generate inside our crates.
MACRO_PRONE = {
    "missing_docs",
    "clippy::arithmetic_side_effects",
    "clippy::indexing_slicing",
    "clippy::unwrap_used",
    "clippy::expect_used",
    "clippy::panic",
    "clippy::cast_possible_truncation",
}


def in_macro(span):
    """The span is macro output: inside an expansion, or on an attribute or doc comment (where a
    derive puts the code it generates for a variant or field)."""
    if span.get("expansion"):
        return True
    lines = span.get("text") or []
    source = lines[0].get("text", "").strip() if lines else ""
    return source.startswith(("#[", "///", "//!"))


def generated(message):
    code = (message.get("code") or {}).get("code")
    primary = [span for span in message.get("spans", []) if span.get("is_primary")]
    return code in MACRO_PRONE and bool(primary) and all(in_macro(span) for span in primary)


def main():
    # No `build-finished` message means cargo stopped before building (bad arguments).
    found, skipped, build_ok, seen = 0, 0, False, set()
    for line in sys.stdin:
        try:
            item = json.loads(line)
        except json.JSONDecodeError:
            continue
        if item.get("reason") == "build-finished":
            build_ok = item.get("success", False)
        if item.get("reason") != "compiler-message":
            continue
        message = item["message"]
        if message.get("level") not in ("warning", "error"):
            continue
        if not message.get("spans"):
            # Summaries such as "`x` (lib) generated 3 warnings".
            continue
        if generated(message):
            skipped += 1
            continue
        rendered = message.get("rendered") or message.get("message", "")
        if rendered in seen:
            continue
        seen.add(rendered)
        found += 1
        sys.stdout.write(rendered)
    print(f"clippy: {found} finding(s); {skipped} in macro-generated code skipped")
    if found or not build_ok:
        if not build_ok and not found:
            print("clippy: the build failed (run `cargo clippy` to see why)")
        sys.exit(1)


main()
