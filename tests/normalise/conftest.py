"""Fixtures for the normaliser's tests: where the seed and the project's articles live."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from shared_data import shared_file

from compiler.model import Article
from compiler.normalise import RuleSet, normalise, rule_set
from compiler.readers import read_article

HERE = Path(__file__).resolve().parent
SEED_NAME = "000_479af0124a485854.txt"


def repo_root() -> Path:
    for folder in HERE.parents:
        if (folder / "pyproject.toml").is_file():
            return folder
    raise RuntimeError(f"no pyproject.toml above {HERE}")


REPO = repo_root()
ARTICLES = REPO / "tests" / "fixtures" / "articles"
SEEDS = REPO.parent / "shared" / "seeds"


@pytest.fixture(scope="session")
def rules() -> RuleSet:
    return rule_set()


@pytest.fixture(scope="session")
def normalise_file(rules: RuleSet) -> Callable[[Path], Article]:
    """Read and normalise one file with the shipped rule packs, as `anthology normalise` does."""

    def run(path: Path) -> Article:
        return normalise(read_article(path), rules)

    return run


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return shared_file(SEEDS / SEED_NAME, "the seed article, normalised as an acceptance check "
                                          "(test_seed_shape.py checks the same on the project's own article)")


@pytest.fixture(scope="session")
def article_path() -> Callable[[str], Path]:
    def find(name: str) -> Path:
        path = ARTICLES / name
        assert path.is_file(), f"missing fixture {path}"
        return path

    return find


@pytest.fixture
def write_article(tmp_path: Path) -> Callable[..., Path]:
    """Write paragraphs as a scraped Markdown article (blank line between them); return its path."""

    def write(*paragraphs: str) -> Path:
        path = tmp_path / "article.md"
        path.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
        return path

    return write
