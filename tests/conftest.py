"""Fixtures shared by every kind of test."""

import pytest

from support_build import ROOT


@pytest.fixture(scope="session")
def repo_root():
    return ROOT
