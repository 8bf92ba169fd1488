"""Decoding bytes: never garble a page that trafilatura decodes right, and read legacy charsets as
browsers do."""

from __future__ import annotations

from trafilatura.utils import decode_file

from corroborate.ingest.common import decode

PAGE = ("<html><head><meta charset='utf-8'><title>Fähre</title></head><body>"
        "<p>Die Fährgesellschaft von Averly fährt ab Februar nur noch viermal täglich über die "
        "Förde, sagte die Geschäftsführerin am Montag. Für Pendler aus Brännock heißt das: früher "
        "aufstehen, länger warten, öfter überfüllte Schiffe.</p></body></html>")


def test_utf8_with_a_few_invalid_bytes_is_read_as_trafilatura_reads_it() -> None:
    """A page in several scripts that no legacy charset decodes: trafilatura falls back to UTF-8
    with replacement, and so do we (a charset detector picked one that garbled every letter)."""
    body = ("<p>Die Fähre von Averly nach Łeba kostet ab Februar 12 € — sagte die "
            "Geschäftsführerin am Montag. „Wir fahren weiter“, sagte sie; die Strecke heißt auf "
            "Chinesisch 阿维利航线.</p>")
    page = f"<html><head><meta charset='utf-8'></head><body>{body}</body></html>"
    data = page.encode("utf-8").replace(b"Montag", b"Mon\xe4tag")  # one stray latin-1 byte
    assert decode(data) == decode_file(data)
    assert body.replace("Montag", "Mon\ufffdtag") in decode(data)


def test_utf8_with_a_few_invalid_bytes_keeps_its_letters() -> None:
    """Also where trafilatura's guess (a Japanese charset, for a short German page) garbles it."""
    data = PAGE.encode("utf-8").replace(b"Montag", b"Mon\xe4tag")
    text = decode(data)
    assert "Fährgesellschaft" in text and "Geschäftsführerin" in text and "Mon\ufffdtag" in text


def test_a_legacy_charset_page_is_not_read_as_utf8() -> None:
    data = PAGE.replace("utf-8", "windows-1252").replace("Montag", "Montag „heute“").encode("cp1252")
    text = decode(data)
    assert "Fährgesellschaft" in text and "„heute“" in text and "\ufffd" not in text


def test_iso_8859_1_is_read_as_windows_1252_as_browsers_do() -> None:
    data = PAGE.replace("utf-8", "iso-8859-1").replace("Montag", "Montag „heute“").encode("cp1252")
    assert "„heute“" in decode(data)


def test_gb2312_is_read_as_its_superset() -> None:
    body = "阿维利轮渡公司周一表示，从二月起航班减少。镕"  # the last character is not in GB2312
    data = f"<html><head><meta charset='gb2312'></head><body><p>{body}</p></body></html>"
    assert body in decode(data.encode("gb18030"))
