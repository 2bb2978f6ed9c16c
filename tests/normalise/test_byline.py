"""Bylines as pages print them, turned into person names, a publication date and outlets.

Every name, outlet and place here is invented for these tests.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from compiler.normalise.byline import Byline, looks_like_person, name_case, parse_byline

D = dt.date

# (byline as printed, names, outlets, publication date)
SHAPES: list[tuple[str, list[str], list[str], dt.date | None]] = [
    # prefixes
    ("By Marla Quenby", ["Marla Quenby"], [], None),
    ("Written by Orrin Vasquez-Holt", ["Orrin Vasquez-Holt"], [], None),
    ("Words by Petra Lindqvist-Oduya", ["Petra Lindqvist-Oduya"], [], None),
    ("Analysis by Tobiah Fenwick, CNN", ["Tobiah Fenwick"], ["CNN"], None),
    ("Posted by Halvard Estrin", ["Halvard Estrin"], [], None),
    ("Story by Ines Marchetti", ["Ines Marchetti"], [], None),
    ("par Aurélien Taboureau et Maëlle Guivarc'h", ["Aurélien Taboureau", "Maëlle Guivarc'h"], [], None),
    ("Por Itziar Oyarzabal y Rodrigo Benavente", ["Itziar Oyarzabal", "Rodrigo Benavente"], [], None),
    ("texto de Leire Azkarate", ["Leire Azkarate"], [], None),
    ("Von Wiebke Tammsen und Ole Brandhorst", ["Wiebke Tammsen", "Ole Brandhorst"], [], None),
    ("Testo di Carlotta Ferrandi e Nicolò Spadaro", ["Carlotta Ferrandi", "Nicolò Spadaro"], [], None),
    # dates, times and "when" words glued on
    ("By Corwin Ashby Updated Nov 13", ["Corwin Ashby"], [], None),
    ("Deshawn Pruitt 2019-11-18T20:51:19Z", ["Deshawn Pruitt"], [], D(2019, 11, 18)),
    ("By Fenna Ruysdael November 19th", ["Fenna Ruysdael"], [], None),
    ("By Bram Oosterhuis\nFeb 3, 2024 at 6:12 pm", ["Bram Oosterhuis"], [], D(2024, 2, 3)),
    (
        "By Solveig Aamot\nStaff Writer\nPublished March 9, 2024 12:00PM (EST)",
        ["Solveig Aamot"], [], D(2024, 3, 9),
    ),
    ("By Radek Wolny and Imani Castellano-Reyes\n02.27.2024", ["Radek Wolny", "Imani Castellano-Reyes"], [],
     D(2024, 2, 27)),
    ("Nadia Ferrell 5 hours ago", ["Nadia Ferrell"], [], None),
    ("Gideon Maalouf · 5 Min Read", ["Gideon Maalouf"], [], None),
    ("Gideon Maalouf\n8 min read\nJan 9, 2024", ["Gideon Maalouf"], [], D(2024, 1, 9)),
    ("Last modified: 2024-03-01 Esme Calloway", ["Esme Calloway"], [], D(2024, 3, 1)),
    ("Posted by admin on March 3, 2024", [], [], D(2024, 3, 3)),
    ("Von Henrike Sollmann\n14. 7. 2024, 08:12 Uhr", ["Henrike Sollmann"], [], D(2024, 7, 14)),
    ("Updated Apr 2, 2024 · Published Mar 28, 2024 · By Tavi Ionescu", ["Tavi Ionescu"], [], D(2024, 3, 28)),
    ("Odile Marchand, le 12 mars 2024 à 14h05", ["Odile Marchand"], [], D(2024, 3, 12)),
    ("Thursday, June 6, 2024 — By Lowell Brandt", ["Lowell Brandt"], [], D(2024, 6, 6)),
    # roles and job titles: after a comma, on their own line, or glued on
    ("Philippa Norcross, Editor-at-large", ["Philippa Norcross"], [], None),
    ("By ELIAS VORNHOLT AP Auto Writer", ["Elias Vornholt"], [], None),
    ("Mirela Costache Senior Correspondent", ["Mirela Costache"], [], None),
    ("Anouk Delacourt, Contributor", ["Anouk Delacourt"], [], None),
    ("Bastien Okoro\nColumnist", ["Bastien Okoro"], [], None),
    ("Yara Haddadin, Opinion Editor", ["Yara Haddadin"], [], None),
    ("Quentin Ashdown Staff Writer", ["Quentin Ashdown"], [], None),
    ("Priyanka DesaiStaff Writer", ["Priyanka Desai"], [], None),
    ("Senior Correspondent Ludovica Sarti | Reuters", ["Ludovica Sarti"], ["Reuters"], None),
    ("Jonah Eberhardt Senior Political Correspondent", ["Jonah Eberhardt"], [], None),
    ("Ruth Abernathy is a reporter for The Millbrook Sentinel.", ["Ruth Abernathy"], ["The Millbrook Sentinel"], None),
    ("Cormac Hanley, Special to The Ferrybank Argus", ["Cormac Hanley"], ["The Ferrybank Argus"], None),
    (
        "By Linnea Sarkany, a senior lecturer in regional planning at Oakhurst University. "
        "Originally published at Westmarch Planning Review",
        ["Linnea Sarkany"], ["Westmarch Planning Review"], None,
    ),
    # outlets and agencies, never names
    ("Dorian Kestrel | Fox News", ["Dorian Kestrel"], ["Fox News"], None),
    ("Agnieszka Fabiańska / Original to Riverside Labor Report", ["Agnieszka Fabiańska"],
     ["Riverside Labor Report"], None),
    ("By Marit Halvorsen, Northgate Tenant Review", ["Marit Halvorsen"], ["Northgate Tenant Review"], None),
    ("Colm Devereux for The Guardian", ["Colm Devereux"], ["The Guardian"], None),
    ("By Sunniva Ekdahl, Associated Press", ["Sunniva Ekdahl"], ["Associated Press"], None),
    ("Ottilie Brandvold (Reuters)", ["Ottilie Brandvold"], ["Reuters"], None),
    ("By Amara Ndiaye-Holm | The Conversation", ["Amara Ndiaye-Holm"], ["The Conversation"], None),
    ("Kasimir Lund, AFP", ["Kasimir Lund"], ["AFP"], None),
    (
        "Wendeline Frost and Iker Zubiaurre\nBrackwater\nMarch 5, 2024",
        ["Wendeline Frost", "Iker Zubiaurre"], ["Brackwater"], D(2024, 3, 5),
    ),
    (
        "By Jovana Ristić and Emeka Lindahl, Tidewell Commons",
        ["Jovana Ristić", "Emeka Lindahl"], ["Tidewell Commons"], None,
    ),
    (
        "Reporting by Halim Dersu; Additional reporting by Mette Skov; Editing by Rowan Pike",
        ["Halim Dersu", "Mette Skov"], [], None,
    ),
    # handles and CMS accounts
    ("Tamsin Ellery @tamsinwrites", ["Tamsin Ellery"], [], None),
    ("@quietharbour", [], [], None),
    ("admin", [], [], None),
    ("By Newsroom Staff", [], [], None),
    ("webmaster", [], [], None),
    # names in capitals, datelines, suffixes, particles, degrees
    ("By RAMÓN ECHEGARAY and SIOBHAN O’KEEFFE Associated Press", ["Ramón Echegaray", "Siobhan O’Keeffe"],
     ["Associated Press"], None),
    ("MAEVE McCARTHY-DOYLE", ["Maeve McCarthy-Doyle"], [], None),
    ("JEAN-BAPTISTE DE LA FONTANELLE", ["Jean-Baptiste de la Fontanelle"], [], None),
    ("By Wanjiru Kamau-NdegwaGENEVA, Apr 18 2023 (IPS)", ["Wanjiru Kamau-Ndegwa"], ["IPS"], D(2023, 4, 18)),
    ("By Wanjiru Kamau-Ndegwa\nGENEVA, Apr 18 2023 (IPS)", ["Wanjiru Kamau-Ndegwa"], ["IPS"], D(2023, 4, 18)),
    ("MAGNUS TOLLEFSEN, NAIROBI", ["Magnus Tollefsen"], [], None),
    ("By Lionel Ashcombe Jr. and Harriet Penrose, PhD", ["Lionel Ashcombe Jr.", "Harriet Penrose"], [], None),
    ("Desmond Achterberg III", ["Desmond Achterberg III"], [], None),
    ("Ximena Ortega y Valdivia", ["Ximena Ortega y Valdivia"], [], None),
    ("Pieter van der Gracht & Saoirse Ó Dálaigh", ["Pieter van der Gracht", "Saoirse Ó Dálaigh"], [], None),
    ("Karim bin Suleiman; Mai Thuy Linh", ["Karim bin Suleiman", "Mai Thuy Linh"], [], None),
    ("Hollis Grange | Tove Marstrand", ["Hollis Grange", "Tove Marstrand"], [], None),
    ("April Kessler, Jan Wozniak and Marco Ferrante", ["April Kessler", "Jan Wozniak", "Marco Ferrante"], [], None),
    ("[Renske Haverkamp](https://example.org/author/renske-haverkamp)", ["Renske Haverkamp"], [], None),
    # lists of authors, one field a line, the way saved pages lay them out
    ("By Ada Brenner, Tomas Oyelaran, and Kiri Waititi", ["Ada Brenner", "Tomas Oyelaran", "Kiri Waititi"], [], None),
    ("By\n\nRosalind Achterberg\n\n and \n\nFaisal Qureshi-Lund\n\n11.03.2023", ["Rosalind Achterberg",
     "Faisal Qureshi-Lund"], [], D(2023, 11, 3)),
    ("Dana Le and Pieter de Wit", ["Dana Le", "Pieter de Wit"], [], None),
    ("By Gwendolyn Mbatha and The Associated Press", ["Gwendolyn Mbatha"], ["The Associated Press"], None),
    ("Posted in Transport by Elsbeth Varga", ["Elsbeth Varga"], [], None),
    ("Elsbeth Varga Filed under Transport", ["Elsbeth Varga"], [], None),
    ("By Dr. Lorcan Beaumont", ["Lorcan Beaumont"], [], None),
    ("By Ilse Brandt. Ilse Brandt is a fellow at the Corran Institute.", ["Ilse Brandt"], [], None),
    ("By Hamza Idrissi Special to The Westfold Courier", ["Hamza Idrissi"], ["The Westfold Courier"], None),
    ("Odessa Marlowe\nMarch 5, 2024 · 6 min read", ["Odessa Marlowe"], [], D(2024, 3, 5)),
    ("Por Amaia Etxeberria | 22 de mayo de 2024", ["Amaia Etxeberria"], [], D(2024, 5, 22)),
    ("BY SAOIRSE NÍ DHOMHNAILL", ["Saoirse Ní Dhomhnaill"], [], None),
    # "with": a co-author, or a credit that is no authorship
    ("By Jarrah Whitcombe with Ines Faria-Lopes", ["Jarrah Whitcombe", "Ines Faria-Lopes"], [], None),
    ("By Jarrah Whitcombe and Ines Faria-Lopes, with Ossian Kral", ["Jarrah Whitcombe", "Ines Faria-Lopes",
     "Ossian Kral"], [], None),
    ("Jarrah Whitcombe, with photos by Ossian Kral", ["Jarrah Whitcombe"], [], None),
    # surnames that look like degrees or furniture words
    ("By Wen Ma, PhD, and Cressida Read", ["Wen Ma", "Cressida Read"], [], None),
    ("Tobias More MD", ["Tobias More"], [], None),
]


@pytest.mark.parametrize(("text", "names", "outlets", "date"), SHAPES, ids=[s[0][:40] for s in SHAPES])
def test_byline_shapes(text: str, names: list[str], outlets: list[str], date: dt.date | None) -> None:
    byline = parse_byline(text)
    assert byline.names == names
    assert byline.outlets == outlets
    assert byline.date == date


def test_shapes_are_many_and_distinct() -> None:
    assert len({text for text, *_ in SHAPES}) == len(SHAPES) >= 30


def test_roles_are_kept_apart() -> None:
    byline = parse_byline("Ilka Brandauer, Senior Correspondent")
    assert byline.names == ["Ilka Brandauer"]
    assert byline.roles == ["Senior Correspondent"]
    assert "Editing by Rowan Pike" in parse_byline("Reporting by Halim Dersu; Editing by Rowan Pike").roles


def test_known_outlets_are_never_names() -> None:
    # "Pinewood Signal" has the shape of a name; only the page's own name for itself tells otherwise
    assert parse_byline("Tereza Hollan, Pinewood Signal").names == ["Tereza Hollan", "Pinewood Signal"]
    byline = parse_byline("Tereza Hollan, Pinewood Signal", known_outlets=["pinewood signal"])
    assert byline.names == ["Tereza Hollan"]
    assert byline.outlets == ["Pinewood Signal"]


def test_numeric_dates_follow_the_language_when_ambiguous() -> None:
    assert parse_byline("Greta Pohl 03.04.2024", "de").date == D(2024, 4, 3)
    assert parse_byline("Greta Pohl 03.04.2024", "en").date == D(2024, 3, 4)
    assert parse_byline("Greta Pohl 27.02.2024", "en").date == D(2024, 2, 27)


def test_publication_date_wins_over_update() -> None:
    assert parse_byline("Nils Aaberg. Updated: May 2, 2024. Published April 30, 2024").date == D(2024, 4, 30)
    # an update date is still better than nothing
    assert parse_byline("Nils Aaberg, updated May 2, 2024").date == D(2024, 5, 2)


_FORBIDDEN = re.compile(
    r"\d|[|/@]|\b(?:updated|posted|staff|writer|reporter)\b|\b(?:january|february|march|june|july|september|"
    r"october|november|december|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b",
    re.IGNORECASE,
)


def test_no_name_in_any_shape_carries_dates_roles_or_separators() -> None:
    for text, *_ in SHAPES:
        for name in parse_byline(text).names:
            assert not _FORBIDDEN.search(name), (text, name)


_JUNK = st.sampled_from([
    "By", "Updated", "Posted", "Staff Writer", "Reporter", "|", "/", "@handle", "Nov 13", "2024-01-02T03:04:05Z",
    "5 min read", "March", "Tuesday", ",", "and", "\n", "Jane", "Roe", "ADMIN", "Associated Press", "2 hours ago",
    "Writer", "Marla", "Quenby-Ostrova", "12:30 pm", "Jr.", "(EST)", "&", "Published", "·", "DoeStaff",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(_JUNK, max_size=12).map(" ".join) | st.text(max_size=60))
@example("Jane Marla Marla Roe Quenby Updated Jr.")  # a suffix must not make a name too long to be one
def test_no_name_from_random_junk_carries_forbidden_text(text: str) -> None:
    for name in parse_byline(text).names:
        assert not _FORBIDDEN.search(name), (text, name)
        assert looks_like_person(name)


@pytest.mark.parametrize(
    "name",
    ["Marla Quenby", "Saoirse Ó Dálaigh", "Trần Thu Hương", "Nicolò Spadaro", "April Kessler", "Maëlle Guivarc'h",
     "Søren Ålund", "Lionel Ashcombe Jr.", "J. R. Tolliver", "李明", "Анна Петрова"],
)
def test_looks_like_person_accepts_names(name: str) -> None:
    assert looks_like_person(name)


@pytest.mark.parametrize(
    "text",
    ["admin", "jdoe", "Staff Writer", "Updated Nov", "Jane Roe 2024", "Jane | Roe", "Jane/Roe", "@janeroe",
     "Reuters", "Associated Press", "Subscribe to our newsletter", "Jane Roe Tuesday", "Marla Quenby November",
     "One Two Three Four Five Six", "", "Posted in News", "Contributor", "Midvale Daily Ledger"],
)
def test_looks_like_person_rejects_non_names(text: str) -> None:
    assert not looks_like_person(text)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("RAMÓN ECHEGARAY", "Ramón Echegaray"),
        ("SIOBHAN O’KEEFFE", "Siobhan O’Keeffe"),
        ("MAEVE McCARTHY-DOYLE", "Maeve McCarthy-Doyle"),
        ("JEAN-BAPTISTE DE LA FONTANELLE", "Jean-Baptiste de la Fontanelle"),
        ("DESMOND ACHTERBERG III", "Desmond Achterberg III"),
        ("MAËLLE GUIVARC'H", "Maëlle Guivarc'h"),
        ("GIANNI D'ANGELO", "Gianni D'Angelo"),
        ("PIETER VAN DER GRACHT", "Pieter van der Gracht"),
        ("TERESA DE LOS RÍOS", "Teresa de los Ríos"),
        ("CARLA DI STEFANO", "Carla Di Stefano"),
        ("YVONNE LE CORRE", "Yvonne Le Corre"),
        ("Pieter van der Gracht", "Pieter van der Gracht"),  # mixed case is kept as written
        ("DeShawn McAllister", "DeShawn McAllister"),
    ],
)
def test_names_in_capitals_are_written_as_names(given: str, expected: str) -> None:
    assert name_case(given) == expected


def test_empty_byline() -> None:
    assert parse_byline("") == Byline()
