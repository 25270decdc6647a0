#!/usr/bin/env python3
"""Refresh an addon's zh_CN.po from its .pot, keeping existing translations.

Usage: python3 scripts/po_fill.py addons/<module>
Entries of the .pot that have no translation yet are listed, so the translator
sees what to add; `make test` fails while any entry is untranslated.
"""

import sys
from pathlib import Path

import polib


def main(addon_dir):
    addon = Path(addon_dir)
    module = addon.name
    pot = polib.pofile(str(addon / "i18n" / f"{module}.pot"))
    po_path = addon / "i18n" / "zh_CN.po"
    old = polib.pofile(str(po_path)) if po_path.exists() else polib.POFile()
    known = {e.msgid: e.msgstr for e in old if e.msgstr}
    dropped = set(known) - {e.msgid for e in pot}
    if not len(pot) or len(dropped) > len(known) // 2:
        # an export from a database without the module gives an empty template
        print(
            f"{module}: the template has {len(pot)} terms and would drop "
            f"{len(dropped)} of {len(known)} translations; export it again from a "
            "database where the module is installed. Nothing written.",
            file=sys.stderr,
        )
        return 2
    new = polib.POFile(wrapwidth=78)
    new.metadata = dict(pot.metadata)
    new.metadata.update({"Language": "zh_CN", "Plural-Forms": "nplurals=1; plural=0;"})
    missing = []
    for entry in pot:
        entry.msgstr = known.get(entry.msgid, "")
        if not entry.msgstr:
            missing.append(entry.msgid)
        new.append(entry)
    new.save(str(po_path))
    for msgid in missing:
        print(f"{module}: untranslated: {msgid!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
