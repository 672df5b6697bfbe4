"""The one rule that turns what the JVM said into a Python exception, which every door (a classic session, Spark
Connect, the command line) hands what it read from its own carrier."""

from __future__ import annotations

import pytest

import sparkmerge
from sparkmerge.errors import JAVA_EXCEPTIONS, from_jvm


@pytest.mark.parametrize("name", JAVA_EXCEPTIONS)
def test_an_engine_exception_becomes_its_own_class_with_its_first_line(name: str) -> None:
    error = from_jvm(
        name, "  the first line\nat a second\r\n", java_class=f"sparkmerge.{name}", java_trace="t"
    )

    assert type(error) is JAVA_EXCEPTIONS[name]
    assert str(error) == error.message == "the first line"
    assert (error.java_class, error.java_trace) == (f"sparkmerge.{name}", "t")


def test_an_engine_exception_without_a_message_is_told_by_its_name() -> None:
    assert str(from_jvm("TargetExistsException", None)) == "TargetExistsException"
    assert str(from_jvm("TargetExistsException", "\n")) == "TargetExistsException"


def test_any_other_exception_is_a_plain_error_that_names_its_class() -> None:
    error = from_jvm(
        "FileNotFoundException", "/data/x (No such file)\nmore", java_class="java.io.FileNotFoundException"
    )

    assert type(error) is sparkmerge.SparkMergeError
    assert str(error) == "FileNotFoundException: /data/x (No such file)"
    assert error.java_class == "java.io.FileNotFoundException"


@pytest.mark.parametrize("message", [None, "", "  ", "NullPointerException"])
def test_an_exception_without_a_message_is_told_by_its_class_name_alone(message: str | None) -> None:
    assert str(from_jvm("NullPointerException", message)) == "NullPointerException"


def test_another_librarys_exception_of_an_engine_name_stays_what_it_is() -> None:
    error = from_jvm("InvalidOptionException", "bad", java_class="org.example.InvalidOptionException")

    assert type(error) is sparkmerge.SparkMergeError
    assert str(error) == "InvalidOptionException: bad"


def test_a_line_separator_inside_a_quoted_value_does_not_cut_the_message() -> None:
    assert str(from_jvm("InvalidOptionException", "sep '\u2028' is not one character")) == (
        "sep '\u2028' is not one character"
    )
