"""Every string a person reads goes through gettext; the English catalogue is complete and compiled."""

import ast
from pathlib import Path

from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent


def read_po(path: Path) -> list[tuple[str, str, bool]]:
    """(msgid, msgstr, fuzzy) for each live entry of a .po file; the header is skipped."""
    entries, msgid, msgstr, key, fuzzy = [], None, None, None, False

    def flush():
        if msgid:  # the header has an empty msgid
            entries.append((msgid, msgstr or "", fuzzy))

    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#~"):
            continue
        if line.startswith("#,"):
            flush()
            msgid, msgstr, key, fuzzy = None, None, None, "fuzzy" in line
        elif line.startswith("msgid "):
            if msgstr is not None:
                flush()
                fuzzy = False
            msgid, msgstr, key = ast.literal_eval(line[6:]), None, "msgid"
        elif line.startswith("msgstr "):
            msgstr, key = ast.literal_eval(line[7:]), "msgstr"
        elif line.startswith('"') and key == "msgid":
            msgid += ast.literal_eval(line)
        elif line.startswith('"') and key == "msgstr":
            msgstr += ast.literal_eval(line)
    flush()
    return entries


def test_english_catalogue_has_no_untranslated_or_fuzzy_entries():
    entries = read_po(ROOT / "locale/en/LC_MESSAGES/django.po")
    missing = [msgid for msgid, msgstr, fuzzy in entries if not msgstr.strip() or fuzzy]
    assert not missing, f"untranslated in en: {missing[:10]}"
    assert len(entries) > 500


def test_compiled_catalogues_exist():
    for lang in ("en", "zh_Hans"):
        mo = ROOT / f"locale/{lang}/LC_MESSAGES/django.mo"
        assert mo.exists() and mo.stat().st_size > 0


def test_wording_switches_with_the_language():
    from fractions import Fraction

    from governance.rules.quorum import Threshold

    with translation.override("en"):
        assert translation.gettext("法定人数") == "Quorum"
        assert Threshold(Fraction(2, 3)).describe() == "2/3 or more"
    with translation.override("zh-hans"):
        assert Threshold(Fraction(2, 3)).describe() == "三分之二以上"
        assert Threshold(Fraction(1, 2), inclusive=False).describe() == "超过半数"
